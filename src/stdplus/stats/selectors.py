"""The dashboard's and the report's reads: figures with splits, change, breakdowns and trends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from stdplus.catalog.models import Standard
from stdplus.core.dates import today
from stdplus.core.errors import ApplicationError
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

# The figures on the dashboard's cards, in order.
CARD_KEYS = [
    "participation",
    "participation_led",
    "local",
    "group",
    "enterprise",
    "bodies",
    "experts",
    "pilots",
    "pilots_completed",
    "funding",
]
# The figures of the breakdown by child region: the cards' but completed pilots.
CHILD_KEYS = [key for key in CARD_KEYS if key != "pilots_completed"]
TREND_YEARS = 8


def scope_from(
    region_code: str, year: int | str | None = None, *, real_only: bool = False
) -> Scope:
    region = region_get(region_code)
    if region is None:
        raise ApplicationError(
            f"no region with the code {region_code!r}", where="region", code="region"
        )
    try:
        year_value = int(year) if year not in (None, "") else today().year - 1
    except (TypeError, ValueError) as error:
        raise ApplicationError(f"{year!r} is not a year", where="year", code="year") from error
    if not 1900 <= year_value <= 2100:
        raise ApplicationError(
            f"{year_value} is not a year stdplus reports on", where="year", code="year"
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
    if key == "funding":
        result.extra = indicator.amounts(scope)
        result.extra["awarded_previous"] = indicator.amounts(
            scope.with_period(scope.period.previous())
        )["awarded"]
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
    figures = [figure(key, scope) for key in CARD_KEYS]
    children = region_children(scope.region)
    by_child: dict[str, dict[str, int]] = {}
    for key in CHILD_KEYS:
        by_child[key] = INDICATORS[key].by_child(scope, children)
    ics = sorted(
        ics_fields(INDICATORS["participation"], scope).items(), key=lambda kv: (-kv[1], kv[0])
    )
    year = scope.period.end.year
    years = list(range(year - TREND_YEARS + 1, year + 1)) if with_trend else []
    trend = standards_trend(INDICATORS["participation"], scope, years) if years else {}
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
