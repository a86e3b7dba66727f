"""Funding schemes (policy support), their item types and caps, and applications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Organization
from stdplus.catalog.choices import Level
from stdplus.core.display import in_language
from stdplus.core.models import TransitionEvent

from ..choices import (
    ApplicationState,
    EvidenceKind,
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
        "the organization's role (%(role)s) is what the item pays for (%(item)s); lead means the "
        "sole drafter or the first drafting organization"
    ),
    "not_state_funded": _("the organization is not a fully state-funded unit"),
    "application_window": _(
        "the application is made (%(day)s) while applications are open (%(start)s to %(end)s)"
    ),
    "stacking": _("no claim for %(subject)s in another scheme that does not stack with this one"),
    "yearly_count": _(
        "fewer than %(limit)s claims of this item were funded in %(year)s (%(used)s so far)"
    ),
    "organization_yearly_count": _(
        "the organization has fewer than %(limit)s claims of this item in %(year)s "
        "(%(used)s so far)"
    ),
    "organization_cap": _("the scheme's cap per organization (%(cap)s CNY) leaves %(left)s CNY"),
    "no_double_claim": _("no other claim for %(subject)s in this scheme"),
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
    apply_from = models.DateField(
        _("applications open"),
        null=True,
        blank=True,
        help_text=_("First day an application may be submitted (empty: no limit)."),
    )
    apply_until = models.DateField(
        _("applications close"),
        null=True,
        blank=True,
        help_text=_("Last day an application may be submitted (empty: no limit)."),
    )
    organization_cap = models.PositiveBigIntegerField(
        _("cap per organization (CNY)"),
        null=True,
        blank=True,
        help_text=_("The most one organization receives from this scheme (empty: no overall cap)."),
    )
    excludes_state_funded = models.BooleanField(
        _("excludes fully state-funded units"),
        default=True,
        help_text=_("Units whose budget is fully funded by the state cannot claim."),
    )
    stackable = models.BooleanField(
        _("stacks on other schemes"),
        default=False,
        help_text=_(
            "Its payments add to another scheme's for the same work (a district scheme on top of "
            "the city's). Two schemes that do not stack cannot both pay for one work."
        ),
    )
    to_be_confirmed = models.BooleanField(
        _("to be confirmed against the official text"),
        default=False,
        help_text=_("The figures come from a secondary source; check them and clear this flag."),
    )
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
        FundingScheme,
        on_delete=models.PROTECT,
        related_name="item_types",
        verbose_name=pgettext_lazy("funding", "scheme"),
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
    yearly_count_cap = models.PositiveIntegerField(
        _("projects funded per year"),
        null=True,
        blank=True,
        help_text=_(
            "At most this many claims of this item are funded in a year (empty: no limit)."
        ),
    )
    organization_yearly_count_cap = models.PositiveIntegerField(
        _("projects per organization per year"),
        null=True,
        blank=True,
        help_text=_("At most this many claims of one organization in a year (empty: no limit)."),
    )
    evidence_required = models.JSONField(
        _("evidence required"),
        default=list,
        blank=True,
        help_text=_("Kinds of documents an application must attach before it is submitted."),
    )

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
        max_length=16,
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
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

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


class EvidenceDocument(models.Model):
    """A document attached to a funding application: its bytes in the database, told by their
    content, never opened on the server, served only as a download (attachment, nosniff) to the
    applicant's members and the regulator."""

    application = models.ForeignKey(
        FundingApplication,
        on_delete=models.PROTECT,
        related_name="evidence",
        verbose_name=_("funding application"),
    )
    kind = models.CharField(_("kind of evidence"), max_length=20, choices=EvidenceKind.choices)
    data = models.BinaryField(_("content"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")
        ordering = ["application", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


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
