"""Spreadsheet round trip: template out, filled file in, errors per row and field, all or nothing."""

import io

import pytest
from openpyxl import load_workbook

from stdplus.accounts.models import Organization
from stdplus.programme.models import AuditEvent, Expert, Participation, Pilot, Position
from stdplus.programme.services.sheets import SHEETS, SheetErrors, sheet_template, sheet_upload

from .factories import OrganizationFactory, standards

pytestmark = pytest.mark.django_db


def places(caught) -> list[tuple]:
    """(row, field) of each error, read from its structured place (never from its text)."""
    return [(e.where.row, e.where.field) for e in caught.value.errors]


def filled(kind: str, rows: list[list]) -> bytes:
    book = load_workbook(io.BytesIO(sheet_template(kind)))
    sheet = book[kind]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", list(SHEETS))
def test_every_template_opens_with_its_columns(kind):
    book = load_workbook(io.BytesIO(sheet_template(kind)))
    header = [cell.value for cell in book[kind][1]]
    assert header == [column.name for column in SHEETS[kind].columns]
    assert "README" in book.sheetnames


def test_organizations_round_trip():
    content = filled(
        "organizations",
        [
            [
                "深圳示范科技有限公司",
                "Shenzhen Example Tech Co., Ltd.",
                "enterprise",
                "91440300MA5FXXXX0X",
                "440305",
                "旧名称;Old name",
            ],
        ],
    )
    with pytest.raises(SheetErrors) as caught:
        sheet_upload(kind="organizations", content=content, filename="orgs.xlsx")
    assert places(caught) == [(3, "credit_code")]
    assert str(caught.value.errors[0]).startswith(
        "orgs.xlsx, sheet organizations, row 3, field 'credit_code': "
    )
    assert not Organization.objects.exists()

    good = filled(
        "organizations", [["深圳示范科技有限公司", "", "Enterprise", "", "440305", "旧名称"]]
    )
    result = sheet_upload(kind="organizations", content=good, filename="orgs.xlsx")
    assert result.created == 1
    organization = Organization.objects.get()
    assert organization.programme_profile.aliases == ["旧名称"]
    assert AuditEvent.objects.filter(model="accounts.organization", action="create").count() == 1


def test_errors_name_row_and_field_and_nothing_is_written():
    org = OrganizationFactory(name_zh="深圳上传测试有限公司")
    standards(("GB/T 93001-2020", "2020-01-01"), ("GB/T 93002-2020", "2020-01-01"))
    content = filled(
        "participations",
        [
            ["深圳上传测试有限公司", "GB/T 93001-2020", "lead", ""],
            ["没有这个机构", "GB/T 93002-2020", "lead", ""],
            ["深圳上传测试有限公司", "GB/T 99999-2020", "leader", ""],
            ["深圳上传测试有限公司", "not a number", "", ""],
        ],
    )
    with pytest.raises(SheetErrors) as caught:
        sheet_upload(kind="participations", content=content, filename="p.xlsx")
    found = set(places(caught))
    assert found == {
        (4, "organization"),
        (5, "standard"),
        (5, "role"),
        (6, "standard"),
        (6, "role"),
    }
    assert Participation.objects.count() == 0

    # A clean file whose second row clashes in the database: still nothing is written.
    clash = filled(
        "participations",
        [
            ["深圳上传测试有限公司", "GB/T 93001-2020", "lead", ""],
            [str(org.pk), "GB/T 93001-2020", "drafter", ""],
        ],
    )
    with pytest.raises(SheetErrors) as caught:
        sheet_upload(kind="participations", content=clash, filename="p.xlsx")
    assert places(caught) == [(4, "")]  # the clash belongs to the row, not one field
    assert "already" in caught.value.errors[0].message
    assert Participation.objects.count() == 0

    ok = filled("participations", [["深圳上传测试有限公司", "GB/T 93001-2020", "lead", ""]])
    assert sheet_upload(kind="participations", content=ok, filename="p.xlsx").created == 1


