"""The dashboard page's body: figures, charts and tables, the same for every reader.

Rendered without a request (nothing of the reader goes into it), once per version of the data,
language and scope, by the page's view and by the worker counting pages ahead of their readers
(`warming`)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import get_language

from stdplus.catalog.choices import Level
from stdplus.core.dates import today
from stdplus.programme.selectors import region_ancestors, region_tree

from .caching import cached
from .colours import level_colour
from .indicators.base import Scope
from .payloads import dashboard_cached, dashboard_href, scope_parts
from .selectors import child_keys, years_available


def dashboard_page(scope: Scope, *, version: str) -> str:
    """The body of the dashboard of a scope at this version of the data (`caching.cached`;
    the year list ends today, so today's year is part of the key)."""
    return cached(
        "dashboard-html",
        (*scope_parts(scope), today().year),
        lambda: _dashboard_body(
            scope, dashboard_cached(scope, version=version), dashboard_href(scope, api=True)
        ),
        version=version,
    )


def in_chinese() -> bool:
    return (get_language() or "en").lower().startswith("zh")


def _split_chart(figure: dict | None, split: str) -> dict:
    values = [s for s in (figure or {}).get("splits", {}).get(split, []) if s["count"]]
    chart = {
        "names": [s["label"] for s in values],
        "values": [s["count"] for s in values],
        "hrefs": [s["href"] for s in values],
    }
    if split == "level":
        chart["colors"] = [level_colour(s["value"]) for s in values]
    return chart


def _chart_data(payload: dict, zh: bool) -> dict:
    name = "name_zh" if zh else "name_en"
    levels = sorted({level for row in payload["trend"] for level in row["by_level"]})
    figures = {f["key"]: f for f in payload["figures"]}
    main = "participation"
    return {
        "trend": {
            "years": [row["year"] for row in payload["trend"]],
            "hrefs": [row["href"] for row in payload["trend"]],
            "series": [
                {
                    "name": str(dict(Level.choices).get(level, level)),
                    "color": level_colour(level),
                    "data": [row["by_level"].get(level, 0) for row in payload["trend"]],
                }
                for level in levels
            ],
        },
        "children": {
            "names": [row[name] for row in payload["by_child"]],
            "values": [row["figures"].get(main, {}).get("value", 0) for row in payload["by_child"]],
            "hrefs": [row["figures"].get(main, {}).get("href", "") for row in payload["by_child"]],
        },
        "ics": {
            "names": [
                f"{row['field']} {row['title_zh' if zh else 'title_en']}".strip()
                for row in payload["ics"][:12]
            ],
            "values": [row["count"] for row in payload["ics"][:12]],
            "hrefs": [row["href"] for row in payload["ics"][:12]],
        },
        "levels": _split_chart(figures.get(main), "level"),
        "pilots": _split_chart(figures.get("pilots"), "state"),
    }


def _child_table(payload: dict) -> dict:
    """The breakdown by child region as columns and rows, in the registry's order."""
    labels = {f["key"]: f["label"] for f in payload["figures"]}
    keys = [key for key in child_keys() if key in labels]
    return {
        "columns": [{"key": key, "label": labels[key]} for key in keys],
        "rows": [
            {
                "code": row["code"],
                "name_zh": row["name_zh"],
                "name_en": row["name_en"],
                "href": row["href"],
                "cells": [{"key": key, **row["figures"][key]} for key in keys],
            }
            for row in payload["by_child"]
        ],
    }


def _dashboard_body(scope: Scope, data, api_url: str) -> str:
    payload = data.model_dump(mode="json")
    zh = in_chinese()
    context = {
        "scope": scope,
        "data": payload,
        "child_table": _child_table(payload),
        "regions": region_tree(scope.region),
        "years": years_available(),
        "chart_data": _chart_data(payload, zh),
        "zh": zh,
        "ancestors": region_ancestors(scope.region),
        "real_href": dashboard_href(scope, data="real"),
        "json_url": api_url,
    }
    # No request: nothing of the reader goes into the body, which every reader shares.
    return render_to_string("stats/_dashboard_body.html", context)
