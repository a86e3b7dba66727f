"""Demo data never passes for real: with the demo generator's entries loaded, everything the
public reads (the catalog's counts, lists, search, bodies, classes, changes and feeds, a
standard's page, the validity check) is exactly what it was without them, unless the setting
or the visible switch shows them, and then every page says so."""

import re

import pytest

from stdplus.catalog.models import DEMO_SOURCE, Standard
from stdplus.catalog.visibility import COOKIE
from stdplus.checks.engine import check_run
from stdplus.checks.extract import InputLine
from stdplus.programme.selectors import region_get
from stdplus.programme.services.demo import DemoSize, demo_generate

from ..search.conftest import load_catalog

pytestmark = pytest.mark.django_db
SIZE = DemoSize(
    organizations=4,
    participations=10,
    experts=2,
    bodies=1,
    pilots=1,
    applications=1,
    catalog_entries=80,
)
BANNER = "Demo data is shown"


def _entries(feed: str) -> list[str]:
    return re.findall(r"<entry>.*?</entry>", feed, flags=re.S)


def public_view(client) -> dict:
    """What the public reads, in the forms a person or an API client gets it."""
    view = {}
    view["home"] = client.get("/?format=json", follow=True).json()
    for name, url in {
        "list": "/api/v1/standards?page_size=100",
        "food": "/api/v1/standards?q=%E9%A3%9F%E5%93%81&page_size=100",
        "national": "/api/v1/standards?level=national&page_size=100",
        "local": "/api/v1/standards?level=local&page_size=100",
        "newest": "/api/v1/standards?sort=newest&page_size=50",
        "bodies": "/api/v1/bodies",
        "ics": "/api/v1/classifications/ics",
    }.items():
        response = client.get(url)
        assert response.status_code == 200, url
        view[name] = response.json()
    changes = client.get("/changes/").content.decode()
    view["changes"] = re.findall(r'href="(/standards/[^"]+)"', changes)
    view["feed"] = _entries(client.get("/changes/feed/").content.decode())
    bodies_page = client.get("/bodies/").content.decode()
    view["bodies_page"] = re.findall(r"<tr.*?</tr>", bodies_page, flags=re.S)
    return view


@pytest.fixture
def catalog_with_demo(db, today, write_jsonl, client):
    load_catalog(write_jsonl)
    before = public_view(client)
    demo_generate(region=region_get("4403"), size=SIZE)
    assert Standard.objects.filter(source=DEMO_SOURCE).count() >= 50
    return before


def a_demo_entry() -> Standard:
    return Standard.objects.filter(source=DEMO_SOURCE).order_by("canonical").first()


def test_the_public_sees_exactly_the_catalog_without_the_demo(catalog_with_demo, client):
    before = catalog_with_demo
    after = public_view(client)
    assert after == before
    page = client.get("/").content.decode()
    assert BANNER not in page and "Show demo data" in page
    demo = a_demo_entry()
    assert client.get(demo.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/standards/{demo.canonical}").status_code == 404
    # The validity check does not match a demo entry either.
    result = check_run([InputLine(demo.canonical)]).results[0]
    assert result.match == "none" and result.status is None


def test_the_switch_shows_them_with_a_banner(catalog_with_demo, client):
    before = catalog_with_demo
    response = client.post("/demo-data/", {"show": "1", "next": "/search/"})
    assert response.status_code == 302 and response["Location"] == "/search/"
    assert client.cookies[COOKIE].value == "1"
    shown = public_view(client)
    assert (
        shown["home"]["total"]
        == before["home"]["total"] + Standard.objects.filter(source=DEMO_SOURCE).count()
    )
    assert shown["list"]["count"] > before["list"]["count"]
    assert shown["bodies"] != before["bodies"] and shown["feed"] != before["feed"]
    demo = a_demo_entry()
    detail = client.get(demo.get_absolute_url())
    assert detail.status_code == 200 and BANNER in detail.content.decode()
    assert BANNER in client.get("/search/?q=%E9%A3%9F%E5%93%81").content.decode()
    # Off again: back to the real catalog.
    client.post("/demo-data/", {"show": "0", "next": "https://elsewhere.example/"})
    assert public_view(client) == before


def test_the_setting_shows_them_everywhere(catalog_with_demo, client, settings):
    before = catalog_with_demo
    settings.STDPLUS_SHOW_DEMO = True
    shown = public_view(client)
    assert shown["home"]["total"] > before["home"]["total"]
    page = client.get("/").content.decode()
    assert BANNER in page and "Hide demo data" not in page  # the setting cannot be switched off
    demo = a_demo_entry()
    result = check_run([InputLine(demo.canonical)]).results[0]
    assert result.match == "edition"


def test_the_switch_goes_back_only_to_this_site(client, db):
    response = client.post("/demo-data/", {"show": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert client.get("/demo-data/").status_code == 405


def _found(client, query: str, **filters) -> list[str]:
    response = client.get("/api/v1/standards", {"q": query, "page_size": 100, **filters})
    assert response.status_code == 200
    return [item["identifier"] for item in response.json()["items"]]


def test_search_leaves_demo_entries_out_by_their_own_token(catalog_with_demo, client):
    """A search by a demo entry's own title, by its identifier, with facets or with none: the
    demo entries are out unless shown, and an entry that stops being demo data is found."""
    from stdplus.search.indexing import DEMO_TOKEN, documents_update
    from stdplus.search.models import SearchDocument

    demo = a_demo_entry()
    title = demo.title_zh or demo.title_en
    assert DEMO_TOKEN in SearchDocument.objects.get(standard=demo).facets.split()
    real = Standard.objects.exclude(source=DEMO_SOURCE).first()
    assert DEMO_TOKEN not in SearchDocument.objects.get(standard=real).facets.split()
    searches = [(title, {}), (demo.canonical, {}), (title, {"level": demo.level})]
    searches += [("", {"status": demo.status}), ("", {"level": demo.level})]
    for query, filters in searches:
        assert demo.canonical not in _found(client, query, **filters), (query, filters)
    client.post("/demo-data/", {"show": "1", "next": "/"})
    assert demo.canonical in _found(client, title)
    assert demo.canonical in _found(client, title, level=demo.level)
    client.post("/demo-data/", {"show": "0", "next": "/"})
    # Taken over as real data (its source changes): its document loses the token.
    Standard.objects.filter(pk=demo.pk).update(source="samr")
    documents_update([demo.pk])
    assert DEMO_TOKEN not in SearchDocument.objects.get(standard=demo).facets.split()
    assert demo.canonical in _found(client, title)
