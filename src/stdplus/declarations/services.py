"""Writes: a draft and what it declares, revisions. Each service checks, then writes, atomically;
a refusal is an `ApplicationError` naming the field, and writes nothing. States change only by
the lifecycle (`lifecycles.py`, `transition_apply`)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.credit_code import credit_code_error
from stdplus.accounts.models import Organization
from stdplus.accounts.selectors import is_member
from stdplus.catalog.models import Standard
from stdplus.catalog.selectors import standard_resolve
from stdplus.core.dates import today
from stdplus.core.errors import ApplicationError, Where
from stdplus.core.lifecycle import transition_start
from stdplus.core.values import text_value

from .choices import DeclarationState, Direction
from .files import StoredText, text_read
from .industries import GB_T_4754, is_category
from .models import CitedStandard, Declaration, EnterpriseStandard, Indicator, Product
from .numbering import QNumber, qnumber_parse

# ----------------------------------------------------------------------------------------------
# Checks shared by the services


# The imports of existing declarations write on the system's behalf (they check who may import
# what themselves, row by row: `imports.py`).
IMPORTER = object()


def _member(user, enterprise_id: int) -> None:
    if user is IMPORTER:
        return
    if not is_member(user=user, organization_id=enterprise_id):
        raise ApplicationError(
            _("Only the enterprise's members may do this."), code="not_a_member", status=403
        )


def _editable(declaration: Declaration, user) -> None:
    _member(user, declaration.enterprise_id)
    if not declaration.is_draft:
        raise ApplicationError(
            _(
                "Version %(version)s is public and cannot be changed: revise it to make a new "
                "version."
            ),
            params={"version": declaration.version},
            code="not_a_draft",
            status=409,
        )


def _decimal(values: dict[str, Any], name: str, label) -> Decimal | None:
    raw = values.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) >= Decimal(10) ** 14:
        raise ApplicationError(
            _("%(field)s must be a number, not “%(value)s”."),
            params={"field": capfirst(label), "value": raw},
            where=Where(field=name),
            code="invalid_number",
        )
    return value.quantize(Decimal("0.000001"))


def barcode_error(code: str) -> str | None:
    """None when `code` is a GTIN-8, -12, -13 or -14 with a right check digit."""
    if not code.isdigit() or len(code) not in (8, 12, 13, 14):
        return "digits"
    digits = [int(c) for c in code]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
    return None if (10 - total % 10) % 10 == digits[-1] else "check"


def catalog_standard(text: str, *, field: str) -> Standard:
    """The catalog standard a typed identifier names (any spelling), or a clear refusal."""
    text = (text or "").strip()
    if not text:
        raise ApplicationError(
            _("Name a standard by its identifier."), where=Where(field=field), code="required"
        )
    lookup = standard_resolve(text[:200])
    if lookup.edition is not None:
        return lookup.edition
    if lookup.match == "rejected":
        raise ApplicationError(
            _("“%(text)s” is not a standard identifier: %(reason)s"),
            params={"text": text, "reason": lookup.error},
            where=Where(field=field),
            code="not_an_identifier",
        )
    suggestions = ", ".join(s.canonical for s in lookup.suggestions[:3])
    raise ApplicationError(
        _("%(text)s is not in the catalog.%(hint)s"),
        params={
            "text": lookup.identifier.canonical if lookup.identifier else text,
            "hint": (" " + str(_("Did you mean %(list)s?")) % {"list": suggestions})
            if suggestions
            else "",
        },
        where=Where(field=field),
        code="unknown_standard",
    )


# ----------------------------------------------------------------------------------------------
# Declarations


@transaction.atomic
def declaration_create(*, enterprise: Organization, user, demo: bool = False) -> Declaration:
    _member(user, enterprise.pk)
    if not enterprise.credit_code or credit_code_error(enterprise.credit_code):
        raise ApplicationError(
            _(
                "%(name)s has no valid unified social credit code; an enterprise declares under "
                "its code."
            ),
            params={"name": str(enterprise)},
            where=Where(field="credit_code"),
            code="no_credit_code",
        )
    declaration = Declaration.objects.create(enterprise=enterprise, created_by=user, demo=demo)
    transition_start(declaration, actor=user)
    return declaration


@transaction.atomic
def declaration_revise(*, declaration: Declaration, user) -> Declaration:
    """A new draft version of a public declaration, with everything it declared copied."""
    _member(user, declaration.enterprise_id)
    if declaration.state not in (DeclarationState.DECLARED, DeclarationState.SUSPENDED):
        raise ApplicationError(
            _("Only a declared or suspended version can be revised."),
            code="not_revisable",
            status=409,
        )
    series = Declaration.objects.select_for_update().filter(series=declaration.series)
    if series.filter(state=DeclarationState.DRAFT).exists():
        raise ApplicationError(
            _("A draft of a new version exists already: continue it."),
            code="draft_exists",
            status=409,
        )
    version = (series.aggregate(top=Max("version"))["top"] or 0) + 1
    new = Declaration.objects.create(
        enterprise_id=declaration.enterprise_id,
        series=declaration.series,
        version=version,
        created_by=user,
        demo=declaration.demo,
    )
    for product in declaration.products.all():
        cited = list(product.cited.all())
        qstandards = list(product.enterprise_standards.all())
        indicators = list(product.indicators.all())
        product.pk = None
        product.declaration = new
        product.save()
        for row in (*cited, *qstandards, *indicators):
            row.pk = None
            row.product = product
            row.save()
    transition_start(new, actor=user, data={"revises_version": declaration.version})
    return new


# ----------------------------------------------------------------------------------------------
# What a draft declares


PRODUCT_FIELDS = {
    "name": (_("product name"), 200, True),
    "common_name": (_("common name"), 200, False),
    "brand": (_("brand"), 100, False),
    "model": (_("model"), 200, False),
    "specification": (_("specification"), 300, False),
    "barcode": (_("barcode"), 14, False),
    "category": (_("category (GB/T 4754 class)"), 4, True),
}


@transaction.atomic
def product_add(*, declaration: Declaration, user, values: dict[str, Any]) -> Product:
    _editable(declaration, user)
    clean = {
        name: text_value(values, name, label, max_length=length, required=required)
        for name, (label, length, required) in PRODUCT_FIELDS.items()
    }
    if not is_category(clean["category"]):
        raise ApplicationError(
            _("“%(code)s” is not a class of %(scheme)s that stdplus knows."),
            params={"code": clean["category"], "scheme": GB_T_4754},
            where=Where(field="category"),
            code="unknown_category",
        )
    if clean["barcode"] and barcode_error(clean["barcode"]):
        raise ApplicationError(
            _(
                "“%(code)s” is not a barcode (GTIN: 8, 12, 13 or 14 digits, the last a check "
                "digit)."
            ),
            params={"code": clean["barcode"]},
            where=Where(field="barcode"),
            code="invalid_barcode",
        )
    return Product.objects.create(declaration=declaration, **clean)


@transaction.atomic
def standard_cite(*, product: Product, user, text: str) -> CitedStandard:
    _editable(product.declaration, user)
    standard = catalog_standard(text, field="standard")
    if product.cited.filter(standard=standard).exists():
        raise ApplicationError(
            _("%(product)s cites %(standard)s already."),
            params={"product": product.name, "standard": standard.canonical},
            where=Where(field="standard"),
            code="cited_already",
        )
    return CitedStandard.objects.create(product=product, standard=standard, typed=text[:200])


@transaction.atomic
def enterprise_standard_add(
    *, product: Product, user, number: str, title: str, upload=None
) -> EnterpriseStandard:
    declaration = product.declaration
    _editable(declaration, user)
    parsed = qnumber_parse(number, this_year=today().year)
    if not isinstance(parsed, QNumber):
        raise ApplicationError(
            parsed.message, params=parsed.params, where=Where(field="number"), code="bad_number"
        )
    title = text_value({"title": title}, "title", _("title"), max_length=300, required=True)
    canonical = parsed.canonical
    if product.enterprise_standards.filter(number=canonical).exists():
        raise ApplicationError(
            _("%(product)s lists %(number)s already."),
            params={"product": product.name, "number": canonical},
            where=Where(field="number"),
            code="duplicate_number",
        )
    other = (
        EnterpriseStandard.objects.filter(enterprise_id=declaration.enterprise_id, number=canonical)
        .exclude(title=title)
        .values_list("title", flat=True)
        .first()
    )
    if other is not None:
        raise ApplicationError(
            _(
                "The enterprise already uses %(number)s for “%(other)s”: a number names one "
                "standard."
            ),
            params={"number": canonical, "other": other},
            where=Where(field="number"),
            code="duplicate_number",
        )
    stored = text_read(upload) if upload is not None else None
    row = EnterpriseStandard(
        product=product,
        enterprise_id=declaration.enterprise_id,
        number=canonical,
        code=parsed.code,
        sequence=parsed.sequence,
        year=parsed.year,
        title=title,
    )
    if stored is not None:
        _store(row, stored)
    row.save()
    return row


def _store(row: EnterpriseStandard, stored: StoredText) -> None:
    row.text = stored.data
    row.text_name = stored.name
    row.text_type = stored.kind
    row.text_size = stored.size
    row.text_sha256 = stored.sha256


@transaction.atomic
def enterprise_standard_text(*, row: EnterpriseStandard, user, upload) -> EnterpriseStandard:
    """Attach (or replace, in a draft) the uploaded text of an enterprise standard."""
    _editable(row.product.declaration, user)
    _store(row, text_read(upload))
    row.save()
    return row


INDICATOR_LABELS = {
    "name": _("indicator"),
    "unit": _("unit"),
    "value": _("value"),
    "minimum": _("minimum"),
    "maximum": _("maximum"),
    "own_method": _("own test method"),
    "reference_clause": _("clause"),
    "reference_value": _("value in that standard"),
    "reference_minimum": _("minimum in that standard"),
    "reference_maximum": _("maximum in that standard"),
    "statement": _("explicit statement"),
}


def _values_for(direction: str, values: dict, prefix: str) -> dict[str, Decimal | None]:
    names = ["value"] if direction != Direction.RANGE else ["minimum", "maximum"]
    out = {}
    for name in ("value", "minimum", "maximum"):
        key = f"{prefix}{name}"
        out[key] = _decimal(values, key, INDICATOR_LABELS[key]) if name in names else None
    return out


@transaction.atomic
def indicator_add(*, product: Product, user, values: dict[str, Any]) -> Indicator:
    _editable(product.declaration, user)
    name = text_value(values, "name", INDICATOR_LABELS["name"], max_length=200, required=True)
    unit = text_value(values, "unit", INDICATOR_LABELS["unit"], max_length=40)
    direction = str(values.get("direction") or "").strip()
    if direction not in Direction.values:
        raise ApplicationError(
            _("“%(value)s” is not a direction (possible: %(allowed)s)."),
            params={"value": direction, "allowed": ", ".join(Direction.values)},
            where=Where(field="direction"),
            code="invalid_direction",
        )
    own = _values_for(direction, values, "")
    reference_text = str(values.get("reference_standard") or "").strip()
    reference = (
        catalog_standard(reference_text, field="reference_standard") if reference_text else None
    )
    theirs = _values_for(direction, values, "reference_") if reference else {}
    required = ["value"] if direction != Direction.RANGE else ["minimum", "maximum"]
    missing = [n for n in required if own[n] is None]
    if direction == Direction.RANGE and len(missing) < 2:
        missing = []  # a range may be open on one side
    if missing:
        raise ApplicationError(
            _("%(field)s is required for an indicator that is “%(direction)s”."),
            params={
                "field": capfirst(INDICATOR_LABELS[missing[0]]),
                "direction": Direction(direction).label,
            },
            where=Where(field=missing[0]),
            code="required",
        )
    for low, high in (("minimum", "maximum"), ("reference_minimum", "reference_maximum")):
        bounds = {**own, **theirs}
        if (
            bounds.get(low) is not None
            and bounds.get(high) is not None
            and bounds[low] > bounds[high]
        ):
            raise ApplicationError(
                _("The minimum is above the maximum."), where=Where(field=low), code="range"
            )
    method_text = str(values.get("method_standard") or "").strip()
    method = catalog_standard(method_text, field="method_standard") if method_text else None
    return Indicator.objects.create(
        product=product,
        name=name,
        unit=unit,
        direction=direction,
        method_standard=method,
        own_method=text_value(
            values, "own_method", INDICATOR_LABELS["own_method"], max_length=2000
        ),
        reference_standard=reference,
        reference_clause=text_value(
            values, "reference_clause", INDICATOR_LABELS["reference_clause"], max_length=40
        ),
        statement=text_value(values, "statement", INDICATOR_LABELS["statement"], max_length=2000),
        **own,
        **theirs,
    )


@transaction.atomic
def product_remove(*, product: Product, user) -> None:
    """Take a product (and what it cites and discloses) out of a draft."""
    _editable(product.declaration, user)
    product.delete()
