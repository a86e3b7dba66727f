"""GET /api/v1/stats/...: the dashboard's figures and the records behind each one."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema

from stdplus.core.errors import NotFoundError, Where
from stdplus.core.schemas import OFFSET_MAX, errors
from stdplus.programme.selectors import region_tree

from .indicators import INDICATORS
from .payloads import dashboard_json, page_number, records_out
from .schemas import DashboardOut, RecordsOut, RegionTreeOut
from .selectors import scope_from
from .warming import noted_if_slow

router = Router(tags=["statistics"])


@router.get(
    "/regions",
    url_name="stats_regions",
    summary="The region tree",
    response={200: list[RegionTreeOut], **errors()},
)
def regions(request):
    tree = region_tree()
    by_id = {r.pk: r for r in tree}
    return [
        RegionTreeOut(
            code=r.code,
            short_code=r.short_code,
            name_zh=r.name_zh,
            name_en=r.name_en,
            level=r.level,
            official=r.official,
            parent=by_id[r.parent_id].code if r.parent_id in by_id else None,
        )
        for r in tree
    ]


@router.get(
    "/indicators",
    url_name="stats_indicators",
    summary="Every figure for a region and year",
    response={200: DashboardOut, **errors(404)},
)
def indicators(request, region: str = "4403", year: int | None = None, data: str = "all"):
    """The indicator set for a region node (code or short code) and a year, with the previous
    year, splits, the breakdown by child region and ICS field, top organizations and the trend.
    Every figure carries `href` (web) and `api` links to the records behind it."""
    scope = scope_from(region, year, real_only=data == "real")
    # The schema's JSON, made once per version of the data (see payloads.dashboard_json).
    with noted_if_slow(scope):  # counted again ahead of its readers if slow
        body = dashboard_json(scope)
    return HttpResponse(body, content_type="application/json")


class RecordFilters(Schema):
    level: str = ""
    kind: str = ""
    family: str = ""
    role: str = ""
    state: str = ""
    body: str = ""
    ics: str = ""


@router.get(
    "/records/{key}",
    url_name="stats_records",
    summary="The records behind a figure",
    response={200: RecordsOut, **errors(404)},
)
def records(
    request,
    key: str,
    region: str = "4403",
    year: int | None = None,
    data: str = "all",
    page: int = Query(1, ge=1, le=OFFSET_MAX, description="Page of 50 records."),
    filters: Query[RecordFilters] = None,
):
    """One figure's records (a page of 50); `count` equals the figure. The filters a figure
    does not break down by are ignored."""
    indicator = INDICATORS.get(key)
    if indicator is None:
        raise NotFoundError(
            _("There is no figure %(key)s; the figures are %(figures)s."),
            params={"key": key, "figures": ", ".join(INDICATORS)},
            where=Where(field="key"),
            code="figure",
        )
    scope = scope_from(region, year, real_only=data == "real")
    return records_out(
        key, scope, indicator.filters_from(request.GET), page_number(page), request.user
    )
