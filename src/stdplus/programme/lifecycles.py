"""The programme's lifecycles, as tables (see stdplus.core.lifecycle and docs/dev/architecture.md).

Pilots, funding applications, matches to review and strategic projects. Steps are taken through
`stdplus.core.lifecycle.transition_apply` only; each leaves one event in the object's history
table (PilotEvent, FundingEvent, MatchEvent, ProjectEvent).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Membership, Organization
from stdplus.catalog.models import DEMO_SOURCE
from stdplus.core.lifecycle import (
    SYSTEM,
    Attempt,
    Input,
    Lifecycle,
    Refusal,
    Refused,
    Role,
    Step,
    guard,
    is_person,
    transition_apply,
)

from .choices import (
    ApplicationState,
    EvaluationResult,
    EvidenceKind,
    MatchState,
    PilotState,
    ProjectState,
    RecordSource,
)
from .models import (
    AreaProject,
    FundingApplication,
    FundingEvent,
    MatchCandidate,
    MatchEvent,
    Participation,
    Pilot,
    PilotEvent,
    ProjectEvent,
)
from .permissions import can_keep_register

# ----------------------------------------------------------------------------------------------
# Who

REGULATOR = Role(_("regulator staff"), lambda actor, obj: can_keep_register(actor))
APPLICANT = Role(
    _("members of the applying organization"),
    lambda actor, application: (
        is_person(actor)
        and Membership.objects.filter(
            user=actor, organization_id=application.organization_id
        ).exists()
    ),
)
KEEPERS = (REGULATOR, SYSTEM)

# Every programme record can be archived (soft deletion); an archived one is frozen.
NOT_ARCHIVED = guard(
    lambda attempt: attempt.obj.archived_at is None,
    _("This record is archived: restore it before changing its state."),
    code="archived",
)

# ----------------------------------------------------------------------------------------------
# Pilot projects


def _terminate_effect(attempt: Attempt) -> None:
    if "evaluation_result" in attempt.data:
        attempt.obj.evaluation_note = attempt.note


PILOT = Lifecycle(
    name="pilot",
    label=_("pilot project"),
    model=Pilot,
    states=PilotState,
    initial=[PilotState.APPROVED],
    event_model=PilotEvent,
    subject_field="pilot",
    since_field="state_since",
    start_label=_("Approved and recorded in the register"),
    start_on=lambda pilot: pilot.start,
    guards=[NOT_ARCHIVED],
    steps=[
        Step(
            "begin",
            _("Start work"),
            [PilotState.APPROVED],
            PilotState.IN_PROGRESS,
            who=KEEPERS,
        ),
        Step(
            "submit_for_evaluation",
            _("Submit for evaluation"),
            [PilotState.IN_PROGRESS],
            PilotState.UNDER_EVALUATION,
            who=KEEPERS,
        ),
        Step(
            "send_back",
            _("Send back to work"),
            [PilotState.UNDER_EVALUATION],
            PilotState.IN_PROGRESS,
            who=KEEPERS,
            note_required=True,
        ),
        Step(
            "complete",
            _("Complete (passed evaluation)"),
            [PilotState.UNDER_EVALUATION],
            PilotState.COMPLETED,
            who=KEEPERS,
            inputs=[
                Input(
                    "evaluation_result",
                    _("evaluation result"),
                    kind="choice",
                    choices=[
                        (EvaluationResult.EXCELLENT, EvaluationResult.EXCELLENT.label),
                        (EvaluationResult.PASSED, EvaluationResult.PASSED.label),
                    ],
                    required=True,
                    help=_("A pilot is completed only with a passing result."),
                )
            ],
            records={"evaluation_result": "evaluation_result", "evaluation_note": "@note"},
        ),
        Step(
            "terminate",
            _("Terminate"),
            [PilotState.APPROVED, PilotState.IN_PROGRESS, PilotState.UNDER_EVALUATION],
            PilotState.TERMINATED,
            who=KEEPERS,
            inputs=[
                Input(
                    "evaluation_result",
                    _("evaluation result"),
                    kind="choice",
                    choices=EvaluationResult.choices,
                )
            ],
            records={"evaluation_result": "evaluation_result"},
            effect=_terminate_effect,
            note_required=True,
        ),
    ],
)

# ----------------------------------------------------------------------------------------------
# Funding applications


def _still_eligible(attempt: Attempt) -> Refusal | None:
    from .services.funding import application_checks_refresh

    application = attempt.obj
    # A draft is judged on the day it is submitted; a submitted one on its submission day.
    on = attempt.on if application.state == ApplicationState.DRAFT else None
    checks = application_checks_refresh(application, on=on)
    if all(check.ok for check in checks):
        return None
    return Refusal(
        "not_eligible",
        _("Not eligible: %(failed)s."),
        {"failed": "; ".join(application.failed_checks())},
    )


def _evidence_complete(attempt: Attempt) -> Refusal | None:
    from .services.funding import evidence_missing

    missing = evidence_missing(attempt.obj)
    if not missing:
        return None
    labels = dict(EvidenceKind.choices)
    return Refusal(
        "evidence_missing",
        _("Evidence still missing: %(missing)s."),
        {"missing": "; ".join(str(labels.get(kind, kind)) for kind in missing)},
    )


def _award_within_limit(attempt: Attempt) -> Refusal | None:
    application = attempt.obj
    amount = attempt.data.get("amount_awarded", application.amount_requested)
    limit = min(application.amount_requested, application.item_type.cap)
    if 0 < amount <= limit:
        return None
    return Refusal(
        "amount",
        _("The award must be between 1 and %(limit)s CNY (the request and the item's cap)."),
        {"limit": f"{limit:,}"},
        field="amount_awarded",
    )


def _approve_effect(attempt: Attempt) -> dict:
    application = attempt.obj
    application.amount_awarded = attempt.data.get("amount_awarded", application.amount_requested)
    return {"amount_awarded": application.amount_awarded}


def _reject_effect(attempt: Attempt) -> None:
    attempt.obj.amount_awarded = None


DECISION_RECORDS = {"decided_by": "@actor", "decided_on": "@on", "decision_note": "@note"}
OPEN = [
    ApplicationState.SUBMITTED,
    ApplicationState.UNDER_REVIEW,
    ApplicationState.MORE_EVIDENCE,
]

FUNDING = Lifecycle(
    name="funding_application",
    label=_("funding application"),
    model=FundingApplication,
    states=ApplicationState,
    # An enterprise starts a draft; the regulator (or a spreadsheet) records one as submitted.
    initial=[ApplicationState.DRAFT, ApplicationState.SUBMITTED],
    event_model=FundingEvent,
    subject_field="application",
    start_action="create",
    start_label=_("Recorded"),
    start_on=lambda application: application.submitted_on,
    guards=[NOT_ARCHIVED],
    steps=[
        Step(
            "submit",
            _("Submit"),
            [ApplicationState.DRAFT],
            ApplicationState.SUBMITTED,
            who=(APPLICANT,),
            guards=[_evidence_complete, _still_eligible],
            records={"submitted_on": "@on"},
            help=_(
                "Checks every rule again as of today and that every required document is attached."
            ),
        ),
        Step(
            "review",
            _("Start the review"),
            [ApplicationState.SUBMITTED],
            ApplicationState.UNDER_REVIEW,
            who=KEEPERS,
        ),
        Step(
            "request_evidence",
            _("Ask for more evidence"),
            [ApplicationState.UNDER_REVIEW],
            ApplicationState.MORE_EVIDENCE,
            who=KEEPERS,
            note_required=True,
            help=_("Say which documents are needed: the applicant reads the note."),
        ),
        Step(
            "resubmit",
            _("Send the evidence"),
            [ApplicationState.MORE_EVIDENCE],
            ApplicationState.UNDER_REVIEW,
            who=(APPLICANT,),
            guards=[_evidence_complete],
        ),
        Step(
            "approve",
            _("Approve"),
            [ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW],
            ApplicationState.APPROVED,
            who=KEEPERS,
            guards=[_evidence_complete, _still_eligible],
            inputs=[
                Input(
                    "amount_awarded",
                    _("amount awarded (CNY)"),
                    kind="integer",
                    minimum=1,
                    help=_("Empty: the amount requested."),
                )
            ],
            validators=[_award_within_limit],
            records=DECISION_RECORDS,
            effect=_approve_effect,
        ),
        Step(
            "reject",
            _("Reject"),
            OPEN,
            ApplicationState.REJECTED,
            who=KEEPERS,
            records=DECISION_RECORDS,
            effect=_reject_effect,
            note_required=True,
        ),
        Step(
            "pay",
            _("Record the payment"),
            [ApplicationState.APPROVED],
            ApplicationState.PAID,
            who=KEEPERS,
            records={"paid_on": "@on"},
        ),
        Step(
            "withdraw",
            _("Withdraw"),
            [ApplicationState.DRAFT, *OPEN],
            ApplicationState.WITHDRAWN,
            who=(APPLICANT, SYSTEM),
        ),
    ],
)

# ----------------------------------------------------------------------------------------------
# Matches to review (drafting organizations named on catalog entries)


def _organization_of(attempt: Attempt) -> Organization:
    chosen = attempt.data.get("organization")
    if chosen is None:
        return attempt.obj.organization
    organization = Organization.objects.filter(pk=chosen).first()
    if organization is None:
        raise Refused(
            Refusal(
                "unknown_organization",
                _("There is no registry organization with the id %(id)s."),
                {"id": chosen},
                field="organization",
            )
        )
    return organization


def _accept_effect(attempt: Attempt) -> dict:
    from .services.matching import role_for_position
    from .services.registry import participation_create

    candidate = attempt.obj
    organization = _organization_of(attempt)
    participation = (
        Participation.objects.live()
        .filter(organization=organization, standard_id=candidate.standard_id)
        .first()
    )
    created = participation is None
    if created:
        participation = participation_create(
            organization=organization,
            standard=candidate.standard,
            role=role_for_position(candidate.position),
            source=RecordSource.REVIEWED,
            note=candidate.name,
            actor=attempt.actor,
        )
    candidate.organization = organization
    # The other suggestions for the same name on the same entry are settled by this choice.
    others = MatchCandidate.objects.filter(
        standard_id=candidate.standard_id, name=candidate.name, state=MatchState.PENDING
    ).exclude(pk=candidate.pk)
    for other in others:
        transition_apply(
            other,
            "reject",
            actor=attempt.actor,
            on=attempt.on,
            note=str(_("Settled: another organization was linked to this name.")),
        )
    return {
        "organization": organization.pk,
        "participation": participation.pk if created else None,
    }


DECIDED = {"decided_by": "@actor", "decided_at": "@now"}

MATCH = Lifecycle(
    name="match",
    label=_("match to review"),
    model=MatchCandidate,
    states=MatchState,
    initial=[MatchState.PENDING],
    event_model=MatchEvent,
    subject_field="candidate",
    is_demo=lambda candidate: candidate.standard.source == DEMO_SOURCE,
    steps=[
        Step(
            "accept",
            _("Link"),
            [MatchState.PENDING],
            MatchState.ACCEPTED,
            who=KEEPERS,
            inputs=[
                Input(
                    "organization",
                    _("registry organization (id)"),
                    kind="integer",
                    minimum=1,
                    required=lambda candidate: candidate.organization_id is None,
                    help=_("Empty: the suggested organization."),
                )
            ],
            records=DECIDED,
            effect=_accept_effect,
            help=_("Records the organization's participation in the standard."),
        ),
        Step(
            "reject",
            _("Reject"),
            [MatchState.PENDING],
            MatchState.REJECTED,
            who=KEEPERS,
            records=DECIDED,
        ),
    ],
)

# ----------------------------------------------------------------------------------------------
# Strategic-list projects

PROJECT = Lifecycle(
    name="strategic_project",
    label=_("strategic project"),
    model=AreaProject,
    states=ProjectState,
    # The register records a project as it stands when it is entered (a spreadsheet of
    # projects under way), so any state can be the first.
    initial=ProjectState.values,
    event_model=ProjectEvent,
    subject_field="project",
    start_label=_("Recorded in the register"),
    guards=[NOT_ARCHIVED],
    steps=[
        Step(
            "begin", _("Start work"), [ProjectState.PLANNED], ProjectState.IN_PROGRESS, who=KEEPERS
        ),
        Step(
            "finish", _("Mark as done"), [ProjectState.IN_PROGRESS], ProjectState.DONE, who=KEEPERS
        ),
        Step(
            "reopen",
            _("Reopen"),
            [ProjectState.DONE],
            ProjectState.IN_PROGRESS,
            who=KEEPERS,
            note_required=True,
        ),
    ],
)
