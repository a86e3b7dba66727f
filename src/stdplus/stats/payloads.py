"""The statistics' answers as their declared schemas (`schemas.py`): one shape for the JSON API,
the pages' JSON twins, the pages and the report. Both answers are cached on the version of the
data they count (`caching.py`)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.urls import reverse

from stdplus.catalog.models import Classification

from .caching import cached, data_version
from .indicators import INDICATORS, Period, Scope
from .schemas import (
    AlongsideOut,
    AmountsOut,
    ChildFigureOut,
    ChildOut,
    DashboardOut,
    FigureOut,
    IcsFieldOut,
    PeriodOut,
    RecordsOut,
    RegionOut,
    SplitValueOut,
    TopOrganizationOut,
    TotalOut,
    TrendYearOut,
)
from .selectors import MAIN_FIGURE, Dashboard, dashboard

PAGE_SIZE = 50
CACHED_PAGES = 20  # later pages of a record list are counted each time (few readers go there)


def scope_params(scope: Scope, **filters) -> dict[str, str]:
    params = {
        "region": scope.region.short_code or scope.region.code,
        "year": str(scope.period.end.year),
    }
    if scope.real_only:
        params["data"] = "real"
    params.update({k: v for k, v in filters.items() if v not in (None, "")})
    return params


def records_href(key: str, scope: Scope, *, api: bool = False, **filters) -> str:
    name = "api:stats_records" if api else "stats:records"
    return f"{reverse(name, kwargs={'key': key})}?{urlencode(scope_params(scope, **filters))}"


def dashboard_href(scope: Scope, *, api: bool = False, **params) -> str:
    name = "api:stats_indicators" if api else "stats:dashboard"
    return f"{reverse(name)}?{urlencode(scope_params(scope, **params))}"


def ics_titles(fields: list[str]) -> dict[str, tuple[str, str]]:
    rows = Classification.objects.filter(scheme="ics", code__in=fields).values_list(
        "code", "title_zh", "title_en"
    )
    return {code: (zh, en) for code, zh, en in rows}


def scope_parts(scope: Scope) -> tuple:
    return (scope.region.code, scope.period.start, scope.period.end, scope.real_only)


def _alongside(board: Dashboard, key: str) -> AlongsideOut | None:
    """The other figure a card names (`Indicator.alongside`), counted on the same board."""
    other = next((figure for figure in board.figures if figure.key == key), None) if key else None
    if other is None:
        return None
    return AlongsideOut(
        key=other.key,
        label=other.label,
        value=other.value,
        href=records_href(other.key, board.scope),
    )


def dashboard_out(board: Dashboard) -> DashboardOut:
    scope = board.scope
    figures = []
    for figure in board.figures:
        indicator = INDICATORS[figure.key]
        amounts = None
        if indicator.has_amounts and figure.extra:
            awarded_filters = getattr(indicator, "awarded_filters", {})
            amounts = AmountsOut(
                requested=figure.extra["requested"],
                awarded=figure.extra["awarded"],
                awarded_previous=figure.extra["awarded_previous"],
                awarded_href=records_href(figure.key, scope, **awarded_filters),
            )
        figures.append(
            FigureOut(
                key=figure.key,
                label=figure.label,
                unit=str(indicator.unit),
                value=figure.value,
                previous=figure.previous,
                change=figure.change,
                change_percent=figure.change_percent,
                href=records_href(figure.key, scope),
                api=records_href(figure.key, scope, api=True),
                splits={
                    name: [
                        SplitValueOut(
                            value=value,
                            label=label,
                            count=count,
                            href=records_href(figure.key, scope, **{name: value}),
                        )
                        for value, label, count in values
                    ]
                    for name, values in figure.splits.items()
                },
                amounts=amounts,
                total=(
                    TotalOut(label=str(indicator.total_label), value=figure.total)
                    if figure.total is not None
                    else None
                ),
                extra={} if indicator.has_amounts else figure.extra,
                alongside=_alongside(board, indicator.alongside),
            )
        )
    children = [
        ChildOut(
            code=child.code,
            name_zh=child.name_zh,
            name_en=child.name_en,
            href=dashboard_href(scope.with_region(child)),
            figures={
                key: ChildFigureOut(
                    value=counts.get(child.code, 0),
                    href=records_href(key, scope.with_region(child)),
                )
                for key, counts in board.by_child.items()
            },
        )
        for child in board.children
    ]
    titles = ics_titles([code for code, _ in board.ics])
    return DashboardOut(
        region=RegionOut(
            code=scope.region.code,
            short_code=scope.region.short_code,
            name_zh=scope.region.name_zh,
            name_en=scope.region.name_en,
            level=scope.region.level,
            path=[r.code for r in board.ancestors],
        ),
        period=PeriodOut(start=scope.period.start, end=scope.period.end, label=scope.period.label),
        demo_data_present=board.demo,
        real_only=scope.real_only,
        figures=figures,
        by_child=children,
        ics=[
            IcsFieldOut(
                field=code,
                title_zh=titles.get(code, ("", ""))[0],
                title_en=titles.get(code, ("", ""))[1],
                count=count,
                href=records_href(MAIN_FIGURE, scope, ics=code),
            )
            for code, count in board.ics
        ],
        top_organizations=[
            TopOrganizationOut(
                id=row["organization"].pk,
                name_zh=row["organization"].name_zh,
                name_en=row["organization"].name_en,
                count=row["count"],
                href=reverse(
                    "programme:organization-detail", kwargs={"pk": row["organization"].pk}
                ),
            )
            for row in board.top
        ],
        trend=[
            TrendYearOut(
                year=year,
                by_level=board.trend.get(year, {}),
                total=sum(board.trend.get(year, {}).values()),
                href=records_href(MAIN_FIGURE, scope.with_period(Period.year(year))),
            )
            for year in board.trend_years
        ],
    )


def dashboard_cached(scope: Scope, *, version: str = "") -> DashboardOut:
    """The dashboard's figures for a scope, counted once per version of the data."""
    return cached(
        "dashboard", scope_parts(scope), lambda: dashboard_out(dashboard(scope)), version=version
    )


