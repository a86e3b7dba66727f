"""The administrative tree (country, province, city, district, functional area)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..choices import RegionLevel


class Region(models.Model):
    """One node of the tree; `path` ("/CN/440000/440300/") makes roll-ups one prefix query.

    `code` is the 6-digit administrative division code (GB/T 2260) where one exists; a
    functional area without one (Dapeng New District) has `official` off and a code of ours.
    `short_code` is how local standards and people name it (44, 4403); `local_prefixes` the
    catalog bodies of the local standards it issues (DB4403, SZDB).
    """

    code = models.CharField(_("code"), max_length=12, unique=True)
    short_code = models.CharField(_("short code"), max_length=12, blank=True, db_index=True)
    official = models.BooleanField(_("official code"), default=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    path = models.CharField(_("path"), max_length=200, db_index=True)
    local_prefixes = models.JSONField(_("local standard prefixes"), default=list, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "en").lower()
        return self.name_zh if language.startswith("zh") else self.name_en

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1
