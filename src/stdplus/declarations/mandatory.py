"""Mandatory standards per product category: data the regulator maintains (admin, the page
`/declarations/mandatory/`, a spreadsheet import), and the check that uses it.

A row says: products of GB/T 4754 class `category` must follow the mandatory national standard
`standard` (any edition of its work satisfies the citation; an outdated edition is the cited
standard's own finding). The automatic checks then add, product by product:

- `mandatory_missing` (error): the product cites no edition of a mandatory standard of its
  category;
- an indicator whose corresponding standard is mandatory for the product's category is judged
  as against a mandatory standard (`below_mandatory`, an error), even where the catalog does not
  record the standard's mandate.

The import replaces the list of every category the file names (a category not in the file is
left as it is), in one transaction; any bad row writes nothing.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from stdplus.catalog.choices import Mandate
from stdplus.core.errors import ApplicationError, Where

from .checking import MANDATORY, Finding, ProductFacts, StandardFacts
from .choices import Severity
from .industries import GB_T_4754, is_category
from .models import CitedStandard, Declaration, MandatoryStandard, Product
from .services import catalog_standard
from .sheets import Col, SheetErrors, required_errors, sheet_rows


@dataclass(frozen=True)
class Required:
    canonical: str
    work_key: str


def mandatory_map(categories: Iterable[str]) -> dict[str, list[Required]]:
    """{category: the mandatory standards that apply to it}."""
    found: dict[str, list[Required]] = defaultdict(list)
    for category, canonical, work_key in (
        MandatoryStandard.objects.filter(category__in=set(categories))
        .order_by("category", "standard__canonical")
        .values_list("category", "standard__canonical", "work_key")
    ):
        found[category].append(Required(canonical, work_key))
    return dict(found)


def missing_mandatory(
    product: ProductFacts,
    category: str,
    cited_works: set[str],
    required: Mapping[str, Sequence[Required]],
) -> list[Finding]:
    """Pure: the mandatory standards of the product's category it cites no edition of."""
    return [
        Finding(
            Severity.ERROR,
            "mandatory_missing",
            _(
                "%(product)s does not cite %(standard)s, a mandatory national standard for its "
                "category %(category)s."
            ),
            {"product": product.name, "standard": need.canonical, "category": category},
            product.name,
            need.canonical,
            anchor=f"product-{product.pk}",
        )
        for need in required.get(category, ())
        if need.work_key not in cited_works
    ]


def mandatory_facts(
    products: Sequence[ProductFacts],
    standards: Mapping[str, StandardFacts],
    categories: Mapping[int, str],
    required: Mapping[str, Sequence[Required]],
) -> dict[str, StandardFacts]:
    """The facts with every standard mandatory for a category of the declaration's products
    marked mandatory (so an indicator weaker than it is an error)."""
    mandatory = {
        need.canonical
        for product in products
        for need in required.get(categories.get(product.pk, ""), ())
    }
    out = dict(standards)
    for canonical in mandatory & set(out):
        if out[canonical].mandate != MANDATORY:
            out[canonical] = dataclasses.replace(out[canonical], mandate=MANDATORY)
    return out


def declaration_mandatory(
    declaration: Declaration,
    products: Sequence[ProductFacts],
    standards: Mapping[str, StandardFacts],
) -> tuple[list[Finding], dict[str, StandardFacts]]:
    """The mandatory findings of a declaration, and the facts to judge its indicators by."""
    categories = dict(Product.objects.filter(declaration=declaration).values_list("pk", "category"))
    required = mandatory_map(categories.values())
    if not required:
        return [], dict(standards)
    works: dict[int, set[str]] = defaultdict(set)
    for product_id, work in CitedStandard.objects.filter(
        product__declaration=declaration
    ).values_list("product_id", "standard__work_key"):
        works[product_id].add(work)
    findings = []
    for product in products:
        findings += missing_mandatory(
            product, categories.get(product.pk, ""), works[product.pk], required
        )
    return findings, mandatory_facts(products, standards, categories, required)


# ----------------------------------------------------------------------------------------------
# The regulator's list


def mandatory_list(category: str = "") -> QuerySet[MandatoryStandard]:
    rows = MandatoryStandard.objects.select_related("standard")
    if category:
        rows = rows.filter(category=category)
    return rows.order_by("category", "standard__canonical")


def can_maintain(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.has_perm("declarations.supervise_declaration")
    )


COLUMNS = (
    Col("category", "类别", required=True),
    Col("standard", "强制性标准", required=True),
    Col("note", "备注"),
)


@dataclass
class MandatoryImported:
    categories: list[str]
    created: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0


def mandatory_import(*, content: bytes, filename: str, user) -> MandatoryImported:
    """Replace the mandatory standards of every category the file names; raise SheetErrors
    (nothing written) on any bad row."""
    if not can_maintain(user):
        raise ApplicationError(
            _("Only the regulator maintains the mandatory standards."),
            code="forbidden",
            status=403,
        )
    errors: list[ApplicationError] = []
    wanted: dict[str, dict[int, str]] = defaultdict(dict)
    for where, cells in sheet_rows(content, filename, COLUMNS):
        row_errors = required_errors(where, cells, COLUMNS)
        if row_errors:
            errors += row_errors
            continue
        category = cells["category"]
        if not is_category(category):
            errors.append(
                ApplicationError(
                    _("“%(code)s” is not a class of %(scheme)s that stdplus knows."),
                    params={"code": category, "scheme": GB_T_4754},
                    where=where.but(field="category"),
                    code="unknown_category",
                )
            )
            continue
        try:
            standard = catalog_standard(cells["standard"], field="standard")
        except ApplicationError as error:
            errors.append(error.at(where))
            continue
        if standard.mandate != Mandate.MANDATORY:
            errors.append(
                ApplicationError(
                    _("%(standard)s is not a mandatory standard."),
                    params={"standard": standard.canonical},
                    where=where.but(field="standard"),
                    code="not_mandatory",
                )
            )
            continue
        wanted[category][standard.pk] = cells.get("note", "")[:300]
    if errors:
        raise SheetErrors(errors)
    if not wanted:
        raise SheetErrors(
            [
                ApplicationError(
                    _("the sheet has no rows to load"),
                    where=Where(file=filename, row=2),
                    code="empty",
                )
            ]
        )
    result = MandatoryImported(categories=sorted(wanted))
    with transaction.atomic():
        for category, standards in wanted.items():
            existing = {
                row.standard_id: row
                for row in MandatoryStandard.objects.select_for_update().filter(category=category)
            }
            gone = [row.pk for sid, row in existing.items() if sid not in standards]
            result.removed += MandatoryStandard.objects.filter(pk__in=gone).delete()[0]
            for standard_id, note in standards.items():
                row = existing.get(standard_id)
                if row is None:
                    row = MandatoryStandard(category=category, standard_id=standard_id)
                    row.note, row.updated_by = note, user
                    row.save()
                    result.created += 1
                elif row.note != note:
                    row.note, row.updated_by = note, user
                    row.save()
                    result.updated += 1
                else:
                    result.unchanged += 1
    return result
