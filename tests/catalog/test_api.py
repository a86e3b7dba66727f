import json
import re
import subprocess
import sys
from urllib.parse import quote

import pytest

from stdplus.catalog.freshness import source_ages

from ..conftest import REPO
from ..search.conftest import load_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(db, today, write_jsonl):
    load_catalog(write_jsonl)


def get(client, url, **headers):
    response = client.get(url, **headers)
    assert response["Content-Type"].startswith("application/json")
    return response.status_code, response.json()


def test_search_returns_count_items_and_facets(client, catalog):
    status, body = get(client, "/api/v1/standards?q=质量管理&level=national&page_size=2")
    assert status == 200
    assert set(body) >= {"count", "items", "facets", "count_exact", "facets_exact", "match"}
    assert body["count"] == 5 and len(body["items"]) == 2
    item = body["items"][0]
    assert item["api_url"] == "/api/v1/standards/" + quote(item["identifier"])
    assert set(body["facets"]) == {"level", "status", "body", "ics", "year"}
    national = body["facets"]["level"][0]
    assert national == {
        "value": "national",
        "label": "National (China)",
        "count": 5,
        "selected": True,
    }


def test_filters_repeat_and_combine(client, catalog):
    url = "/api/v1/standards?q=质量管理&level=national&level=industry&status=superseded&ics=03.120"
    _, body = get(client, url)
    assert sorted(i["identifier"] for i in body["items"]) == [
        "GB/T 19001-2000",
        "GB/T 19001-2008",
        "YY/T 0287-2017",
    ]
    _, dated = get(client, "/api/v1/standards?published_from=2022-01-01&published_to=2022-12-31")
    assert {i["identifier"] for i in dated["items"]} == {"GB/T 42061-2022", "GB 4943.1-2022"}


def test_identifier_query_and_suggestions(client, catalog):
    _, body = get(client, "/api/v1/standards?q=gbt19001")
    assert body["match"]["kind"] == "work"
    assert body["items"][0]["identifier"] == "GB/T 19001-2016"
    _, near = get(client, "/api/v1/standards?q=GB/T%2019001-2015")
    assert near["match"]["kind"] == "near_miss"
    assert near["match"]["suggestions"][0]["identifier"] == "GB/T 19001-2016"


@pytest.mark.parametrize(
    "path",
    [
        "GB%2FT%2019001-2016",
        "GB/T%2019001-2016",
        "gbt19001-2016",
        quote("ＧＢ／Ｔ　１９００１－２０１６"),
        "gb%2Ft%2019001",  # a work names its edition in force
    ],
)
def test_one_standard_by_any_spelling(client, catalog, path):
    status, body = get(client, f"/api/v1/standards/{path}")
    assert status == 200
    assert body["identifier"] == "GB/T 19001-2016"
    assert [e["identifier"] for e in body["editions"]] == [
        "GB/T 19001-2000",
        "GB/T 19001-2008",
        "GB/T 19001-2016",
    ]
    relations = {(r["direction"], r["type"], r["identifier"]) for r in body["relations"]}
    assert ("outgoing", "replaces", "GB/T 19001-2008") in relations
    assert ("outgoing", "adopts", "ISO 9001:2015") in relations
    assert body["classifications"][0]["path"][0]["code"] == "03"
    assert body["html_url"] == "/standards/GB/T%2019001-2016/"


def test_relations_both_directions_and_chain(client, catalog):
    _, body = get(client, "/api/v1/standards/GB%208898-2011")
    incoming = [r for r in body["relations"] if r["direction"] == "incoming"]
    assert incoming[0]["identifier"] == "GB 4943.1-2022"
    assert incoming[0]["label"] == "replaced by"
    assert [s["identifier"] for s in body["replacement_chain"]] == [
        "GB 8898-2011",
        "GB 4943.1-2022",
    ]


@pytest.mark.parametrize("path", ["GB%2FT%2099999-2020", "not%20a%20standard", "%3Cscript%3E"])
def test_unknown_standard_is_a_json_404(client, catalog, path):
    status, body = get(client, f"/api/v1/standards/{path}")
    assert status == 404
    assert body["code"] == "not_found" and body["message"]


def test_unknown_standard_404_carries_the_suggestions(client, catalog):
    status, body = get(client, "/api/v1/standards/GB%2019001-2016")  # GB for GB/T
    assert status == 404
    assert body["suggestions"][0]["identifier"] == "GB/T 19001-2016"
    assert body["suggestions"][0]["status"] == "current"


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("page=0", 422, "invalid_request"),
        ("page=abc", 422, "invalid_request"),
        ("page_size=1000000", 422, "invalid_request"),
        ("sort=price", 422, "invalid_request"),
        ("published_from=2020-13-45", 422, "invalid_request"),
        ("level=galactic", 422, "invalid_request"),
        ("ics=3.1", 422, "invalid_request"),
        ("page=9999&page_size=100", 400, "page_out_of_range"),
        ("published_from=2020-01-01&published_to=2019-01-01", 400, "invalid_filter"),
        ("q=" + "x" * 300, 422, "invalid_request"),
        ("q=%01", 200, None),
        # A NUL cannot be stored (PostgreSQL refuses it): refused, naming the parameter.
        ("q=%00%01", 400, "invalid_text"),
        ("body=%00", 400, "invalid_text"),
        ("q=%27%3B%20DROP%20TABLE%20catalog_standard%3B--", 200, None),
        ("q=%22%20OR%20*", 200, None),
    ],
)
def test_bad_input_gets_json_errors_never_500(client, catalog, query, status, code):
    got, body = get(client, f"/api/v1/standards?{query}")
    assert got == status
    if code:
        assert body["code"] == code and body["message"]


