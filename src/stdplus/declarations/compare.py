"""Two versions of one declaration side by side: the products added, removed or changed, and
for each product the standards cited, the enterprise's own standards and the indicators that
changed. Products are matched by name, model and specification (what names a product to its
buyers); a product renamed shows as one removed and one added."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .models import Declaration, Indicator, Product
from .selectors import declaration_for_reader, declaration_products

PRODUCT_FIELDS = ("common_name", "brand", "barcode", "category")


@dataclass
class Change:
    what: str  # a field's or an indicator's name
    old: str
    new: str


@dataclass
class ProductDiff:
    name: str
    model: str
    status: str  # added, removed, changed, same
    fields: list[Change] = field(default_factory=list)
    standards_added: list[str] = field(default_factory=list)
    standards_removed: list[str] = field(default_factory=list)
    qstandards_added: list[str] = field(default_factory=list)
    qstandards_removed: list[str] = field(default_factory=list)
    indicators: list[Change] = field(default_factory=list)  # "" old: added; "" new: removed


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def indicator_text(indicator: Indicator) -> str:
    """An indicator's disclosed value as one line: value or range, unit, method, reference."""
    if indicator.direction == "range":
        value = f"{_number(indicator.minimum)}–{_number(indicator.maximum)}"
    else:
        value = _number(indicator.value)
    parts = [f"{value} {indicator.unit}".strip()]
    if indicator.method_standard_id:
        parts.append(indicator.method_standard.canonical)
    elif indicator.own_method:
        parts.append(indicator.own_method[:80])
    if indicator.reference_standard_id:
        parts.append(f"≙ {indicator.reference_standard.canonical}")
    if indicator.statement:
        parts.append(indicator.statement[:80])
    return " · ".join(p for p in parts if p)


def _key(product: Product) -> tuple[str, str, str]:
    return (product.name, product.model, product.specification)


def _diff(old: Product | None, new: Product | None) -> ProductDiff:
    shown = new or old
    assert shown is not None
    diff = ProductDiff(name=shown.name, model=shown.model, status="same")
    if old is None or new is None:
        diff.status = "added" if old is None else "removed"
        only = shown
        cited = [c.standard.canonical for c in only.cited.all()]
        qs = [q.number for q in only.enterprise_standards.all()]
        lines = [Change(i.name, "", indicator_text(i)) for i in only.indicators.all()]
        if old is None:
            diff.standards_added, diff.qstandards_added, diff.indicators = cited, qs, lines
        else:
            diff.standards_removed, diff.qstandards_removed = cited, qs
            diff.indicators = [Change(c.what, c.new, "") for c in lines]
        return diff
    for name in PRODUCT_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            label = str(Product._meta.get_field(name).verbose_name)
            diff.fields.append(Change(label, before, after))
    cited_old = {c.standard.canonical for c in old.cited.all()}
    cited_new = {c.standard.canonical for c in new.cited.all()}
    diff.standards_added = sorted(cited_new - cited_old)
    diff.standards_removed = sorted(cited_old - cited_new)
    q_old = {q.number for q in old.enterprise_standards.all()}
    q_new = {q.number for q in new.enterprise_standards.all()}
    diff.qstandards_added = sorted(q_new - q_old)
    diff.qstandards_removed = sorted(q_old - q_new)
    ind_old = {i.name: indicator_text(i) for i in old.indicators.all()}
    ind_new = {i.name: indicator_text(i) for i in new.indicators.all()}
    for name in sorted(set(ind_old) | set(ind_new)):
        if ind_old.get(name, "") != ind_new.get(name, ""):
            diff.indicators.append(Change(name, ind_old.get(name, ""), ind_new.get(name, "")))
    if (
        diff.fields
        or diff.standards_added
        or diff.standards_removed
        or diff.qstandards_added
        or diff.qstandards_removed
        or diff.indicators
    ):
        diff.status = "changed"
    return diff


def versions_compare(old: Declaration, new: Declaration) -> list[ProductDiff]:
    """Every product of either version, in the newer version's order, then the removed."""
    before = {_key(p): p for p in declaration_products(old)}
    after = {_key(p): p for p in declaration_products(new)}
    out = [_diff(before.get(key), product) for key, product in after.items()]
    out += [_diff(product, None) for key, product in before.items() if key not in after]
    return out


def compare_pair(user, pk: int, other: int):
    """The two versions (older first) if the reader may see both and they are one series."""
    one = declaration_for_reader(user, pk)
    two = declaration_for_reader(user, other)
    if one is None or two is None or one.series != two.series or one.pk == two.pk:
        return None
    return (one, two) if one.version < two.version else (two, one)
