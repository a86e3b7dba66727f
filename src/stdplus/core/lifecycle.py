"""One lifecycle engine: states, one declarative table of steps per lifecycle, immutable events.

A lifecycle is data (a `Lifecycle` with its `Step`s), declared in the owning app's
`lifecycles.py` (found at start-up, like admin modules):

    PILOT = Lifecycle(
        name="pilot", label=_("pilot project"), model=Pilot, states=PilotState,
        initial=[PilotState.APPROVED], event_model=PilotEvent, subject_field="pilot",
        steps=[
            Step("begin", _("Start work"), [APPROVED], IN_PROGRESS, who=[REGULATOR, SYSTEM]),
            Step("complete", _("Complete"), [UNDER_EVALUATION], COMPLETED, who=[REGULATOR],
                 inputs=[Input("evaluation_result", _("evaluation result"), kind="choice",
                               choices=[...], required=True)],
                 records={"evaluation_result": "evaluation_result"}),
        ],
    )

Each step names its action, the states it starts from, the state it leads to, who may take it
(`Role`s: a label and a test of the actor and the object; `actor=None` is the system: commands,
scheduled tasks, the demo generator), what it requires (guards: conditions on the object, each
returning a translatable reason when not met, such as fields present, evidence attached or a
minimum time in the state measured by a `Clock` whose days are data), what the person fills in
(`Input`s, parsed and checked), and what it records (fields of the object set from the inputs,
and an `effect` for further writes in the same transaction).

`transition_apply(obj, action, actor=..., data=..., on=..., note=...)` checks all of it, writes
the new state and appends one immutable event (`stdplus.core.models.TransitionEvent`), in one
transaction; a refusal raises `ApplicationError` with a message in the reader's language and
writes nothing. For pages (stdplus.core.lifecycle_ui): `steps_for(obj, actor)` lists what an
actor may do now and what not, with why; `history(obj)` lists the events;
`lifecycle_payload(obj, actor)` is both as JSON.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .dates import today
from .errors import ApplicationError, Where
from .lifecycle_rules import (  # the parts of a table, importable from here with the engine
    SYSTEM,
    Attempt,
    Clock,
    Guard,
    Input,
    Refusal,
    Refused,
    Role,
    evidence_attached,
    fields_present,
    guard,
    is_person,
    minimum_time,
    permission_role,
)
from .models import TransitionEvent

__all__ = [
    "Attempt",
    "Clock",
    "Guard",
    "Input",
    "Lifecycle",
    "Refusal",
    "Refused",
    "Role",
    "SYSTEM",
    "Step",
    "evidence_attached",
    "fields_present",
    "guard",
    "is_person",
    "lifecycle_of",
    "lifecycles",
    "minimum_time",
    "permission_role",
    "preview_refusals",
    "transition_apply",
    "transition_refusal",
    "transition_start",
]

# ----------------------------------------------------------------------------------------------
# The table


@dataclass(frozen=True)
class Step:
    """One allowed move: `action` from any of `sources` to `target`.

    `records` maps fields of the object to what they are set from: an input's name (when the
    input was given), or "@note", "@on", "@now", "@actor". `effect(attempt)` runs in the transaction after the checks and
    before the object is saved; it may write other rows, set more fields, refuse by raising
    `Refused`, and return details to keep in the event.
    """

    action: str
    label: Any
    sources: Iterable[str]
    target: str
    who: Sequence[Role] = ()
    guards: Sequence[Guard] = ()
    inputs: Sequence[Input] = ()
    validators: Sequence[Guard] = ()
    records: Mapping[str, str] = field(default_factory=dict)
    effect: Callable[[Attempt], Mapping[str, Any] | None] | None = None
    note_required: bool = False
    help: Any = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources", frozenset(str(s) for s in self.sources))
        object.__setattr__(self, "target", str(self.target))
        object.__setattr__(self, "who", tuple(self.who))

    @property
    def automatic(self) -> bool:
        """Taken by the system only (never offered to people)."""
        return all(role is SYSTEM for role in self.who)

    def who_label(self) -> str:
        return gettext(" or ").join(str(role.label) for role in self.who)

    def allows(self, actor, obj) -> bool:
        return any(role(actor, obj) for role in self.who)


_REGISTRY: list[Lifecycle] = []


class Lifecycle:
    """The states of one kind of object, its steps, and its event table."""

    def __init__(
        self,
        *,
        name: str,
        label: Any,
        model: type[models.Model],
        states: type[models.TextChoices],
        initial: Iterable[str],
        steps: Sequence[Step],
        event_model: type[TransitionEvent],
        subject_field: str,
        state_field: str = "state",
        since_field: str | None = None,
        guards: Sequence[Guard] = (),
        clocks: Sequence[Clock] = (),
        when: Callable[[Any], bool] | None = None,
        start_action: str = "create",
        start_label: Any = None,
        start_on: Callable[[Any], dt.date] | None = None,
        is_demo: Callable[[Any], bool] | None = None,
        history_deleted_with_subject: bool = False,
        register: bool = True,
        data_labels: Mapping[str, Any] | None = None,
    ) -> None:
        self.name = name
        self.label = label
        self.model = model
        self.states = states
        self.initial = frozenset(str(s) for s in initial)
        self.steps = tuple(steps)
        self.event_model = event_model
        self.subject_field = subject_field
        self.state_field = state_field
        self.since_field = since_field
        self.guards = tuple(guards)
        self.clocks = tuple(clocks)
        self.when = when
        self.start_action = start_action
        self.start_label = (
            start_label if start_label is not None else pgettext_lazy("state", "Created")
        )
        self.start_on = start_on
        self.is_demo = is_demo or (lambda obj: bool(getattr(obj, "demo", False)))
        self.history_deleted_with_subject = history_deleted_with_subject
        # How the data a step's effect records reads in the history: {key: label} or
        # {key: (label, display)}, display a function of the stored value giving its text.
        self.data_labels = dict(data_labels or {})
        self._validate()
        if register:
            _REGISTRY.append(self)

    def __repr__(self) -> str:
        return f"<Lifecycle {self.name}>"

    def _validate(self) -> None:
        known = set(self.states.values)
        actions = [step.action for step in self.steps]
        problems = []
        if len(actions) != len(set(actions)):
            problems.append(f"actions repeat: {actions}")
        if self.start_action in actions:
            problems.append(f"the start action {self.start_action!r} is also a step")
        for step in self.steps:
            unknown = (set(step.sources) | {step.target}) - known
            if unknown:
                problems.append(f"step {step.action!r} names unknown states {sorted(unknown)}")
            if not step.who:
                problems.append(f"step {step.action!r} says nobody may take it")
            names = {item.name for item in step.inputs}
            for field_name, source in step.records.items():
                if source not in names and source not in SPECIAL_SOURCES:
                    problems.append(f"step {step.action!r} records {field_name} from {source!r}")
                try:
                    self.model._meta.get_field(field_name)
                except Exception:
                    problems.append(f"step {step.action!r} records the unknown field {field_name}")
        if not self.initial or self.initial - known:
            problems.append(f"initial states {sorted(self.initial)} are not all states")
        for clock in self.clocks:
            if clock.state not in known:
                problems.append(f"clock for unknown state {clock.state!r}")
        if not issubclass(self.event_model, TransitionEvent):
            problems.append("the event model is not a TransitionEvent")
        if problems:
            raise ValueError(f"lifecycle {self.name}: " + "; ".join(problems))

    # -- the table as data

    def state_of(self, obj) -> str:
        return str(getattr(obj, self.state_field))

    def state_label(self, value: str) -> str:
        if not value:
            return "—"
        try:
            return str(self.states(value).label)
        except ValueError:
            return value

    def step(self, action: str) -> Step:
        for step in self.steps:
            if step.action == action:
                return step
        raise ApplicationError(
            _("“%(action)s” is not a step of the %(lifecycle)s lifecycle (steps: %(steps)s)."),
            params={
                "action": action,
                "lifecycle": self.label,
                "steps": ", ".join(s.action for s in self.steps),
            },
            where=Where(field="action"),
            code="unknown_step",
        )

    def steps_from(self, state: str) -> list[Step]:
        return [step for step in self.steps if state in step.sources]

    @property
    def final_states(self) -> frozenset[str]:
        return frozenset(s for s in self.states.values if not self.steps_from(s))

    def step_label(self, action: str) -> str:
        if action == self.start_action:
            return str(self.start_label)
        for step in self.steps:
            if step.action == action:
                return str(step.label)
        return action

    def table(self) -> list[dict[str, Any]]:
        """Every step as plain data (for pages, JSON and documentation)."""
        return [
            {
                "action": step.action,
                "label": str(step.label),
                "from": sorted(step.sources),
                "to": step.target,
                "who": [str(role.label) for role in step.who],
                "automatic": step.automatic,
                "inputs": [item.payload(None) for item in step.inputs],
                "note_required": step.note_required,
            }
            for step in self.steps
        ]

    # -- history

    def events_of(self, obj) -> models.QuerySet:
        return self.event_model.objects.filter(**{self.subject_field: obj}).order_by("on", "id")

    def entered(self, obj) -> dt.date:
        """The day the object entered its current state (from its events, else its dates)."""
        last = (
            self.events_of(obj)
            .filter(to_state=self.state_of(obj))
            .order_by("-on", "-id")
            .values_list("on", flat=True)
            .first()
        )
        if last is not None:
            return last
        if self.since_field and getattr(obj, self.since_field, None):
            return getattr(obj, self.since_field)
        created = getattr(obj, "created_at", None)
        if isinstance(created, dt.datetime):
            return created.date()
        return today()


def lifecycles() -> list[Lifecycle]:
    """Every lifecycle declared by the installed apps."""
    return list(_REGISTRY)


def lifecycle_of(obj_or_model) -> Lifecycle:
    """The lifecycle of an object (the first registered for its model whose `when` holds)."""
    model: Any = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    model = getattr(model._meta, "concrete_model", model)
    for lifecycle in _REGISTRY:
        if lifecycle.model is model and (
            isinstance(obj_or_model, type) or lifecycle.when is None or lifecycle.when(obj_or_model)
        ):
            return lifecycle
    raise LookupError(f"no lifecycle for {model._meta.label}")


# ----------------------------------------------------------------------------------------------
# Checking and applying


def _last_on(lifecycle: Lifecycle, obj) -> dt.date | None:
    return lifecycle.events_of(obj).order_by("-on", "-id").values_list("on", flat=True).first()


def _state_refusal(attempt: Attempt) -> Refusal | None:
    state = attempt.lifecycle.state_of(attempt.obj)
    if state in attempt.step.sources:
        return None
    return Refusal(
        "transition_not_allowed",
        _(
            "“%(step)s” is not possible: the %(object)s is “%(state)s”; this step starts from "
            "%(sources)s."
        ),
        {
            "step": attempt.step.label,
            "object": attempt.lifecycle.label,
            "state": attempt.lifecycle.state_label(state),
            "sources": ", ".join(
                f"“{attempt.lifecycle.state_label(s)}”" for s in sorted(attempt.step.sources)
            ),
        },
        status=409,
    )


def _role_refusal(attempt: Attempt) -> Refusal | None:
    if attempt.step.allows(attempt.actor, attempt.obj):
        return None
    return Refusal(
        "not_allowed_for_you",
        _("Only %(who)s may take the step “%(step)s”."),
        {"who": attempt.step.who_label(), "step": attempt.step.label},
        status=403,
    )


def _guard_refusals(attempt: Attempt) -> list[Refusal]:
    found = []
    for check in (*attempt.lifecycle.guards, *attempt.step.guards):
        refusal = check(attempt)
        if refusal is not None:
            found.append(refusal)
    return found


def preview_refusals(attempt: Attempt) -> list[Refusal]:
    """What keeps the actor from the step now, before any input: who they are, the guards."""
    role = _role_refusal(attempt)
    return ([role] if role is not None else []) + _guard_refusals(attempt)


def _parse_inputs(attempt: Attempt) -> Refusal | None:
    step, raw = attempt.step, attempt.raw
    known = {i.name for i in step.inputs}
    extra = sorted(set(raw) - known)
    if extra:
        return Refusal(
            "unknown_input",
            _("The step “%(step)s” does not take %(names)s."),
            {"step": step.label, "names": ", ".join(extra)},
            field=extra[0],
        )
    for item in step.inputs:
        try:
            value = item.parse(raw.get(item.name))
        except Refused as refused:
            return refused.refusal
        if value is None:
            if item.is_required(attempt.obj):
                return Refusal(
                    "input_required",
                    _("%(field)s is required for the step “%(step)s”."),
                    {"field": item.label, "step": step.label},
                    field=item.name,
                )
            continue
        attempt.data[item.name] = value
    if step.note_required and not attempt.note.strip():
        return Refusal(
            "note_required",
            _("The step “%(step)s” needs a note saying why."),
            {"step": step.label},
            field="note",
        )
    return None


def _date_refusal(attempt: Attempt) -> Refusal | None:
    last = _last_on(attempt.lifecycle, attempt.obj)
    if last is None or attempt.on >= last:
        return None
    return Refusal(
        "date_before_last_step",
        _("The date %(on)s is before the last step (%(last)s): history stays in order."),
        {"on": attempt.on.isoformat(), "last": last.isoformat()},
        field="on",
    )


def _refusal(attempt: Attempt) -> Refusal | None:
    for check in (_state_refusal, _role_refusal):
        refusal = check(attempt)
        if refusal is not None:
            return refusal
    guards = _guard_refusals(attempt)
    if guards:
        return guards[0]
    refusal = _parse_inputs(attempt)
    if refusal is not None:
        return refusal
    for validator in attempt.step.validators:
        refusal = validator(attempt)
        if refusal is not None:
            return refusal
    return _date_refusal(attempt)


SPECIAL_SOURCES = {
    "@note": lambda attempt: attempt.note,
    "@on": lambda attempt: attempt.on,
    "@now": lambda attempt: timezone.now(),
    "@actor": lambda attempt: attempt.actor if is_person(attempt.actor) else None,
}


def _record(step: Step, attempt: Attempt, obj) -> None:
    """Set the fields the step records: from special sources, or from inputs that were given."""
    for field_name, source in step.records.items():
        if source in SPECIAL_SOURCES:
            setattr(obj, field_name, SPECIAL_SOURCES[source](attempt))
        elif source in attempt.data:
            setattr(obj, field_name, attempt.data[source])


def _event(
    lifecycle: Lifecycle,
    obj,
    *,
    action: str,
    from_state: str,
    actor,
    on: dt.date,
    note: str,
    data: Mapping[str, Any],
) -> TransitionEvent:
    return lifecycle.event_model.objects.create(
        **{lifecycle.subject_field: obj},
        action=action,
        from_state=from_state,
        to_state=lifecycle.state_of(obj),
        on=on,
        actor=actor if is_person(actor) else None,
        actor_name=actor.get_username() if is_person(actor) else "",
        note=note,
        data=dict(data),
        demo=lifecycle.is_demo(obj),
    )


def _copy_into(target, source) -> None:
    for model_field in source._meta.concrete_fields:
        setattr(target, model_field.attname, getattr(source, model_field.attname))


def transition_apply(
    obj,
    action: str,
    *,
    actor,
    data: Mapping[str, Any] | None = None,
    on: dt.date | None = None,
    note: str = "",
) -> TransitionEvent:
    """Take one step: check it, write the new state, append its event; all or nothing.

    `actor` is the user taking the step, or None for the system. `data` holds the step's
    inputs; `on` is the day the step takes effect (today unless given; never before the
    previous step). Refusals raise `ApplicationError` (400, 403 for the wrong person, 409 for
    the wrong state) and write nothing. `obj` is updated in place.
    """
    lifecycle = lifecycle_of(obj)
    step = lifecycle.step(action)
    with transaction.atomic():
        locked = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
        attempt = Attempt(
            lifecycle=lifecycle,
            step=step,
            obj=locked,
            actor=actor,
            on=on or today(),
            note=(note or "").strip(),
            raw=dict(data or {}),
        )
        refusal = _refusal(attempt)
        if refusal is not None:
            raise refusal.error()
        from_state = lifecycle.state_of(locked)
        _record(step, attempt, locked)
        setattr(locked, lifecycle.state_field, step.target)
        if lifecycle.since_field:
            setattr(locked, lifecycle.since_field, attempt.on)
        extra: Mapping[str, Any] | None = None
        if step.effect is not None:
            try:
                extra = step.effect(attempt)
            except Refused as refused:
                raise refused.refusal.error() from None
        locked.save()
        event = _event(
            lifecycle,
            locked,
            action=step.action,
            from_state=from_state,
            actor=actor,
            on=attempt.on,
            note=attempt.note,
            data={**attempt.data, **(extra or {})},
        )
    _copy_into(obj, locked)
    return event


def transition_start(
    obj,
    *,
    actor,
    on: dt.date | None = None,
    note: str = "",
    data: Mapping[str, Any] | None = None,
) -> TransitionEvent:
    """Record that a new object entered its first state (the first line of its history)."""
    lifecycle = lifecycle_of(obj)
    state = lifecycle.state_of(obj)
    if state not in lifecycle.initial:
        raise ApplicationError(
            _("A new %(object)s cannot start as “%(state)s” (it starts as %(initial)s)."),
            params={
                "object": lifecycle.label,
                "state": lifecycle.state_label(state),
                "initial": ", ".join(
                    f"“{lifecycle.state_label(s)}”" for s in sorted(lifecycle.initial)
                ),
            },
            where=Where(field=lifecycle.state_field),
            code="invalid_initial_state",
        )
    if lifecycle.events_of(obj).exists():
        raise ApplicationError(
            _("This %(object)s has a history already."),
            params={"object": lifecycle.label},
            code="started",
        )
    if on is None:
        on = lifecycle.start_on(obj) if lifecycle.start_on else today()
    return _event(
        lifecycle,
        obj,
        action=lifecycle.start_action,
        from_state="",
        actor=actor,
        on=on,
        note=note,
        data=data or {},
    )


def transition_refusal(
    obj,
    action: str,
    *,
    actor,
    data: Mapping[str, Any] | None = None,
    on: dt.date | None = None,
    note: str = "",
) -> Refusal | None:
    """What `transition_apply` would refuse, without writing anything (None if it would not)."""
    lifecycle = lifecycle_of(obj)
    attempt = Attempt(
        lifecycle=lifecycle,
        step=lifecycle.step(action),
        obj=obj,
        actor=actor,
        on=on or today(),
        note=note or "",
        raw=dict(data or {}),
    )
    return _refusal(attempt)
