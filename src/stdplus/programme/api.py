"""GET /api/v1/programme/...: the register's public records (no private contact data)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from stdplus.accounts.auth import BearerToken
from stdplus.core.errors import ApplicationError, PermissionDeniedError, Where
from stdplus.core.lifecycle_ui import lifecycle_payload
from stdplus.core.schemas import LifecycleOut, Paging, errors

from .choices import MatchState
from .permissions import can_keep_register
from .selectors import (
    application_visible_get,
    applications_visible_to,
    area_list,
    body_list,
    expert_list,
    expert_public_get,
    organization_public_get,
    participation_list,
    pilot_get,
    pilot_list,
    project_get,
    region_get,
    review_get,
    review_queue,
)
from .services.funding import evidence_missing

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


class EvidenceOut(Schema):
    id: int
    kind: str
    name: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    download: str


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
    paid_on: dt.date | None
    evidence_required: list[str]
    evidence_missing: list[str]
    evidence: list[EvidenceOut]
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


class ParticipationOut(Schema):
    """An organization's part in a standard (drafting, ...), as its profile lists it."""

    id: int
    standard: str
    title_zh: str
    title_en: str
    published: dt.date | None
    role: str
    demo: bool

    @staticmethod
    def resolve_standard(obj) -> str:
        return obj.standard.canonical

    @staticmethod
    def resolve_title_zh(obj) -> str:
        return obj.standard.title_zh

    @staticmethod
    def resolve_title_en(obj) -> str:
        return obj.standard.title_en

    @staticmethod
    def resolve_published(obj) -> dt.date | None:
        return obj.standard.published


class OrganizationProfileOut(Schema):
    """An organization's public profile: what its page shows (participations are a list of
    their own, `participations_api`, paged like every list)."""

    id: int
    name_zh: str
    name_en: str
    kind: str
    region: str
    participations: int
    participations_api: str
    bodies: list[StandardsBodyOut]
    pilots: list[PilotOut]
    experts: list[ExpertOut]


class ApplicationBriefOut(Schema):
    id: int
    organization: str
    organization_id: int
    scheme: str
    item: str
    amount_requested: int
    submitted_on: dt.date
    state: str
    eligible: bool
    amount_awarded: int | None
    demo: bool

    @staticmethod
    def resolve_organization(obj) -> str:
        return str(obj.organization)

    @staticmethod
    def resolve_scheme(obj) -> str:
        return obj.scheme.code

    @staticmethod
    def resolve_item(obj) -> str:
        return obj.item_type.code


class MatchBriefOut(Schema):
    id: int
    standard: str
    name: str
    position: int
    organization_id: int | None
    organization: str
    score: float
    reason: str
    state: str

    @staticmethod
    def resolve_standard(obj) -> str:
        return obj.standard.canonical

    @staticmethod
    def resolve_organization(obj) -> str:
        return str(obj.organization) if obj.organization_id else ""


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
        "paid_on": found.paid_on,
        "evidence_required": list(found.item_type.evidence_required or []),
        "evidence_missing": evidence_missing(found),
        "evidence": [
            {
                "id": d.pk,
                "kind": d.kind,
                "name": d.name,
                "size": d.size,
                "sha256": d.sha256,
                "uploaded_at": d.uploaded_at,
                "download": reverse(
                    "programme:evidence-download", kwargs={"pk": found.pk, "doc": d.pk}
                ),
            }
            for d in found.evidence.defer("data").order_by("kind", "pk")
        ],
        "demo": found.demo,
        "lifecycle": lifecycle_payload(found, request.user),
    }


@router.get(
    "/organizations/{pk}",
    response={200: OrganizationProfileOut, **errors(404)},
    url_name="programme_organization",
)
def organization(request, pk: int = PK):
    """An organization's public profile: its region, standards bodies, pilots and experts,
    and the number of standards it took part in (listed at `participations_api`)."""
    found = organization_public_get(pk)
    if found is None:
        raise Http404(_("No such organization in the register."))
    return {
        "id": found.pk,
        "name_zh": found.name_zh,
        "name_en": found.name_en,
        "kind": found.kind,
        "region": found.region_code,
        "participations": participation_list(organization=found).count(),
        "participations_api": reverse("api:programme_participations", kwargs={"pk": found.pk}),
        "bodies": list(body_list(organization=found).order_by("pk")),
        "pilots": list(pilot_list(organization=found).order_by("pk")),
        "experts": list(expert_list().filter(organization=found).order_by("pk")),
    }


@router.get(
    "/organizations/{pk}/participations",
    response={200: list[ParticipationOut], **errors(404)},
    url_name="programme_participations",
)
@paginate(Paging)
def participations(request, pk: int = PK):
    """The standards an organization took part in, newest first."""
    found = organization_public_get(pk)
    if found is None:
        raise Http404(_("No such organization in the register."))
    return participation_list(organization=found)


@router.get(
    "/applications",
    response={200: list[ApplicationBriefOut], **errors(401, 403)},
    url_name="programme_applications",
    auth=[BearerToken(), django_auth],
)
@paginate(Paging)
def applications(request):
    """Funding applications: all of them to the regulator, an organization's own to its
    members (a token: its organization's), newest first."""
    token = getattr(request, "api_token", None)
    visible = applications_visible_to(
        request.user, [token.organization_id] if token is not None else None
    )
    return visible.order_by("-submitted_on", "-pk")


@router.get(
    "/matches",
    response={200: list[MatchBriefOut], **errors(401, 403)},
    url_name="programme_matches",
    auth=[BearerToken(), django_auth],
)
@paginate(Paging)
def matches(request, state: str = MatchState.PENDING.value):
    """The matches to review in one state (`pending`, the default, `accepted` or `rejected`),
    to the regulator only."""
    if not can_keep_register(request.user):
        raise PermissionDeniedError(_("Only regulator staff keep the register."))
    if state not in MatchState.values:
        raise ApplicationError(
            _("%(value)s is not a state: use %(states)s"),
            params={"value": state[:20], "states": ", ".join(MatchState.values)},
            where=Where(field="state"),
        )
    return review_queue(state=state).order_by("pk")


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
