"""Spot checks (双随机) and leader rankings (领跑者) over public self-declarations.

Spot checks: the regulator keeps a roster of inspectors (its staff, experts of the register);
a round draws declarations at random from a recorded seed, and inspectors for each, leaving
out anyone from the declaring enterprise; each drawn declaration is a `SpotCheck` with its
checklist, run on the lifecycle engine (`lifecycles.py`).

Leader rankings: key areas per year, categories within them, a versioned evaluation scheme per
category (public notice before it takes effect, objections), a stored ranking run (inputs,
exclusions, result: immutable), and the leader list (`LeaderEntry`, a lifecycle: commitment,
public notice, certificate, revocation).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Organization
from stdplus.catalog.models import Standard
from stdplus.core.display import in_language
from stdplus.core.models import ImmutableModel, TransitionEvent
from stdplus.declarations.choices import Direction
from stdplus.declarations.models import Declaration, Product
from stdplus.programme.models import Expert, Region

from .choices import (
    CRITERIA,
    CheckState,
    ItemSource,
    Judgment,
    LeaderState,
    ObjectionState,
    Outcome,
    SchemeState,
)
from .records import exclusion_rows, input_rows, result_rows, unpack


def _named(obj) -> str:
    return in_language(obj.name_zh, obj.name_en)


# ----------------------------------------------------------------------------------------------
# Spot checks


class Inspector(models.Model):
    """One person on the regulator's roster: a staff user, or an expert of the register (with
    the user account they sign in with, if any)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    expert = models.ForeignKey(
        Expert,
        verbose_name=_("expert"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    active = models.BooleanField(_("on the roster"), default=True)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspector")
        verbose_name_plural = _("inspectors")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(expert__isnull=False),
                name="inspector_is_someone",
            )
        ]

    def __str__(self) -> str:
        if self.expert_id:
            return str(self.expert)
        user = self.user
        return (user.get_full_name() or user.get_username()) if user else "—"


