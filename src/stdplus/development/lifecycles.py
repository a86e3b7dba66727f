"""The two development lifecycles (see stdplus.core.lifecycle): one table per kind.

proposal → approved (立项: plan number, deadline) → drafting → public comment (at least the
kind's minimum days; a shorter notice is refused, and comment cannot close before the day the
notice names) → comment handling (every comment decided before it leaves) → technical review
(ballot of the expert panel, passing by the project's rule) → approval → numbering →
published (into the catalog) → [local: filed (备案)] → periodic review due → confirmed (back
in force), revised, or abolished. Suspended and terminated from the working states.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from stdplus.accounts.selectors import is_admin, is_member
from stdplus.core.errors import ApplicationError
from stdplus.core.lifecycle import (
    SYSTEM,
    Attempt,
    Clock,
    Input,
    Lifecycle,
    Refusal,
    Role,
    Step,
    evidence_attached,
    guard,
    is_person,
)

from .choices import ACTIVE_STATES, DocumentKind, GroupState, Kind
from .choices import State as S
from .models import Project, ProjectEvent
from .rules import rules_for

OFFICER = Role(
    _("the secretariat's or department's officers"),
    lambda actor, obj: is_person(actor) and is_member(user=actor, organization_id=obj.owner_id),
)
APPROVER = Role(
    _("the approver (an administrator of the department or association)"),
    lambda actor, obj: is_person(actor) and is_admin(user=actor, organization=obj.owner),
)


def _days_between(attempt: Attempt) -> int | None:
    opens, closes = attempt.data.get("opens"), attempt.data.get("closes")
    if opens is None or closes is None:
        return None
    return (closes - opens).days


def _notice_long_enough(attempt: Attempt) -> Refusal | None:
    days = _days_between(attempt)
    minimum = rules_for(attempt.obj.kind).comment_min_days
    if days is None or days >= minimum:
        return None
    return Refusal(
        "notice_too_short",
        _(
            "The comment period from %(opens)s to %(closes)s is %(days)s days: a %(kind)s "
            "needs at least %(minimum)s days of public comment."
        ),
        {
            "opens": attempt.data["opens"].isoformat(),
            "closes": attempt.data["closes"].isoformat(),
            "days": days,
            "kind": attempt.obj.get_kind_display().lower(),
            "minimum": minimum,
        },
        field="closes",
    )


def _comment_over(attempt: Attempt) -> Refusal | None:
    closes = attempt.obj.comment_closes
    if closes is None or attempt.on > closes or attempt.on < attempt.entered:
        return None  # (a day before the last step is refused by the engine, as such)
    return Refusal(
        "comment_still_open",
        _(
            "Public comment runs until %(closes)s (at least %(minimum)s days): it can close from "
            "the day after, not on %(on)s."
        ),
        {
            "closes": closes.isoformat(),
            "minimum": rules_for(attempt.obj.kind).comment_min_days,
            "on": attempt.on.isoformat(),
        },
        field="on",
    )


def _has_lead(attempt: Attempt) -> bool:
    return attempt.obj.drafters.filter(is_lead=True).exists()


def _has_clauses(attempt: Attempt) -> bool:
    return attempt.obj.versions.filter(clauses__isnull=False).exists()


def _undecided(attempt: Attempt, source: str) -> int:
    from .selectors import comments_undecided

    return comments_undecided(attempt.obj, source=source)


def _ballot_refusal(attempt: Attempt) -> Refusal | None:
    from .selectors import ballot_result, current_ballot

    ballot = current_ballot(attempt.obj)
    if ballot is None:
        return Refusal("no_ballot", _("The technical review has no ballot."), {})
    result = ballot_result(ballot)
    if result.passed:
        return None
    return Refusal(
        "ballot_not_passed",
        _("The ballot has not passed: %(arithmetic)s"),
        {"arithmetic": " ".join(result.lines)},
    )


def _has_panel(attempt: Attempt) -> bool:
    return attempt.obj.panel.filter(excluded=False).exists()


def _number_validator(attempt: Attempt) -> Refusal | None:
    from .numbering import number_check, number_propose

    year = attempt.on.year
    try:
        text = attempt.data.get("number") or number_propose(attempt.obj, year=year)
        attempt.data["number"] = number_check(attempt.obj, text, year=year)
    except ApplicationError as error:
        return Refusal(error.code, error.template, error.params, field="number")
    effective = attempt.data.get("effective")
    if effective is not None and effective < attempt.on:
        return Refusal(
            "effective_before_publication",
            _("The standard cannot take effect (%(effective)s) before it is published."),
            {"effective": effective.isoformat()},
            field="effective",
        )
    return None


def _publish(attempt: Attempt) -> dict:
    from .services import standard_publish

    edition = standard_publish(
        attempt.obj,
        number=attempt.data["number"],
        published=attempt.on,
        effective=attempt.data.get("effective") or attempt.on,
    )
    return {"number": edition.canonical}


def _opened(attempt: Attempt) -> dict:
    from .services import ballot_open, dispositions_notify, dispositions_print_submit

    ballot = ballot_open(attempt.obj)
    told = dispositions_notify(attempt.obj)
    # The table is published now: printed once, in both languages, by background jobs that
    # start when this step commits (the download serves the stored PDF).
    dispositions_print_submit(attempt.obj)
    return {"ballot_round": ballot.round, "commenters_told": told}


DETAILS = {
    "ballot_round": _("ballot round"),
    "commenters_told": _("commenters told the decision"),
    "eligible": _("eligible panel members"),
    "present": _("members who took part"),
    "approvals": _("approvals"),
    "disapprovals": _("disapprovals"),
    "abstentions": _("abstentions"),
    "next_review_due": _("next periodic review due"),
    "withdrawn": _("withdrawn"),
}


def _reviewed(attempt: Attempt) -> dict:
    from .selectors import ballot_result, current_ballot
    from .services import ballot_close

    ballot = current_ballot(attempt.obj)
    if ballot is None:
        return {}
    result = ballot_result(ballot)
    ballot_close(ballot)
    return {
        "ballot_round": ballot.round,
        "eligible": result.eligible,
        "present": result.present,
        "approvals": result.approve,
        "disapprovals": result.disapprove,
        "abstentions": result.abstain,
    }


def _confirmed(attempt: Attempt) -> dict:
    from .services import review_confirm

    return review_confirm(attempt.obj, on=attempt.on)


def _abolished(attempt: Attempt) -> dict:
    from .services import standard_abolish

    return standard_abolish(attempt.obj, on=attempt.on)


def _deadline_days(state: str):
    def days(obj) -> int | None:
        if state in (S.APPROVED, S.DRAFTING):
            if obj.deadline is None or obj.state_since is None:
                return None
            return max(0, (obj.deadline - obj.state_since).days)
        if state == S.COMMENT:
            if obj.comment_closes is None or obj.state_since is None:
                return None
            return max(0, (obj.comment_closes - obj.state_since).days)
        return rules_for(obj.kind).deadlines.get(state)

    return days


def _clocks(kind: str) -> list[Clock]:
    states = [S.APPROVED, S.DRAFTING, S.COMMENT, *rules_for(kind).deadlines]
    return [Clock(state, deadline=_deadline_days(state), label=_("deadline")) for state in states]


def _steps(kind: str) -> list[Step]:
    in_force = S.FILED if kind == Kind.LOCAL else S.PUBLISHED
    working = [s for s in ACTIVE_STATES if s != S.COMMENT]
    steps = [
        Step(
            "approve",
            _("Approve the project"),
            [S.PROPOSED],
            S.APPROVED,
            who=[APPROVER],
            guards=[evidence_attached("documents", _("The proposal"), kind=DocumentKind.PROPOSAL)],
            inputs=[
                Input("plan_number", _("plan number"), required=True),
                Input("deadline", _("deadline"), kind="date", required=True),
            ],
            records={"plan_number": "plan_number", "deadline": "deadline"},
        ),
        Step(
            "reject",
            _("Reject the proposal"),
            [S.PROPOSED],
            S.TERMINATED,
            who=[APPROVER],
            note_required=True,
        ),
        Step(
            "start_drafting",
            _("Start drafting"),
            [S.APPROVED],
            S.DRAFTING,
            who=[OFFICER],
            guards=[
                guard(
                    _has_lead,
                    _("Name the drafting organizations and their lead first."),
                    code="no_lead_drafter",
                )
            ],
        ),
        Step(
            "open_comment",
            _("Open public comment"),
            [S.DRAFTING],
            S.COMMENT,
            who=[OFFICER],
            guards=[
                guard(
                    _has_clauses,
                    _("Upload a draft with its text as clauses first."),
                    code="no_draft",
                )
            ],
            inputs=[
                Input("opens", _("comment opens"), kind="date", required=True),
                Input(
                    "closes",
                    _("comment closes"),
                    kind="date",
                    required=True,
                    help=_("At least 30 days after it opens."),
                ),
            ],
            validators=[_notice_long_enough],
            records={"comment_opens": "opens", "comment_closes": "closes"},
        ),
        Step(
            "close_comment",
            _("Close public comment"),
            [S.COMMENT],
            S.HANDLING,
            who=[OFFICER, SYSTEM],
            guards=[_comment_over],
        ),
        Step(
            "send_to_review",
            _("Send to technical review"),
            [S.HANDLING],
            S.REVIEW,
            who=[OFFICER],
            guards=[
                guard(
                    lambda attempt: _undecided(attempt, "public") == 0,
                    _(
                        "%(count)s comment(s) have no decision with a reason yet: decide every "
                        "comment first."
                    ),
                    code="comments_without_decision",
                    params=lambda attempt: {"count": _undecided(attempt, "public")},
                ),
                guard(
                    _has_panel,
                    _("Name the expert panel first (at least one member without a conflict)."),
                    code="no_panel",
                ),
            ],
            effect=_opened,
            help=_(
                "Publishes the disposition table, tells each commenter the decision and "
                "opens the panel's ballot."
            ),
        ),
        Step(
            "pass_review",
            _("Conclude the review: passed"),
            [S.REVIEW],
            S.APPROVAL,
            who=[OFFICER],
            guards=[
                _ballot_refusal,
                guard(
                    lambda attempt: _undecided(attempt, "review") == 0,
                    _("%(count)s review comment(s) have no decision with a reason yet."),
                    code="comments_without_decision",
                    params=lambda attempt: {"count": _undecided(attempt, "review")},
                ),
            ],
            effect=_reviewed,
        ),
        Step(
            "return_to_drafting",
            _("Conclude the review: back to drafting"),
            [S.REVIEW],
            S.DRAFTING,
            who=[OFFICER],
            note_required=True,
            effect=_reviewed,
        ),
        Step(
            "approve_standard",
            _("Approve the standard"),
            [S.APPROVAL],
            S.NUMBERING,
            who=[APPROVER],
        ),
        Step(
            "publish",
            _("Number and publish"),
            [S.NUMBERING],
            S.PUBLISHED,
            who=[OFFICER],
            inputs=[
                Input(
                    "number",
                    _("number"),
                    help=_("Leave empty for the next number the system proposes."),
                ),
                Input("effective", _("effective"), kind="date"),
            ],
            validators=[_number_validator],
            records={"number": "number", "published_on": "@on", "effective_on": "effective"},
            effect=_publish,
            help=_("The standard enters the catalog as a new edition."),
        ),
    ]
    if kind == Kind.LOCAL:
        steps.append(
            Step(
                "file",
                _("Record the filing"),
                [S.PUBLISHED],
                S.FILED,
                who=[OFFICER],
                inputs=[Input("filing_number", _("filing number"), required=True)],
                records={"filing_number": "filing_number"},
            )
        )
    steps += [
        Step(
            "open_review",
            _("Open the periodic review"),
            [in_force],
            S.REVIEW_DUE,
            who=[OFFICER, SYSTEM],
        ),
        Step(
            "confirm",
            _("Review outcome: confirm"),
            [S.REVIEW_DUE],
            in_force,
            who=[APPROVER],
            effect=_confirmed,
        ),
        Step(
            "revise",
            _("Review outcome: revise"),
            [S.REVIEW_DUE],
            S.REVISING,
            who=[APPROVER],
            help=_("Start a revision project from the project's page."),
        ),
        Step(
            "abolish",
            _("Review outcome: abolish"),
            [S.REVIEW_DUE],
            S.ABOLISHED,
            who=[APPROVER],
            note_required=True,
            effect=_abolished,
        ),
        Step(
            "suspend",
            _("Suspend"),
            working,
            S.SUSPENDED,
            who=[APPROVER],
            note_required=True,
        ),
        Step(
            "resume",
            _("Resume (back to drafting)"),
            [S.SUSPENDED],
            S.DRAFTING,
            who=[APPROVER],
            note_required=True,
        ),
        Step(
            "terminate",
            _("Terminate"),
            [*ACTIVE_STATES, S.SUSPENDED],
            S.TERMINATED,
            who=[APPROVER],
            note_required=True,
        ),
    ]
    return steps


LOCAL = Lifecycle(
    name="local_standard",
    label=_("local standard project"),
    model=Project,
    states=S,
    initial=[S.PROPOSED],
    event_model=ProjectEvent,
    subject_field="project",
    since_field="state_since",
    clocks=_clocks(Kind.LOCAL),
    when=lambda obj: obj.kind == Kind.LOCAL,
    steps=_steps(Kind.LOCAL),
    start_label=_("Proposed"),
    data_labels=DETAILS,
)

GROUP = Lifecycle(
    name="group_standard",
    label=_("group standard project"),
    model=Project,
    states=GroupState,
    initial=[S.PROPOSED],
    event_model=ProjectEvent,
    subject_field="project",
    since_field="state_since",
    clocks=_clocks(Kind.GROUP),
    when=lambda obj: obj.kind == Kind.GROUP,
    steps=_steps(Kind.GROUP),
    start_label=_("Proposed"),
    data_labels=DETAILS,
)
