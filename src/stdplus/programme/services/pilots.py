"""Pilot projects: creation and the one place their state changes."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from stdplus.core.dates import today
from stdplus.core.errors import ApplicationError, Where

from ..choices import PILOT_TRANSITIONS, AuditAction, EvaluationResult, PilotState
from ..models import Pilot, PilotEvent
from .audit import audit_log, record_create


def pilot_create(*, values: dict, actor=None, where: Where | None = None) -> Pilot:
    """A new pilot starts approved, with its first event dated from its start."""
    with transaction.atomic():
        values = {**values, "state": PilotState.APPROVED, "state_since": values.get("start")}
        pilot = record_create(model=Pilot, values=values, actor=actor, where=where)
        PilotEvent.objects.create(
            pilot=pilot,
            from_state="",
            to_state=PilotState.APPROVED,
            on=pilot.start,
            actor=actor if actor is not None and actor.is_authenticated else None,
            demo=pilot.demo,
        )
    return pilot


def transition_allowed(from_state: str, to_state: str) -> bool:
    return to_state in PILOT_TRANSITIONS.get(from_state, frozenset())


def transition_apply(
    *,
    pilot: Pilot,
    to_state: str,
    on: dt.date | None = None,
    evaluation_result: str = "",
    note: str = "",
    actor=None,
) -> PilotEvent:
    """Move a pilot to another state if the table allows it; append the immutable event."""
    on = on or today()
    with transaction.atomic():
        pilot = Pilot.objects.select_for_update().get(pk=pilot.pk)
        if pilot.archived_at is not None:
            raise ApplicationError("an archived pilot cannot change state", code="archived")
        if not transition_allowed(pilot.state, to_state):
            allowed = ", ".join(sorted(PILOT_TRANSITIONS.get(pilot.state, ()))) or "none"
            raise ApplicationError(
                f"a pilot cannot go from {pilot.state} to {to_state} (allowed: {allowed})",
                where="state",
                code="transition_not_allowed",
            )
        last = pilot.events.order_by("-on", "-id").first()
        if last is not None and on < last.on:
            raise ApplicationError(
                f"the date {on} is before the last change ({last.on})", where="on", code="date"
            )
        if to_state == PilotState.COMPLETED and evaluation_result not in (
            EvaluationResult.EXCELLENT,
            EvaluationResult.PASSED,
        ):
            raise ApplicationError(
                "a pilot is completed only with a passing evaluation result",
                where="evaluation_result",
                code="evaluation_required",
            )
        if evaluation_result and evaluation_result not in EvaluationResult.values:
            raise ApplicationError("unknown evaluation result", where="evaluation_result")
        event = PilotEvent.objects.create(
            pilot=pilot,
            from_state=pilot.state,
            to_state=to_state,
            on=on,
            evaluation_result=evaluation_result,
            note=note,
            actor=actor if actor is not None and actor.is_authenticated else None,
            demo=pilot.demo,
        )
        changes = {"state": [pilot.state, to_state], "on": on.isoformat()}
        pilot.state, pilot.state_since = to_state, on
        if evaluation_result:
            pilot.evaluation_result = evaluation_result
            pilot.evaluation_note = note or pilot.evaluation_note
        pilot.save()
        audit_log(instance=pilot, action=AuditAction.TRANSITION, actor=actor, changes=changes)
    return event
