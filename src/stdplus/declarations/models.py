"""Enterprise self-declarations (企业标准自我声明公开), Standardization Law Art. 27.

A declaration is one version: an enterprise's products, the standards each follows (catalog
standards, never free text, and its own Q/ standards) and the indicators it discloses.
Revising a declared version makes a new draft version of the same series (`series`, `version`);
every version is kept. States change only through the lifecycle (`lifecycles.py`); each step is
an immutable `DeclarationEvent`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Organization
from stdplus.catalog.models import Standard
from stdplus.core.models import TransitionEvent

from .choices import DeclarationState, Direction
from .industries import category_title


class Declaration(models.Model):
    enterprise = models.ForeignKey(
        Organization,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="declarations",
    )
    series = models.UUIDField(_("series"), default=uuid.uuid4, db_index=True, editable=False)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=DeclarationState.choices,
        default=DeclarationState.DRAFT,
        db_index=True,
    )
    state_since = models.DateField(_("in this state since"), null=True, blank=True)
    declared_on = models.DateField(_("declared on"), null=True, blank=True, db_index=True)
    commitment_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("commitment acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    commitment_at = models.DateTimeField(_("commitment acknowledged at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        ordering = ["-declared_on", "-pk"]
        permissions = [("supervise_declaration", _("Can suspend and reinstate declarations"))]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="declaration_version"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("declarations:detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.state == DeclarationState.DRAFT


class DeclarationEvent(TransitionEvent):
    declaration = models.ForeignKey(Declaration, on_delete=models.PROTECT, related_name="events")

    class Meta(TransitionEvent.Meta):
        verbose_name = _("declaration event")
        verbose_name_plural = _("declaration events")


class Product(models.Model):
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("product name"), max_length=200)
    common_name = models.CharField(_("common name"), max_length=200, blank=True)
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    model = models.CharField(_("model"), max_length=200, blank=True)
    specification = models.CharField(_("specification"), max_length=300, blank=True)
    barcode = models.CharField(_("barcode"), max_length=14, blank=True)
    category = models.CharField(
        _("category (GB/T 4754 class)"), max_length=4, help_text=_("A class of GB/T 4754-2017.")
    )

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def category_title(self) -> str:
        return category_title(self.category)


class CitedStandard(models.Model):
    """A catalog standard a product follows, chosen by any spelling of its identifier."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="cited")
    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.PROTECT, related_name="+"
    )
    typed = models.CharField(_("as typed"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("cited standard")
        verbose_name_plural = _("cited standards")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "standard"], name="cited_once"),
        ]

    def __str__(self) -> str:
        return self.standard.canonical


class EnterpriseStandard(models.Model):
    """The enterprise's own standard (Q/...) a product follows; its text is stored, never run."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="enterprise_standards"
    )
    enterprise = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", editable=False
    )
    number = models.CharField(_("number"), max_length=40, db_index=True)
    code = models.CharField(_("enterprise code"), max_length=20)
    sequence = models.PositiveIntegerField(_("sequence"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    text = models.BinaryField(_("text"), null=True, blank=True, editable=False)
    text_name = models.CharField(_("file name"), max_length=200, blank=True)
    text_type = models.CharField(_("file type"), max_length=8, blank=True)
    text_size = models.PositiveIntegerField(_("file size"), null=True, blank=True)
    text_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("enterprise standard")
        verbose_name_plural = _("enterprise standards")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.number


class Indicator(models.Model):
    """A disclosed functional or performance indicator of a product."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6, null=True, blank=True)
    minimum = models.DecimalField(
        _("minimum"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    maximum = models.DecimalField(
        _("maximum"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    method_standard = models.ForeignKey(
        Standard,
        verbose_name=_("test method (standard)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    own_method = models.TextField(
        _("own test method"),
        blank=True,
        help_text=_("The enterprise's own method, stated, where no catalog method exists."),
    )
    reference_standard = models.ForeignKey(
        Standard,
        verbose_name=_("corresponding standard"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reference_clause = models.CharField(_("clause"), max_length=40, blank=True)
    reference_value = models.DecimalField(
        _("value in that standard"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    reference_minimum = models.DecimalField(
        _("minimum in that standard"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    reference_maximum = models.DecimalField(
        _("maximum in that standard"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    statement = models.TextField(
        _("statement (明示)"),
        blank=True,
        help_text=_("Said openly where the indicator is below a recommended standard's."),
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
