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
writes nothing. `steps_for(obj, actor)` lists what an actor may do now and what not, with why;
`history(obj)` lists the events; `lifecycle_payload(obj, actor)` is both as JSON.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .dates import today
from .errors import ApplicationError, Where
from .models import TransitionEvent

# ----------------------------------------------------------------------------------------------
# Refusals: a translatable reason, its parameters and the field it concerns


@dataclass(frozen=True)
class Refusal:
    """Why a step cannot be taken: a translatable message with `%(name)s` parameters."""

    code: str
    message: Any
    params: Mapping[str, Any] = field(default_factory=dict)
    field: str = ""
    status: int = 400

    @property
    def text(self) -> str:
        """The reason in the active language."""
        message = str(self.message)
        return message % dict(self.params) if self.params else message

    def error(self) -> ApplicationError:
        return ApplicationError(
            self.message,
            params={key: value for key, value in self.params.items()},
            where=Where(field=self.field),
            code=self.code,
            status=self.status,
        )


class Refused(Exception):
    """Raised inside parsers and effects to refuse with a `Refusal`."""

    def __init__(self, refusal: Refusal) -> None:
        self.refusal = refusal
        super().__init__(refusal.code)


# ----------------------------------------------------------------------------------------------
# Who may take a step


def is_person(actor) -> bool:
    return actor is not None and bool(getattr(actor, "is_authenticated", False))


@dataclass(frozen=True)
class Role:
    """Who may take a step: a label people read ("regulator staff") and a test(actor, obj)."""

    label: Any
    test: Callable[[Any, Any], bool]

    def __call__(self, actor, obj) -> bool:
        return bool(self.test(actor, obj))


SYSTEM = Role(_("the system (commands and scheduled tasks)"), lambda actor, obj: actor is None)


def permission_role(permission: str, label: Any) -> Role:
    """People who hold a Django permission ("app.codename")."""
    return Role(label, lambda actor, obj: is_person(actor) and actor.has_perm(permission))


# ----------------------------------------------------------------------------------------------
# Clocks: periods counted from the day an object entered a state

DaysRule = int | Callable[[Any], "int | None"] | None


@dataclass(frozen=True)
class Clock:
    """A period measured from entering `state`: a legal minimum and/or a deadline, in days.

    The days are data: a number in the table, or a function of the object (the notice period
    its kind requires, read from a table the regulator edits). `working_days` counts Monday to
    Friday only.
    """

    state: str
    minimum: DaysRule = None
    deadline: DaysRule = None
    working_days: bool = False
    label: Any = ""

    @staticmethod
    def _days(rule: DaysRule, obj) -> int | None:
        if rule is None:
            return None
        return rule(obj) if callable(rule) else int(rule)

    def add(self, start: dt.date, days: int) -> dt.date:
        if not self.working_days:
            return start + dt.timedelta(days=days)
        day, left = start, days
        while left > 0:
            day += dt.timedelta(days=1)
            if day.weekday() < 5:
                left -= 1
        return day

    def earliest(self, obj, entered: dt.date) -> dt.date | None:
        days = self._days(self.minimum, obj)
        return None if days is None else self.add(entered, days)

    def due(self, obj, entered: dt.date) -> dt.date | None:
        days = self._days(self.deadline, obj)
        return None if days is None else self.add(entered, days)

    def minimum_days(self, obj) -> int | None:
        return self._days(self.minimum, obj)


# ----------------------------------------------------------------------------------------------
# What a person fills in


