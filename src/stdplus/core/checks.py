"""System checks (`stdplus check`) that keep history tables and lifecycles honest."""

from __future__ import annotations

from django.contrib import admin
from django.core import checks
from django.db import models

from .admin import ImmutableAdmin, LifecycleAdminMixin
from .lifecycle import lifecycles
from .models import ImmutableQuerySet, immutable_models

RESERVED_INPUTS = {"action", "on", "note", "csrfmiddlewaretoken"}


@checks.register()
def immutable_tables(app_configs=None, **kwargs):
    errors = []
    for model in immutable_models():
        label = model._meta.label
        for name, manager in (("default", model._default_manager), ("base", model._base_manager)):
            if not isinstance(manager.all(), ImmutableQuerySet):
                errors.append(
                    checks.Error(
                        f"{label}: its {name} manager can update and delete rows",
                        hint="Declare `class Meta(ImmutableModel.Meta)` (or TransitionEvent.Meta)"
                        " and keep an ImmutableQuerySet manager.",
                        obj=model,
                        id="stdplus.E001",
                    )
                )
        for link in model._meta.concrete_fields:
            handler = getattr(link.remote_field, "on_delete", None) if link.remote_field else None
            if handler in (models.SET_NULL, models.SET_DEFAULT) or getattr(
                handler, "deconstruct", None
            ):
                errors.append(
                    checks.Error(
                        f"{label}.{link.name}: deleting the row it points to would rewrite "
                        "history rows",
                        hint="Use PROTECT (or CASCADE where the history goes with its subject).",
                        obj=model,
                        id="stdplus.E007",
                    )
                )
        model_admin = admin.site._registry.get(model)
        if model_admin is not None and not isinstance(model_admin, ImmutableAdmin):
            errors.append(
                checks.Error(
                    f"{label}: its admin is not an ImmutableAdmin",
                    obj=model,
                    id="stdplus.E002",
                )
            )
    return errors


@checks.register()
def lifecycle_tables(app_configs=None, **kwargs):
    errors = []
    for lifecycle in lifecycles():
        where = f"lifecycle {lifecycle.name}"
        try:
            link = lifecycle.event_model._meta.get_field(lifecycle.subject_field)
        except Exception:
            link = None
        if not isinstance(link, models.ForeignKey) or link.related_model is not lifecycle.model:
            errors.append(
                checks.Error(
                    f"{where}: {lifecycle.event_model._meta.label}.{lifecycle.subject_field} is "
                    f"not a foreign key to {lifecycle.model._meta.label}",
                    id="stdplus.E003",
                )
            )
        elif link.remote_field.on_delete is not models.PROTECT and not (
            lifecycle.history_deleted_with_subject
        ):
            errors.append(
                checks.Error(
                    f"{where}: deleting a {lifecycle.model._meta.label} would delete its history",
                    hint="Use on_delete=PROTECT, or say history_deleted_with_subject=True where "
                    "the object itself may be deleted by its owner.",
                    id="stdplus.E004",
                )
            )
        for step in lifecycle.steps:
            clash = {item.name for item in step.inputs} & RESERVED_INPUTS
            if clash:
                errors.append(
                    checks.Error(
                        f"{where}: step {step.action} uses reserved input names {sorted(clash)}",
                        id="stdplus.E005",
                    )
                )
        model_admin = admin.site._registry.get(lifecycle.model)
        if model_admin is not None and not isinstance(model_admin, LifecycleAdminMixin):
            errors.append(
                checks.Error(
                    f"{where}: the admin of {lifecycle.model._meta.label} does not show the "
                    "lifecycle (use LifecycleAdminMixin)",
                    id="stdplus.E006",
                )
            )
    return errors
