"""Every drill-down list downloads as Excel: all its records (not only the page shown), with
display names, clickable links, dates and #,##0 amounts, the heading frozen and filtered."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from stdplus.stats.indicators import INDICATORS

pytestmark = pytest.mark.django_db
SCOPE = {"region": "4403", "year": "2018"}


def workbook(client, key: str, **params):
    answer = client.get(reverse("stats:records-export", args=[key]), {**SCOPE, **params})
    assert answer.status_code == 200, answer.content[:500]
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f'filename="stdplus-{key}-440300-2018.xlsx"' in answer["Content-Disposition"]
    return load_workbook(io.BytesIO(answer.content)).active


def test_every_list_exports_every_record(world, client):
    for key in INDICATORS:
        sheet = workbook(client, key)
        listed = client.get(
            reverse("stats:records", args=[key]), {**SCOPE, "format": "json"}, follow=True
        )
        count = listed.json()["count"]
        assert sheet.max_row - 3 == count or (count == 0 and sheet.max_row == 3), key
        headings = [cell.value for cell in sheet[3]]
        assert headings[-1] == "Demo record" and all(headings), key
        assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref.startswith("A3:"), key
        page = client.get(reverse("stats:records", args=[key]), SCOPE).content.decode()
        assert reverse("stats:records-export", args=[key]) in page, key


def test_display_names_links_and_dates(world, client):
    sheet = workbook(client, "participation")
    headings = [cell.value for cell in sheet[3]]
    assert headings[:5] == ["Standard", "Title", "Level", "Issuing body", "Published"]
    rows = list(sheet.iter_rows(min_row=4))
    by_standard = {row[0].value: row for row in rows}
    first = by_standard["ISO 91001:2018"]
    target = first[0].hyperlink.target
    assert target.startswith("http://127.0.0.1:8000/") and "91001" in target
    assert first[2].value == "International"  # the level's name, not its code
    assert first[4].number_format == "yyyy-mm-dd" and first[4].value.year == 2018


def test_the_export_follows_the_lists_filters_and_language(world, client, settings):
    whole = workbook(client, "participation")
    international = workbook(client, "participation", level="international")
    assert 0 < international.max_row < whole.max_row
    assert {row[2].value for row in international.iter_rows(min_row=4)} == {"International"}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = workbook(client, "participation", level="international")
    assert chinese.cell(row=3, column=1).value == "标准"
    assert {row[2].value for row in chinese.iter_rows(min_row=4)} == {"国际标准"}


def test_unknown_figure_is_404(client):
    assert client.get(reverse("stats:records-export", args=["nothing"])).status_code == 404
