"""GET /api/v1/programme/...: the register's public records (no private contact data)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from stdplus.accounts.auth import BearerToken
from stdplus.core.lifecycle_ui import lifecycle_payload
from stdplus.core.schemas import LifecycleOut, Paging, errors

from .permissions import can_keep_register
from .selectors import (
    application_visible_get,
    area_list,
    body_list,
    expert_list,
    expert_public_get,
    pilot_get,
    pilot_list,
    project_get,
    region_get,
    review_get,
)

router = Router(tags=["programme"])

# A record id in a path: out-of-range values are a 422, never a database overflow.
PK = Path(..., ge=1, le=2**63 - 1, description="record id")


class ExpertPositionOut(Schema):
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
    positions: list[ExpertPositionOut]
    demo: bool

    @staticmethod
    def resolve_organization(obj) -> str:
        return str(obj.organization) if obj.organization_id else ""

    @staticmethod
    def resolve_positions(obj) -> list:
        return obj.live_positions


class StandardsBodyOut(Schema):
    """A standards body (technical committee, subcommittee) hosted by an organization."""

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

    @staticmethod
    def resolve_host(obj) -> str:
        return str(obj.host)


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

    @staticmethod
    def resolve_host(obj) -> str:
        return str(obj.host)


class PilotDetailOut(PilotOut):
    evaluation_result: str
    lifecycle: LifecycleOut

    @staticmethod
    def resolve_lifecycle(obj, context) -> dict:
        return lifecycle_payload(obj, context["request"].user)


class ProjectBriefOut(Schema):
    id: int
    title_zh: str
    title_en: str
    state: str


class ProjectOut(ProjectBriefOut):
    area: str
    organization: str
    organization_id: int | None
    demo: bool
    lifecycle: LifecycleOut


class EligibilityCheckOut(Schema):
    check: str
    ok: bool
    message: str


class ApplicationOut(Schema):
    id: int
    organization: str
    organization_id: int
    scheme: str
    item: str
    standard: str | None
    pilot_id: int | None
    amount_requested: int
    submitted_on: dt.date
    state: str
    eligible: bool
    checks: list[EligibilityCheckOut]
    amount_awarded: int | None
    decided_on: dt.date | None
    decision_note: str
    demo: bool
    lifecycle: LifecycleOut


class MatchOut(Schema):
    id: int
    standard: str
    name: str
    position: int
    organization_id: int | None
    organization: str
    score: float
    reason: str
    state: str
    lifecycle: LifecycleOut


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
    projects: list[ProjectBriefOut]


@router.get(
    "/experts",
    response={200: list[ExpertOut], **errors()},
    url_name="programme_experts",
)
@paginate(Paging)
def experts(request, region: str = "", q: str = ""):
    """Experts, in the order they were registered; `region` (code or name) keeps those of
    organizations in it and below, `q` searches names."""
    node = region_get(region) if region else None
    return expert_list(region=node, q=q).order_by("pk")


@router.get("/experts/{pk}", response={200: ExpertOut, **errors(404)}, url_name="programme_expert")
def expert(request, pk: int = PK):
    found = expert_public_get(pk)
    if found is None:
        raise Http404(_("no such expert"))
    return found


@router.get(
    "/bodies",
    response={200: list[StandardsBodyOut], **errors()},
    url_name="programme_bodies",
)
@paginate(Paging)
def bodies(request):
    return body_list().order_by("pk")


@router.get("/pilots", response={200: list[PilotOut], **errors()}, url_name="programme_pilots")
@paginate(Paging)
def pilots(request):
    return pilot_list().order_by("pk")


@router.get(
    "/pilots/{pk}", response={200: PilotDetailOut, **errors(404)}, url_name="programme_pilot"
)
def pilot(request, pk: int = PK):
    """One pilot with its lifecycle: state, the next steps (for the caller) and its history."""
    found = pilot_get(pk)
    if found is None:
        raise Http404(_("no such pilot project"))
    return found


def _brief(project) -> dict:
    return {f: getattr(project, f) for f in ("title_zh", "title_en", "state")} | {"id": project.pk}


@router.get("/areas", response={200: list[AreaOut], **errors()}, url_name="programme_areas")
def areas(request):
    return [
        {
            **{f: getattr(a, f) for f in AreaOut.model_fields if f not in ("region", "projects")},
            "region": a.region.code,
            "projects": [_brief(p) for p in a.live_projects],
        }
        for a in area_list()
    ]


@router.get(
    "/projects/{pk}", response={200: ProjectOut, **errors(404)}, url_name="programme_project"
)
def project(request, pk: int = PK):
    """One project of the strategic list with its lifecycle."""
    found = project_get(pk)
    if found is None:
        raise Http404(_("no such project"))
    return {
        **_brief(found),
        "area": found.area.code,
        "organization": str(found.organization) if found.organization_id else "",
        "organization_id": found.organization_id,
        "demo": found.demo,
        "lifecycle": lifecycle_payload(found, request.user),
    }


@router.get(
    "/applications/{pk}",
    response={200: ApplicationOut, **errors(401, 403, 404)},
    url_name="programme_application",
    auth=[BearerToken(), django_auth],
)
def application(request, pk: int = PK):
    """A funding application, to the regulator and the applicant's members (else 404)."""
    token = getattr(request, "api_token", None)
    found = application_visible_get(
        request.user, pk, [token.organization_id] if token is not None else None
    )
    if found is None:
        raise Http404(_("no such funding application"))
    checks = zip(found.checks or [], found.check_lines(), strict=True)
    return {
        "id": found.pk,
        "organization": str(found.organization),
        "organization_id": found.organization_id,
        "scheme": found.scheme.code,
        "item": found.item_type.code,
        "standard": found.participation.standard.canonical if found.participation_id else None,
        "pilot_id": found.pilot_id,
        "amount_requested": found.amount_requested,
        "submitted_on": found.submitted_on,
        "state": found.state,
        "eligible": found.eligible,
        "checks": [
            {"check": raw.get("check", ""), "ok": ok, "message": text} for raw, (ok, text) in checks
        ],
        "amount_awarded": found.amount_awarded,
        "decided_on": found.decided_on,
        "decision_note": found.decision_note,
        "demo": found.demo,
        "lifecycle": lifecycle_payload(found, request.user),
    }


@router.get(
    "/matches/{pk}",
    response={200: MatchOut, **errors(401, 403, 404)},
    url_name="programme_match",
    auth=[BearerToken(), django_auth],
)
def match(request, pk: int = PK):
    """A match to review, to the regulator only (else 404)."""
    found = review_get(pk) if can_keep_register(request.user) else None
    if found is None:
        raise Http404(_("no such match to review"))
    return {
        "id": found.pk,
        "standard": found.standard.canonical,
        "name": found.name,
        "position": found.position,
        "organization_id": found.organization_id,
        "organization": str(found.organization) if found.organization_id else "",
        "score": found.score,
        "reason": found.reason,
        "state": found.state,
        "lifecycle": lifecycle_payload(found, request.user),
    }
