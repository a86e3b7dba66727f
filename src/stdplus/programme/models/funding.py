"""Funding schemes (policy support), their item types and caps, and applications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Organization
from stdplus.catalog.choices import Level
from stdplus.core.display import in_language
from stdplus.core.models import TransitionEvent

from ..choices import (
    ApplicationState,
    FundingSubject,
    ParticipationRole,
    PilotLevel,
    RoleClass,
    WorkKind,
)
from .base import Record
from .pilots import Pilot
from .regions import Region
from .registry import Participation

# The message of each eligibility rule (programme.services.funding.eligibility_checks); the
# parameters are stored with the application, the words are translated when shown.
CHECK_MESSAGES = {
    "item_in_scheme": _("the item belongs to the scheme %(scheme)s"),
    "organization_in_region": _("the organization is registered in %(region)s (code %(code)s)"),
    "cap": _("the amount requested (%(amount)s) is within the cap (%(cap)s CNY)"),
    "claims_a_participation": _("the claim names a participation"),
    "own_participation": _("the participation is the organization's own and is in the register"),
    "published_in_period": _(
        "%(standard)s was published (%(published)s) between %(start)s and %(end)s"
    ),
    "level": _("%(standard)s is a standard of a level this item pays for (%(level)s)"),
    "new_or_revision": _("%(standard)s is a %(kind)s, as the item requires (%(item)s)"),
    "lead_or_participate": _(
        "the organization's role (%(role)s) is what the item pays for (%(item)s)"
    ),
    "no_double_claim": _("no other open claim for %(subject)s"),
    "claims_a_pilot": _("the claim names a pilot project"),
    "own_pilot": _("the pilot is hosted by the organization and is in the register"),
    "pilot_level": _("the pilot's level (%(level)s) is one this item pays for"),
    "pilot_completed_in_period": _("the pilot was completed between %(start)s and %(end)s"),
}
# Parameters whose values are choices: shown by their translated labels.
_CHECK_VALUE_LABELS = {
    "level": {**dict(Level.choices), **dict(PilotLevel.choices)},
    "kind": dict(WorkKind.choices),
    "item": {**dict(WorkKind.choices), **dict(RoleClass.choices)},
    "role": dict(ParticipationRole.choices),
}


def check_text(check: dict) -> str:
    """One stored check as a sentence in the active language."""
    template = CHECK_MESSAGES.get(check.get("check", ""))
    params = check.get("params")
    if template is None or params is None:
        return str(check.get("message", check.get("check", "")))  # rows written before params
    shown = {}
    for key, value in params.items():
        if key in _CHECK_VALUE_LABELS and value in _CHECK_VALUE_LABELS[key]:
            value = str(_CHECK_VALUE_LABELS[key][value])
        elif isinstance(value, int):
            value = f"{value:,}"
        shown[key] = value
    if "region_en" in params:
        language = get_language() or ""
        shown["region"] = params["region_zh"] if language.startswith("zh") else params["region_en"]
    try:
        return str(template) % shown
    except (KeyError, TypeError, ValueError):
        return str(template)


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
        return in_language(self.name_zh, self.name_en)


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
        return f"{in_language(self.name_zh, self.name_en)} (≤ {self.cap:,})"


class FundingApplication(Record):
    scheme = models.ForeignKey(
        FundingScheme,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("funding scheme"),
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

    def check_lines(self) -> list[tuple[bool, str]]:
        """The eligibility checks as (passed, sentence in the active language)."""
        return [(bool(check.get("ok")), check_text(check)) for check in self.checks or []]

    def failed_checks(self) -> list[str]:
        return [text for ok, text in self.check_lines() if not ok]


class FundingEvent(TransitionEvent):
    """One step of a funding application (programme.lifecycles.FUNDING): submitted, decided,
    withdrawn."""

    application = models.ForeignKey(
        FundingApplication,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("funding application"),
    )

    class Meta(TransitionEvent.Meta):
        verbose_name = _("funding application event")
        verbose_name_plural = _("funding application events")
