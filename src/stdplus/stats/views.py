"""The public dashboard and the record lists behind its figures (each with a JSON twin)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from stdplus.catalog.choices import Level
from stdplus.core.errors import ApplicationError
from stdplus.programme.selectors import region_ancestors, region_tree

from .indicators import INDICATORS
from .payloads import (
    PAGE_SIZE,
    dashboard_href,
    dashboard_payload,
    filters_from,
    record_rows,
    records_queryset,
)
from .selectors import dashboard as dashboard_build
from .selectors import demo_present, scope_from, years_available

DEFAULT_REGION = "4403"


def _scope(request):
    try:
        return scope_from(
            request.GET.get("region") or DEFAULT_REGION,
            request.GET.get("year"),
            real_only=request.GET.get("data") == "real",
        )
    except ApplicationError as error:
        raise Http404(error.message) from error


def _chart_data(payload: dict, zh: bool) -> dict:
    name = "name_zh" if zh else "name_en"
    levels = sorted({level for row in payload["trend"] for level in row["by_level"]})
    participation = next(f for f in payload["figures"] if f["key"] == "participation")
    pilots = next(f for f in payload["figures"] if f["key"] == "pilots")
    return {
        "trend": {
            "years": [row["year"] for row in payload["trend"]],
            "hrefs": [row["href"] for row in payload["trend"]],
            "series": [
                {
                    "name": str(dict(Level.choices).get(level, level)),
                    "data": [row["by_level"].get(level, 0) for row in payload["trend"]],
                }
                for level in levels
            ],
        },
        "children": {
            "names": [row[name] for row in payload["by_child"]],
            "values": [row["figures"]["participation"]["value"] for row in payload["by_child"]],
            "hrefs": [row["figures"]["participation"]["href"] for row in payload["by_child"]],
        },
        "ics": {
            "names": [
                f"{row['field']} {row['title_zh' if zh else 'title_en']}".strip()
                for row in payload["ics"][:12]
            ],
            "values": [row["count"] for row in payload["ics"][:12]],
            "hrefs": [row["href"] for row in payload["ics"][:12]],
        },
        "levels": {
            "names": [s["label"] for s in participation["splits"]["level"] if s["count"]],
            "values": [s["count"] for s in participation["splits"]["level"] if s["count"]],
            "hrefs": [s["href"] for s in participation["splits"]["level"] if s["count"]],
        },
        "pilots": {
            "names": [s["label"] for s in pilots["splits"]["state"] if s["count"]],
            "values": [s["count"] for s in pilots["splits"]["state"] if s["count"]],
            "hrefs": [s["href"] for s in pilots["splits"]["state"] if s["count"]],
        },
    }


@require_GET
def dashboard(request):
    scope = _scope(request)
    payload = dashboard_payload(dashboard_build(scope))
    if request.GET.get("format") == "json":
        return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    zh = (get_language() or "en").lower().startswith("zh")
    context = {
        "scope": scope,
        "data": payload,
        "figures": {f["key"]: f for f in payload["figures"]},
        "regions": region_tree(scope.region),
        "years": years_available(),
        "chart_data": _chart_data(payload, zh),
        "zh": zh,
        "ancestors": region_ancestors(scope.region),
        "real_href": dashboard_href(scope, data="real"),
    }
    return render(request, "stats/dashboard.html", context)


@require_GET
def records(request, key: str):
    if key not in INDICATORS:
        raise Http404(f"no figure {key}")
    scope = _scope(request)
    filters = filters_from(key, request.GET)
    queryset = records_queryset(key, scope, filters)
    paginator = Paginator(queryset, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = record_rows(key, page.object_list, scope, request.user)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {"figure": key, "count": paginator.count, "page": page.number, "results": rows},
            json_dumps_params={"ensure_ascii": False},
        )
    indicator = INDICATORS[key]
    split_labels = {}
    for split in indicator.splits:
        if split.name in filters:
            split_labels[str(split.label)] = dict(split.choices).get(
                filters[split.name], filters[split.name]
            )
    if "ics" in filters:
        split_labels["ICS"] = filters["ics"]
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "key": key,
        "indicator": indicator,
        "scope": scope,
        "filters": split_labels,
        "page": page,
        "count": paginator.count,
        "rows": rows,
        "kind": rows[0]["type"] if rows else "",
        "query": params.urlencode(),
        "back": dashboard_href(scope),
        "demo": demo_present(),
        "zh": (get_language() or "en").lower().startswith("zh"),
    }
    return render(request, "stats/records.html", context)
