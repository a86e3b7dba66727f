"""Validity checks an organization ran, with one row per input line."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stdplus.accounts.models import Organization
from stdplus.core.rejections import rejection_message
from stdplus.identifiers import parse


class Category(models.TextChoices):
    """What a line came to: a common status, or unknown / rejected."""

    CURRENT = "current", _("Current")
    UPCOMING = "upcoming", _("Upcoming")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DEVELOPMENT = "development", _("In development")
    CANCELLED = "cancelled", _("Cancelled (never published)")
    UNKNOWN = "unknown", _("Unknown")
    REJECTED = "rejected", _("Rejected")


class Match(models.TextChoices):
    EDITION = "edition", _("edition")
    WORK = "work", _("work only")
    NONE = "none", _("nothing")
    REJECTED = "rejected", _("not an identifier")


_WHERE = re.compile(r"(line|row) (\d+)")


def where_label(where: str) -> str:
    """Where a line came from, in the reader's language: the stored "line 3" or "row 3" (pasted
    text, a file's row) as "第 3 行" on a Chinese page; anything else as it is."""
    found = _WHERE.fullmatch(where or "")
    if found is None:
        return where or ""
    number = found.group(2)
    if found.group(1) == "line":
        return _("line %(number)s") % {"number": number}
    return _("row %(number)s") % {"number": number}


# How a line's adoption reads ("adopted as ISO 9001:2015").
ADOPTION_LABELS = {
    "adopted_by": _("adopted as"),
    "identical": _("identical to"),
    "adopts": _("adopts"),
}


class ValidityCheck(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="validity_checks"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=300, help_text=_("pasted text or file name"))
    as_of = models.DateField(
        _("as of"), null=True, blank=True, help_text=_("the day asked; empty means the day run")
    )
    day = models.DateField(_("status on"))
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    skipped = models.PositiveIntegerField(_("lines skipped as prose"), default=0)
    summary = models.JSONField(_("summary"), default=dict)
    # The sources the answers relied on and how fresh their data was (catalog.freshness).
    sources = models.JSONField(_("sources relied on"), default=list, blank=True)

    class Meta:
        verbose_name = _("validity check")
        verbose_name_plural = _("validity checks")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        if self.name:
            return self.name
        created = timezone.localtime(self.created_at) if self.created_at else None
        label = self.source_label
        return f"{label} ({created:%Y-%m-%d %H:%M})" if created else label

    def get_absolute_url(self) -> str:
        return reverse("checks:detail", kwargs={"pk": self.pk})

    @property
    def source_label(self) -> str:
        """Where the lines came from, in the reader's language: a file name as it was, pasted
        text (stored as "") named in the language of the page."""
        return self.source or str(_("pasted text"))

    @property
    def stale_sources(self) -> list[dict]:
        return [s for s in self.sources if s.get("stale")]

    @property
    def summary_items(self) -> list[tuple[str, str, int]]:
        """(category, its label, count) for the categories that occur."""
        return [
            (v, label, self.summary.get(v, 0))
            for v, label in Category.choices
            if self.summary.get(v)
        ]


class CheckLine(models.Model):
    validity_check = models.ForeignKey(
        ValidityCheck, on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveIntegerField(pgettext_lazy("list line", "position"))
    where = models.CharField(_("where"), max_length=60, blank=True)
    input = models.CharField(_("input"), max_length=500)
    canonical = models.CharField(_("identifier"), max_length=200, blank=True)
    match = models.CharField(_("match"), max_length=10, choices=Match.choices)
    status = models.CharField(_("status"), max_length=12, blank=True)
    category = models.CharField(_("result"), max_length=12, choices=Category.choices)
    current = models.CharField(_("current standard"), max_length=200, blank=True)
    chain = models.JSONField(_("replacement chain"), default=list)
    suggestions = models.JSONField(_("suggestions"), default=list)
    error = models.CharField(_("error"), max_length=500, blank=True)
    details = models.JSONField(_("details"), default=dict)

    class Meta:
        verbose_name = _("check line")
        verbose_name_plural = _("check lines")
        ordering = ["validity_check", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["validity_check", "position"], name="checkline_unique_position"
            )
        ]
        indexes = [
            models.Index(fields=["validity_check", "category"], name="checkline_category"),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.input}"

    def where_shown(self) -> str:
        return where_label(self.where)

    def reason(self) -> str:
        """Why the line is not an identifier, in the reader's language: read again from the
        input (the engine is deterministic), so a check kept in one language reads in another;
        the stored text if the engine now reads the input."""
        if self.match != "rejected":
            return self.error
        rejection = parse(self.input)
        return self.error if rejection else rejection_message(rejection)

    def contract(self) -> dict:
        """The machine-readable answer for this line (the same as `LineResult.as_dict`)."""
        return {
            "position": self.position,
            "where": self.where,
            "input": self.input,
            "canonical": self.canonical or None,
            "match": self.match,
            "status": self.status or None,
            "current": self.current or None,
            "chain": self.chain,
            "suggestions": self.suggestions,
            "error": self.reason() or None,
            **self.details,
        }
