"""Funding schemes (policy support), their item types and caps, and applications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Organization

from ..choices import ApplicationState, FundingSubject, RoleClass, WorkKind
from .base import Record
from .pilots import Pilot
from .regions import Region
from .registry import Participation


class FundingScheme(Record):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("standards published from"))
    period_end = models.DateField(_("standards published until"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("funding scheme")
        verbose_name_plural = _("funding schemes")
        ordering = ["-period_start", "code"]

    def __str__(self) -> str:
        return self.name_zh or self.name_en


class FundingItemType(Record):
    """What a scheme pays for and up to how much: editable data, not code."""

    scheme = models.ForeignKey(
        FundingScheme, on_delete=models.PROTECT, related_name="item_types", verbose_name=_("scheme")
    )
    code = models.CharField(_("code"), max_length=40)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    subject = models.CharField(_("subject"), max_length=10, choices=FundingSubject.choices)
    standard_levels = models.JSONField(
        _("standard levels"),
        default=list,
        blank=True,
        help_text=_("Catalog levels this item pays for (international, national, ...)."),
    )
    local_prefixes = models.JSONField(
        _("local standard prefixes"),
        default=list,
        blank=True,
        help_text=_("For local standards: only these issuing bodies (DB4403, SZDB)."),
    )
    work = models.CharField(
        _("new or revision"), max_length=10, choices=WorkKind.choices, default=WorkKind.ANY
    )
    role_class = models.CharField(
        _("lead or participate"), max_length=12, choices=RoleClass.choices, default=RoleClass.ANY
    )
    pilot_levels = models.JSONField(_("pilot levels"), default=list, blank=True)
    cap = models.PositiveBigIntegerField(_("cap (CNY)"))

    class Meta:
        verbose_name = _("funding item type")
        verbose_name_plural = _("funding item types")
        ordering = ["scheme", "-cap", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="funding_item_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name_zh or self.name_en} (≤ {self.cap:,})"


class FundingApplication(Record):
    scheme = models.ForeignKey(
        FundingScheme,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("scheme"),
    )
    item_type = models.ForeignKey(
        FundingItemType,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("item"),
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="funding_applications",
    )
    participation = models.ForeignKey(
        Participation,
        verbose_name=_("participation claimed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funding_applications",
    )
    pilot = models.ForeignKey(
        Pilot,
        verbose_name=_("pilot claimed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funding_applications",
    )
    amount_requested = models.PositiveBigIntegerField(_("amount requested (CNY)"))
    submitted_on = models.DateField(_("submitted on"))
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ApplicationState.choices,
        default=ApplicationState.SUBMITTED,
    )
    checks = models.JSONField(_("eligibility checks"), default=list, blank=True)
    eligible = models.BooleanField(_("eligible"), default=False)
    amount_awarded = models.PositiveBigIntegerField(
        _("amount awarded (CNY)"), null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("funding application")
        verbose_name_plural = _("funding applications")
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participation__isnull=False) | models.Q(pilot__isnull=False),
                name="funding_application_claims_something",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.item_type} · {self.amount_requested:,}"
