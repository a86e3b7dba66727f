import datetime as dt

import pytest

from stdplus.core.errors import ApplicationError
from stdplus.core.lifecycle import lifecycle_of, transition_apply
from stdplus.core.lifecycle_ui import steps_for
from stdplus.core.models import ImmutableRowError
from stdplus.programme.choices import PilotState
from stdplus.programme.lifecycles import PILOT
from stdplus.programme.models import AuditEvent, PilotEvent
from stdplus.programme.services.audit import record_archive, record_update

from .factories import OrganizationFactory, PilotFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def pilot():
    return PilotFactory.in_state(
        PilotState.APPROVED, host=OrganizationFactory(), start=D(2020, 1, 1)
    )


def test_the_table_has_every_state_and_final_states_lead_nowhere():
    sources = {state for step in PILOT.steps for state in step.sources}
    targets = {step.target for step in PILOT.steps}
    assert sources | targets | PILOT.initial == set(PilotState.values)
    assert PILOT.final_states == {PilotState.COMPLETED, PilotState.TERMINATED}
    assert (
        lifecycle_of(
            PilotFactory.in_state(
                PilotState.APPROVED, host=OrganizationFactory(), start=D(2020, 1, 1)
            )
        )
        is PILOT
    )


@pytest.mark.parametrize("state", PilotState.values)
def test_factories_build_any_state(state):
    built = PilotFactory.in_state(state, host=OrganizationFactory(), start=D(2020, 1, 1))
    assert built.state == state
    assert built.events.last().to_state == state


def test_allowed_path_appends_events(pilot):
    transition_apply(pilot, "begin", actor=None, on=D(2020, 2, 1))
    transition_apply(pilot, "submit_for_evaluation", actor=None, on=D(2021, 2, 1))
    transition_apply(pilot, "send_back", actor=None, on=D(2021, 3, 1), note="sent back")
    transition_apply(pilot, "submit_for_evaluation", actor=None, on=D(2021, 9, 1))
    transition_apply(
        pilot,
        "complete",
        actor=None,
        on=D(2021, 12, 1),
        data={"evaluation_result": "excellent"},
        note="a model pilot",
    )
    pilot.refresh_from_db()
    assert (pilot.state, pilot.state_since, pilot.evaluation_result, pilot.evaluation_note) == (
        "completed",
        D(2021, 12, 1),
        "excellent",
        "a model pilot",
    )
    events = list(pilot.events.all())
    assert [e.to_state for e in events] == [
        "approved",
        "in_progress",
        "under_evaluation",
        "in_progress",
        "under_evaluation",
        "completed",
    ]
    assert [e.action for e in events] == [
        "create",
        "begin",
        "submit_for_evaluation",
        "send_back",
        "submit_for_evaluation",
        "complete",
    ]
    assert events[-1].data == {"evaluation_result": "excellent"}
    # The lifecycle event is the audit trail of a step: no second record of it.
    assert not AuditEvent.objects.filter(model="programme.pilot", action="transition").exists()


@pytest.mark.parametrize("action", ["complete", "submit_for_evaluation", "send_back"])
def test_moves_outside_the_table_are_refused(pilot, action):
    with pytest.raises(ApplicationError, match="is not possible") as refused:
        transition_apply(pilot, action, actor=None, on=D(2020, 5, 1), data={}, note="x")
    assert refused.value.code == "transition_not_allowed" and refused.value.status == 409
    assert pilot.events.count() == 1


def test_completion_needs_a_passing_evaluation(pilot):
    transition_apply(pilot, "begin", actor=None, on=D(2020, 2, 1))
    transition_apply(pilot, "submit_for_evaluation", actor=None, on=D(2020, 3, 1))
    with pytest.raises(ApplicationError, match="required") as missing:
        transition_apply(pilot, "complete", actor=None, on=D(2020, 4, 1))
    assert missing.value.where.field == "evaluation_result"
    with pytest.raises(ApplicationError, match="not a possible") as failed:
        transition_apply(
            pilot, "complete", actor=None, on=D(2020, 4, 1), data={"evaluation_result": "failed"}
        )
    assert failed.value.code == "invalid_input"
    transition_apply(
        pilot,
        "terminate",
        actor=None,
        on=D(2020, 4, 1),
        data={"evaluation_result": "failed"},
        note="did not deliver",
    )
    assert (pilot.state, pilot.evaluation_result, pilot.evaluation_note) == (
        "terminated",
        "failed",
        "did not deliver",
    )
    with pytest.raises(ApplicationError):
        transition_apply(pilot, "begin", actor=None, on=D(2020, 5, 1))


def test_dates_cannot_go_back(pilot):
    with pytest.raises(ApplicationError, match="before the last step") as refused:
        transition_apply(pilot, "begin", actor=None, on=D(2019, 12, 31))
    assert refused.value.where.field == "on"


def test_the_state_is_not_a_field_to_edit(pilot):
    with pytest.raises(ApplicationError, match="changes only through its steps"):
        record_update(instance=pilot, changes={"state": PilotState.COMPLETED})
    pilot.refresh_from_db()
    assert pilot.state == PilotState.APPROVED


def test_an_archived_pilot_is_frozen(pilot, django_user_model):
    record_archive(instance=pilot)
    with pytest.raises(ApplicationError, match="archived"):
        transition_apply(pilot, "begin", actor=None)
    staff = django_user_model.objects.create_superuser("boss", password="pw-boss-12345")
    options = steps_for(pilot, staff)
    assert options and not any(option.allowed for option in options)
    assert all("archived" in " ".join(option.reasons) for option in options)


def test_events_are_immutable(pilot):
    event = pilot.events.first()
    event.note = "rewritten"
    with pytest.raises(ImmutableRowError):
        event.save()
    with pytest.raises(ImmutableRowError):
        event.delete()
    with pytest.raises(ImmutableRowError):
        PilotEvent.objects.all().delete()
    with pytest.raises(ImmutableRowError):
        pilot.events.update(note="x")
    with pytest.raises(ImmutableRowError):
        AuditEvent.objects.all().update(action="x")
    assert PilotEvent.objects.get(pk=event.pk).note == ""
