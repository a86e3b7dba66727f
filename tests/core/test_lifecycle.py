"""The lifecycle engine itself, on a table made for the test (over the Pilot model): roles,
guards (fields present, evidence attached, a minimum time measured by a clock), inputs, effects,
refusals that write nothing, the pages' helpers and both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from stdplus.core import lifecycle as engine
from stdplus.core.errors import ApplicationError
from stdplus.core.lifecycle import (
    SYSTEM,
    Clock,
    Input,
    Lifecycle,
    Refusal,
    Refused,
    Role,
    Step,
    evidence_attached,
    fields_present,
    lifecycle_of,
    minimum_time,
    transition_apply,
    transition_refusal,
    transition_start,
)
from stdplus.core.lifecycle_ui import clocks_of, history, lifecycle_payload, steps_for
from stdplus.programme.choices import PilotState as S
from stdplus.programme.lifecycles import PILOT
from stdplus.programme.models import Pilot, PilotEvent, PilotStandard
from tests.programme.factories import OrganizationFactory, standards

pytestmark = pytest.mark.django_db
D = dt.date

ALICE = Role(_("Alice"), lambda actor, obj: getattr(actor, "username", "") == "alice")
IN_PROGRESS_30 = Clock(S.IN_PROGRESS, minimum=lambda pilot: 30, label=_("work"))
EVALUATION = Clock(S.UNDER_EVALUATION, minimum=2, deadline=3, working_days=True)


def _no_thirteen(attempt):
    if attempt.data.get("score") == 13:
        raise Refused(Refusal("unlucky", _("Not %(n)s."), {"n": 13}, field="score"))
    return {"checked": True}


TEST = Lifecycle(
    name="test_pilot",
    label=_("test pilot"),
    model=Pilot,
    states=S,
    initial=[S.APPROVED],
    event_model=PilotEvent,
    subject_field="pilot",
    since_field="state_since",
    when=lambda pilot: pilot.code.startswith("T-"),
    start_on=lambda pilot: pilot.start,
    clocks=[IN_PROGRESS_30, EVALUATION],
    register=False,
    steps=[
        Step(
            "begin",
            _("Begin"),
            [S.APPROVED],
            S.IN_PROGRESS,
            who=[ALICE, SYSTEM],
            guards=[fields_present("domain")],
        ),
        Step(
            "evaluate",
            _("Evaluate"),
            [S.IN_PROGRESS],
            S.UNDER_EVALUATION,
            who=[ALICE],
            guards=[minimum_time(IN_PROGRESS_30)],
        ),
        Step(
            "complete",
            _("Complete"),
            [S.UNDER_EVALUATION],
            S.COMPLETED,
            who=[ALICE],
            guards=[
                minimum_time(EVALUATION),
                evidence_attached("standard_links", _("A standard produced"), use="produced"),
            ],
            inputs=[
                Input("score", _("score"), kind="integer", required=True, minimum=1),
                Input("result", _("result"), kind="choice", choices=[("passed", _("Passed"))]),
                Input("checked_on", _("checked on"), kind="date"),
            ],
            records={"evaluation_result": "result", "evaluation_note": "@note"},
            effect=_no_thirteen,
        ),
        Step(
            "stop",
            _("Stop"),
            [S.APPROVED, S.IN_PROGRESS],
            S.TERMINATED,
            who=[ALICE],
            note_required=True,
        ),
    ],
)


@pytest.fixture(autouse=True)
def registered(monkeypatch):
    monkeypatch.setattr(engine, "_REGISTRY", [TEST, *engine._REGISTRY])


@pytest.fixture
def alice():
    return User.objects.create_user("alice")


@pytest.fixture
def pilot():
    pilot = Pilot.objects.create(
        code="T-1",
        title_zh="测试",
        level="national",
        host=OrganizationFactory(),
        start=D(2024, 1, 1),
        domain="food",
    )
    transition_start(pilot, actor=None)
    return pilot


def _written(pilot) -> tuple:
    row = Pilot.objects.filter(pk=pilot.pk).values().get()
    return row, PilotEvent.objects.count(), PilotStandard.objects.count()


def refused(pilot, action, code, **kwargs):
    before = _written(pilot)
    with pytest.raises(ApplicationError) as error:
        transition_apply(pilot, action, **kwargs)
    assert error.value.code == code, error.value.describe()
    assert _written(pilot) == before
    return error.value


def test_the_test_table_is_chosen_by_its_condition(pilot):
    assert lifecycle_of(pilot) is TEST
    other = Pilot(code="X-1")
    assert lifecycle_of(other) is PILOT
    assert pilot.events.get().action == "create" and pilot.events.get().on == D(2024, 1, 1)


def test_who_may_take_a_step(pilot, alice):
    bob = User.objects.create_user("bob")
    error = refused(pilot, "begin", "not_allowed_for_you", actor=bob)
    assert error.status == 403 and "Only Alice or the system" in error.message
    refused(pilot, "begin", "not_allowed_for_you", actor=AnonymousUser())
    transition_apply(pilot, "begin", actor=alice, on=D(2024, 2, 1))
    event = pilot.events.last()
    assert (event.actor, event.actor_name, pilot.state_since) == (alice, "alice", D(2024, 2, 1))


def test_fields_present(pilot, alice):
    Pilot.objects.filter(pk=pilot.pk).update(domain="")
    pilot.refresh_from_db()
    error = refused(pilot, "begin", "field_missing", actor=alice)
    assert error.where.field == "domain" and "domain must be filled in" in error.message


def test_a_minimum_time_measured_by_the_clock(pilot, alice):
    transition_apply(pilot, "begin", actor=alice, on=D(2024, 2, 1))
    error = refused(pilot, "evaluate", "too_early", actor=alice, on=D(2024, 3, 1))
    assert "At least 30 days" in error.message and "from 2024-03-02" in error.message
    transition_apply(pilot, "evaluate", actor=alice, on=D(2024, 3, 2))  # day 30 is enough
    # Working days: entered on a Saturday, two working days later is the Tuesday.
    assert EVALUATION.earliest(pilot, D(2024, 3, 2)) == D(2024, 3, 5)
    assert EVALUATION.due(pilot, D(2024, 3, 2)) == D(2024, 3, 6)


def test_evidence_inputs_records_and_effect(pilot, alice, settings):
    transition_apply(pilot, "begin", actor=alice, on=D(2024, 2, 1))
    transition_apply(pilot, "evaluate", actor=alice, on=D(2024, 3, 2))
    error = refused(pilot, "complete", "evidence_missing", actor=alice, on=D(2024, 3, 8))
    assert "A standard produced must be attached" in error.message
    standard = standards(("GB/T 96001-2024", "2024-01-01"))["GB/T 96001-2024"]
    PilotStandard.objects.create(pilot=pilot, standard=standard, use="produced")
    refused(pilot, "complete", "too_early", actor=alice, on=D(2024, 3, 4), data={"score": 5})
    refused(pilot, "complete", "input_required", actor=alice, on=D(2024, 3, 8))
    error = refused(
        pilot, "complete", "invalid_input", actor=alice, on=D(2024, 3, 8), data={"score": "x"}
    )
    assert error.where.field == "score" and "whole number" in error.message
    refused(pilot, "complete", "invalid_input", actor=alice, on=D(2024, 3, 8), data={"score": 0})
    refused(
        pilot,
        "complete",
        "invalid_input",
        actor=alice,
        on=D(2024, 3, 8),
        data={"score": 5, "checked_on": "yesterday"},
    )
    refused(pilot, "complete", "unknown_input", actor=alice, on=D(2024, 3, 8), data={"grade": "A"})
    refused(pilot, "complete", "unlucky", actor=alice, on=D(2024, 3, 8), data={"score": 13})
    settings.STDPLUS_TODAY = "2024-03-08"
    event = transition_apply(
        pilot,
        "complete",
        actor=alice,
        data={"score": "1,234", "result": "passed", "checked_on": "2024-03-07"},
        note="well done",
    )
    pilot.refresh_from_db()
    assert (pilot.state, pilot.evaluation_result, pilot.evaluation_note) == (
        "completed",
        "passed",
        "well done",
    )
    event.refresh_from_db()
    assert event.on == D(2024, 3, 8)
    assert event.data == {
        "score": 1234,
        "result": "passed",
        "checked_on": "2024-03-07",
        "checked": True,
    }


def test_a_note_is_required_where_the_table_says(pilot, alice):
    error = refused(pilot, "stop", "note_required", actor=alice, note="  ")
    assert error.where.field == "note"
    transition_apply(pilot, "stop", actor=alice, note="no money")


def test_what_an_actor_may_do_now_and_why_not(pilot, alice, settings):
    settings.STDPLUS_TODAY = "2024-02-10"
    transition_apply(pilot, "begin", actor=alice, on=D(2024, 2, 1))
    options = {option.action: option for option in steps_for(pilot, alice)}
    assert set(options) == {"evaluate", "stop"}
    assert (
        not options["evaluate"].allowed
        and "possible from 2024-03-02" in options["evaluate"].reasons[0]
    )
    assert options["stop"].allowed and options["stop"].reasons == []
    stranger = {o.action: o for o in steps_for(pilot, AnonymousUser())}
    assert not stranger["stop"].allowed and "Only Alice" in stranger["stop"].reasons[0]
    assert transition_refusal(pilot, "evaluate", actor=alice).code == "too_early"
    assert transition_refusal(pilot, "stop", actor=alice, note="ok") is None
    (clock,) = clocks_of(pilot)
    assert (clock.entered, clock.earliest, clock.due, clock.overdue) == (
        D(2024, 2, 1),
        D(2024, 3, 2),
        None,
        False,
    )


def test_history_and_json(pilot, alice):
    transition_apply(pilot, "begin", actor=alice, on=D(2024, 2, 1), note="go")
    entries = history(pilot)
    assert [(e.action_label, e.from_label, e.to_label, e.by) for e in entries] == [
        ("Created", "", "Approved", "the system"),
        ("Begin", "Approved", "In progress", "alice"),
    ]
    payload = lifecycle_payload(pilot, alice)
    assert payload["state"] == "in_progress" and payload["final"] is False
    assert [s["action"] for s in payload["steps"]] == ["evaluate", "stop"]
    assert payload["history"][1]["by"] == "alice" and payload["history"][0]["by"] is None


def test_both_languages(pilot):
    bob = User.objects.create_user("bob")
    with translation.override("zh-hans"):
        error = refused(pilot, "begin", "not_allowed_for_you", actor=bob)
        chinese = error.message
        assert "只有" in chinese, chinese
    with translation.override("en"):
        assert error.message.startswith("Only")


def test_a_started_object_has_one_start(pilot):
    with pytest.raises(ApplicationError, match="history already"):
        transition_start(pilot, actor=None)


def _declare(*steps: Step) -> Lifecycle:
    return Lifecycle(
        name="broken",
        label="broken",
        model=Pilot,
        states=S,
        initial=[S.APPROVED],
        event_model=PilotEvent,
        subject_field="pilot",
        register=False,
        steps=steps,
    )


@pytest.mark.parametrize(
    ("steps", "problem"),
    [
        ([Step("fly", "Fly", [S.APPROVED], "moon", who=[SYSTEM])], "unknown states"),
        (
            [
                Step("go", "Go", [S.APPROVED], S.IN_PROGRESS, who=[SYSTEM]),
                Step("go", "Go", [S.IN_PROGRESS], S.COMPLETED, who=[SYSTEM]),
            ],
            "repeat",
        ),
        ([Step("go", "Go", [S.APPROVED], S.IN_PROGRESS)], "nobody"),
        (
            [
                Step(
                    "go",
                    "Go",
                    [S.APPROVED],
                    S.IN_PROGRESS,
                    who=[SYSTEM],
                    records={"evaluation_note": "comment"},
                )
            ],
            "records evaluation_note from 'comment'",
        ),
        (
            [Step("go", "Go", [S.APPROVED], S.IN_PROGRESS, who=[SYSTEM], records={"x": "@now"})],
            "unknown field x",
        ),
    ],
)
def test_tables_are_checked_when_declared(steps, problem):
    with pytest.raises(ValueError, match=problem):
        _declare(*steps)
