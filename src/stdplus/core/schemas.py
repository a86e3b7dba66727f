"""API schemas shared by every app: an object's lifecycle (state, next steps, history)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class ChoiceOut(Schema):
    value: str
    label: str


class InputOut(Schema):
    name: str
    label: str
    kind: str
    required: bool
    choices: list[ChoiceOut]
    help: str


class StepOut(Schema):
    """A step from the current state, for the caller: may they take it now, and if not, why."""

    action: str
    label: str
    to: str
    to_label: str
    allowed: bool
    reasons: list[str]
    inputs: list[InputOut]
    note_required: bool


class EventOut(Schema):
    action: str
    action_label: str
    from_state: str
    to_state: str
    to_label: str
    on: dt.date
    by: str | None
    note: str
    data: dict[str, Any]
    recorded_at: dt.datetime


class LifecycleOut(Schema):
    """`stdplus.core.lifecycle.lifecycle_payload`: the same as the object's page shows."""

    lifecycle: str
    state: str
    state_label: str
    final: bool
    steps: list[StepOut]
    history: list[EventOut]
