import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from stdplus.core.errors import ApplicationError
from stdplus.programme.choices import PILOT_TRANSITIONS, PilotState
from stdplus.programme.models import AuditEvent, PilotEvent
from stdplus.programme.services.pilots import transition_apply

from .factories import OrganizationFactory, PilotFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def pilot():
    return PilotFactory.in_state(
        PilotState.APPROVED, host=OrganizationFactory(), start=D(2020, 1, 1)
    )


def test_the_table_has_every_state_and_final_states_lead_nowhere():
    assert set(PILOT_TRANSITIONS) == set(PilotState.values)
    assert (
        PILOT_TRANSITIONS[PilotState.COMPLETED]
        == PILOT_TRANSITIONS[PilotState.TERMINATED]
        == frozenset()
    )


@pytest.mark.parametrize("state", PilotState.values)
def test_factories_build_any_state(state):
    built = PilotFactory.in_state(state, host=OrganizationFactory(), start=D(2020, 1, 1))
    assert built.state == state
    assert built.events.last().to_state == state


def test_allowed_path_appends_events(pilot):
    transition_apply(pilot=pilot, to_state=PilotState.IN_PROGRESS, on=D(2020, 2, 1))
    transition_apply(pilot=pilot, to_state=PilotState.UNDER_EVALUATION, on=D(2021, 2, 1))
    transition_apply(
        pilot=pilot, to_state=PilotState.IN_PROGRESS, on=D(2021, 3, 1), note="sent back"
    )
    transition_apply(pilot=pilot, to_state=PilotState.UNDER_EVALUATION, on=D(2021, 9, 1))
    transition_apply(
        pilot=pilot, to_state=PilotState.COMPLETED, on=D(2021, 12, 1), evaluation_result="excellent"
    )
    pilot.refresh_from_db()
    assert (pilot.state, pilot.state_since, pilot.evaluation_result) == (
        "completed",
        D(2021, 12, 1),
        "excellent",
    )
    assert [e.to_state for e in pilot.events.all()] == [
        "approved",
        "in_progress",
        "under_evaluation",
        "in_progress",
        "under_evaluation",
        "completed",
    ]
    assert AuditEvent.objects.filter(model="programme.pilot", action="transition").count() == 5


@pytest.mark.parametrize(
    ("to_state", "result"),
    [
        (PilotState.COMPLETED, "passed"),
        (PilotState.UNDER_EVALUATION, ""),
        (PilotState.APPROVED, ""),
    ],
)
def test_moves_outside_the_table_are_refused(pilot, to_state, result):
    with pytest.raises(ApplicationError, match="cannot go from approved"):
        transition_apply(pilot=pilot, to_state=to_state, on=D(2020, 5, 1), evaluation_result=result)
    assert pilot.events.count() == 1


def test_completion_needs_a_passing_evaluation(pilot):
    transition_apply(pilot=pilot, to_state=PilotState.IN_PROGRESS, on=D(2020, 2, 1))
    transition_apply(pilot=pilot, to_state=PilotState.UNDER_EVALUATION, on=D(2020, 3, 1))
    for result in ("", "failed"):
        with pytest.raises(ApplicationError, match="passing evaluation"):
            transition_apply(
                pilot=pilot,
                to_state=PilotState.COMPLETED,
                on=D(2020, 4, 1),
                evaluation_result=result,
            )
    transition_apply(
        pilot=pilot, to_state=PilotState.TERMINATED, on=D(2020, 4, 1), evaluation_result="failed"
    )
    with pytest.raises(ApplicationError):
        transition_apply(pilot=pilot, to_state=PilotState.IN_PROGRESS, on=D(2020, 5, 1))


def test_dates_cannot_go_back(pilot):
    with pytest.raises(ApplicationError, match="before the last change"):
        transition_apply(pilot=pilot, to_state=PilotState.IN_PROGRESS, on=D(2019, 12, 31))


def test_events_are_immutable(pilot):
    event = pilot.events.first()
    event.note = "rewritten"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(ValidationError):
        PilotEvent.objects.all().delete()
    with pytest.raises(ValidationError):
        AuditEvent.objects.all().update(action="x")
