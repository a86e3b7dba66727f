"""What lifecycle tables are made of: who may take a step (`Role`), what it requires (guards,
`Clock`s), what a person fills in (`Input`), and why a step is refused (`Refusal`).

Tables import these from `stdplus.core.lifecycle`, with the rest of the engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from .errors import ApplicationError, Where

if TYPE_CHECKING:
    from .lifecycle import Lifecycle, Step

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

    def payload(self, obj) -> dict[str, Any]:
        """As data for a form or JSON (`obj` None: as declared, before any object)."""
        required = self.is_required(obj) if obj is not None else self.required is True
        return {
            "name": self.name,
            "label": str(self.label),
            "kind": self.kind,
            "required": required,
            "choices": [{"value": str(v), "label": str(label)} for v, label in self.choices],
            "help": str(self.help),
        }

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
