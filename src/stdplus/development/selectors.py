"""Reads: who may see and do what, the public lists, a draft's comments, ballots, dashboards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from stdplus.accounts.selectors import is_admin, is_member
from stdplus.core.dates import today
from stdplus.core.lifecycle import is_person
from stdplus.core.lifecycle_ui import clocks_of

from .choices import ACTIVE_STATES, IN_FORCE_STATES, PRIVATE_STATES, CommentSource, State
from .models import Ballot, Comment, DraftVersion, Project
from .rules import BallotResult, ballot_count, rules_for


def is_officer(user, project: Project) -> bool:
    return is_person(user) and is_member(user=user, organization_id=project.owner_id)


def is_approver(user, project: Project) -> bool:
    return is_person(user) and is_admin(user=user, organization=project.owner)


def is_drafter(user, project: Project) -> bool:
    if not is_person(user):
        return False
    return any(
        is_member(user=user, organization_id=org_id)
        for org_id in project.drafters.values_list("organization_id", flat=True)
    )


def is_public(project: Project) -> bool:
    """Public from approval on (a proposal that was rejected stays private)."""
    if project.state in PRIVATE_STATES:
        return False
    return not (project.state == State.TERMINATED and project.plan_number == "")


def can_see(user, project: Project) -> bool:
    if is_public(project):
        return True
    if not is_person(user):
        return False
    return (
        user.is_staff
        or project.proposed_by_id == user.pk
        or is_officer(user, project)
        or is_drafter(user, project)
    )


def project_for_reader(user, pk: int) -> Project | None:
    project = Project.objects.select_related("owner", "revises", "standard").filter(pk=pk).first()
    if project is None or not can_see(user, project):
        return None
    return project


# Before the review starts, the disposition table is being written: the officers' only.
DISPOSITIONS_UNPUBLISHED = (
    State.PROPOSED,
    State.APPROVED,
    State.DRAFTING,
    State.COMMENT,
    State.HANDLING,
)


def dispositions_readable(user, project: Project) -> bool:
    """Whether `user` may read the comment summary and disposition table (XLSX and PDF):
    anyone who sees the project once it left comment handling (it is published then), its
    officers before. The draft must have a text to comment on."""
    if comment_draft(project) is None or not can_see(user, project):
        return False
    return project.state not in DISPOSITIONS_UNPUBLISHED or is_officer(user, project)


def public_projects() -> QuerySet[Project]:
    return (
        Project.objects.exclude(state__in=PRIVATE_STATES)
        .exclude(state=State.TERMINATED, plan_number="")
        .select_related("owner")
    )


def projects_search(*, kind: str = "", state: str = "", q: str = "") -> QuerySet[Project]:
    queryset = public_projects()
    if kind:
        queryset = queryset.filter(kind=kind)
    if state:
        queryset = queryset.filter(state=state)
    if q:
        queryset = queryset.filter(
            Q(title_zh__icontains=q) | Q(title_en__icontains=q) | Q(number__icontains=q)
        )
    return queryset.order_by("-pk")


def open_for_comment(on: dt.date | None = None) -> QuerySet[Project]:
    """Drafts open for public comment today, the ones closing soonest first."""
    on = on or today()
    return (
        Project.objects.filter(state=State.COMMENT, comment_opens__lte=on, comment_closes__gte=on)
        .select_related("owner")
        .order_by("comment_closes", "pk")
    )


def accepts_comments(project: Project, on: dt.date | None = None) -> bool:
    on = on or today()
    return (
        project.state == State.COMMENT
        and project.comment_opens is not None
        and project.comment_closes is not None
        and project.comment_opens <= on <= project.comment_closes
    )


def latest_draft(project: Project) -> DraftVersion | None:
    return project.versions.order_by("-version").first()


def comment_draft(project: Project) -> DraftVersion | None:
    """The version under public comment: the latest version with clauses."""
    from django.db.models import Exists, OuterRef

    from .models import Clause

    has_clauses = Exists(Clause.objects.filter(draft=OuterRef("pk")))
    return project.versions.filter(has_clauses).order_by("-version").first()


# Comments in clause order, whole-text comments (no clause) first on every database
# (PostgreSQL sorts NULL last, SQLite first).
COMMENT_ORDER = (F("clause__order").asc(nulls_first=True), "id")


def draft_comments(draft: DraftVersion, *, source: str = CommentSource.PUBLIC) -> QuerySet:
    """A draft's confirmed comments, in clause order (whole-text comments first)."""
    return (
        Comment.objects.filter(draft=draft, confirmed=True, source=source)
        .select_related("clause")
        .order_by(*COMMENT_ORDER)
    )


