"""Experts and the positions they hold; standards bodies hosted by registry organizations."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Organization
from stdplus.core.display import in_language

from ..choices import KEY_POSITIONS, BodyFamily, BodyKind, CommitteeLevel, PositionRole
from .base import Record


class Expert(Record):
    """A person. Contact data (email, phone) is for the regulator only, never shown publicly."""

    name_zh = models.CharField(_("Chinese name"), max_length=100, blank=True)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="experts",
    )
    fields = models.CharField(_("fields of expertise"), max_length=300, blank=True)
    email = models.EmailField(_("email (private)"), blank=True)
    phone = models.CharField(_("phone (private)"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name_zh", "name_en"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name_zh="", name_en=""), name="expert_has_a_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "en").lower()
        if language.startswith("zh"):
            return in_language(self.name_zh, self.name_en)
        return self.name_en or self.name_zh


class Position(Record):
    """A post an expert holds in a standardization body, for a term."""

    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="positions"
    )
    body = models.CharField(
        _("body"), max_length=120, help_text=_("For example ISO/TC 176/SC 2, SAC/TC 28/WG 3.")
    )
    family = models.CharField(_("family"), max_length=10, choices=BodyFamily.choices)
    committee_level = models.CharField(
        _("committee level"), max_length=6, choices=CommitteeLevel.choices
    )
    role = models.CharField(_("role"), max_length=16, choices=PositionRole.choices)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["-term_start"]
        indexes = [models.Index(fields=["term_start", "term_end"], name="position_term")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True)
                | models.Q(term_end__gte=models.F("term_start")),
                name="position_term_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}, {self.body}"

    @property
    def is_key(self) -> bool:
        return self.role in KEY_POSITIONS


class StandardsBody(Record):
    """A secretariat, association or alliance hosted by a registry organization."""

    code = models.CharField(_("code"), max_length=80, help_text=_("ISO/TC 176, SAC/TC 28, ..."))
    name_zh = models.CharField(_("Chinese name"), max_length=300, blank=True)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=BodyKind.choices)
    host = models.ForeignKey(
        Organization,
        verbose_name=_("hosting organization"),
        on_delete=models.PROTECT,
        related_name="hosted_bodies",
    )
    since = models.DateField(_("hosted since"))
    until = models.DateField(_("hosted until"), null=True, blank=True)

    class Meta:
        verbose_name = _("standards body")
        verbose_name_plural = _("standards bodies")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {in_language(self.name_zh, self.name_en)}".strip()
