"""Figures and record lists as plain data: one shape for the JSON API, the pages and the report."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from stdplus.catalog.models import Classification, Standard
from stdplus.programme.choices import ApplicationState
from stdplus.programme.models import Expert, FundingApplication, Pilot, StandardsBody
from stdplus.programme.permissions import can_keep_register

from .indicators import INDICATORS, Scope
from .selectors import Dashboard

PAGE_SIZE = 50


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


def dashboard_href(scope: Scope, **params) -> str:
    return f"{reverse('stats:dashboard')}?{urlencode(scope_params(scope, **params))}"


def ics_titles(fields: list[str]) -> dict[str, tuple[str, str]]:
    rows = Classification.objects.filter(scheme="ics", code__in=fields).values_list(
        "code", "title_zh", "title_en"
    )
    return {code: (zh, en) for code, zh, en in rows}


def dashboard_payload(board: Dashboard) -> dict:
    scope = board.scope
    figures = []
    for figure in board.figures:
        indicator = INDICATORS[figure.key]
        item = {
            "key": figure.key,
            "label": figure.label,
            "unit": str(indicator.unit),
            "value": figure.value,
            "previous": figure.previous,
            "change": figure.change,
            "change_percent": figure.change_percent,
            "href": records_href(figure.key, scope),
            "api": records_href(figure.key, scope, api=True),
            "splits": {},
        }
        for name, values in figure.splits.items():
            item["splits"][name] = [
                {
                    "value": value,
                    "label": label,
                    "count": count,
                    "href": records_href(figure.key, scope, **{name: value}),
                }
                for value, label, count in values
            ]
        if figure.extra:
            item["amounts"] = {
                "requested": figure.extra["requested"],
                "awarded": figure.extra["awarded"],
                "awarded_previous": figure.extra["awarded_previous"],
                "awarded_href": records_href(figure.key, scope, state=ApplicationState.APPROVED),
            }
        figures.append(item)
    children = []
    for child in board.children:
        row = {
            "code": child.code,
            "name_zh": child.name_zh,
            "name_en": child.name_en,
            "href": dashboard_href(scope.with_region(child)),
            "figures": {},
        }
        for key, counts in board.by_child.items():
            row["figures"][key] = {
                "value": counts.get(child.code, 0),
                "href": records_href(key, scope.with_region(child)),
            }
        children.append(row)
    titles = ics_titles([code for code, _ in board.ics])
    return {
        "region": {
            "code": scope.region.code,
            "short_code": scope.region.short_code,
            "name_zh": scope.region.name_zh,
            "name_en": scope.region.name_en,
            "level": scope.region.level,
            "path": [r.code for r in board.ancestors],
        },
        "period": {
            "start": scope.period.start.isoformat(),
            "end": scope.period.end.isoformat(),
            "label": scope.period.label,
        },
        "demo_data_present": board.demo,
        "real_only": scope.real_only,
        "figures": figures,
        "by_child": children,
        "ics": [
            {
                "field": code,
                "title_zh": titles.get(code, ("", ""))[0],
                "title_en": titles.get(code, ("", ""))[1],
                "count": count,
                "href": records_href("participation", scope, ics=code),
            }
            for code, count in board.ics
        ],
        "top_organizations": [
            {
                "id": row["organization"].pk,
                "name_zh": row["organization"].name_zh,
                "name_en": row["organization"].name_en,
                "count": row["count"],
                "href": reverse(
                    "programme:organization-detail", kwargs={"pk": row["organization"].pk}
                ),
            }
            for row in board.top
        ],
        "trend": [
            {
                "year": year,
                "by_level": board.trend.get(year, {}),
                "total": sum(board.trend.get(year, {}).values()),
                "href": records_href(
                    "participation", scope.with_period(type(scope.period).year(year))
                ),
            }
            for year in board.trend_years
        ],
    }


def _standard(standard: Standard, organizations: list[str] | None = None) -> dict:
    return {
        "type": "standard",
        "canonical": standard.canonical,
        "title_zh": standard.title_zh,
        "title_en": standard.title_en,
        "level": standard.level,
        "body": standard.body,
        "published": standard.published.isoformat() if standard.published else None,
        "year": standard.year,
        "demo": standard.source == "demo",
        "href": standard.get_absolute_url(),
        "organizations": organizations or [],
    }


def record_rows(key: str, records, scope: Scope, user) -> list[dict]:
    """Plain rows for a page of records; private fields never leave here."""
    records = list(records)
    if not records:
        return []
    sample = records[0]
    if isinstance(sample, Standard):
        organizations = _participants(key, records, scope)
        return [_standard(s, organizations.get(s.pk)) for s in records]
    if isinstance(sample, StandardsBody):
        return [
            {
                "type": "body",
                "code": b.code,
                "name_zh": b.name_zh,
                "name_en": b.name_en,
                "kind": b.kind,
                "host": str(b.host),
                "host_href": reverse("programme:organization-detail", kwargs={"pk": b.host_id}),
                "since": b.since.isoformat(),
                "until": b.until.isoformat() if b.until else None,
                "demo": b.demo,
            }
            for b in records
        ]
    if isinstance(sample, Expert):
        return [
            {
                "type": "expert",
                "id": e.pk,
                "name_zh": e.name_zh,
                "name_en": e.name_en,
                "organization": str(e.organization) if e.organization_id else "",
                "positions": [
                    {
                        "body": p.body,
                        "role": p.role,
                        "term_start": p.term_start.isoformat(),
                        "term_end": p.term_end.isoformat() if p.term_end else None,
                    }
                    for p in e.live_positions
                ],
                "href": reverse("programme:expert-detail", kwargs={"pk": e.pk}),
                "demo": e.demo,
            }
            for e in records
        ]
    if isinstance(sample, Pilot):
        return [
            {
                "type": "pilot",
                "id": p.pk,
                "code": p.code,
                "title_zh": p.title_zh,
                "title_en": p.title_en,
                "level": p.level,
                "state": getattr(p, "state_at", None) or p.state,
                "state_now": p.state,
                "host": str(p.host),
                "start": p.start.isoformat(),
                "href": reverse("programme:pilot-detail", kwargs={"pk": p.pk}),
                "demo": p.demo,
            }
            for p in records
        ]
    if isinstance(sample, FundingApplication):
        see_all = can_keep_register(user)
        own = set()
        if user.is_authenticated and not see_all:
            own = set(user.memberships.values_list("organization_id", flat=True))
        rows = []
        for a in records:
            # Awards are published; who applied and was not (yet) funded is not.
            public = a.state == ApplicationState.APPROVED or see_all or a.organization_id in own
            rows.append(
                {
                    "type": "funding_application",
                    "id": a.pk,
                    "organization": str(a.organization) if public else None,
                    "item": a.item_type.name_en,
                    "item_zh": a.item_type.name_zh,
                    "claim": a.participation.standard.canonical
                    if a.participation_id
                    else (str(a.pilot) if a.pilot_id else ""),
                    "submitted_on": a.submitted_on.isoformat(),
                    "state": a.state,
                    "amount_requested": a.amount_requested if public else None,
                    "amount_awarded": a.amount_awarded,
                    "demo": a.demo,
                }
            )
        return rows
    return []


def _participants(key: str, standards: list[Standard], scope: Scope) -> dict[int, list[str]]:
    """For participation lists: which organizations of the node took part in each edition."""
    if not key.startswith("participation"):
        return {}
    from stdplus.programme.models import Participation

    rows = (
        Participation.objects.live()
        .filter(standard__in=standards, organization__region_code__in=scope.codes)
        .select_related("organization")
        .order_by("standard_id", "id")
    )
    out: dict[int, list[str]] = {}
    for participation in rows:
        out.setdefault(participation.standard_id, []).append(
            f"{participation.organization} ({participation.get_role_display()})"
        )
    return out


def records_queryset(key: str, scope: Scope, filters: dict[str, str]):
    indicator = INDICATORS[key]
    queryset = indicator.records(scope, filters)
    if indicator.model is Expert:
        from django.db.models import Prefetch

        from stdplus.programme.models import Position

        queryset = queryset.select_related("organization").prefetch_related(
            Prefetch("positions", queryset=Position.objects.live(), to_attr="live_positions")
        )
        queryset = queryset.order_by("name_zh", "pk")
    elif indicator.model is Standard:
        queryset = queryset.order_by("-published", "canonical")
    elif indicator.model is Pilot:
        queryset = queryset.order_by("-start", "pk")
    elif indicator.model is StandardsBody:
        queryset = queryset.order_by("code", "pk")
    else:
        queryset = queryset.order_by("-submitted_on", "-pk")
    return queryset


def filters_from(key: str, params) -> dict[str, str]:
    indicator = INDICATORS[key]
    names = {split.name for split in indicator.splits}
    if indicator.is_standards:
        names.add("ics")
    return {name: params.get(name) for name in names if params.get(name)}
