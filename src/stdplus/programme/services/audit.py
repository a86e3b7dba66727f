"""Every change to a programme record goes through here and leaves an AuditEvent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stdplus.core.errors import ApplicationError, Where
from stdplus.core.lifecycle import lifecycle_of, transition_start

from ..choices import AuditAction
from ..models import AuditEvent


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _label(instance: models.Model) -> str:
    return instance._meta.label_lower


def audit_log(*, instance: models.Model, action: str, actor=None, changes: dict | None = None):
    return AuditEvent.objects.create(
        model=_label(instance),
        object_id=str(instance.pk),
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        changes={k: _plain(v) for k, v in (changes or {}).items()},
    )


def _validate(instance: models.Model, *, where: Where | None = None) -> None:
    try:
        instance.full_clean(validate_unique=True)
    except ValidationError as error:
        fields = {
            (field if field != "__all__" else "record"): " ".join(str(m) for m in messages)
            for field, messages in error.message_dict.items()
        }
        first = next(iter(fields))
        message = (
            fields[first]
            if len(fields) == 1
            else "; ".join(f"{field}: {text}" for field, text in fields.items())
        )
        place = (where or Where()).but(field=first)
        raise ApplicationError(message, where=place, code="invalid_record") from error


def record_create(
    *, model: type[models.Model], values: dict, actor=None, where: Where | None = None
):
    """Validate and save a new record, then log who created it and with what."""
    many = {
        k: v
        for k, v in values.items()
        if isinstance(model._meta.get_field(k), models.ManyToManyField)
    }
    plain = {k: v for k, v in values.items() if k not in many}
    with transaction.atomic():
        instance = model(**plain)
        _validate(instance, where=where)
        instance.save()
        for name, items in many.items():
            getattr(instance, name).set(items)
        audit_log(instance=instance, action=AuditAction.CREATE, actor=actor, changes=plain)
        _history_start(instance, actor)
    return instance


def _history_start(instance: models.Model, actor) -> None:
    """A record with a lifecycle gets the first line of its history when it is created."""
    try:
        lifecycle_of(instance)
    except LookupError:
        return
    transition_start(instance, actor=actor)


def record_update(*, instance: models.Model, changes: dict, actor=None, where: Where | None = None):
    """Apply field changes, validate, save, and log the old and new values of what changed.

    The state of a record with a lifecycle is not a field to edit: it changes by its steps."""
    try:
        lifecycle = lifecycle_of(instance)
    except LookupError:
        lifecycle = None
    if lifecycle is not None and {lifecycle.state_field, lifecycle.since_field} & set(changes):
        raise ApplicationError(
            _("The state of a %(object)s changes only through its steps (%(steps)s)."),
            params={
                "object": lifecycle.label,
                "steps": ", ".join(str(step.label) for step in lifecycle.steps),
            },
            where=(where or Where()).but(field=lifecycle.state_field),
            code="state_by_steps_only",
        )
    with transaction.atomic():
        before = {name: getattr(instance, name) for name in changes}
        for name, value in changes.items():
            setattr(instance, name, value)
        _validate(instance, where=where)
        instance.save()
        diff = {
            name: [_plain(before[name]), _plain(value)]
            for name, value in changes.items()
            if _plain(before[name]) != _plain(value)
        }
        if diff:
            audit_log(instance=instance, action=AuditAction.UPDATE, actor=actor, changes=diff)
    return instance


def record_saved(*, instance: models.Model, created: bool, changed: list[str], actor=None):
    """Log a save made by a form (the admin) that validated the instance already."""
    if created:
        values = {f.name: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
        event = audit_log(instance=instance, action=AuditAction.CREATE, actor=actor, changes=values)
        _history_start(instance, actor)
        return event
    values = {name: getattr(instance, name, None) for name in changed}
    return audit_log(instance=instance, action=AuditAction.UPDATE, actor=actor, changes=values)


def record_archive(*, instance: models.Model, actor=None, note: str = ""):
    """Soft delete: the record leaves figures and lists but stays, with its history."""
    if instance.archived_at is not None:
        return instance
    with transaction.atomic():
        instance.archived_at = timezone.now()
        instance.save(update_fields=["archived_at", "updated_at"])
        audit_log(
            instance=instance, action=AuditAction.ARCHIVE, actor=actor, changes={"note": note}
        )
    return instance


def record_restore(*, instance: models.Model, actor=None):
    if instance.archived_at is None:
        return instance
    with transaction.atomic():
        instance.archived_at = None
        instance.save(update_fields=["archived_at", "updated_at"])
        audit_log(instance=instance, action=AuditAction.RESTORE, actor=actor)
    return instance
