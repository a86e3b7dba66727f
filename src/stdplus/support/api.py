"""/api/v1/support/...: what an organization can claim, and starting an application."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from stdplus.accounts.auth import BearerToken
from stdplus.core.dates import today
from stdplus.core.lifecycle_ui import lifecycle_payload
from stdplus.core.queries import query_read
from stdplus.core.schemas import LifecycleOut, Paging, errors

from .claims import claims_for, claims_organization, no_item_reason
from .policies import PolicyFilter, policy_get, policy_search
from .questions import public_answers, question_visible_get
from .services import draft_from_claim
from .training import certificate_verify, sessions_open, talent_pool

router = Router(tags=["support"])
AUTH = [BearerToken(), django_auth]
PK = Path(..., ge=1, le=2**63 - 1, description="record id")


class ClaimsIn(Schema):
    organization: int | None = None


class ClaimLineOut(Schema):
    scheme: str
    scheme_to_be_confirmed: bool
    item: str
    item_id: int
    item_name: str
    subject: str
    ref_id: int
    claim: str
    eligible: bool
    amount: int
    cap_left: int | None
    evidence_missing: list[str]
    reasons: list[str]
    failed_rules: list[str]
    application_id: int | None


class UnpaidOut(Schema):
    subject: str
    ref_id: int
    claim: str
    reason: str


class ClaimsOut(Schema):
    organization_id: int
    organization: str
    on: dt.date
    eligible: list[ClaimLineOut]
    not_eligible: list[ClaimLineOut]
    unpaid: list[UnpaidOut]


def _line(line) -> dict:
    option = line.option
    return {
        "scheme": option.scheme.code,
        "scheme_to_be_confirmed": option.scheme.to_be_confirmed,
        "item": option.item.code,
        "item_id": option.item.id,
        "item_name": line.item_name,
        "subject": option.claim.subject,
        "ref_id": option.claim.ref_id,
        "claim": option.claim.label,
        "eligible": line.eligible,
        "amount": option.amount,
        "cap_left": option.cap_left,
        "evidence_missing": [code for code, _label in line.evidence_missing],
        "reasons": line.reasons,
        "failed_rules": [check.check for check in option.failed],
        "application_id": line.application_id,
    }


@router.get(
    "/claims",
    response={200: ClaimsOut, **errors(401, 403, 404)},
    url_name="support_claims",
    auth=AUTH,
)
def claims(request, filters: Query[ClaimsIn]):
    """Every funding item the organization can claim (amount, cap left, evidence still missing)
    and every one it cannot, with the rules that failed. To its members (a token: its own
    organization) and the regulator (any organization, by id)."""
    organization = claims_organization(request, filters.organization)
    if organization is None:
        raise Http404(_("No such organization."))
    found = claims_for(organization)
    return {
        "organization_id": organization.pk,
        "organization": str(organization),
        "on": found.on,
        "eligible": [_line(line) for line in found.eligible],
        "not_eligible": [_line(line) for line in found.not_eligible],
        "unpaid": [
            {
                "subject": claim.subject,
                "ref_id": claim.ref_id,
                "claim": claim.label,
                "reason": no_item_reason(claim),
            }
            for claim in found.unpaid
        ],
    }


class DraftIn(Schema):
    organization: int | None = None
    item: int
    subject: str = "standard"
    ref: int
    amount: int


class DraftOut(Schema):
    id: int
    state: str
    url: str
    api: str


@router.post(
    "/applications",
    response={201: DraftOut, **errors(400, 401, 403, 404, 413)},
    url_name="support_application_draft",
    auth=AUTH,
)
def application_draft(request, payload: DraftIn):
    """Start a draft application for one eligible line of `/claims` (refused, with nothing
    written, past the scheme's application window or above the item's cap)."""
    from django.urls import reverse

    organization = claims_organization(request, payload.organization)
    if organization is None:
        raise Http404(_("No such organization."))
    application = draft_from_claim(
        organization=organization, values=payload.dict(), actor=request.user
    )
    return 201, {
        "id": application.pk,
        "state": application.state,
        "url": reverse("programme:application-detail", kwargs={"pk": application.pk}),
        "api": reverse("api:programme_application", kwargs={"pk": application.pk}),
    }


class PolicyOut(Schema):
    id: int
    title_zh: str
    title_en: str
    issuer_zh: str
    issuer_en: str
    document_number: str
    region: str
    region_zh: str
    region_en: str
    issued_on: dt.date
    effective_on: dt.date | None
    expires_on: dt.date | None
    status: str
    url: str
    summary_zh: str
    summary_en: str
    tags: list[str]
    industries: list[str]
    page: str

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_zh(obj) -> str:
        return obj.region.name_zh

    @staticmethod
    def resolve_region_en(obj) -> str:
        return obj.region.name_en

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.status_on(today())

    @staticmethod
    def resolve_page(obj) -> str:
        return obj.get_absolute_url()


class PolicyDetailOut(PolicyOut):
    full_text: str


@router.get(
    "/policies",
    response={200: list[PolicyOut], **errors(400)},
    url_name="support_policies",
)
@paginate(Paging)
def policies(
    request, q: str = "", region: str = "", industry: str = "", tag: str = "", status: str = ""
):
    """The policy library, newest first: words, a region (its policies and those of the regions
    above it), an industry (GB/T 4754 code), a tag, a status (`upcoming`, `in_force`,
    `expired`). Public. The filters are read as the page reads them (`PolicyFilter`): a bad one
    is a 400 naming it."""
    return policy_search(query_read(PolicyFilter, request.GET))


@router.get(
    "/policies/{pk}",
    response={200: PolicyDetailOut, **errors(404)},
    url_name="support_policy",
)
def policy(request, pk: int = PK):
    """One policy, with its full text where the library holds it."""
    found = policy_get(pk)
    if found is None:
        raise Http404(_("No such policy."))
    return found


class QuestionOut(Schema):
    id: int
    topic: str
    standard: str | None
    subject: str
    title: str
    body: str
    public: bool
    state: str
    expert: str | None
    answer: str
    answered_on: dt.date | None
    rating: str
    page: str

    @staticmethod
    def resolve_standard(obj) -> str | None:
        return obj.standard.canonical if obj.standard_id else None

    @staticmethod
    def resolve_expert(obj) -> str | None:
        return str(obj.expert) if obj.expert_id else None

    @staticmethod
    def resolve_page(obj) -> str:
        return obj.get_absolute_url()


class QuestionDetailOut(QuestionOut):
    lifecycle: LifecycleOut


@router.get(
    "/questions",
    response={200: list[QuestionOut], **errors()},
    url_name="support_questions",
)
@paginate(Paging)
def questions(request, q: str = "", standard: str = ""):
    """The knowledge base: public questions the experts answered, newest first; `q` words,
    `standard` an identifier (read as everywhere). Public; no asker is named."""
    from stdplus.catalog.selectors import standard_resolve

    standard_id = None
    if standard.strip():
        found = standard_resolve(standard.strip()).edition
        standard_id = found.pk if found else -1
    return public_answers(q[:200], standard_id)


@router.get(
    "/questions/{pk}",
    response={200: QuestionDetailOut, **errors(404)},
    url_name="support_question",
)
def question(request, pk: int = PK):
    """A question: public ones to everyone, private ones to the asking organization's members,
    the expert who took it and the regulator (else 404)."""
    found = question_visible_get(request.user, pk)
    if found is None:
        raise Http404(_("No such question."))
    found.lifecycle = lifecycle_payload(found, request.user)
    return found


class SessionOut(Schema):
    id: int
    course: str
    course_zh: str
    hours: int
    starts_on: dt.date
    ends_on: dt.date
    place: str
    online: bool
    region: str
    capacity: int
    taken: int
    waiting: int

    @staticmethod
    def resolve_course(obj) -> str:
        return obj.course.title_en or obj.course.title_zh

    @staticmethod
    def resolve_course_zh(obj) -> str:
        return obj.course.title_zh

    @staticmethod
    def resolve_hours(obj) -> int:
        return obj.course.hours

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code

    @staticmethod
    def resolve_waiting(obj) -> int:
        return obj.queued


@router.get("/sessions", response={200: list[SessionOut], **errors()}, url_name="support_sessions")
@paginate(Paging)
def sessions(request):
    """Training sessions, newest first, with the places taken and the waiting list. Public."""
    return sessions_open()


class VerifyOut(Schema):
    code: str
    valid: bool
    holder: str | None = None
    course: str | None = None
    hours: int | None = None
    issued_on: dt.date | None = None


@router.get(
    "/certificates/verify",
    response={200: VerifyOut, **errors()},
    url_name="support_certificate_verify",
)
def certificate_check(request, code: str = ""):
    """Is this certificate code genuine? A forged or altered code answers `valid: false`."""
    found = certificate_verify(code[:60]) if code else None
    if found is None:
        return {"code": code[:60], "valid": False}
    return {
        "code": found.code,
        "valid": True,
        "holder": found.holder_name,
        "course": found.course_title,
        "hours": found.hours,
        "issued_on": found.issued_on,
    }


class TalentOut(Schema):
    person: str
    hours: int
    certificates: int
    posts: list[str]
    fields: list[str]


@router.get(
    "/talent",
    response={200: list[TalentOut], **errors(401, 403)},
    url_name="support_talent",
    auth=AUTH,
)
def talent(request):
    """The talent pool (regulator staff only): people by training completed, posts and fields."""
    from stdplus.core.errors import PermissionDeniedError
    from stdplus.programme.permissions import can_keep_register

    if not can_keep_register(request.user) or getattr(request, "api_token", None) is not None:
        raise PermissionDeniedError(_("Only regulator staff see the talent pool."))
    return [
        {
            "person": row["person"].get_full_name() or row["person"].get_username(),
            "hours": row["hours"],
            "certificates": row["certificates"],
            "posts": row["posts"],
            "fields": row["fields"],
        }
        for row in talent_pool()
    ]
