"""Writing a draft: what is accepted, and bad input refused with a clear message, writing
nothing."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stdplus.accounts.models import Organization
from stdplus.core.errors import ApplicationError
from stdplus.declarations.files import MAX_TEXT_BYTES
from stdplus.declarations.models import (
    CitedStandard,
    Declaration,
    DeclarationEvent,
    EnterpriseStandard,
    Indicator,
    Product,
)
from stdplus.declarations.services import (
    declaration_create,
    enterprise_standard_add,
    indicator_add,
    product_add,
    standard_cite,
)

from .conftest import CURRENT_MANDATORY, make_enterprise, make_member

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx(*, macros=False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\0")
    return buffer.getvalue()


def _counts():
    return tuple(
        model.objects.count()
        for model in (
            Declaration,
            DeclarationEvent,
            Product,
            CitedStandard,
            EnterpriseStandard,
            Indicator,
        )
    )


def _refused(code, field, call, **kwargs):
    before = _counts()
    with pytest.raises(ApplicationError) as refusal:
        call(**kwargs)
    assert refusal.value.code == code, refusal.value.describe()
    assert refusal.value.where.field == field
    assert refusal.value.message
    assert _counts() == before
    return refusal.value


def test_a_draft_starts_its_history(enterprise, member):
    declaration = declaration_create(enterprise=enterprise, user=member)
    assert declaration.state == "draft" and declaration.version == 1
    (event,) = declaration.events.all()
    assert (event.action, event.to_state, event.actor_id) == ("create", "draft", member.pk)


def test_an_organization_without_a_valid_credit_code_cannot_declare(db):
    organization = Organization.objects.create(name_zh="无代码公司", kind="enterprise")
    user = make_member(organization)
    error = _refused(
        "no_credit_code", "credit_code", declaration_create, enterprise=organization, user=user
    )
    assert "无代码公司" in error.message


def test_a_standard_is_cited_by_any_spelling_never_free_text(draft, member, catalog):
    product = draft.products.get()
    assert product.cited.get().standard == catalog[CURRENT_MANDATORY]
    assert product.cited.get().typed == "gb4806.7-2016"
    error = _refused(
        "unknown_standard",
        "standard",
        standard_cite,
        product=product,
        user=member,
        text="GB 4806.8-2016",
    )
    assert "GB 4806.8-2016 is not in the catalog" in error.message
    _refused(
        "not_an_identifier",
        "standard",
        standard_cite,
        product=product,
        user=member,
        text="a kettle",
    )
    _refused(
        "cited_already",
        "standard",
        standard_cite,
        product=product,
        user=member,
        text=CURRENT_MANDATORY,
    )


def test_bad_products_are_refused(draft, member):
    values = {"name": "水壶", "category": "3854"}
    _refused(
        "required",
        "name",
        product_add,
        declaration=draft,
        user=member,
        values={**values, "name": " "},
    )
    _refused(
        "unknown_category",
        "category",
        product_add,
        declaration=draft,
        user=member,
        values={**values, "category": "9999"},
    )
    _refused(
        "invalid_barcode",
        "barcode",
        product_add,
        declaration=draft,
        user=member,
        values={**values, "barcode": "6901234567891"},
    )


def test_q_numbers_are_checked_for_form_and_duplicates(draft, member, enterprise):
    product = draft.products.get()
    add = enterprise_standard_add
    error = _refused(
        "bad_number",
        "number",
        add,
        product=product,
        user=member,
        number="QB/SZHT 1-2024",
        title="水壶",
    )
    assert "Q/" in error.message
    row = add(product=product, user=member, number="q/szht 1-2024", title="电热水壶")
    assert (row.number, row.code, row.sequence, row.year) == ("Q/SZHT 001-2024", "SZHT", 1, 2024)
    _refused(
        "duplicate_number",
        "number",
        add,
        product=product,
        user=member,
        number="Q/SZHT 001-2024",
        title="电热水壶",
    )
    # The same number for another standard of the enterprise, in another declaration.
    other = declaration_create(enterprise=enterprise, user=member)
    kettle = product_add(declaration=other, user=member, values={"name": "壶", "category": "3854"})
    error = _refused(
        "duplicate_number",
        "number",
        add,
        product=kettle,
        user=member,
        number="Q/SZHT 001-2024",
        title="电饭煲",
    )
    assert "电热水壶" in error.message
    # The same standard (same title) may be followed by several products.
    add(product=kettle, user=member, number="Q/SZHT 001-2024", title="电热水壶")
    # Another enterprise has its own numbers.
    stranger = make_enterprise("别家")
    stranger_member = make_member(stranger)
    theirs = declaration_create(enterprise=stranger, user=stranger_member)
    pot = product_add(
        declaration=theirs, user=stranger_member, values={"name": "锅", "category": "3854"}
    )
    add(product=pot, user=stranger_member, number="Q/SZHT 001-2024", title="锅")


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("big.pdf", PDF + b"0" * MAX_TEXT_BYTES, "file_too_large"),
        ("fake.pdf", b"MZ\x90\x00 this is a program", "file_type"),
        ("macros.docx", docx(macros=True), "file_type"),
        ("not-a-zip.docx", b"PK\x03\x04 broken", "file_type"),
        ("empty.pdf", b"", "file_empty"),
    ],
)
def test_oversized_or_wrong_type_texts_are_refused(draft, member, name, data, code):
    product = draft.products.get()
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    error = _refused(
        code,
        "text",
        enterprise_standard_add,
        product=product,
        user=member,
        number="Q/SZHT 2-2024",
        title="水壶",
        upload=upload,
    )
    assert name in error.message


@pytest.mark.parametrize(
    ("name", "data", "kind"), [("标准.pdf", PDF, "pdf"), ("std.bin", docx(), "docx")]
)
def test_texts_are_stored_by_their_content_type(draft, member, name, data, kind):
    product = draft.products.get()
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    row = enterprise_standard_add(
        product=product, user=member, number="Q/SZHT 2-2024", title="水壶", upload=upload
    )
    row.refresh_from_db()
    assert (row.text_type, row.text_size, bytes(row.text)) == (kind, len(data), data)


def test_bad_indicators_are_refused(draft, member):
    product = draft.products.get()
    base = {
        "name": "功率",
        "direction": "higher",
        "value": "1800",
        "unit": "W",
        "own_method": "实测",
    }
    add = indicator_add
    _refused(
        "invalid_direction",
        "direction",
        add,
        product=product,
        user=member,
        values={**base, "direction": "up"},
    )
    _refused(
        "invalid_number",
        "value",
        add,
        product=product,
        user=member,
        values={**base, "value": "lots"},
    )
    _refused(
        "invalid_number",
        "value",
        add,
        product=product,
        user=member,
        values={**base, "value": "NaN"},
    )
    _refused("required", "value", add, product=product, user=member, values={**base, "value": ""})
    _refused(
        "range",
        "minimum",
        add,
        product=product,
        user=member,
        values={**base, "direction": "range", "minimum": "5", "maximum": "1"},
    )
    _refused(
        "unknown_standard",
        "method_standard",
        add,
        product=product,
        user=member,
        values={**base, "method_standard": "GB/T 99999-2020"},
    )
    _refused(
        "unknown_standard",
        "reference_standard",
        add,
        product=product,
        user=member,
        values={**base, "reference_standard": "GB 99999-2020"},
    )
    row = add(
        product=product,
        user=member,
        values={**base, "reference_standard": CURRENT_MANDATORY, "reference_value": "1500"},
    )
    assert row.reference_standard.canonical == CURRENT_MANDATORY


def test_only_members_write_and_only_drafts(draft, member, catalog):
    from stdplus.core.lifecycle import transition_apply

    outsider = make_member(make_enterprise("别家"))
    product = draft.products.get()
    error = _refused(
        "not_a_member",
        "",
        product_add,
        declaration=draft,
        user=outsider,
        values={"name": "x", "category": "3854"},
    )
    assert error.status == 403
    transition_apply(draft, "declare", actor=member, data={"commitment": "yes"})
    error = _refused(
        "not_a_draft", "", standard_cite, product=product, user=member, text="GB/T 97100-2018"
    )
    assert error.status == 409
