"""Standards development over JSON (/api/v1/development/...): public projects, drafts open for
comment, a project with its history, a draft's comments, two versions compared, and an
officer's dashboard. The same readers as the pages."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from stdplus.accounts.selectors import organization_ids_for
from stdplus.core.dates import today
from stdplus.core.lifecycle_ui import lifecycle_payload
from stdplus.core.schemas import LifecycleOut, Paging, errors

from .clauses import clauses_compare
from .selectors import (
    ballot_result,
    dashboard_for,
    disposition_counts,
    draft_comments,
    last_ballot,
    open_for_comment,
    project_for_reader,
    projects_search,
)

router = Router(tags=["development"])


class DevelopmentProjectFields(Schema):
    id: int
    kind: str
    nature: str
    title_zh: str
    title_en: str
    state: str
    owner: str
    number: str
    plan_number: str
    comment_opens: dt.date | None
    comment_closes: dt.date | None
    published_on: dt.date | None
    review_due: dt.date | None
    url: str


class DevelopmentProjectOut(DevelopmentProjectFields):
    @staticmethod
    def resolve_owner(obj) -> str:
        return str(obj.owner)

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class BallotResultOut(Schema):
    round: int
    rule: str
    passed: bool
    arithmetic: list[str]
    eligible: int
    present: int
    approve: int
    disapprove: int
    abstain: int


class DevelopmentProjectDetailOut(DevelopmentProjectFields):
    revises: str | None
    standard: str | None
    drafting_organizations: list[str]
    versions: list[int]
    dispositions: dict[str, int]
    ballot: BallotResultOut | None
    lifecycle: LifecycleOut


class DraftCommentOut(Schema):
    id: int
    clause: str
    type: str
    commenter: str = Field(..., description="the name or organization given; never the email")
    text: str
    proposed_change: str
    reason: str
    disposition: str
    disposition_reason: str


class ClauseChangeOut(Schema):
    clause: str
    status: str
    old_heading: str
    new_heading: str
    pieces: list[list[str]]


class StayOut(Schema):
    kind: str
    state: str
    count: int = Field(..., description="finished stays in the state")
    median: float = Field(..., description="days")
    p90: float = Field(..., description="days, 90th percentile")


class DevelopmentDashboardOut(Schema):
    by_state: dict[str, int]
    stays: list[StayOut]
    overdue: list[DevelopmentProjectOut]
    closing: list[DevelopmentProjectOut]
    reviews_due: list[DevelopmentProjectOut]


def _project(request, pk: int):
    project = project_for_reader(request.user, pk)
    if project is None:
        raise Http404("no such project")
    return project


@router.get(
    "/projects",
    response={200: list[DevelopmentProjectOut], **errors()},
    url_name="development_projects",
)
@paginate(Paging)
def projects(request, kind: str = "", state: str = "", q: str = ""):
    return projects_search(kind=kind[:10], state=state[:12], q=q[:100])


@router.get(
    "/open", response={200: list[DevelopmentProjectOut], **errors()}, url_name="development_open"
)
def open_list(request):
    return list(open_for_comment(today()))


@router.get(
    "/projects/{pk}",
    response={200: DevelopmentProjectDetailOut, **errors(404)},
    url_name="development_project",
)
def project(request, pk: int):
    obj = _project(request, pk)
    ballot = last_ballot(obj)
    result = ballot_result(ballot) if ballot else None
    return {
        **{
            name: getattr(obj, name)
            for name in DevelopmentProjectFields.model_fields
            if hasattr(obj, name)
        },
        "owner": str(obj.owner),
        "url": obj.get_absolute_url(),
        "revises": obj.revises.canonical if obj.revises_id else None,
        "standard": obj.standard.canonical if obj.standard_id else None,
        "drafting_organizations": [
            str(d.organization) for d in obj.drafters.select_related("organization")
        ],
        "versions": list(obj.versions.values_list("version", flat=True)),
        "dispositions": disposition_counts(obj),
        "ballot": {
            "round": ballot.round,
            **{k: v for k, v in result.as_dict().items() if k in BallotResultOut.model_fields},
        }
        if ballot and result
        else None,
        "lifecycle": lifecycle_payload(obj, request.user),
    }


@router.get(
    "/projects/{pk}/drafts/{version}/comments",
    response={200: list[DraftCommentOut], **errors(404)},
    url_name="development_comments",
)
@paginate(Paging)
def comments(request, pk: int, version: int):
    obj = _project(request, pk)
    draft = obj.versions.filter(version=version).first()
    if draft is None:
        raise Http404("no such version")
    return [
        {
            "id": c.pk,
            "clause": c.clause_ref,
            "type": c.type,
            "commenter": c.member_body or c.author_name,
            "text": c.text,
            "proposed_change": c.proposed_change,
            "reason": c.reason,
            "disposition": c.disposition,
            "disposition_reason": c.disposition_reason,
        }
        for c in draft_comments(draft)
    ]


@router.get(
    "/projects/{pk}/compare",
    response={200: list[ClauseChangeOut], **errors(404)},
    url_name="development_compare",
)
def compare(request, pk: int, a: int = 0, b: int = 0):
    obj = _project(request, pk)
    versions = list(obj.versions.order_by("version"))
    if len(versions) < 2:
        return []
    old = obj.versions.filter(version=a or versions[-2].version).first()
    new = obj.versions.filter(version=b or versions[-1].version).first()
    if old is None or new is None:
        raise Http404("no such version")
    return [
        {
            "clause": c.ref,
            "status": c.status,
            "old_heading": c.old_heading,
            "new_heading": c.new_heading,
            "pieces": [list(p) for p in c.pieces],
        }
        for c in clauses_compare(list(old.clauses.all()), list(new.clauses.all()))
    ]


@router.get(
    "/dashboard",
    response={200: DevelopmentDashboardOut, **errors()},
    url_name="development_dashboard",
)
def dashboard(request):
    board = dashboard_for(organization_ids_for(request) if request.user.is_authenticated else [])
    return {
        "by_state": {value: n for value, _label, n in board.by_state},
        "overdue": [p for p, _due in board.overdue],
        "closing": board.closing,
        "reviews_due": board.reviews_due,
        "stays": [
            {"kind": s.kind, "state": s.state, "count": s.count, "median": s.median, "p90": s.p90}
            for s in board.stays
        ],
    }
