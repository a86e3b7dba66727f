"""Lifecycles on pages and in JSON: the steps an actor may take now (and why not the others),
the history, the clocks; the panel and the form that takes a step.

A page that shows an object with a lifecycle returns `lifecycle_page(request, obj, ...)`: on GET
its template (which includes `core/_lifecycle.html`) with the panel's context, on POST the step
taken and a redirect. The same panel serves the admin (`stdplus.core.admin.LifecycleAdminMixin`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from .dates import date_or_none, today
from .errors import ApplicationError
from .lifecycle import Attempt, Step, lifecycle_of, preview_refusals, transition_apply
from .models import TransitionEvent

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
        reasons = [refusal.text for refusal in preview_refusals(attempt)]
        entered = attempt._entered
        options.append(
            StepOption(
                step=step,
                target_label=lifecycle.state_label(step.target),
                allowed=not reasons,
                reasons=reasons,
                inputs=[item.payload(obj) for item in step.inputs],
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


def _data_detail(named, value) -> tuple[str, str]:
    """A recorded value the lifecycle names (`Lifecycle.data_labels`), in the active language."""
    label, display = named if isinstance(named, tuple) else (named, None)
    if display is not None:
        return str(label), str(display(value))
    if value is None or value == [] or value == "":
        return str(label), "—"
    if isinstance(value, list | tuple):
        return str(label), ", ".join(str(v) for v in value)
    return str(label), str(value)


def history(obj) -> list[HistoryEntry]:
    """The object's events, oldest first, with labels in the active language."""
    lifecycle = lifecycle_of(obj)
    inputs = {item.name: item for step in lifecycle.steps for item in step.inputs}
    entries = []
    for event in lifecycle.events_of(obj):
        details = []
        for key, value in (event.data or {}).items():
            item = inputs.get(key)
            if item is None and key in lifecycle.data_labels:
                details.append(_data_detail(lifecycle.data_labels[key], value))
                continue
            details.append(
                (
                    str(item.label) if item else str(key),
                    item.display(value) if item else str(value),
                )
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


def lifecycle_context(obj, user, step_url: str) -> dict[str, Any]:
    lifecycle = lifecycle_of(obj)
    state = lifecycle.state_of(obj)
    options = steps_for(obj, user)
    return {
        "lifecycle": {
            "name": lifecycle.name,
            "state": state,
            "state_label": lifecycle.state_label(state),
            "final": state in lifecycle.final_states,
            "steps": options,
            "allowed": [option for option in options if option.allowed],
            "refused": [option for option in options if not option.allowed],
            "history": history(obj),
            "clocks": clocks_of(obj),
            "step_url": step_url,
        }
    }


def lifecycle_post(request, obj) -> bool:
    """Take the step a lifecycle form posted (as the request's user); report in the messages."""
    lifecycle = lifecycle_of(obj)
    try:
        step = lifecycle.step(request.POST.get("action", ""))
        transition_apply(
            obj,
            step.action,
            actor=request.user,
            data={item.name: request.POST.get(item.name, "") for item in step.inputs},
            on=date_or_none(request.POST.get("on", ""), field="on"),
            note=request.POST.get("note", ""),
        )
    except ApplicationError as error:
        if error.status == 403:  # the wrong person: refused as a page would be
            raise PermissionDenied(error.message) from None
        messages.error(request, error.message)
        return False
    messages.success(
        request,
        _("Done: “%(step)s”. Now “%(state)s”.")
        % {"step": step.label, "state": lifecycle.state_label(lifecycle.state_of(obj))},
    )
    return True


def lifecycle_page(
    request,
    obj,
    *,
    template: str,
    context: dict[str, Any],
    json_url: str,
    done_url: str | None = None,
):
    """An object's page: GET shows it with its next steps and history; POST takes a step and
    goes back to the page (or to `done_url`)."""
    if request.method == "POST":
        lifecycle_post(request, obj)
        return redirect(done_url or request.path)
    panel = lifecycle_context(obj, request.user, request.path)
    return render(request, template, {**context, "json_url": json_url, **panel})
