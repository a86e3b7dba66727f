"""What every figure counted in catalog editions shares: the period rule, the row, the ICS
breakdown and the trend. Not a family of its own: the participation and issued families build
on it."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from django.db.models import CharField, Count, F, IntegerField, Q, QuerySet
from django.db.models.functions import Cast, Coalesce, Substr

from stdplus.catalog.models import Standard

from .base import DEMO_SOURCE, Indicator, Period, RecordRow, Scope


def standards_in_period(queryset: QuerySet, period: Period) -> QuerySet:
    """Editions published in the period; an edition with no date counts by its year."""
    return queryset.filter(
        Q(published__range=(period.start, period.end))
        | Q(published__isnull=True, year__range=(period.start.year, period.end.year))
    )


def standard_year():
    """The year an edition counts in: of its publication date, else of its identifier.

    The year is cut from the date's ISO text rather than extracted, which on SQLite would call
    a Python function for every row."""
    published_year = Cast(Substr(Cast("published", CharField()), 1, 4), IntegerField())
    return Coalesce(published_year, F("year"), output_field=IntegerField())


def without_demo(queryset: QuerySet, scope: Scope) -> QuerySet:
    """Leave the demo generator's catalog entries out when the scope asks for real data."""
    return queryset.exclude(source=DEMO_SOURCE) if scope.real_only else queryset


class StandardRow(RecordRow):
    """A catalog edition behind a figure."""

    template: ClassVar[str] = "stats/rows/standard.html"

    type: Literal["standard"] = "standard"
    canonical: str
    title_zh: str
    title_en: str
    level: str
    body: str
    published: dt.date | None
    year: int | None
    demo: bool
    href: str
    organizations: list[str] = []  # for participation figures: who of the node took part


class StandardsIndicator(Indicator):
    """A figure counted in catalog editions (abstract: no key)."""

    model = Standard
    row_schema = StandardRow
    ordering = ("-published", "canonical")
    is_standards = True
    distinct_rows = False

    def organizations(self, standards: list[Standard], scope: Scope) -> dict[int, list[str]]:
        """Names to show beside each edition; none unless a family says so."""
        return {}

    def rows(self, records: list, scope: Scope, reader) -> list[RecordRow]:
        organizations = self.organizations(records, scope) if records else {}
        return [
            StandardRow(
                canonical=s.canonical,
                title_zh=s.title_zh,
                title_en=s.title_en,
                level=s.level,
                body=s.body,
                published=s.published,
                year=s.year,
                demo=s.source == DEMO_SOURCE,
                href=s.get_absolute_url(),
                organizations=organizations.get(s.pk, []),
            )
            for s in records
        ]


def ics_fields(indicator: Indicator, scope: Scope) -> dict[str, int]:
    """Distinct editions per ICS field (the first two digits) for a standards indicator."""
    rows = (
        indicator.base(scope)
        .filter(classifications__scheme="ics")
        .order_by()
        .annotate(field=Substr("classifications__code", 1, 2))
        .values("field")
        .annotate(n=Count("pk", distinct=True))
    )
    return {row["field"]: row["n"] for row in rows}


def standards_trend(
    indicator: Indicator, scope: Scope, years: list[int]
) -> dict[int, dict[str, int]]:
    """Editions per year and level over several years, in one grouped query."""
    span = scope.with_period(Period(dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)))
    rows = (
        indicator.base(span)
        .order_by()
        .annotate(y=standard_year())
        .values("y", "level")
        .annotate(n=Count("pk", distinct=indicator.distinct_rows))
    )
    out: dict[int, dict[str, int]] = {year: {} for year in years}
    for row in rows:
        if row["y"] in out:
            out[row["y"]][row["level"]] = row["n"]
    return out
