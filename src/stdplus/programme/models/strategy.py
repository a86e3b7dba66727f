"""The "Standards+" strategic list: priority areas with targets, and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Organization
from stdplus.catalog.models import Standard
from stdplus.core.display import in_language
from stdplus.core.models import ImmutableModel, TransitionEvent

from ..choices import AuditAction, ProjectState
from .base import Record
from .pilots import Pilot
from .regions import Region


class PriorityArea(Record):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    year_from = models.PositiveSmallIntegerField(_("from year"))
    year_to = models.PositiveSmallIntegerField(_("to year"))
    target_standards = models.PositiveIntegerField(_("target: standards"), default=0)
    target_pilots = models.PositiveIntegerField(_("target: pilots"), default=0)
    target_projects = models.PositiveIntegerField(_("target: projects"), default=0)
    standards = models.ManyToManyField(
        Standard, blank=True, related_name="+", verbose_name=_("target standards")
    )
    pilots = models.ManyToManyField(
        Pilot, blank=True, related_name="priority_areas", verbose_name=_("pilots")
    )

    class Meta:
        verbose_name = _("priority area")
        verbose_name_plural = _("priority areas")
        ordering = ["code"]

    def __str__(self) -> str:
        return in_language(self.name_zh, self.name_en)


class AreaProject(Record):
    area = models.ForeignKey(
        PriorityArea, on_delete=models.PROTECT, related_name="projects", verbose_name=_("area")
    )
    title_zh = models.CharField(_("Chinese title"), max_length=300, blank=True)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ProjectState.choices, default=ProjectState.PLANNED
    )

    class Meta:
        verbose_name = _("strategic project")
        verbose_name_plural = _("strategic projects")
        ordering = ["area", "id"]

    def __str__(self) -> str:
        return in_language(self.title_zh, self.title_en)


class ProjectEvent(TransitionEvent):
    """One step of a strategic project's lifecycle (programme.lifecycles.PROJECT)."""

    project = models.ForeignKey(
        AreaProject,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("strategic project"),
    )

    class Meta(TransitionEvent.Meta):
        verbose_name = _("strategic project event")
        verbose_name_plural = _("strategic project events")


class AuditEvent(ImmutableModel):
    """Who changed which programme record, when, and what: appended, never changed."""

    model = models.CharField(_("record type"), max_length=60, db_index=True)
    object_id = models.CharField(_("record"), max_length=40, db_index=True)
    action = models.CharField(_("action"), max_length=12, choices=AuditAction.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta(ImmutableModel.Meta):
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} {self.action}"