def test_classification_trees_count_each_node_and_below(client, catalog):
    _, top = get(client, "/api/v1/classifications/ics")
    counts = {n["code"]: n["count"] for n in top["children"]}
    assert counts["03"] == 6  # GB/T 19001 x3, YY/T 0287, GB/T 42061 (03.120.10), GB/T 45001
    _, node = get(client, "/api/v1/classifications/ics/03.120")
    assert node["node"]["count"] == 5 and node["path"][0]["code"] == "03"
    child = next(n for n in node["children"] if n["code"] == "03.120.10")
    assert child["count"] == 5 and child["search_url"] == "/search/?ics=03.120.10"
    _, ccs = get(client, "/api/v1/classifications/ccs/B")  # fields hold groups of classes
    assert {n["code"]: n["count"] for n in ccs["children"]}["B30/39"] == 1
    _, group = get(client, "/api/v1/classifications/ccs/B30/39")
    assert {n["code"]: n["count"] for n in group["children"]}["B32"] == 1
    status, missing = get(client, "/api/v1/classifications/ics/99.999")
    assert status == 404 and missing["code"] == "not_found"
    assert get(client, "/api/v1/classifications/xyz")[0] == 404


def test_bodies(client, catalog):
    _, bodies = get(client, "/api/v1/bodies")
    gb = next(b for b in bodies if b["body"] == "GB")
    assert gb["count"] >= 20 and gb["search_url"] == "/search/?body=GB"


def test_list_endpoint_queries_do_not_grow_with_the_page(
    client, catalog, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        client.get("/api/v1/standards?q=要求&page_size=100")
    with django_assert_max_num_queries(12):
        client.get("/api/v1/standards/GB%204943.1-2022")
    with django_assert_max_num_queries(8):
        client.get("/api/v1/classifications/ics/03")


def test_docs_are_served_without_a_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    external = re.findall(r"""(?:src|href)=["']((?:https?:)?//[^"']+)""", html)
    assert external == []
    assert not re.search(r"(src|href)=\"(https?:)?//", html)  # assets are our own, no CDN


def test_openapi_schema_matches_the_committed_one(client):
    live = client.get("/api/v1/openapi.json").json()
    committed = json.loads((REPO / "docs" / "openapi.json").read_text(encoding="utf-8"))
    assert live == committed, "the API changed: run `make openapi` and commit docs/openapi.json"
    check = subprocess.run(
        [sys.executable, str(REPO / "docs" / "gen_openapi.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr


def test_detail_document_is_what_the_schema_makes_of_it(client, catalog):
    """The detail endpoint writes its JSON by hand (for speed); it must be exactly what the
    StandardOut schema makes of the standard, its editions and its chain, for every standard
    of the test catalog."""
    from stdplus.catalog.models import Standard
    from stdplus.catalog.schemas import StandardOut
    from stdplus.catalog.selectors import standard_details

    standards = list(Standard.objects.all())
    assert len(standards) >= 30
    shapes = set()
    for standard in standards:
        status, body = get(client, "/api/v1/standards/" + quote(standard.canonical, safe=""))
        assert status == 200, standard.canonical
        details = standard_details(standard)
        reference = {
            name: getattr(standard, name)
            for name in StandardOut.model_fields
            if hasattr(standard, name)
        }
        reference.update(
            canonical=standard.canonical,
            work_key=standard.work_key,
            source_url=standard.url,
            classifications=body["classifications"],
            relations=body["relations"],
            editions=details.editions,
            replacement_chain=details.chain,
            sources=body["sources"],
            replacement_by_edition=[s.canonical for s in details.by_edition],
            source_data=details.source_age.as_dict(),
        )
        expected = StandardOut.model_validate(reference).model_dump(mode="json")
        assert body == expected, standard.canonical
        shapes.add(
            (
                bool(body["classifications"]),
                bool(body["relations"]),
                len(body["replacement_chain"]) > 1,
            )
        )
    assert (True, True, True) in shapes and (False, False, False) in shapes


def test_detail_takes_seven_queries_and_one_more_per_step_out_of_the_work(
    client, catalog, django_assert_num_queries
):
    # editions of the work (the edition among them), its classes, the classes above them,
    # relations (with the replacements of the work's editions), the standards at their ends
    # outside the work, what each source said, the stamp of the import runs (the sources'
    # ages are kept per process while it holds: read once here, before counting)
    source_ages([])
    with django_assert_num_queries(7):
        status, body = get(client, "/api/v1/standards/GB%204943.1-2022")
    assert status == 200 and body["classifications"] and body["relations"]
    # successors within the work come with the relations, and their ends are the editions
    # already read: 2000 -> 2008 -> 2016, one query fewer
    with django_assert_num_queries(6):
        _, body = get(client, "/api/v1/standards/GB%2FT%2019001-2000")
    assert [s["identifier"] for s in body["replacement_chain"]] == [
        "GB/T 19001-2000",
        "GB/T 19001-2008",
        "GB/T 19001-2016",
    ]
    # GB 8898-2011 is replaced by GB 4943.1-2022 of another work: one query to go on from it
    with django_assert_num_queries(8):
        _, body = get(client, "/api/v1/standards/GB%208898-2011")
    assert len(body["replacement_chain"]) == 2
