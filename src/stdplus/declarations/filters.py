"""The public search's filters, read alike by the page, its exports and the API
(`core.queries.query_read` for the page): enterprise (name or credit code), product, a cited
standard (any spelling), category (a GB/T 4754 class), district (a region code: an
administrative division and every division under it, so 4403 is Shenzhen and 440305 Nanshan),
and the declaration date from and to."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from ninja import Field, Schema

from .models import Declaration, Product
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


def filters_search(filters: DeclarationFilter) -> QuerySet[Declaration]:
    """The public declarations in force matching every filter given (a standard the catalog
    does not know is an ApplicationError naming the field, with suggestions)."""
    standard = (
        catalog_standard(filters.standard, field="standard") if filters.standard.strip() else None
    )
    queryset = declaration_search(
        enterprise=filters.enterprise, product=filters.product, standard=standard
    )
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