def test_experts_positions_and_pilots():
    OrganizationFactory(name_zh="深圳专家单位")
    sheet_upload(
        kind="experts",
        content=filled(
            "experts", [["赵专家", "Zhao Expert", "深圳专家单位", "AI", "z@example.org", ""]]
        ),
        filename="e.xlsx",
    )
    bad = filled(
        "positions", [["赵专家", "ISO/TC 1", "iso", "tc", "chair", "2020-01-01", "2019-01-01"]]
    )
    with pytest.raises(SheetErrors) as caught:
        sheet_upload(kind="positions", content=bad, filename="pos.xlsx")
    assert places(caught) == [(3, "term_end")]
    good = filled("positions", [["赵专家", "ISO/TC 1", "ISO", "tc", "chair", "2020-01-01", None]])
    sheet_upload(kind="positions", content=good, filename="pos.xlsx")
    assert Position.objects.get().expert == Expert.objects.get()
    pilots = filled(
        "pilots", [["P-1", "试点", "", "national", "food", "深圳专家单位", "2021-01-01", None]]
    )
    sheet_upload(kind="pilots", content=pilots, filename="pilots.xlsx")
    assert Pilot.objects.get().events.count() == 1


def test_missing_columns_and_unreadable_files():
    with pytest.raises(SheetErrors) as caught:
        sheet_upload(kind="bodies", content=b"not a workbook", filename="x.xlsx")
    error = caught.value.errors[0]
    assert (error.where.file, error.code) == ("x.xlsx", "bad_xlsx")
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["code", "surprise"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(SheetErrors) as caught:
        sheet_upload(kind="bodies", content=out.getvalue(), filename="b.xlsx")
    assert {e.where.field for e in caught.value.errors} == {"kind", "host", "since", "surprise"}
    assert {e.where.row for e in caught.value.errors} == {1}


@pytest.mark.parametrize("kind", list(SHEETS))
def test_column_descriptions_are_the_models_translated_field_names(kind):
    """Row 2 is built from each field's verbose_name in English and Chinese, not typed twice."""
    from django.utils import translation

    sheet = SHEETS[kind]
    notes = [cell.value for cell in load_workbook(io.BytesIO(sheet_template(kind)))[kind][2]]
    assert len(notes) == len(sheet.columns)
    for column, note in zip(sheet.columns, notes, strict=True):
        for language in ("en", "zh-hans"):
            with translation.override(language):
                label = str(column.model_field(sheet).verbose_name)
            assert label.lower() in note.lower(), (column.name, language, note)
        assert note.endswith(" *") == column.required


def test_errors_name_file_sheet_row_and_field():
    content = filled("positions", [["没有这个专家", "ISO/TC 1", "iso", "tc", "chair", "soon", ""]])
    with pytest.raises(SheetErrors) as caught:
        sheet_upload(kind="positions", content=content, filename="pos.xlsx")
    wheres = [e.where for e in caught.value.errors]
    assert {(w.file, w.sheet) for w in wheres} == {("pos.xlsx", "positions")}
    assert {(w.row, w.field) for w in wheres} == {(3, "expert"), (3, "term_start")}
    assert all(e.code == "invalid_cell" for e in caught.value.errors)


def test_a_workbook_reaching_the_last_column_is_refused_before_it_is_read():
    book = load_workbook(io.BytesIO(sheet_template("experts")))
    book["experts"].append(["赵专家"])
    book["experts"].cell(row=3, column=16384, value="x")
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(SheetErrors) as caught:
        sheet_upload(kind="experts", content=out.getvalue(), filename="wide.xlsx")
    [error] = caught.value.errors
    assert (error.where.file, error.where.sheet, error.code) == (
        "wide.xlsx",
        "experts",
        "too_many_columns",
    )
    assert "at most 64 columns" in error.message
    assert not Expert.objects.exists()


def test_a_csv_file_is_read_the_same_way():
    OrganizationFactory(name_zh="深圳专家单位")
    text = "name_zh,name_en,organization\n王专家,,深圳专家单位\n"
    for encoding in ("utf-8-sig", "gb18030"):
        Expert.objects.all().delete()
        result = sheet_upload(kind="experts", content=text.encode(encoding), filename="e.csv")
        assert result.created == 1 and Expert.objects.get().name_zh == "王专家"
    with pytest.raises(SheetErrors) as caught:
        sheet_upload(kind="experts", content=text.encode("utf-16-le"), filename="e.csv")
    assert caught.value.errors[0].code == "bad_encoding"


def test_templates_hold_no_formulas():
    import zipfile

    for kind in SHEETS:
        with zipfile.ZipFile(io.BytesIO(sheet_template(kind))) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/"):
                    assert "<f>" not in archive.read(name).decode()
