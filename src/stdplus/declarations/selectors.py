"""Reads: what a reader may see, the public search, and the facts the checks judge."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from stdplus.accounts.models import Organization
from stdplus.accounts.selectors import is_member
from stdplus.catalog.models import Standard
from stdplus.checks.engine import check_run
from stdplus.checks.extract import InputLine
from stdplus.core.dates import today
from stdplus.core.probes import any_row

from .checking import (
    Finding,
    IndicatorFacts,
    ProductFacts,
    QStandardFacts,
    StandardFacts,
    findings_for,
)
from .choices import PUBLIC_STATES, DeclarationState
from .mandatory import declaration_mandatory  # the regulator's list of mandatory standards
from .models import CitedStandard, Declaration, EnterpriseStandard, Product

# ----------------------------------------------------------------------------------------------
# Who sees what


def can_edit(user, declaration: Declaration) -> bool:
    """Only the enterprise's members, and only while the version is a draft."""
    return declaration.is_draft and is_member(user=user, organization_id=declaration.enterprise_id)


def can_read(user, declaration: Declaration) -> bool:
    """Everyone reads a public version; a draft only its enterprise's members."""
    if declaration.state in PUBLIC_STATES:
        return True
    return bool(
        user is not None and is_member(user=user, organization_id=declaration.enterprise_id)
    )


def declaration_for_reader(user, pk: int) -> Declaration | None:
    declaration = Declaration.objects.select_related("enterprise").filter(pk=pk).first()
    if declaration is None or not can_read(user, declaration):
        return None
    return declaration


def public_declarations() -> QuerySet[Declaration]:
    return Declaration.objects.filter(state__in=PUBLIC_STATES).select_related("enterprise")


def declaration_search(
    *,
    enterprise: str = "",
    product: str = "",
    standard: Standard | None = None,
    state: str = DeclarationState.DECLARED,
) -> QuerySet[Declaration]:
    """Public declarations (by default those in force) matching every criterion given:
    enterprise name or credit code, product name (or common name, brand, model, barcode),
    a cited catalog standard."""
    queryset = public_declarations()
    if state:
        queryset = queryset.filter(state=state)
    enterprise = enterprise.strip()
    if enterprise:
        # The enterprises first (tens of thousands), then their declarations by the index.
        enterprises = Organization.objects.filter(
            Q(name_zh__icontains=enterprise)
            | Q(name_en__icontains=enterprise)
            | Q(credit_code=enterprise.upper())
        )
        queryset = queryset.filter(enterprise_id__in=enterprises.values("pk"))
    product = product.strip()
    if product:
        products = Product.objects.filter(
            Q(name__icontains=product)
            | Q(common_name__icontains=product)
            | Q(brand__icontains=product)
            | Q(model__icontains=product)
            | Q(barcode=product)
        )
        queryset = queryset.filter(pk__in=products.values("declaration_id"))
    if standard is not None:
        cited = CitedStandard.objects.filter(standard=standard).values("product__declaration_id")
        queryset = queryset.filter(pk__in=cited)
    return queryset.order_by("-declared_on", "-pk")


def enterprise_by_code(credit_code: str) -> Organization | None:
    return Organization.objects.filter(credit_code=credit_code.strip().upper()).first()


def enterprise_declarations(enterprise: Organization) -> QuerySet[Declaration]:
    """Every public version an enterprise declared, newest first."""
    return public_declarations().filter(enterprise=enterprise).order_by("-declared_on", "-pk")


def own_declarations(organization_ids: list[int]) -> QuerySet[Declaration]:
    """The declarations of the reader's organizations, drafts included."""
    return (
        Declaration.objects.filter(enterprise_id__in=organization_ids)
        .select_related("enterprise")
        .order_by("-updated_at", "-pk")
    )


def versions_of(declaration: Declaration, *, user=None) -> list[Declaration]:
    """Every version of the series the reader may see, oldest first."""
    versions = Declaration.objects.filter(series=declaration.series).order_by("version")
    return [v for v in versions if v.state in PUBLIC_STATES or can_read(user, v)]


def previous_public_version(declaration: Declaration) -> Declaration | None:
    """The version a newly declared one replaces: the series' version in force or suspended."""
    return (
        Declaration.objects.filter(
            series=declaration.series,
            version__lt=declaration.version,
            state__in=[DeclarationState.DECLARED, DeclarationState.SUSPENDED],
        )
        .order_by("-version")
        .first()
    )


def declaration_products(declaration: Declaration) -> list[Product]:
    return list(
        declaration.products.prefetch_related(
            "cited__standard",
            "enterprise_standards",
            "indicators__method_standard",
            "indicators__reference_standard",
        )
    )