def comments_undecided(project: Project, *, source: str) -> int:
    return (
        Comment.objects.filter(project=project, confirmed=True, source=source)
        .filter(Q(disposition="") | Q(disposition_reason=""))
        .count()
    )


def disposition_counts(project: Project, *, source: str = CommentSource.PUBLIC) -> dict:
    rows = (
        Comment.objects.filter(project=project, confirmed=True, source=source)
        .values("disposition")
        .annotate(n=Count("id"))
    )
    return {row["disposition"]: row["n"] for row in rows}


def current_ballot(project: Project) -> Ballot | None:
    return project.ballots.filter(closed_at__isnull=True).order_by("-round").first()


def last_ballot(project: Project) -> Ballot | None:
    return project.ballots.order_by("-round").first()


def ballot_result(ballot: Ballot) -> BallotResult:
    eligible = ballot.project.panel.filter(excluded=False).count()
    positions = list(ballot.votes.filter(seat__excluded=False).values_list("position", flat=True))
    return ballot_count(ballot.pass_rule, eligible=eligible, positions=positions)


# ----------------------------------------------------------------------------------------------
# Dashboards


@dataclass
class Dashboard:
    by_state: list[tuple[str, str, int]]
    overdue: list[tuple[Project, dt.date]]
    closing: list[Project]
    reviews_due: list[Project]
    stays: list = None  # type: ignore[assignment]


def dashboard_for(organization_ids: list[int], on: dt.date | None = None) -> Dashboard:
    on = on or today()
    projects = Project.objects.filter(owner_id__in=organization_ids)
    counts = dict(projects.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    by_state = [(value, label, counts.get(value, 0)) for value, label in State.choices]
    overdue = []
    for project in projects.filter(state__in=[*ACTIVE_STATES, State.PROPOSED, State.PUBLISHED]):
        for clock in clocks_of(project):
            if clock.overdue and clock.due is not None:
                overdue.append((project, clock.due))
    closing = list(
        projects.filter(
            state=State.COMMENT, comment_closes__gte=on, comment_closes__lte=on + dt.timedelta(7)
        ).order_by("comment_closes")
    )
    horizon = on + dt.timedelta(
        days=max(rules_for(k).review_notice_days for k in ("local", "group"))
    )
    reviews_due = list(
        projects.filter(state__in=IN_FORCE_STATES, review_due__lte=horizon).order_by("review_due")
    )
    return Dashboard(
        by_state=by_state,
        overdue=overdue,
        closing=closing,
        reviews_due=reviews_due,
        stays=state_stays(projects),
    )


# ----------------------------------------------------------------------------------------------
# Time spent in each state


@dataclass(frozen=True)
class Stay:
    kind: str
    state: str
    count: int
    median: float
    p90: float

    @property
    def kind_label(self) -> str:
        from .choices import Kind

        return str(Kind(self.kind).label)

    @property
    def state_label(self) -> str:
        return str(State(self.state).label)


def _quantile(values: list[int], q: float) -> float:
    """The q-quantile by linear interpolation between the closest ranks."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return float(ordered[0])
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def state_stays(projects: QuerySet | None = None) -> list[Stay]:
    """Days spent in each state (finished stays: from entering it to the next step), median and
    90th percentile per kind of project, so the regulator sees where projects stall."""
    from .models import ProjectEvent

    events = ProjectEvent.objects.all()
    if projects is not None:
        events = events.filter(project__in=projects)
    rows = events.order_by("project_id", "on", "id").values_list(
        "project_id", "project__kind", "to_state", "on"
    )
    days: dict[tuple[str, str], list[int]] = {}
    previous = None
    for project_id, kind, state, on in rows.iterator(chunk_size=5000):
        if previous is not None and previous[0] == project_id:
            days.setdefault((kind, previous[1]), []).append((on - previous[2]).days)
        previous = (project_id, state, on)
    order = {value: index for index, value in enumerate(State.values)}
    return [
        Stay(kind, state, len(values), _quantile(values, 0.5), _quantile(values, 0.9))
        for (kind, state), values in sorted(
            days.items(), key=lambda item: (item[0][0], order[item[0][1]])
        )
    ]


def development_version() -> str:
    """Changes with every project and every step (the statistics' cache is keyed on it)."""
    from stdplus.core.versions import data_stamp

    from .models import ProjectEvent

    return data_stamp((Project, "MAX", "id"), (ProjectEvent, "MAX", "id"))
