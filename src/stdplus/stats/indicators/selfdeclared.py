"""Family: enterprise standards self-declaration (the declarations app).

- `declared`: declarations (versions) of enterprises of the node made public in the period,
  by product category and state;
- `declarations_findings`: public declarations (in force or suspended) of enterprises of the
  node with findings open at the end of the period (raised by the automatic checks when made
  public, or by a re-check after the catalog changed), by severity and category.

Spot-check conformity and the leader rankings are figures of their own families.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from stdplus.declarations.choices import PUBLIC_STATES, DeclarationState, Severity
from stdplus.declarations.industries import category_choices
from stdplus.declarations.models import Declaration, Product, RecheckFinding

from .base import Indicator, RecordRow, Scope, Split


class DeclarationRow(RecordRow):
    """A public declaration: who, which version, when, which categories; open findings."""

    template: ClassVar[str] = "stats/rows/declaration.html"

    type: Literal["declaration"] = "declaration"
    id: int
    enterprise: str
    credit_code: str
    version: int
    state: str
    declared_on: dt.date | None
    categories: list[str]
    open_findings: int
    href: str
    demo: bool


def _category_label(code: str) -> str:
    return dict(category_choices())[code]


def _categories() -> list[tuple[str, Any]]:
    """The categories with labels read in the language of the moment they are shown (the
    splits are made once, when the indicator is defined)."""
    return [(code, lazy(_category_label, str)(code)) for code, _title in category_choices()]


class DeclaredIndicator(Indicator):
    """Declarations made public in the period by enterprises of the node."""

    key = "declared"
    order = 55
    short_label = _("Self-declared")
    label = _("Enterprise standards self-declared in the period")
    unit = _("declarations")
    model = Declaration
    row_schema = DeclarationRow
    ordering = ("-declared_on", "-pk")
    district_field = "enterprise__region_code"
    splits = [
        Split("category", _("Category"), _categories()),
        Split("state", _("State"), [c for c in DeclarationState.choices if c[0] != "draft"]),
    ]

    def base(self, scope: Scope) -> QuerySet:
        queryset = Declaration.objects.filter(
            state__in=PUBLIC_STATES,
            enterprise__region_code__in=scope.codes,
            declared_on__range=(scope.period.start, scope.period.end),
        ).select_related("enterprise")
        if scope.real_only:
            queryset = queryset.filter(demo=False)
        return queryset

    def split_field(self, split: str) -> str:
        return "products__category" if split == "category" else split

    def narrow(self, queryset: QuerySet, split: str, value: str, scope: Scope) -> QuerySet:
        if split == "category":
            return queryset.filter(
                pk__in=Product.objects.filter(category=value).values("declaration_id")
            )
        return super().narrow(queryset, split, value, scope)

    def rows(self, records: list, scope: Scope, reader) -> list[RecordRow]:
        ids = [d.pk for d in records]
        categories: dict[int, set[str]] = {}
        for declaration_id, category in Product.objects.filter(declaration_id__in=ids).values_list(
            "declaration_id", "category"
        ):
            categories.setdefault(declaration_id, set()).add(category)
        open_counts = dict(
            RecheckFinding.objects.filter(declaration_id__in=ids, closed_at__isnull=True)
            .values("declaration_id")
            .annotate(n=Count("pk"))
            .values_list("declaration_id", "n")
        )
        return [
            DeclarationRow(
                id=d.pk,
                enterprise=str(d.enterprise),
                credit_code=d.enterprise.credit_code,
                version=d.version,
                state=d.state,
                declared_on=d.declared_on,
                categories=sorted(categories.get(d.pk, ())),
                open_findings=open_counts.get(d.pk, 0),
                href=reverse("declarations:detail", kwargs={"pk": d.pk}),
                demo=d.demo,
            )
            for d in records
        ]


def _open_at(end: dt.date) -> Q:
    """Findings raised by the end of the day `end` and not closed by then."""
    return Q(raised_at__date__lte=end) & (Q(closed_at__isnull=True) | Q(closed_at__date__gt=end))


class DeclarationsWithFindingsIndicator(DeclaredIndicator):
    """Public declarations with findings open at the end of the period."""

    key = "declarations_findings"
    order = 56
    in_breakdown = True
    short_label = _("With open findings")
    label = _("Declarations with open findings")
    unit = _("declarations")
    splits = [
        Split("severity", _("Severity"), list(Severity.choices)),
        Split("category", _("Category"), _categories()),
    ]

    def _findings(self, scope: Scope) -> QuerySet:
        return RecheckFinding.objects.filter(_open_at(scope.period.end))

    def base(self, scope: Scope) -> QuerySet:
        queryset = Declaration.objects.filter(
            state__in=(DeclarationState.DECLARED, DeclarationState.SUSPENDED),
            enterprise__region_code__in=scope.codes,
            declared_on__lte=scope.period.end,
            pk__in=self._findings(scope).values("declaration_id"),
        ).select_related("enterprise")
        if scope.real_only:
            queryset = queryset.filter(demo=False)
        return queryset

    def split_field(self, split: str) -> str:
        if split == "severity":
            return "recheck_findings__severity"
        return super().split_field(split)

    def split_values(self, scope: Scope, split: str) -> dict[str, int]:
        if split != "severity":
            return super().split_values(scope, split)
        rows = (
            self._findings(scope)
            .filter(declaration__in=self.base(scope))
            .order_by()
            .values("severity")
            .annotate(n=Count("declaration_id", distinct=True))
        )
        return {row["severity"]: row["n"] for row in rows}

    def narrow(self, queryset: QuerySet, split: str, value: str, scope: Scope) -> QuerySet:
        if split == "severity":
            return queryset.filter(
                pk__in=self._findings(scope).filter(severity=value).values("declaration_id")
            )
        return super().narrow(queryset, split, value, scope)