class SpotCheckRound(models.Model):
    title = models.CharField(_("title"), max_length=200)
    region = models.ForeignKey(
        Region, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(
        _("category (GB/T 4754 class or its leading digits)"), max_length=4, blank=True
    )
    share = models.DecimalField(
        _("share drawn (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    count = models.PositiveIntegerField(_("number drawn"), null=True, blank=True)
    inspectors_per_check = models.PositiveSmallIntegerField(_("inspectors per declaration"))
    seed = models.CharField(_("seed"), max_length=64)
    population = models.PositiveIntegerField(_("declarations eligible"))
    population_digest = models.CharField(_("digest of the eligible declarations"), max_length=64)
    roster_digest = models.CharField(_("digest of the roster"), max_length=64)
    drawn_on = models.DateField(_("drawn on"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_on = models.DateField(_("results published on"), null=True, blank=True)
    demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("spot-check round")
        verbose_name_plural = _("spot-check rounds")
        ordering = ["-drawn_on", "-pk"]
        permissions = [("run_spotchecks", _("Can draw spot checks and keep the roster"))]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:round", args=[self.pk])


class SpotCheck(models.Model):
    round = models.ForeignKey(
        SpotCheckRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="checks"
    )
    declaration = models.ForeignKey(
        Declaration, verbose_name=_("declaration"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField(_("order drawn"))
    state = models.CharField(
        _("state"), max_length=12, choices=CheckState.choices, default=CheckState.ASSIGNED
    )
    state_since = models.DateField(_("in this state since"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    rectification_due = models.DateField(_("rectification deadline"), null=True, blank=True)
    response = models.TextField(_("the enterprise's response"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    inspectors = models.ManyToManyField(
        Inspector, verbose_name=_("inspectors"), related_name="checks", blank=True
    )
    demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "declaration"], name="drawn_once"),
        ]

    def __str__(self) -> str:
        return f"{self.round} #{self.position}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:check", args=[self.pk])


class SpotCheckEvent(TransitionEvent):
    spot_check = models.ForeignKey(SpotCheck, on_delete=models.PROTECT, related_name="events")

    class Meta(TransitionEvent.Meta):
        verbose_name = _("spot-check event")
        verbose_name_plural = _("spot-check events")


class ChecklistItem(models.Model):
    """One line of a check's evaluation: an automatic finding (pre-filled) or a criterion, and
    the inspector's judgment."""

    spot_check = models.ForeignKey(SpotCheck, on_delete=models.CASCADE, related_name="items")
    source = models.CharField(_("source"), max_length=10, choices=ItemSource.choices)
    code = models.CharField(_("code"), max_length=40)
    severity = models.CharField(_("severity"), max_length=8, blank=True)
    message_en = models.TextField(_("finding (English)"), blank=True)
    message_zh = models.TextField(_("finding (Chinese)"), blank=True)
    judgment = models.CharField(_("judgment"), max_length=8, choices=Judgment.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        if self.source == ItemSource.CRITERION:
            return str(CRITERIA.get(self.code, self.code))
        if (get_language() or "en").lower().startswith("zh"):
            return self.message_zh or self.message_en
        return self.message_en or self.message_zh


# ----------------------------------------------------------------------------------------------
# Leader rankings


class KeyArea(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("code"), max_length=20)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("key area")
        verbose_name_plural = _("key areas")
        ordering = ["-year", "code"]
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="key_area_once")]

    def __str__(self) -> str:
        return f"{self.year} {_named(self)}"

    @property
    def name(self) -> str:
        return _named(self)


class LeaderCategory(models.Model):
    area = models.ForeignKey(
        KeyArea, verbose_name=_("key area"), on_delete=models.PROTECT, related_name="categories"
    )
    code = models.CharField(_("code"), max_length=20)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    product_category = models.CharField(
        _("product category (GB/T 4754 class)"),
        max_length=4,
        help_text=_("Declared products of this class are ranked."),
    )

    class Meta:
        verbose_name = _("leader category")
        verbose_name_plural = _("leader categories")
        ordering = ["area", "code"]
        constraints = [models.UniqueConstraint(fields=["area", "code"], name="category_once")]

    def __str__(self) -> str:
        return _named(self)

    def get_absolute_url(self) -> str:
        return reverse("supervision:category", args=[self.pk])

    @property
    def name(self) -> str:
        return _named(self)


class Scheme(models.Model):
    """An evaluation scheme (评价方案) of a category, one version of it."""

    category = models.ForeignKey(
        LeaderCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="schemes"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    state = models.CharField(
        _("state"), max_length=12, choices=SchemeState.choices, default=SchemeState.DRAFT
    )
    state_since = models.DateField(_("in this state since"), null=True, blank=True)
    notice_days = models.PositiveSmallIntegerField(_("public notice (working days)"), default=10)
    leader_notice_days = models.PositiveSmallIntegerField(
        _("leader list notice (working days)"), default=10
    )
    certificate_years = models.PositiveSmallIntegerField(_("certificate valid (years)"), default=3)
    leader_tiers = models.PositiveSmallIntegerField(
        _("tiers that lead"),
        default=1,
        help_text=_("A product in one of the best this many tiers on every core indicator leads."),
    )
    effective_on = models.DateField(_("in effect from"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")
        ordering = ["category", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["category", "version"], name="scheme_version"),
        ]

    def __str__(self) -> str:
        return f"{self.category} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:scheme", args=[self.pk])


class SchemeEvent(TransitionEvent):
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="events")

    class Meta(TransitionEvent.Meta):
        verbose_name = _("scheme event")
        verbose_name_plural = _("scheme events")


class CoreIndicator(models.Model):
    """A core indicator of a scheme: tiers are thresholds, best first; none below the floor."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators")
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    method_standard = models.ForeignKey(
        Standard,
        verbose_name=_("test method"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    floor = models.DecimalField(_("floor"), max_digits=20, decimal_places=6)
    floor_standard = models.ForeignKey(
        Standard,
        verbose_name=_("floor set by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tiers = models.JSONField(_("tier thresholds, best first"), default=list)

    class Meta:
        verbose_name = _("core indicator")
        verbose_name_plural = _("core indicators")
        ordering = ["pk"]

    def __str__(self) -> str:
        return _named(self)

    @property
    def name(self) -> str:
        return _named(self)


class Objection(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="objections")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("raised by"), max_length=200)
    text = models.TextField(_("objection"))
    received_on = models.DateField(_("received on"))
    state = models.CharField(
        _("state"), max_length=10, choices=ObjectionState.choices, default=ObjectionState.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.scheme}: {self.name}"


class RankingRun(ImmutableModel):
    """One ranking, as computed: its inputs, exclusions and result, never changed."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="runs")
    year = models.PositiveSmallIntegerField(_("year"))
    run_on = models.DateField(_("run on"))
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    ranked = models.BooleanField(_("a ranking is published"))
    no_ranking_reason = models.CharField(_("why no ranking"), max_length=40, blank=True)
    inputs_digest = models.CharField(_("digest of the inputs"), max_length=64)
    candidates = models.PositiveIntegerField(_("products read"), default=0)
    record = models.BinaryField(
        pgettext_lazy("ranking run", "record"),
        default=b"",
        help_text=_(
            "The scheme, the inputs as read, the exclusions and the result: JSON lines in "
            "one ZIP file."
        ),
    )
    demo = models.BooleanField(_("demo data"), default=False)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta(ImmutableModel.Meta):
        verbose_name = _("ranking run")
        verbose_name_plural = _("ranking runs")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.scheme} {self.year} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:run", args=[self.pk])

    # The record, read back (`ranking.Record`); the lists the pages, the API and the tables show.

    @cached_property
    def parts(self) -> dict[str, bytes]:
        return unpack(bytes(self.record))

    @cached_property
    def inputs(self) -> list[list]:
        return input_rows(self.parts["inputs.jsonl"], self.parts["findings.jsonl"])

    @cached_property
    def exclusions(self) -> list[list]:
        return exclusion_rows(self.parts["exclusions.jsonl"])

    @cached_property
    def result(self) -> list[list]:
        names = {row[0]: (row[3], row[4]) for row in self.inputs}
        return result_rows(self.parts["result.jsonl"], names)


class LeaderEntry(models.Model):
    """A product on a category's leader list for a year."""

    run = models.ForeignKey(RankingRun, on_delete=models.PROTECT, related_name="leaders")
    category = models.ForeignKey(LeaderCategory, on_delete=models.PROTECT, related_name="leaders")
    year = models.PositiveSmallIntegerField(_("year"))
    declaration = models.ForeignKey(Declaration, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"), max_length=10, choices=LeaderState.choices, default=LeaderState.NOMINATED
    )
    state_since = models.DateField(_("in this state since"), null=True, blank=True)
    commitment_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    commitment_at = models.DateTimeField(_("commitment given at"), null=True, blank=True)
    certificate = models.CharField(_("certificate number"), max_length=40, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("leader")
        verbose_name_plural = _("leaders")
        ordering = ["category", "-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["category", "year", "product"], name="leader_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.product}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:leader", args=[self.pk])


class LeaderEvent(TransitionEvent):
    entry = models.ForeignKey(LeaderEntry, on_delete=models.PROTECT, related_name="events")

    class Meta(TransitionEvent.Meta):
        verbose_name = _("leader event")
        verbose_name_plural = _("leader events")
