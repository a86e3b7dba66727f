"""Lifecycles on pages: the panel of next steps and history, and the form that takes a step.

A page that shows an object with a lifecycle adds `lifecycle_context(obj, request.user, url)` to
its context and includes `core/_lifecycle.html`; its POST handler calls `lifecycle_post(request,
obj)`. The same panel serves the admin (`stdplus.core.admin.LifecycleAdminMixin`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .errors import ApplicationError, Where
from .lifecycle import clocks_of, history, lifecycle_of, steps_for, transition_apply


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


def _date(value: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApplicationError(
            _("The effective date must be a date (YYYY-MM-DD), not “%(value)s”."),
            params={"value": value},
            where=Where(field="on"),
            code="invalid_date",
        ) from None


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
            on=_date(request.POST.get("on", "")),
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
