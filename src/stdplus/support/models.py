"""Support for enterprises: the policy library."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from stdplus.core.display import in_language
from stdplus.core.weblinks import validate_web_url
from stdplus.programme.models import Region


class PolicyStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Not yet in force")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")


class Policy(models.Model):
    """A national, provincial, city or district policy on standardization. Its status follows
    from its dates (in force from `effective_on` until `expires_on`)."""

    title_zh = models.CharField(_("Chinese title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    issuer_zh = models.CharField(_("issuing body (Chinese)"), max_length=200)
    issuer_en = models.CharField(_("issuing body (English)"), max_length=200, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("issued on"), db_index=True)
    effective_on = models.DateField(_("in force from"), null=True, blank=True)
    expires_on = models.DateField(_("in force until"), null=True, blank=True)
    url = models.URLField(_("link to the official text"), blank=True, validators=[validate_web_url])
    full_text = models.TextField(_("full text"), blank=True)
    summary_zh = models.TextField(_("Chinese summary"), blank=True)
    summary_en = models.TextField(_("English summary"), blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    industries = models.JSONField(
        _("industries"),
        default=list,
        blank=True,
        help_text=_(
            "GB/T 4754 codes or their first digits the policy is for (empty: every industry)."
        ),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("support:policy-detail", args=[self.pk])

    @property
    def title(self) -> str:
        return in_language(self.title_zh, self.title_en)

    @property
    def issuer(self) -> str:
        return in_language(self.issuer_zh, self.issuer_en)

    @property
    def summary(self) -> str:
        return in_language(self.summary_zh, self.summary_en)

    def status_on(self, day) -> str:
        if self.effective_on and day < self.effective_on:
            return PolicyStatus.UPCOMING
        if self.expires_on and day > self.expires_on:
            return PolicyStatus.EXPIRED
        return PolicyStatus.IN_FORCE