def dashboard_json(scope: Scope, *, version: str = "") -> str:
    """`DashboardOut` as JSON text, made once per version: the API and the page's JSON twin
    send these same bytes (a measured hot path: validating and encoding the schema again took
    longer than the rest of a cached answer)."""
    version = version or data_version()
    return cached(
        "dashboard-json",
        scope_parts(scope),
        lambda: dashboard_cached(scope, version=version).model_dump_json(),
        version=version,
    )


def page_number(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return max(1, number)


def records_shared(key: str, page: int, reader, size: int = PAGE_SIZE) -> bool:
    """Whether a page of a record list is the same for every reader and worth caching."""
    personal = INDICATORS[key].rows_depend_on_reader and reader.is_authenticated
    return not personal and page <= CACHED_PAGES and size == PAGE_SIZE


def records_parts(key: str, scope: Scope, filters: dict[str, str], page: int) -> tuple:
    return (key, *scope_parts(scope), tuple(sorted(filters.items())), page)


def records_out(
    key: str,
    scope: Scope,
    filters: dict[str, str],
    page: int,
    reader,
    *,
    size: int = PAGE_SIZE,
    version: str = "",
) -> RecordsOut:
    """One page of the records behind a figure; `count` equals the figure."""
    indicator = INDICATORS[key]

    def build() -> RecordsOut:
        paginator = Paginator(indicator.listing(scope, filters), size)
        found = paginator.get_page(page)
        return RecordsOut(
            figure=key,
            label=str(indicator.label),
            unit=str(indicator.unit),
            region=scope.region.code,
            period=scope.period.label,
            filters=filters,
            count=paginator.count,
            page=found.number,
            pages=paginator.num_pages,
            results=indicator.rows(list(found.object_list), scope, reader),
        )

    if not records_shared(key, page, reader, size):
        return build()
    return cached("records", records_parts(key, scope, filters, page), build, version=version)
