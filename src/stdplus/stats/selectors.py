"""The dashboard's and the report's reads: figures with splits, change, breakdowns and trends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from stdplus.catalog.models import Standard
from stdplus.core.dates import today
from stdplus.core.errors import ApplicationError, NotFoundError, Where
from stdplus.programme.models import OrganizationProfile, Participation, Region
from stdplus.programme.selectors import region_ancestors, region_children, region_get

from .indicators import (
    DEMO_SOURCE,
    INDICATORS,
    Figure,
    Period,
    Scope,
    ics_fields,
    standards_trend,
    top_organizations,
)

TREND_YEARS = 8
# The figure the ICS breakdown, the trend and the top organizations count.
MAIN_FIGURE = "participation"
FIRST_YEAR, LAST_YEAR = 1900, 2100


def card_keys() -> list[str]:
    """The figures on the dashboard's cards, in order: every registered indicator."""
    return list(INDICATORS)


def child_keys() -> list[str]:
    """The figures of the breakdown by child region."""
    return [key for key, indicator in INDICATORS.items() if indicator.in_breakdown]


def scope_from(
    region_code: str, year: int | str | None = None, *, real_only: bool = False
) -> Scope:
    region = region_get(region_code)
    if region is None:
        raise NotFoundError(
            _("There is no region with the code %(code)s."),
            params={"code": region_code},
            where=Where(field="region"),
            code="region",
        )
    try:
        year_value = int(year) if year not in (None, "") else today().year - 1
    except (TypeError, ValueError) as error:
        raise ApplicationError(
            _("%(year)s is not a year."),
            params={"year": year},
            where=Where(field="year"),
            code="year",
        ) from error
    if not FIRST_YEAR <= year_value <= LAST_YEAR:
        raise ApplicationError(
            _("%(year)s is not a year stdplus reports on (%(first)s to %(last)s)."),
            params={"year": year_value, "first": FIRST_YEAR, "last": LAST_YEAR},
            where=Where(field="year"),
            code="year",
        )
    return Scope(region=region, period=Period.year(year_value), real_only=real_only)


def figure(key: str, scope: Scope, *, with_splits: bool = True) -> Figure:
    indicator = INDICATORS[key]
    value = indicator.value(scope)
    # The previous year's figure is one count query (its rows are not needed for anything else).
    previous = indicator.records(scope.with_period(scope.period.previous())).count()
    result = Figure(key=key, label=str(indicator.label), value=value, previous=previous)
    if with_splits:
        for split in indicator.splits:
            counts = indicator.split_values(scope, split.name)
            labels = dict(split.choices)
            ordered = [(v, str(labels[v]), counts.get(v, 0)) for v in labels] if labels else []
            extra = sorted(
                ((v, str(v), n) for v, n in counts.items() if v not in labels and v is not None),
                key=lambda item: (-item[2], item[0]),
            )
            result.splits[split.name] = ordered + extra
    result.extra = indicator.extra(scope)
    result.total = indicator.total(scope)
    return result


@dataclass
class Dashboard:
    scope: Scope
    figures: list[Figure]
    children: list[Region]
    by_child: dict[str, dict[str, int]]
    ics: list[tuple[str, int]]
    top: list[dict]
    trend_years: list[int]
    trend: dict[int, dict[str, int]]
    ancestors: list[Region] = field(default_factory=list)
    demo: bool = False

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


def demo_present() -> bool:
    return (
        OrganizationProfile.objects.filter(demo=True).exists()
        or Participation.objects.filter(demo=True).exists()
        or Standard.objects.filter(source=DEMO_SOURCE).exists()
    )


def dashboard(scope: Scope, *, with_trend: bool = True) -> Dashboard:
    figures = [figure(key, scope) for key in card_keys()]
    children = region_children(scope.region)
    by_child = {key: INDICATORS[key].by_child(scope, children) for key in child_keys()}
    main = INDICATORS[MAIN_FIGURE]
    ics = sorted(ics_fields(main, scope).items(), key=lambda kv: (-kv[1], kv[0]))
    year = scope.period.end.year
    years = list(range(year - TREND_YEARS + 1, year + 1)) if with_trend else []
    trend = standards_trend(main, scope, years) if years else {}
    return Dashboard(
        scope=scope,
        figures=figures,
        children=children,
        by_child=by_child,
        ics=ics,
        top=top_organizations(scope),
        trend_years=years,
        trend=trend,
        ancestors=region_ancestors(scope.region),
        demo=demo_present(),
    )


def years_available() -> list[int]:
    this_year = today().year
    return list(range(this_year, 1999, -1))


def period_of(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