def standard_declared_by(standard: Standard) -> tuple[int, list[Organization]]:
    """How many enterprises declare `standard` in a declaration in force, and which."""
    if not any_row(CitedStandard, "standard", standard.pk):  # (most standards: no product)
        return 0, []
    enterprises = (
        Organization.objects.filter(
            declarations__state=DeclarationState.DECLARED,
            declarations__products__cited__standard=standard,
        )
        .distinct()
        .order_by("name_zh", "name_en")
    )
    return enterprises.count(), list(enterprises[:50])


def declared_counts(standard_ids: list[int]) -> dict[int, int]:
    rows = (
        CitedStandard.objects.filter(
            standard_id__in=standard_ids, product__declaration__state=DeclarationState.DECLARED
        )
        .values("standard_id")
        .annotate(n=Count("product__declaration__enterprise", distinct=True))
    )
    return {row["standard_id"]: row["n"] for row in rows}


# ----------------------------------------------------------------------------------------------
# The facts the automatic checks judge


def _clashes(declaration: Declaration, qstandard: EnterpriseStandard) -> tuple[str, ...]:
    """Titles of the enterprise's other standards with this number (other series, or the same
    number under another title within this version)."""
    others = (
        EnterpriseStandard.objects.filter(
            enterprise_id=declaration.enterprise_id, number=qstandard.number
        )
        .exclude(pk=qstandard.pk)
        .exclude(title=qstandard.title)
        .filter(
            Q(product__declaration__state__in=PUBLIC_STATES) | Q(product__declaration=declaration)
        )
        .values_list("title", flat=True)
    )
    return tuple(sorted(set(others)))


def standard_facts(canonicals: set[str]) -> dict[str, StandardFacts]:
    """Each standard's status today, by the validity check engine (its chain rule)."""
    if not canonicals:
        return {}
    ordered = sorted(canonicals)
    outcome = check_run([InputLine(text=c) for c in ordered])
    mandates = dict(
        Standard.objects.filter(canonical__in=ordered).values_list("canonical", "mandate")
    )
    facts = {}
    for canonical, result in zip(ordered, outcome.results, strict=True):
        if result.status is None:
            continue
        facts[canonical] = StandardFacts(
            canonical=canonical,
            status=result.status,
            mandate=mandates.get(canonical, ""),
            effective=result.effective,
            current=result.current if result.current != canonical else None,
            replaced_by=tuple(result.replaced_by),
        )
    return facts


def declaration_facts(
    declaration: Declaration,
) -> tuple[list[ProductFacts], dict[str, StandardFacts]]:
    products = []
    canonicals: set[str] = set()
    for product in declaration_products(declaration):
        cited = tuple(c.standard.canonical for c in product.cited.all())
        indicators = []
        for i in product.indicators.all():
            method = i.method_standard.canonical if i.method_standard else None
            reference = i.reference_standard.canonical if i.reference_standard else None
            canonicals.update(c for c in (method, reference) if c)
            indicators.append(
                IndicatorFacts(
                    pk=i.pk,
                    name=i.name,
                    direction=i.direction,
                    value=i.value,
                    minimum=i.minimum,
                    maximum=i.maximum,
                    unit=i.unit,
                    method_standard=method,
                    own_method=i.own_method,
                    reference=reference,
                    reference_value=i.reference_value,
                    reference_minimum=i.reference_minimum,
                    reference_maximum=i.reference_maximum,
                    statement=i.statement,
                )
            )
        canonicals.update(cited)
        products.append(
            ProductFacts(
                pk=product.pk,
                name=product.name,
                cited=cited,
                qstandards=tuple(
                    QStandardFacts(
                        pk=q.pk,
                        number=q.number,
                        title=q.title,
                        has_text=bool(q.text_size),
                        clashes_with=_clashes(declaration, q),
                    )
                    for q in product.enterprise_standards.all()
                ),
                indicators=tuple(indicators),
            )
        )
    return products, standard_facts(canonicals)


def declaration_findings(declaration: Declaration) -> list[Finding]:
    products, standards = declaration_facts(declaration)
    missing, standards = declaration_mandatory(declaration, products, standards)
    return findings_for(products, standards, this_year=today().year) + missing


# ----------------------------------------------------------------------------------------------
# Part B: the version of what the statistics count here


def declarations_version() -> str:
    """A value that moves with every committed change the declaration figures read: a step of
    a declaration (its append-only events) and a re-check finding raised or closed."""
    from stdplus.core.versions import data_stamp

    from .models import DeclarationEvent, RecheckFinding

    return data_stamp(
        (DeclarationEvent, "MAX", "id"),
        (RecheckFinding, "MAX", "id"),
        (RecheckFinding, "MAX", "closed_at"),
    )