@dataclass(frozen=True)
class Input:
    """A value a step asks for: parsed from a form or JSON, checked, stored in the event.

    `kind` is text, integer, date, datetime or choice; `required` may be a function of the
    object. Parsed values are Python values (int, date, datetime, str); the event keeps them as
    JSON.
    """

    name: str
    label: Any
    kind: str = "text"
    choices: Sequence[tuple[str, Any]] = ()
    required: bool | Callable[[Any], bool] = False
    minimum: int | None = None
    help: Any = ""

    def is_required(self, obj) -> bool:
        return bool(self.required(obj) if callable(self.required) else self.required)

    def _refuse(self, message: Any, **params) -> Refused:
        return Refused(
            Refusal("invalid_input", message, {"field": self.label, **params}, field=self.name)
        )

    def parse(self, raw: Any) -> Any:
        """The value, or None when empty; raises `Refused` when malformed."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        if self.kind == "integer":
            if isinstance(raw, bool):
                raise self._refuse(_("%(field)s must be a whole number."))
            try:
                value = int(str(raw).replace(",", "").replace(" ", "").strip())
            except ValueError:
                raise self._refuse(
                    _("%(field)s must be a whole number, not “%(value)s”."), value=raw
                ) from None
            if self.minimum is not None and value < self.minimum:
                raise self._refuse(
                    _("%(field)s must be at least %(minimum)s."), minimum=self.minimum
                )
            return value
        if self.kind == "date":
            if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
                return raw
            try:
                return dt.date.fromisoformat(str(raw).strip())
            except ValueError:
                raise self._refuse(
                    _("%(field)s must be a date (YYYY-MM-DD), not “%(value)s”."), value=raw
                ) from None
        if self.kind == "datetime":
            if isinstance(raw, dt.datetime):
                return raw
            try:
                return dt.datetime.fromisoformat(str(raw).strip())
            except ValueError:
                raise self._refuse(
                    _("%(field)s must be a date and time (ISO 8601), not “%(value)s”."),
                    value=raw,
                ) from None
        if self.kind == "choice":
            choice = str(raw).strip()
            allowed = [str(choice) for choice, _label in self.choices]
            if choice not in allowed:
                raise self._refuse(
                    _("“%(value)s” is not a possible %(field)s (possible: %(allowed)s)."),
                    value=choice,
                    allowed=", ".join(allowed),
                )
            return choice
        text = str(raw).strip()
        if len(text) > 2000:
            raise self._refuse(_("%(field)s is longer than 2,000 characters."))
        return text

    def display(self, value: Any) -> str:
        if self.kind == "choice":
            for choice, label in self.choices:
                if str(choice) == str(value):
                    return str(label)
        return "" if value is None else str(value)


# ----------------------------------------------------------------------------------------------
# One attempt to take a step: what guards, validators and effects see


@dataclass
class Attempt:
    lifecycle: Lifecycle
    step: Step
    obj: Any
    actor: Any
    on: dt.date
    note: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    preview: bool = False
    _entered: dt.date | None = None

    @property
    def entered(self) -> dt.date:
        """The day the object entered its current state."""
        if self._entered is None:
            self._entered = self.lifecycle.entered(self.obj)
        return self._entered


Guard = Callable[[Attempt], "Refusal | None"]


def guard(
    test: Callable[[Attempt], bool],
    message: Any,
    *,
    code: str,
    field: str = "",
    params: Callable[[Attempt], Mapping[str, Any]] | None = None,
) -> Guard:
    """A condition on the object: refused with `message` when `test(attempt)` is false."""

    def check(attempt: Attempt) -> Refusal | None:
        if test(attempt):
            return None
        return Refusal(code, message, params(attempt) if params else {}, field=field)

    return check


def fields_present(*names: str) -> Guard:
    """The object's fields must be filled in before the step."""

    def check(attempt: Attempt) -> Refusal | None:
        for name in names:
            value = getattr(attempt.obj, name, None)
            if value in (None, "", [], {}):
                label = attempt.obj._meta.get_field(name).verbose_name
                return Refusal(
                    "field_missing",
                    _("%(field)s must be filled in before this step."),
                    {"field": label},
                    field=name,
                )
        return None

    return check


def evidence_attached(related: str, label: Any, **filters: Any) -> Guard:
    """At least one related row (a document, a file) must exist: `obj.<related>.filter(...)`."""

    def check(attempt: Attempt) -> Refusal | None:
        if getattr(attempt.obj, related).filter(**filters).exists():
            return None
        return Refusal("evidence_missing", _("%(evidence)s must be attached."), {"evidence": label})

    return check


def minimum_time(clock: Clock) -> Guard:
    """At least the clock's minimum in the current state (measured to the step's date)."""

    def check(attempt: Attempt) -> Refusal | None:
        state = attempt.lifecycle.state_of(attempt.obj)
        if state != clock.state:
            return None
        earliest = clock.earliest(attempt.obj, attempt.entered)
        if earliest is None or attempt.on >= earliest:
            return None
        message = (
            _(
                "At least %(days)s working days in “%(state)s” are required (since "
                "%(since)s): this step is possible from %(day)s."
            )
            if clock.working_days
            else _(
                "At least %(days)s days in “%(state)s” are required (since %(since)s): this "
                "step is possible from %(day)s."
            )
        )
        return Refusal(
            "too_early",
            message,
            {
                "days": clock.minimum_days(attempt.obj),
                "state": attempt.lifecycle.state_label(state),
                "since": attempt.entered.isoformat(),
                "day": earliest.isoformat(),
            },
            field="on",
        )

    return check


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
        self.start_label = start_label if start_label is not None else _("Created")
        self.start_on = start_on
        self.is_demo = is_demo or (lambda obj: bool(getattr(obj, "demo", False)))
        self.history_deleted_with_subject = history_deleted_with_subject
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
                "inputs": [_input_payload(i, None) for i in step.inputs],
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


