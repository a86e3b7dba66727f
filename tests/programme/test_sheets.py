"""Spreadsheet round trip: template out, filled file in, errors per row and field, all or nothing."""

import io

import pytest
from openpyxl import load_workbook

from stdplus.accounts.models import Organization
from stdplus.programme.models import AuditEvent, Expert, Participation, Pilot, Position
from stdplus.programme.services.sheets import SHEETS, SheetErrors, sheet_template, sheet_upload

from .factories import OrganizationFactory, standards

pytestmark = pytest.mark.django_db


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
    assert [(e.row, e.field) for e in caught.value.errors] == [(3, "credit_code")]
    assert "orgs.xlsx, row 3, field 'credit_code'" in str(caught.value.errors[0])
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
    found = {(e.row, e.field) for e in caught.value.errors}
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
    assert [(e.row, e.field) for e in caught.value.errors] == [(4, "record")]
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
    assert [(e.row, e.field) for e in caught.value.errors] == [(3, "term_end")]
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
    assert caught.value.errors[0].field == "file"
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["code", "surprise"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(SheetErrors) as caught:
        sheet_upload(kind="bodies", content=out.getvalue(), filename="b.xlsx")
    assert {e.field for e in caught.value.errors} == {"kind", "host", "since", "surprise"}
