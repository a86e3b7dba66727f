"""Pilot and demonstration projects: a lifecycle with immutable events, tasks, standards."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Organization
from stdplus.catalog.models import Standard
from stdplus.core.display import in_language
from stdplus.core.models import TransitionEvent

from ..choices import EvaluationResult, PilotLevel, PilotStandardUse, PilotState
from .base import Record


class Pilot(Record):
    code = models.CharField(_("project number"), max_length=60, blank=True)
    title_zh = models.CharField(_("Chinese title"), max_length=300, blank=True)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=PilotLevel.choices)
    domain = models.CharField(_("domain"), max_length=120, blank=True)
    host = models.ForeignKey(
        Organization,
        verbose_name=_("host organization"),
        on_delete=models.PROTECT,
        related_name="pilots",
    )
    start = models.DateField(_("starts"))
    end = models.DateField(_("planned end"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=PilotState.choices, default=PilotState.APPROVED
    )
    state_since = models.DateField(_("in this state since"), null=True, blank=True)
    evaluation_result = models.CharField(
        _("evaluation result"), max_length=10, choices=EvaluationResult.choices, blank=True
    )
    evaluation_note = models.TextField(_("evaluation note"), blank=True)
    standards = models.ManyToManyField(
        Standard, through="PilotStandard", related_name="pilots", verbose_name=_("standards")
    )

    class Meta:
        verbose_name = _("pilot project")
        verbose_name_plural = _("pilot projects")
        ordering = ["-start", "id"]

    def __str__(self) -> str:
        return in_language(self.title_zh, self.title_en) or self.code


class PilotStandard(models.Model):
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="standard_links")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    use = models.CharField(_("use"), max_length=10, choices=PilotStandardUse.choices)

    class Meta:
        verbose_name = _("standard of a pilot")
        verbose_name_plural = _("standards of pilots")
        constraints = [
            models.UniqueConstraint(fields=["pilot", "standard", "use"], name="pilot_standard_once")
        ]

    def __str__(self) -> str:
        return f"{self.pilot_id} {self.get_use_display()} {self.standard_id}"


class PilotTask(Record):
    pilot = models.ForeignKey(Pilot, on_delete=models.PROTECT, related_name="tasks")
    title_zh = models.CharField(_("Chinese title"), max_length=300, blank=True)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    milestone = models.BooleanField(_("milestone"), default=False)
    due = models.DateField(_("due"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("pilot task")
        verbose_name_plural = _("pilot tasks")
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return in_language(self.title_zh, self.title_en)


class PilotEvent(TransitionEvent):
    """One step of a pilot's lifecycle (programme.lifecycles.PILOT): its history and audit trail."""

    pilot = models.ForeignKey(
        Pilot, on_delete=models.PROTECT, related_name="events", verbose_name=_("pilot project")
    )

    class Meta(TransitionEvent.Meta):
        verbose_name = _("pilot event")
        verbose_name_plural = _("pilot events")
        indexes = [models.Index(fields=["to_state", "on"], name="pilot_event_state_on")]
