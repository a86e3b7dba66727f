"""Public disclosure extras: search by category, district and date; CSV/XLSX exports with the
same filters; the Atom feed; versions side by side; JSON twins."""

import io

import openpyxl
import pytest
from django.urls import reverse

from stdplus.core.lifecycle import transition_apply
from stdplus.declarations.services import (
    declaration_create,
    declaration_revise,
    indicator_add,
    product_add,
    standard_cite,
)

from .conftest import CURRENT_MANDATORY, CURRENT_RECOMMENDED, METHOD, make_enterprise, make_member


def _declare(today, name, region, category, on, product="保温杯"):
    today(on)
    enterprise = make_enterprise(name)
    enterprise.region_code = region
    enterprise.save()
    user = make_member(enterprise)
    declaration = declaration_create(enterprise=enterprise, user=user)
    item = product_add(
        declaration=declaration, user=user, values={"name": product, "category": category}
    )
    standard_cite(product=item, user=user, text=CURRENT_MANDATORY)
    transition_apply(declaration, "declare", actor=user, data={"commitment": "yes"})
    return declaration, user


@pytest.fixture
def three(catalog, today):
    found = [
        _declare(today, "南山杯业", "440305", "2927", "2024-03-01")[0],
        _declare(today, "福田厨电", "440304", "3854", "2024-05-01", "电热水壶")[0],
        _declare(today, "天河杯业", "440106", "2927", "2024-05-20")[0],
    ]
    today("2024-06-01")
    return found


def _ids(client, **query):
    answer = client.get("/api/v1/declarations", query)
    assert answer.status_code == 200, answer.content
    return [item["id"] for item in answer.json()["items"]]


def test_search_by_category_district_and_date(client, three):
    nanshan, futian, tianhe = three
    assert _ids(client, category="2927") == [tianhe.pk, nanshan.pk]
    assert _ids(client, district="4403") == [futian.pk, nanshan.pk]  # Shenzhen and below
    assert _ids(client, district="440305") == [nanshan.pk]
    assert _ids(client, declared_from="2024-04-01", declared_to="2024-05-10") == [futian.pk]
    assert _ids(client, district="4403", category="2927") == [nanshan.pk]
    bad = client.get("/api/v1/declarations", {"declared_from": "yesterday"})
    assert bad.status_code in (400, 422) and "declared_from" in bad.json()["message"]
    page = client.get(reverse("declarations:search"), {"district": "4403", "category": "2927"})
    body = page.content.decode()
    assert nanshan.get_absolute_url() in body and tianhe.get_absolute_url() not in body
    assert 'rel="alternate"' in page["Link"] and "district=4403" in page["Link"]


def test_a_broad_search_says_more_than_its_capped_count(client, three, monkeypatch):
    """Counting stops at COUNT_CAP: the API says the count is not exact, the page says
    "more than", in the page's language."""
    monkeypatch.setattr("stdplus.core.schemas.COUNT_CAP", 2)
    broad = client.get("/api/v1/declarations").json()
    assert (broad["count"], broad["count_exact"], len(broad["items"])) == (2, False, 3)
    narrow = client.get("/api/v1/declarations", {"district": "4403"}).json()
    assert (narrow["count"], narrow["count_exact"]) == (2, True)
    page = client.get(reverse("declarations:search")).content.decode()
    assert "More than 2 declarations" in page and three[2].get_absolute_url() in page
    page = client.get(reverse("declarations:search"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "超过 2 项声明" in page.content.decode()
    exact = client.get(reverse("declarations:search"), {"district": "4403"}).content.decode()
    assert "2 declarations" in exact and "More than" not in exact


def test_exports_carry_the_filters(client, three):
    nanshan, futian, tianhe = three
    csv = client.get(reverse("declarations:export", args=["csv"]), {"district": "4403"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert str(nanshan.enterprise) in text and str(tianhe.enterprise) not in text
    assert csv["X-Result-Count"] == "2"
    xlsx = client.get(
        reverse("declarations:export", args=["xlsx"]),
        {"category": "3854"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "企业" and rows[1][6] == "电热水壶" and len(rows) == 2
    assert client.get(reverse("declarations:export", args=["pdf"])).status_code == 404
    bad = client.get(reverse("declarations:export", args=["csv"]), {"standard": "GB 99999-2020"})
    assert bad.status_code == 400 and "GB 99999-2020" in bad.content.decode()


def test_the_feed_lists_new_declarations(client, three, settings):
    settings.STDPLUS_SITE_URL = "https://stdplus.example"
    feed = client.get(reverse("declarations:feed"))
    assert feed.status_code == 200 and "atom" in feed["Content-Type"]
    body = feed.content.decode()
    nanshan, futian, tianhe = three
    newest, oldest = tianhe.get_absolute_url(), nanshan.get_absolute_url()
    assert body.index(newest) < body.index(oldest)  # newest first
    assert "https://stdplus.example/declarations/" in body
    narrowed = client.get(reverse("declarations:feed"), {"category": "3854"}).content.decode()
    assert futian.get_absolute_url() in narrowed and oldest not in narrowed


def test_versions_side_by_side(client, catalog, today):
    first, user = _declare(today, "比对电器", "440305", "3854", "2024-03-01", "电热水壶")
    second = declaration_revise(declaration=first, user=user)
    new_product = second.products.get()
    standard_cite(product=new_product, user=user, text=CURRENT_RECOMMENDED)
    indicator_add(
        product=new_product,
        user=user,
        values={
            "name": "热效率",
            "direction": "higher",
            "value": "88",
            "unit": "%",
            "method_standard": METHOD,
        },
    )
    cooker = product_add(
        declaration=second, user=user, values={"name": "电饭锅", "category": "3854"}
    )
    standard_cite(product=cooker, user=user, text=CURRENT_MANDATORY)
    url = reverse("declarations:compare", args=[first.pk, second.pk])
    client.force_login(user)  # the new version is a draft: its enterprise sees it
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    body = page.content.decode()
    assert "GB/T 97100-2018" in body and "88 %" in body and 'data-status="added"' in body
    answer = client.get(page["Link"][1 : page["Link"].index(">")]).json()
    kettle = next(p for p in answer["products"] if p["name"] == "电热水壶")
    assert kettle["status"] == "changed" and kettle["standards_added"] == ["GB/T 97100-2018"]
    assert kettle["indicators"][0]["new"].startswith("88 %")
    client.logout()
    # The public does not see the draft: no comparison with it.
    assert client.get(url).status_code == 404
    transition_apply(second, "declare", actor=user, data={"commitment": "yes"})
    assert client.get(url).status_code == 200
    other, _user = _declare(today, "别家", "440305", "3854", "2024-03-01")
    assert client.get(reverse("declarations:compare", args=[first.pk, other.pk])).status_code == 404


def test_pages_link_their_json_twins(client, three):
    nanshan = three[0]
    for url in (
        nanshan.get_absolute_url(),
        reverse("declarations:enterprise", args=[nanshan.enterprise.credit_code]),
        reverse("declarations:search"),
        reverse("declarations:mandatory"),
    ):
        page = client.get(url)
        link = page["Link"]
        twin = link[1 : link.index(">")]
        assert twin.startswith("/api/v1/declarations"), url
        assert client.get(twin).status_code == 200, twin
