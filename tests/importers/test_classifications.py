"""The ICS and CCS tables, and the Chinese titles of the ICS fields added over them."""

import pytest

from stdplus.catalog.models import Classification
from stdplus.core.errors import ApplicationError
from stdplus.importers.services import catalog_files, file_import

from ..conftest import BUNDLED_DATA

pytestmark = pytest.mark.django_db

ICS = BUNDLED_DATA / "ics_codes.jsonl.gz"
ICS_ZH = BUNDLED_DATA / "ics_codes_zh.jsonl"


def _snapshot() -> dict:
    return {
        c.code: (c.title_en, c.notes, c.edition, c.depth, c.parent_id)
        for c in Classification.objects.filter(scheme="ics")
    }


def test_chinese_field_titles_fill_in_and_change_nothing_else():
    file_import(ICS)
    before = _snapshot()
    assert not Classification.objects.exclude(title_zh="").exists()
    counts = file_import(ICS_ZH)
    assert counts == {"created": 0, "updated": 40, "unchanged": 0}
    assert _snapshot() == before
    fields = Classification.objects.filter(scheme="ics", depth=1).exclude(code="99")
    assert {c.code: c.title_zh for c in fields if not c.title_zh} == {}
    assert Classification.objects.get(scheme="ics", code="35").title_zh == "信息技术"
    assert not Classification.objects.filter(depth__gt=1).exclude(title_zh="").exists()
    assert file_import(ICS_ZH) == {"created": 0, "updated": 0, "unchanged": 40}
    # the full table again keeps the Chinese titles
    file_import(ICS)
    assert Classification.objects.exclude(title_zh="").count() == 40


def test_the_chinese_titles_load_after_the_table():
    files, _ = catalog_files(BUNDLED_DATA)
    names = [p.name for p in files]
    assert names.index("ics_codes.jsonl.gz") < names.index("ics_codes_zh.jsonl")


def test_a_title_for_a_class_not_loaded_is_refused(tmp_path):
    file_import(ICS)
    before = _snapshot()
    bad = tmp_path / "ics_codes_zh.jsonl"
    bad.write_text(
        '{"code": "35", "title_zh": "信息技术"}\n{"code": "36", "title_zh": "不存在"}\n',
        encoding="utf-8",
    )
    with pytest.raises(ApplicationError) as error:
        file_import(bad)
    assert "row 2, field 'title_en'" in str(error.value) and "36" in str(error.value)
    assert _snapshot() == before and not Classification.objects.exclude(title_zh="").exists()


def test_chinese_pages_show_the_chinese_field_names(client):
    file_import(ICS)
    file_import(ICS_ZH)
    page = client.get("/classes/ics/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "信息技术" in page and "医药卫生技术" in page
    english = client.get("/classes/ics/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Information technology" in english
