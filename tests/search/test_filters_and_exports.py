"""The search page and the API read their parameters through one schema; results export as
CSV and XLSX with the same filters."""

import csv
import io

import pytest
from openpyxl import load_workbook

from stdplus.search import exports
from stdplus.search.filters import filters_read

from .conftest import load_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(db, today, write_jsonl):
    load_catalog(write_jsonl)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("level=galactic", "level[0]"),
        ("ics=3.1", "ics[0]"),
        ("published_from=2020-99-99", "published_from"),
        ("page=x", "page"),
        ("page=0", "page"),
        ("sort=price", "sort"),
        ("page_size=1000", "page_size"),
    ],
)
def test_a_bad_parameter_names_the_same_field_on_the_page_and_in_the_api(
    client, catalog, query, field
):
    api = client.get(f"/api/v1/standards?{query}")
    assert api.status_code == 422 and api.json()["where"]["field"] == field
    page = client.get(f"/search/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400
    assert api.json()["message"] in page.content.decode().replace("&#x27;", "'")
    export = client.get(f"/api/v1/standards/export?{query}&format=csv")
    assert export.status_code in (200, 422)  # page and page_size do not apply to an export
    if field not in ("page", "page_size"):
        assert export.status_code == 422 and export.json()["where"]["field"] == field
        assert client.get(f"/search/export.csv?{query}").status_code == 400


def test_the_page_and_the_api_find_the_same_standards(client, catalog):
    query = "q=质量管理&level=national&sort=identifier"
    api = [item["identifier"] for item in client.get(f"/api/v1/standards?{query}").json()["items"]]
    html = client.get(f"/search/?{query}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert api and all(f'href="/standards/{i.replace(" ", "%20")}/"' in html for i in api)
    assert 'data-export="csv"' in html and "/search/export.csv?q=" in html


def test_empty_form_fields_are_no_filter(rf):
    params = filters_read(rf.get("/search/?q=&published_from=&level=&sort=").GET)
    assert params.published_from is None and params.level == [] and params.sort == "relevance"


def _csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_has_the_filters_the_page_has_and_translated_names(client, catalog):
    query = "q=质量管理&level=industry"
    api_ids = [i["identifier"] for i in client.get(f"/api/v1/standards?{query}").json()["items"]]
    response = client.get(f"/search/export.csv?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["X-Export-Truncated"] == "false"
    rows = _csv_rows(response)
    assert rows[0][:3] == ["Identifier", "Chinese title", "English title"]
    assert [row[0] for row in rows[1:]] == api_ids
    assert all(row[3] == "Industry (China)" for row in rows[1:])
    assert rows[1][-1].startswith("http://testserver/standards/")
    zh = _csv_rows(client.get(f"/api/v1/standards/export?{query}", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert zh[0][0] == "标准号" and zh[1][3] == "行业标准"
    assert [row[0] for row in zh[1:]] == api_ids


def test_xlsx_export_and_the_cap(client, catalog, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_MAX", 3)
    response = client.get("/api/v1/standards/export?format=xlsx&level=national")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["X-Export-Truncated"] == "true" and response["X-Export-Rows"] == "3"
    count = client.get("/api/v1/standards?level=national").json()["count"]
    assert int(response["X-Result-Count"]) == count > 3
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0].startswith(f"The first 3 of {count:,} standards")
    assert rows[1][0] == "Identifier" and len(rows) == 2 + 3
