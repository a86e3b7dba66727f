"""Rows that are written once and never changed: events, history, audit logs.

Every event and audit table subclasses `ImmutableModel`. A row is inserted (`create`,
`bulk_create`, or a raw bulk insert) and then refused every change: `save()` of a stored row,
`delete()`, and on the queryset `update()`, `delete()` and `bulk_update()`; the admin shows such
rows read-only (`stdplus.core.admin.ImmutableAdmin`, required by a system check).

The one way rows leave such a table is demo data: `demo_rows_purge(model)` deletes the rows that
`model.demo_rows()` marks as demo (a `demo` flag on the row, or on what the row is about), so
generated data can be removed without opening a door for real history. A table without demo rows
(`demo_rows()` returns None) cannot be purged at all.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImmutableRowError(ValidationError):
    """A write tried to change or delete a history row (a bug, never user input)."""

    def __init__(self, model: type[models.Model] | None = None) -> None:
        name = model._meta.verbose_name_plural if model is not None else _("history rows")
        super().__init__(
            _("%(rows)s are immutable: they are written once and never changed or deleted."),
            code="immutable",
            params={"rows": name},
        )


class ImmutableQuerySet(models.QuerySet):
    """Inserts and reads only."""

    def update(self, **kwargs):  # noqa: ARG002 - history rows never change
        raise ImmutableRowError(self.model)

    def delete(self):
        raise ImmutableRowError(self.model)

    def bulk_update(self, objs, fields, batch_size=None):  # noqa: ARG002
        raise ImmutableRowError(self.model)

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):  # noqa: ARG002
        raise ImmutableRowError(self.model)


class ImmutableModel(models.Model):
    """The base of every event and audit table. See the module docstring."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True
        # Django's internal manager too (related lookups, the collector's reads), so that no
        # manager of an immutable table hands out a queryset that can update or delete.
        base_manager_name = "objects"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRowError(type(self))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRowError(type(self))

    @classmethod
    def demo_rows(cls) -> Q | None:
        """Which rows are demo data: by default those with `demo=True`; None if none can be."""
        try:
            cls._meta.get_field("demo")
        except Exception:
            return None
        return Q(demo=True)


def immutable_models() -> list[type[ImmutableModel]]:
    """Every concrete event and audit table of the installed apps."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if issubclass(model, ImmutableModel) and not model._meta.abstract
    ]


def demo_rows_purge(model: type[ImmutableModel]) -> int:
    """Delete the demo rows of an immutable table (and only those); return how many.

    The only deletion the immutable tables allow, for removing generated demo data. Rows that
    protect others (a foreign key with PROTECT) still refuse, as everywhere.
    """
    condition = model.demo_rows()
    if condition is None:
        raise ImmutableRowError(model)
    rows = models.QuerySet(model=model).filter(condition)
    return models.QuerySet.delete(rows)[0]


class TransitionEvent(ImmutableModel):
    """One step of an object's lifecycle (`stdplus.core.lifecycle`): who, when, from, to, why.

    Each lifecycle has its own concrete table (a subclass with a foreign key to the object, and
    `class Meta(TransitionEvent.Meta)`), so its history has real foreign keys and its own indexes.
    """

    action = models.CharField(_("step"), max_length=40)
    from_state = models.CharField(pgettext_lazy("state", "from"), max_length=32, blank=True)
    to_state = models.CharField(pgettext_lazy("state", "to"), max_length=32)
    on = models.DateField(_("effective on"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        # A person with a history is deactivated, not deleted (SET_NULL would rewrite history).
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(
        _("by (user name)"),
        max_length=150,
        blank=True,
        help_text=_("The user name at the time; empty when the system took the step."),
    )
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    demo = models.BooleanField(_("demo data"), default=False)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta(ImmutableModel.Meta):
        abstract = True
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.from_state or '-'} → {self.to_state} ({self.action}, {self.on})"


class Job(models.Model):
    """One background job (`stdplus.core.jobs`): what to run, its state and its lease.

    The queue (huey) carries only the job's id; this row is the record that makes a job survive
    a worker killed mid-run (it is taken over when its lease ends) and run its effects once (they
    commit in the same transaction that marks the job done)."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATES = [
        (QUEUED, _("queued")),
        (RUNNING, _("running")),
        (DONE, _("done")),
        (FAILED, _("failed")),
    ]

    key = models.CharField(_("key"), max_length=200, unique=True)
    name = models.CharField(_("job"), max_length=100)
    params = models.JSONField(_("parameters"), default=dict, encoder=DjangoJSONEncoder)
    state = models.CharField(_("state"), max_length=10, choices=STATES, default=QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True, encoder=DjangoJSONEncoder)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Who started it from the web (None: the system, a schedule or the command line). Only they
    # and staff see its page and download its file.
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["state", "lease_until"], name="core_job_state_lease")]

    def __str__(self) -> str:
        return f"{self.name} {self.key} ({self.state})"
