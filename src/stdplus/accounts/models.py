"""Organizations and the people who act for them.

One concept serves the accounts (an enterprise's standards engineers, an association's
secretariat, a laboratory, the regulator) and the registry of the Standards+ programme: an
organization entered by the regulator can later be claimed by an account (a membership).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from stdplus.core.display import in_language

from .credit_code import credit_code_error


def validate_credit_code(value: str) -> None:
    error = credit_code_error(value)
    if error:
        raise ValidationError(error, code="credit_code")


class OrganizationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    ASSOCIATION = "association", _("Association or alliance")
    LABORATORY = "laboratory", _("Testing or certification body")
    RESEARCH = "research", _("Research institute")
    UNIVERSITY = "university", _("University")
    GOVERNMENT = "government", _("Government body")
    REGULATOR = "regulator", _("Regulator")
    OTHER = "other", _("Other")


class Organization(models.Model):
    name_zh = models.CharField(_("Chinese name"), max_length=300, blank=True)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OrganizationKind.choices)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("18 characters, GB 32100-2015; required for enterprises that hold accounts."),
    )
    region_code = models.CharField(
        _("region code"),
        max_length=12,
        blank=True,
        db_index=True,
        help_text=_("Administrative division code, e.g. 440305 (Nanshan, Shenzhen)."),
    )
    website = models.URLField(_("website"), blank=True)
    join_code = models.CharField(
        _("join code"),
        max_length=32,
        blank=True,
        help_text=_("A secret code an administrator gives to colleagues so they can join."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name_zh", "name_en"]
        # The statistics' cache key reads the newest update (programme.selectors.
        # register_version) on every dashboard request: a scan of every organization without it.
        indexes = [models.Index(fields=["updated_at"], name="organization_updated")]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="organization_unique_credit_code",
            ),
            models.CheckConstraint(
                condition=~models.Q(name_zh="", name_en=""), name="organization_has_a_name"
            ),
            models.UniqueConstraint(
                fields=["join_code"],
                condition=~models.Q(join_code=""),
                name="organization_unique_join_code",
            ),
        ]

    def __str__(self) -> str:
        return in_language(self.name_zh, self.name_en)

    def clean(self) -> None:
        self.credit_code = self.credit_code.strip().upper()

    @property
    def is_claimed(self) -> bool:
        return self.memberships.exists()


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    ADMIN = "admin", _("Administrator")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


class ApiToken(models.Model):
    """A personal API token for scripts, acting for one user in one organization.

    Only a SHA-256 digest of the token is stored; the token itself is shown once, at creation.
    `prefix` (the first characters) lets a person tell tokens apart in the list.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, db_index=True)
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class LanguagePreference(models.Model):
    """The language a person reads stdplus in: the page's language when they signed in or
    switched language. Mail and alerts sent to them later, without a request, use it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="language_preference",
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("language preference")
        verbose_name_plural = _("language preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"
