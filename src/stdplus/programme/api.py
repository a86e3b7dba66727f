"""GET /api/v1/programme/...: the register's public records (no private contact data)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Query, Router, Schema

from .selectors import area_list, body_list, expert_list, expert_public_get, pilot_list, region_get

router = Router(tags=["programme"])

# Paging parameters: out-of-range values are a 422 with the reason, never a server error.
LIMIT = Query(100, ge=1, le=500, description="rows per page (1-500)")
OFFSET = Query(0, ge=0, le=10_000_000, description="rows to skip")


class PositionOut(Schema):
    body: str
    family: str
    role: str
    term_start: dt.date
    term_end: dt.date | None


class ExpertOut(Schema):
    id: int
    name_zh: str
    name_en: str
    organization: str
    organization_id: int | None
    positions: list[PositionOut]
    demo: bool


class BodyOut(Schema):
    id: int
    code: str
    name_zh: str
    name_en: str
    kind: str
    host: str
    host_id: int
    since: dt.date
    until: dt.date | None
    demo: bool


class PilotOut(Schema):
    id: int
    code: str
    title_zh: str
    title_en: str
    level: str
    state: str
    state_since: dt.date | None
    host: str
    start: dt.date
    end: dt.date | None
    demo: bool


class AreaOut(Schema):
    code: str
    name_zh: str
    name_en: str
    region: str
    year_from: int
    year_to: int
    target_standards: int
    standards_done: int
    target_pilots: int
    pilots_done: int
    target_projects: int
    projects_done: int


def _expert(expert) -> dict:
    return {
        "id": expert.pk,
        "name_zh": expert.name_zh,
        "name_en": expert.name_en,
        "organization": str(expert.organization) if expert.organization_id else "",
        "organization_id": expert.organization_id,
        "positions": expert.live_positions,
        "demo": expert.demo,
    }


@router.get("/experts", response=list[ExpertOut], url_name="programme_experts")
def experts(request, region: str = "", q: str = "", limit: int = LIMIT, offset: int = OFFSET):
    node = region_get(region) if region else None
    rows = expert_list(region=node, q=q).order_by("pk")[offset : offset + limit]
    return [_expert(e) for e in rows]


@router.get("/experts/{pk}", response=ExpertOut, url_name="programme_expert")
def expert(request, pk: int):
    found = expert_public_get(pk)
    if found is None:
        raise Http404("no such expert")
    return _expert(found)


@router.get("/bodies", response=list[BodyOut], url_name="programme_bodies")
def bodies(request, limit: int = LIMIT, offset: int = OFFSET):
    rows = body_list().order_by("pk")[offset : offset + limit]
    return [
        {
            **{f: getattr(b, f) for f in BodyOut.model_fields if f not in ("host", "id")},
            "id": b.pk,
            "host": str(b.host),
        }
        for b in rows
    ]


@router.get("/pilots", response=list[PilotOut], url_name="programme_pilots")
def pilots(request, limit: int = LIMIT, offset: int = OFFSET):
    rows = pilot_list().order_by("pk")[offset : offset + limit]
    return [
        {
            **{f: getattr(p, f) for f in PilotOut.model_fields if f not in ("host", "id")},
            "id": p.pk,
            "host": str(p.host),
        }
        for p in rows
    ]


@router.get("/areas", response=list[AreaOut], url_name="programme_areas")
def areas(request):
    return [
        {
            **{f: getattr(a, f) for f in AreaOut.model_fields if f != "region"},
            "region": a.region.code,
        }
        for a in area_list()
    ]