# ----------------------------------------------------------------------------------------------
# For pages and JSON


@dataclass
class StepOption:
    """A step from the object's current state, as the actor sees it."""

    step: Step
    target_label: str
    allowed: bool
    reasons: list[str]
    inputs: list[dict[str, Any]]

    @property
    def action(self) -> str:
        return self.step.action

    @property
    def label(self) -> str:
        return str(self.step.label)


def _input_payload(item: Input, obj) -> dict[str, Any]:
    return {
        "name": item.name,
        "label": str(item.label),
        "kind": item.kind,
        "required": item.is_required(obj) if obj is not None else bool(item.required is True),
        "choices": [{"value": str(v), "label": str(label)} for v, label in item.choices],
        "help": str(item.help),
    }


def steps_for(obj, actor) -> list[StepOption]:
    """The steps from the object's state: those the actor may take now, and the others with
    the reasons why not. Steps only the system takes are not offered to people."""
    lifecycle = lifecycle_of(obj)
    state = lifecycle.state_of(obj)
    options = []
    entered = None
    for step in lifecycle.steps_from(state):
        if step.automatic and actor is not None:
            continue
        attempt = Attempt(lifecycle, step, obj, actor, today(), preview=True, _entered=entered)
        reasons = []
        role = _role_refusal(attempt)
        if role is not None:
            reasons.append(role.text)
        reasons += [refusal.text for refusal in _guard_refusals(attempt)]
        entered = attempt._entered
        options.append(
            StepOption(
                step=step,
                target_label=lifecycle.state_label(step.target),
                allowed=not reasons,
                reasons=reasons,
                inputs=[_input_payload(item, obj) for item in step.inputs],
            )
        )
    return options


@dataclass
class HistoryEntry:
    event: TransitionEvent
    action_label: str
    from_label: str
    to_label: str
    by: str
    details: list[tuple[str, str]]


def history(obj) -> list[HistoryEntry]:
    """The object's events, oldest first, with labels in the active language."""
    lifecycle = lifecycle_of(obj)
    inputs = {item.name: item for step in lifecycle.steps for item in step.inputs}
    entries = []
    for event in lifecycle.events_of(obj):
        details = []
        for key, value in (event.data or {}).items():
            item = inputs.get(key)
            details.append(
                (str(item.label) if item else key, item.display(value) if item else str(value))
            )
        entries.append(
            HistoryEntry(
                event=event,
                action_label=lifecycle.step_label(event.action),
                from_label=lifecycle.state_label(event.from_state) if event.from_state else "",
                to_label=lifecycle.state_label(event.to_state),
                by=event.actor_name or gettext("the system"),
                details=details,
            )
        )
    return entries


@dataclass
class ClockState:
    label: str
    entered: dt.date
    earliest: dt.date | None
    due: dt.date | None
    overdue: bool


def clocks_of(obj) -> list[ClockState]:
    """The clocks running in the object's current state: since when, earliest step, deadline."""
    lifecycle = lifecycle_of(obj)
    state = lifecycle.state_of(obj)
    running = [clock for clock in lifecycle.clocks if clock.state == state]
    if not running:
        return []
    entered = lifecycle.entered(obj)
    result = []
    for clock in running:
        due = clock.due(obj, entered)
        result.append(
            ClockState(
                label=str(clock.label or lifecycle.state_label(state)),
                entered=entered,
                earliest=clock.earliest(obj, entered),
                due=due,
                overdue=due is not None and today() > due,
            )
        )
    return result


def lifecycle_payload(obj, actor) -> dict[str, Any]:
    """State, next steps for the actor and history, as JSON (the pages' twin)."""
    lifecycle = lifecycle_of(obj)
    state = lifecycle.state_of(obj)
    return {
        "lifecycle": lifecycle.name,
        "state": state,
        "state_label": lifecycle.state_label(state),
        "final": state in lifecycle.final_states,
        "steps": [
            {
                "action": option.action,
                "label": option.label,
                "to": option.step.target,
                "to_label": option.target_label,
                "allowed": option.allowed,
                "reasons": option.reasons,
                "inputs": option.inputs,
                "note_required": option.step.note_required,
            }
            for option in steps_for(obj, actor)
        ],
        "history": [
            {
                "action": entry.event.action,
                "action_label": entry.action_label,
                "from_state": entry.event.from_state,
                "to_state": entry.event.to_state,
                "to_label": entry.to_label,
                "on": entry.event.on,
                "by": entry.by if entry.event.actor_name else None,
                "note": entry.event.note,
                "data": entry.event.data,
                "recorded_at": entry.event.recorded_at,
            }
            for entry in history(obj)
        ],
    }
