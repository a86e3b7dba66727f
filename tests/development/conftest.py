"""A development world: an association (with its group code) and a department, their
officers and approvers, drafting organizations, experts, and projects at any state."""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from stdplus.accounts.models import Membership, OrganizationKind, Role
from stdplus.core.dates import today
from stdplus.core.lifecycle import transition_apply
from stdplus.development.choices import DocumentKind, Kind
from stdplus.development.models import Clause, DraftVersion, PanelSeat
from stdplus.development.services import document_add, drafter_add, project_create
from stdplus.programme.choices import IssuerKind
from stdplus.programme.models import Expert, IssuerCode
from tests.programme.factories import OrganizationFactory

_serial = itertools.count(1)
PDF = b"%PDF-1.4\n% a tiny test document\n"
TEXT = """Foreword
1 Scope
This standard applies to drinking water fountains in parks.
2 Normative references
GB 5749 applies.
3 Requirements
3.1 The water shall be safe.
3.2 The fountain shall be cleaned weekly.
"""


def pdf(name: str = "proposal.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def user(name: str, email: str = "") -> User:
    return User.objects.create_user(f"{name}{next(_serial)}", email=email)


def member(organization, *, admin: bool = False, name: str = "m") -> User:
    person = user(name, email=f"{name}{next(_serial)}@example.org")
    Membership.objects.create(
        user=person, organization=organization, role=Role.ADMIN if admin else Role.MEMBER
    )
    return person


def make_owner(kind: str):
    n = next(_serial)
    if kind == Kind.GROUP:
        owner = OrganizationFactory(
            name_zh=f"深圳测试协会{n}",
            name_en=f"Shenzhen Test Association {n}",
            kind=OrganizationKind.ASSOCIATION,
        )
        IssuerCode.objects.create(code=f"T/SZT{n}", kind=IssuerKind.GROUP, organization=owner)
    else:
        owner = OrganizationFactory(
            name_zh=f"深圳市测试局{n}",
            name_en=f"Shenzhen Test Bureau {n}",
            kind=OrganizationKind.REGULATOR,
            region_code="440300",
        )
    return owner


class Team(SimpleNamespace):
    pass


def make_team(kind: str) -> Team:
    owner = make_owner(kind)
    drafter_org = OrganizationFactory()
    other_org = OrganizationFactory()
    team = Team(
        kind=kind,
        owner=owner,
        officer=member(owner, name="officer"),
        approver=member(owner, admin=True, name="approver"),
        proposer=user("proposer", "proposer@example.org"),
        drafter_org=drafter_org,
        drafter=member(drafter_org, name="drafter"),
        other_org=other_org,
        stranger=user("stranger"),
    )
    team.expert_user = user("expert", "expert@example.org")
    n = next(_serial)
    team.expert = Expert.objects.create(
        name_zh=f"评审专家{n}", name_en=f"Reviewer {n}", organization=other_org
    )
    team.conflicted = Expert.objects.create(
        name_zh=f"起草专家{n}", name_en=f"Drafter {n}", organization=drafter_org
    )
    team.conflicted_user = member(drafter_org, name="conflicted")
    return team


def make_project(team: Team, *, draft: bool = True, panel: bool = True, revises=None):
    project = project_create(
        user=team.proposer,
        owner=team.owner,
        kind=team.kind,
        values={"title_zh": f"公园直饮水设施{next(_serial)}", "title_en": "Drinking fountains"},
        revises=revises,
    )
    document_add(project=project, user=team.proposer, kind=DocumentKind.PROPOSAL, upload=pdf())
    drafter_add(project=project, user=team.officer, organization=team.drafter_org, lead=True)
    if draft:
        version = DraftVersion.objects.create(project=project, version=1, uploaded_by=team.drafter)
        from stdplus.development.clauses import clauses_parse

        Clause.objects.bulk_create(
            Clause(draft=version, ref=c.ref, order=i, heading=c.heading, text=c.text)
            for i, c in enumerate(clauses_parse(TEXT))
        )
    if panel:
        PanelSeat.objects.create(project=project, expert=team.expert, user=team.expert_user)
        from stdplus.development.services import seats_recheck

        PanelSeat.objects.create(project=project, expert=team.conflicted, user=team.conflicted_user)
        seats_recheck(project)
    return project


def step_data(team: Team, action: str, project) -> dict:
    """Valid inputs of each step (and what a step needs done before it: the panel's vote)."""
    on = today()
    if action == "approve":
        return {
            "plan_number": f"PLAN-{project.pk}",
            "deadline": (on + dt.timedelta(365)).isoformat(),
        }
    if action == "open_comment":
        return {
            "opens": (on - dt.timedelta(40)).isoformat(),
            "closes": (on - dt.timedelta(1)).isoformat(),
        }
    if action == "pass_review":
        from stdplus.development.selectors import current_ballot
        from stdplus.development.services import vote_cast

        ballot = current_ballot(project)
        if ballot is not None and not ballot.votes.exists():
            vote_cast(project=project, user=team.expert_user, position="approve")
        return {}
    if action == "file":
        return {"filing_number": f"FILE-{project.pk}"}
    return {}


PATH = {
    "approve": "approved",
    "start_drafting": "drafting",
    "open_comment": "comment",
    "close_comment": "handling",
    "send_to_review": "review",
    "pass_review": "approval",
    "approve_standard": "numbering",
    "publish": "published",
}
APPROVER_STEPS = {
    "approve",
    "reject",
    "approve_standard",
    "confirm",
    "revise",
    "abolish",
    "suspend",
    "resume",
    "terminate",
}


def advance(team: Team, project, until: str):
    """Take the main path's steps up to (and including) the step `until`."""
    for action in PATH:
        who = team.approver if action in APPROVER_STEPS else team.officer
        transition_apply(project, action, actor=who, data=step_data(team, action, project))
        if action == until:
            break
    return project


@pytest.fixture
def group_team(db):
    return make_team(Kind.GROUP)


@pytest.fixture
def local_team(db):
    return make_team(Kind.LOCAL)


def print_jobs_run() -> int:
    """Run the queued print jobs of disposition tables now, as the worker would (the tests'
    transactions never commit, so the jobs a step submitted wait for this)."""
    from stdplus.core.jobs import job_execute
    from stdplus.core.models import Job
    from stdplus.development.tasks import PRINT_JOB

    ran = 0
    for job_id in Job.objects.filter(name=PRINT_JOB, state=Job.QUEUED).values_list("pk", flat=True):
        ran += job_execute(job_id)
    return ran
