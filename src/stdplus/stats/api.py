"""GET /api/v1/stats/...: the dashboard's figures and the records behind each one."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from ninja import Router

from stdplus.programme.selectors import region_tree

from .indicators import INDICATORS
from .payloads import PAGE_SIZE, dashboard_payload, filters_from, record_rows, records_queryset
from .selectors import dashboard, scope_from

router = Router(tags=["statistics"])


@router.get("/regions", url_name="stats_regions", summary="The region tree")
def regions(request):
    return [
        {
            "code": r.code,
            "short_code": r.short_code,
            "name_zh": r.name_zh,
            "name_en": r.name_en,
            "level": r.level,
            "official": r.official,
            "parent": r.parent.code if r.parent_id else None,
        }
        for r in region_tree_with_parents()
    ]


def region_tree_with_parents():
    tree = region_tree()
    by_id = {r.pk: r for r in tree}
    for region in tree:
        region.parent = by_id.get(region.parent_id)
    return tree


@router.get(
    "/indicators", url_name="stats_indicators", summary="Every figure for a region and year"
)
def indicators(request, region: str = "4403", year: int | None = None, data: str = "all"):
    """The indicator set for a region node (code or short code) and a year, with the previous
    year, splits, the breakdown by child region and ICS field, top organizations and the trend.
    Every figure carries `href` (web) and `api` links to the records behind it."""
    scope = scope_from(region, year, real_only=data == "real")
    return dashboard_payload(dashboard(scope))


@router.get("/records/{key}", url_name="stats_records", summary="The records behind a figure")
def records(
    request,
    key: str,
    region: str = "4403",
    year: int | None = None,
    data: str = "all",
    page: int = 1,
    level: str = "",
    kind: str = "",
    family: str = "",
    role: str = "",
    state: str = "",
    body: str = "",
    ics: str = "",
):
    """One figure's records (a page of 50); `count` equals the figure."""
    if key not in INDICATORS:
        raise Http404(f"no figure {key!r}; figures: {', '.join(INDICATORS)}")
    scope = scope_from(region, year, real_only=data == "real")
    filters = filters_from(key, request.GET)
    queryset = records_queryset(key, scope, filters)
    paginator = Paginator(queryset, PAGE_SIZE)
    page_obj = paginator.get_page(page)
    return {
        "figure": key,
        "label": str(INDICATORS[key].label),
        "region": scope.region.code,
        "period": scope.period.label,
        "filters": filters,
        "count": paginator.count,
        "page": page_obj.number,
        "pages": paginator.num_pages,
        "results": record_rows(key, page_obj.object_list, scope, request.user),
    }
