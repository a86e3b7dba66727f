"""Mandatory standards per category: the regulator's list, its import, and the checks."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from stdplus.catalog.models import Standard
from stdplus.core.errors import ApplicationError
from stdplus.declarations.mandatory import mandatory_import
from stdplus.declarations.models import MandatoryStandard
from stdplus.declarations.selectors import declaration_findings
from stdplus.declarations.services import indicator_add, product_add, standard_cite

from .conftest import CURRENT_MANDATORY, CURRENT_RECOMMENDED


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def regulator(db):
    user = User.objects.create_user("regulator-m", password="x-very-secret-1")
    user.groups.add(Group.objects.get(name="regulator"))
    return User.objects.get(pk=user.pk)


def test_mandatory_standard_missing_is_an_error(draft, member, regulator):
    product = product_add(
        declaration=draft,
        user=member,
        values={"name": "电饭锅", "category": "3854"},
    )
    standard_cite(product=product, user=member, text=CURRENT_RECOMMENDED)
    assert not [f for f in declaration_findings(draft) if f.code == "mandatory_missing"]
    mandatory_import(
        content=xlsx([["category", "standard"], ["3854", "GB 4806.7-2016"]]),
        filename="mandatory.xlsx",
        user=regulator,
    )
    missing = [f for f in declaration_findings(draft) if f.code == "mandatory_missing"]
    # The kettle cites it; the rice cooker does not.
    assert [(f.product, f.standard, f.is_error) for f in missing] == [
        ("电饭锅", "GB 4806.7-2016", True)
    ]
    assert "mandatory national standard" in missing[0].texts()["en"]
    assert "强制性国家标准" in missing[0].texts()["zh-hans"]


def test_an_indicator_below_a_standard_mandatory_for_the_category_is_an_error(
    draft, member, regulator
):
    product = draft.products.get()
    Standard.objects.filter(canonical="GB/T 97100-2018").update(mandate="mandatory")
    indicator_add(
        product=product,
        user=member,
        values={
            "name": "热效率",
            "direction": "higher",
            "value": "80",
            "own_method": "按企业方法",
            "reference_standard": CURRENT_RECOMMENDED,
            "reference_value": "85",
            "statement": "低于推荐性标准",
        },
    )
    standard_cite(product=product, user=member, text=CURRENT_RECOMMENDED)
    Standard.objects.filter(canonical="GB/T 97100-2018").update(mandate="recommended")
    codes = [f.code for f in declaration_findings(draft)]
    assert "below_mandatory" not in codes  # stated, against a recommended standard: allowed
    Standard.objects.filter(canonical="GB/T 97100-2018").update(mandate="mandatory")
    mandatory_import(
        content=xlsx([["类别", "强制性标准"], ["3854", "GB/T 97100-2018"]]),
        filename="m.xlsx",
        user=regulator,
    )
    Standard.objects.filter(canonical="GB/T 97100-2018").update(mandate="recommended")
    codes = [f.code for f in declaration_findings(draft)]
    assert "below_mandatory" in codes


def test_import_replaces_a_category_and_is_idempotent(catalog, regulator):
    content = xlsx([["category", "standard", "note"], ["3854", "gb4806.7-2016", "食品接触"]])
    first = mandatory_import(content=content, filename="m.xlsx", user=regulator)
    assert (first.created, first.unchanged) == (1, 0)
    again = mandatory_import(content=content, filename="m.xlsx", user=regulator)
    assert (again.created, again.updated, again.removed, again.unchanged) == (0, 0, 0, 1)
    row = MandatoryStandard.objects.get()
    assert (row.category, row.standard.canonical, row.note) == (
        "3854",
        CURRENT_MANDATORY,
        "食品接触",
    )


def test_bad_rows_name_the_place_and_write_nothing(catalog, regulator):
    content = xlsx(
        [
            ["category", "standard"],
            ["3854", "GB 4806.7-2016"],
            ["9999", "GB 4806.7-2016"],
            ["3854", "GB 99999-2020"],
            ["3854", "GB/T 97100-2018"],
            ["", "GB 4806.7-2016"],
        ]
    )
    with pytest.raises(ApplicationError) as refusal:
        mandatory_import(content=content, filename="bad.xlsx", user=regulator)
    places = [(e.where.row, e.where.field, e.code) for e in refusal.value.errors]
    assert places == [
        (3, "category", "unknown_category"),
        (4, "standard", "unknown_standard"),
        (5, "standard", "not_mandatory"),
        (6, "category", "required"),
    ]
    assert "bad.xlsx" in refusal.value.message and "row 4" in refusal.value.message
    assert not MandatoryStandard.objects.exists()
    with pytest.raises(ApplicationError) as broken:
        mandatory_import(content=b"not a workbook", filename="x.xlsx", user=regulator)
    assert broken.value.errors[0].where.file == "x.xlsx"


def test_only_the_regulator_maintains_the_list(client, catalog, member, regulator):
    content = xlsx([["category", "standard"], ["3854", "GB 4806.7-2016"]])
    with pytest.raises(ApplicationError) as refusal:
        mandatory_import(content=content, filename="m.xlsx", user=member)
    assert refusal.value.status == 403
    client.force_login(member)
    response = client.post(
        "/declarations/mandatory/", {"file": SimpleUploadedFile("m.xlsx", content)}
    )
    assert response.status_code == 403 and not MandatoryStandard.objects.exists()
    page = client.get("/declarations/mandatory/")
    assert page.status_code == 200 and b'type="file"' not in page.content
    client.force_login(regulator)
    response = client.post(
        "/declarations/mandatory/", {"file": SimpleUploadedFile("m.xlsx", content)}
    )
    assert response.status_code == 302 and MandatoryStandard.objects.count() == 1
    bad = client.post(
        "/declarations/mandatory/",
        {"file": SimpleUploadedFile("m.csv", b"category,standard\n3854,GB 1-1900\n")},
    )
    assert bad.status_code == 400 and b"m.csv" in bad.content
    listing = client.get("/api/v1/declarations/mandatory?category=3854").json()
    assert listing["count"] == 1 and listing["items"][0]["standard"] == CURRENT_MANDATORY
    assert 'rel="alternate"' in client.get("/declarations/mandatory/")["Link"]
