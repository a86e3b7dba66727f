"""The public search's filters, read alike by the page, its exports and the API
(`core.queries.query_read` for the page): enterprise (name or credit code), product, a cited
standard (any spelling), category (a GB/T 4754 class), district (a region code: an
administrative division and every division under it, so 4403 is Shenzhen and 440305 Nanshan),
and the declaration date from and to."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from ninja import Field, Schema

from .choices import DeclarationState
from .models import Declaration, Product, SearchRow
from .selectors import declaration_search
from .services import catalog_standard


class DeclarationFilter(Schema):
    enterprise: str = Field("", max_length=200, description="name or credit code")
    product: str = Field("", max_length=200, description="name, common name, brand, model, barcode")
    standard: str = Field("", max_length=200, description="a cited standard, any spelling")
    category: str = Field("", max_length=4, description="a GB/T 4754 class, e.g. 3854")
    district: str = Field(
        "", max_length=12, pattern=r"^\d{0,12}$", description="a region code, e.g. 4403 or 440305"
    )
    declared_from: dt.date | None = Field(None, description="declared on or after")
    declared_to: dt.date | None = Field(None, description="declared on or before")


ORDER = ("-declared_on", "-pk")


class FoundByRows(QuerySet):
    """Public declarations in force found by their search rows alone (`SearchRow`: category,
    district, dates): counted, and each page chosen, on the rows' index, so that only the
    page's declarations are read. Without it, a search by category and district counted its
    5,500 declarations at 1,000,000 by reading the whole declarations table (docs/benchmarks.md,
    issue 13). The result is the plain queryset's; a further filter drops the shortcut."""

    rows: QuerySet | None = None

    def _clone(self):
        clone = super()._clone()
        clone.rows = self.rows
        return clone

    def _filter_or_exclude(self, negate, args, kwargs):
        clone = super()._filter_or_exclude(negate, args, kwargs)
        clone.rows = None  # a condition the rows do not hold
        return clone

    def _ids(self) -> QuerySet:
        """The declarations' ids, each once (a declaration has a row per product)."""
        return self.rows.order_by().values("declaration_id").distinct()

    def count(self) -> int:
        if self.rows is None or self._result_cache is not None:
            return super().count()
        low, high = self.query.low_mark, self.query.high_mark
        ids = self._ids() if high is None else self._ids()[:high]
        return max(ids.count() - low, 0)

    def _fetch_all(self) -> None:
        if (
            self._result_cache is None
            and self.rows is not None
            and self.query.is_sliced
            and tuple(self.query.order_by) == ORDER
        ):
            # The page's ids in the same order, from the rows (their date is the declaration's).
            low, high = self.query.low_mark, self.query.high_mark
            ids = (
                self.rows.values("declaration_id", "declared_on")
                .distinct()
                .order_by("-declared_on", "-declaration_id")
                .values("declaration_id")
            )
            page = self._chain()
            page.query.clear_limits()
            page = page.filter(pk__in=ids[low:high])
            self._result_cache = list(page._iterable_class(page))
        super()._fetch_all()


def filters_search(filters: DeclarationFilter) -> QuerySet[Declaration]:
    """The public declarations in force matching every filter given (a standard the catalog
    does not know is an ApplicationError naming the field, with suggestions)."""
    standard = (
        catalog_standard(filters.standard, field="standard") if filters.standard.strip() else None
    )
    queryset = declaration_search(
        enterprise=filters.enterprise, product=filters.product, standard=standard
    )
    if filters.category and filters.district:
        # Both in one index of the search rows, with the dates.
        rows = SearchRow.objects.filter(
            state=DeclarationState.DECLARED,
            category=filters.category,
            region_code__startswith=filters.district,
        )
        if filters.declared_from:
            rows = rows.filter(declared_on__gte=filters.declared_from)
        if filters.declared_to:
            rows = rows.filter(declared_on__lte=filters.declared_to)
        queryset = queryset.filter(pk__in=rows.values("declaration_id")).order_by(*ORDER)
        if not (filters.enterprise.strip() or filters.product.strip() or standard):
            found = FoundByRows(model=Declaration, query=queryset.query.chain(), using=queryset._db)
            found.rows = rows
            return found
        return queryset
    if filters.category:
        queryset = queryset.filter(
            pk__in=Product.objects.filter(category=filters.category).values("declaration_id")
        )
    if filters.district:
        queryset = queryset.filter(enterprise__region_code__startswith=filters.district)
    if filters.declared_from:
        queryset = queryset.filter(declared_on__gte=filters.declared_from)
    if filters.declared_to:
        queryset = queryset.filter(declared_on__lte=filters.declared_to)
    return queryset


def district_choices() -> list[str]:
    """The region codes of the enterprises with a public declaration, and their parents
    (city, district), for the search's list."""
    codes = set(
        Declaration.objects.filter(state="declared")
        .values_list("enterprise__region_code", flat=True)
        .distinct()[:500]
    )
    out = set()
    for code in codes:
        if code:
            out.update({code[:4], code[:6]} if len(code) >= 6 else {code})
    return sorted(out)
