"""The lifecycles of spot checks, evaluation schemes and leaders (see stdplus.core.lifecycle).

Spot check: assigned → evaluated (the inspectors' outcome, every checklist item judged) →
responded (the enterprise answers a rectification request) → closed (the regulator). A
non-conforming outcome revokes the product's leader certificates at once.

Scheme: draft → in public notice (at least its notice period, 10 working days by default) →
in effect (no open objection) → superseded (when a newer version takes effect); an upheld
objection sends it back to draft.

Leader: nominated (from a ranking run) → commitment given (the enterprise) → public notice →
certified leader (after the notice period, with validity dates) → revoked; or declined.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from stdplus.accounts.selectors import is_member
from stdplus.core.dates import today
from stdplus.core.lifecycle import (
    SYSTEM,
    Attempt,
    Clock,
    Input,
    Lifecycle,
    Refusal,
    Role,
    Step,
    guard,
    is_person,
    minimum_time,
    permission_role,
    transition_apply,
)

from .choices import CheckState as C
from .choices import Judgment, LeaderState, ObjectionState, Outcome, SchemeState
from .models import (
    LeaderEntry,
    LeaderEvent,
    Scheme,
    SchemeEvent,
    SpotCheck,
    SpotCheckEvent,
)

RUN_SPOTCHECKS = "supervision.run_spotchecks"
REGULATOR = permission_role(RUN_SPOTCHECKS, _("the regulator"))
INSPECTORS = Role(
    _("the inspectors assigned"),
    lambda actor, obj: (
        is_person(actor) and obj.inspectors.filter(user_id=actor.pk, active=True).exists()
    ),
)
CHECKED_ENTERPRISE = Role(
    _("the enterprise's members"),
    lambda actor, obj: (
        is_person(actor) and is_member(user=actor, organization_id=obj.declaration.enterprise_id)
    ),
)
LEADER_ENTERPRISE = Role(
    _("the enterprise's members"),
    lambda actor, obj: (
        is_person(actor) and is_member(user=actor, organization_id=obj.enterprise_id)
    ),
)

# ----------------------------------------------------------------------------------------------
# Spot checks


def _unjudged(attempt: Attempt) -> int:
    return attempt.obj.items.filter(judgment="").count()


def _outcome_consistent(attempt: Attempt) -> Refusal | None:
    outcome = attempt.data.get("outcome")
    due = attempt.data.get("rectification_due")
    if outcome != Outcome.CONFORMING and due is None:
        return Refusal(
            "input_required",
            _("%(field)s is required unless the outcome is “conforming”."),
            {"field": _("rectification deadline")},
            field="rectification_due",
        )
    if due is not None and due < attempt.on:
        return Refusal(
            "invalid_input",
            _("The rectification deadline %(due)s is before the evaluation (%(on)s)."),
            {"due": due.isoformat(), "on": attempt.on.isoformat()},
            field="rectification_due",
        )
    judged = set(attempt.obj.items.values_list("judgment", flat=True))
    if outcome == Outcome.CONFORMING and judged & {Judgment.DEFECT, Judgment.FAIL}:
        return Refusal(
            "outcome_inconsistent",
            _("An item is judged a defect or a failure: the outcome cannot be “conforming”."),
            field="outcome",
        )
    if outcome != Outcome.NON_CONFORMING and Judgment.FAIL in judged:
        return Refusal(
            "outcome_inconsistent",
            _("An item fails its requirement: the outcome must be “non-conforming”."),
            field="outcome",
        )
    return None


def _evaluated(attempt: Attempt) -> dict:
    check: SpotCheck = attempt.obj
    if attempt.data.get("outcome") == Outcome.CONFORMING:
        check.rectification_due = None
    if attempt.data.get("outcome") == Outcome.NON_CONFORMING:
        for entry in LeaderEntry.objects.filter(
            declaration__series=check.declaration.series,
            state__in=[LeaderState.NOTICE, LeaderState.LEADER],
        ):
            transition_apply(
                entry,
                "revoke",
                actor=None,
                on=attempt.on,
                note=str(_("Non-conforming in spot check %(check)s.") % {"check": check.pk}),
            )
    # The judgments stay on the checklist, frozen from now on; each revocation is its own event.
    return {}


def _may_close(attempt: Attempt) -> bool:
    check = attempt.obj
    if check.state == C.RESPONDED or check.outcome == Outcome.CONFORMING:
        return True
    # The deadline has passed by now (the day the regulator acts), whatever the step's date.
    return check.rectification_due is not None and today() >= check.rectification_due


SPOT_CHECK = Lifecycle(
    name="spot_check",
    label=_("spot check"),
    model=SpotCheck,
    states=C,
    initial=[C.ASSIGNED],
    event_model=SpotCheckEvent,
    subject_field="spot_check",
    since_field="state_since",
    steps=[
        Step(
            "evaluate",
            _("Record the outcome"),
            [C.ASSIGNED],
            C.EVALUATED,
            who=[INSPECTORS],
            guards=[
                guard(
                    lambda attempt: _unjudged(attempt) == 0,
                    _("%(count)s checklist item(s) are not judged yet."),
                    code="items_unjudged",
                    params=lambda attempt: {"count": _unjudged(attempt)},
                )
            ],
            inputs=[
                Input(
                    "outcome", _("outcome"), kind="choice", choices=Outcome.choices, required=True
                ),
                Input("rectification_due", _("rectification deadline"), kind="date"),
            ],
            validators=[_outcome_consistent],
            records={
                "outcome": "outcome",
                "rectification_due": "rectification_due",
                "evaluated_on": "@on",
            },
            effect=_evaluated,
            help=_("A non-conforming outcome revokes the product's leader certificates."),
        ),
        Step(
            "respond",
            _("Respond (rectification)"),
            [C.EVALUATED],
            C.RESPONDED,
            who=[CHECKED_ENTERPRISE],
            guards=[
                guard(
                    lambda attempt: attempt.obj.outcome != Outcome.CONFORMING,
                    _("The outcome is “conforming”: there is nothing to rectify."),
                    code="nothing_to_rectify",
                )
            ],
            inputs=[Input("response", _("response"), required=True)],
            records={"response": "response"},
        ),
        Step(
            "close",
            _("Close"),
            [C.EVALUATED, C.RESPONDED],
            C.CLOSED,
            who=[REGULATOR],
            guards=[
                guard(
                    _may_close,
                    _(
                        "The enterprise has until %(due)s to respond: close after it responds "
                        "or the deadline passes."
                    ),
                    code="rectification_pending",
                    params=lambda attempt: {
                        "due": attempt.obj.rectification_due.isoformat()
                        if attempt.obj.rectification_due
                        else "—"
                    },
                )
            ],
            records={"closed_on": "@on"},
        ),
    ],
)

# ----------------------------------------------------------------------------------------------
# Evaluation schemes

SCHEME_NOTICE = Clock(
    SchemeState.NOTICE,
    minimum=lambda scheme: scheme.notice_days or None,  # 0: no notice period
    working_days=True,
    label=_("public notice"),
)


def _open_objections(attempt: Attempt) -> int:
    return attempt.obj.objections.filter(state=ObjectionState.OPEN).count()


def _takes_effect(attempt: Attempt) -> dict:
    older = Scheme.objects.filter(
        category_id=attempt.obj.category_id, state=SchemeState.IN_EFFECT
    ).exclude(pk=attempt.obj.pk)
    for scheme in older:  # each older version's own event names this one
        transition_apply(
            scheme, "supersede", actor=None, on=attempt.on, note=f"v{attempt.obj.version}"
        )
    return {}


SCHEME = Lifecycle(
    name="leader_scheme",
    label=_("evaluation scheme"),
    model=Scheme,
    states=SchemeState,
    initial=[SchemeState.DRAFT],
    event_model=SchemeEvent,
    subject_field="scheme",
    since_field="state_since",
    clocks=[SCHEME_NOTICE],
    steps=[
        Step(
            "announce",
            _("Publish for public notice"),
            [SchemeState.DRAFT],
            SchemeState.NOTICE,
            who=[REGULATOR],
            guards=[
                guard(
                    lambda attempt: attempt.obj.indicators.exists(),
                    _("The scheme names no core indicator."),
                    code="no_indicators",
                )
            ],
        ),
        Step(
            "take_effect",
            _("Take effect"),
            [SchemeState.NOTICE],
            SchemeState.IN_EFFECT,
            who=[REGULATOR],
            guards=[
                minimum_time(SCHEME_NOTICE),
                guard(
                    lambda attempt: _open_objections(attempt) == 0,
                    _("%(count)s objection(s) are still open: decide them first."),
                    code="objections_open",
                    params=lambda attempt: {"count": _open_objections(attempt)},
                ),
            ],
            records={"effective_on": "@on"},
            effect=_takes_effect,
        ),
        Step(
            "rework",
            _("Back to draft (objection upheld)"),
            [SchemeState.NOTICE],
            SchemeState.DRAFT,
            who=[REGULATOR],
            note_required=True,
        ),
        Step(
            "supersede",
            _("Replaced by a newer version"),
            [SchemeState.IN_EFFECT],
            SchemeState.SUPERSEDED,
            who=[SYSTEM],
        ),
    ],
)

# ----------------------------------------------------------------------------------------------
# Leaders

LEADER_NOTICE = Clock(
    LeaderState.NOTICE,
    minimum=lambda entry: entry.run.scheme.leader_notice_days or None,
    working_days=True,
    label=_("public notice"),
)

COMMITMENT_TEXT = _(
    "We commit that the leading product conforms to the enterprise standard declared, that the "
    "indicators are truthful, and that we accept the public's supervision."
)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _certified(attempt: Attempt) -> dict:
    entry: LeaderEntry = attempt.obj
    entry.valid_from = attempt.on
    entry.valid_until = _add_years(attempt.on, entry.run.scheme.certificate_years) - dt.timedelta(
        days=1
    )
    entry.certificate = f"LP-{entry.year}-{entry.category.code}-{entry.pk:06d}"
    return {}  # the certificate and its dates are on the entry


LEADER = Lifecycle(
    name="leader",
    label=_("leader"),
    model=LeaderEntry,
    states=LeaderState,
    initial=[LeaderState.NOMINATED],
    event_model=LeaderEvent,
    subject_field="entry",
    since_field="state_since",
    clocks=[LEADER_NOTICE],
    steps=[
        Step(
            "commit",
            _("Give the commitment"),
            [LeaderState.NOMINATED],
            LeaderState.COMMITTED,
            who=[LEADER_ENTERPRISE],
            inputs=[
                Input(
                    "commitment",
                    _("commitment"),
                    kind="choice",
                    choices=[("yes", COMMITMENT_TEXT)],
                    required=True,
                    help=COMMITMENT_TEXT,
                )
            ],
            records={"commitment_by": "@actor", "commitment_at": "@now"},
        ),
        Step(
            "decline",
            _("Decline"),
            [LeaderState.NOMINATED],
            LeaderState.DECLINED,
            who=[LEADER_ENTERPRISE],
            note_required=True,
        ),
        Step(
            "announce",
            _("Publish for public notice"),
            [LeaderState.COMMITTED],
            LeaderState.NOTICE,
            who=[REGULATOR],
        ),
        Step(
            "certify",
            _("Certify as leader"),
            [LeaderState.NOTICE],
            LeaderState.LEADER,
            who=[REGULATOR],
            guards=[minimum_time(LEADER_NOTICE)],
            effect=_certified,
        ),
        Step(
            "revoke",
            _("Revoke"),
            [LeaderState.NOTICE, LeaderState.LEADER],
            LeaderState.REVOKED,
            who=[REGULATOR, SYSTEM],
            note_required=True,
            records={"revoked_on": "@on"},
        ),
    ],
)
