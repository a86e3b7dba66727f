"""The registry around accounts.Organization: profiles, issuer codes, participations, matching."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Organization
from stdplus.catalog.models import Standard
from stdplus.core.models import TransitionEvent

from ..choices import LEAD_ROLES, IssuerKind, MatchState, ParticipationRole, RecordSource
from .base import Record


class OrganizationProfile(Record):
    """The programme's own data about a registry organization (accounts owns the organization)."""

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="programme_profile",
    )
    aliases = models.JSONField(
        _("other names"),
        default=list,
        blank=True,
        help_text=_("Former names and spellings used when matching drafting organizations."),
    )
    fully_state_funded = models.BooleanField(
        _("fully state-funded unit"),
        default=False,
        help_text=_("A unit whose budget the state funds in full: excluded from most subsidies."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("registry profile")
        verbose_name_plural = _("registry profiles")
        permissions = [("keep_register", _("Can keep the Standards+ register"))]

    def __str__(self) -> str:
        return str(self.organization)


class IssuerCode(Record):
    """A catalog body (T/SZAS, Q/BYD) tied to the organization that issues its standards.

    The group and enterprise figures read the catalog through this table; a self-declaration
    register fills it with `source=declaration` rows.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=IssuerKind.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="issuer_codes",
    )
    source = models.CharField(
        _("source"), max_length=12, choices=RecordSource.choices, default=RecordSource.MANUAL
    )

    class Meta:
        verbose_name = _("issuer code")
        verbose_name_plural = _("issuer codes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Participation(Record):
    """An organization's part in drafting one catalog edition."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    standard = models.ForeignKey(
        Standard,
        verbose_name=_("standard"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    role = models.CharField(_("role"), max_length=16, choices=ParticipationRole.choices)
    source = models.CharField(
        _("source"), max_length=12, choices=RecordSource.choices, default=RecordSource.MANUAL
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "standard"],
                condition=models.Q(archived_at__isnull=True),
                name="participation_once_per_standard",
            )
        ]
        indexes = [
            # Covers the statistics' reads (edition → organization, role, live) without a row
            # lookup per participation.
            models.Index(
                fields=["standard", "organization", "role", "archived_at", "demo"],
                name="participation_std_cover",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.standard_id} · {self.get_role_display()}"

    @property
    def is_lead(self) -> bool:
        return self.role in LEAD_ROLES


class MatchCandidate(models.Model):
    """A drafting organization named on a catalog entry that could not be linked for certain.

    The regulator accepts it (a participation is created) or rejects it; nothing is linked
    without that decision.
    """

    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name on the catalog entry"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position in the list"), default=0)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("suggested organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    score = models.FloatField(_("similarity"), default=0)
    reason = models.CharField(_("why it is uncertain"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=MatchState.choices, default=MatchState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("found"), auto_now_add=True)

    class Meta:
        verbose_name = _("match to review")
        verbose_name_plural = _("matches to review")
        ordering = ["state", "-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "name", "organization"], name="match_candidate_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.organization or '?'} ({self.standard_id})"


class MatchEvent(TransitionEvent):
    """A decision on a match to review (programme.lifecycles.MATCH)."""

    candidate = models.ForeignKey(
        MatchCandidate,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("match to review"),
    )

    class Meta(TransitionEvent.Meta):
        verbose_name = _("match decision")
        verbose_name_plural = _("match decisions")
