"""Lifecycles on pages: the panel of next steps and history, and the form that takes a step.

A page that shows an object with a lifecycle returns `lifecycle_page(request, obj, ...)`: on GET
its template (which includes `core/_lifecycle.html`) with the panel's context, on POST the step
taken and a redirect. The same panel serves the admin (`stdplus.core.admin.LifecycleAdminMixin`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .dates import date_or_none
from .errors import ApplicationError
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
