"""The catalog: standards as editions of works, their relations, classes and change events."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stdplus.core.models import ImmutableModel
from stdplus.core.weblinks import validate_web_url

from .choices import (
    REVERSE_LABELS,
    Degree,
    EventKind,
    Level,
    Mandate,
    RelationType,
    Scheme,
    Status,
)
from .links import html_url

# Catalog entries made by the demo generator (`stdplus programme demo`) carry this source.
DEMO_SOURCE = "demo"


class Classification(models.Model):
    """One node of the ICS or CCS tree."""

    scheme = models.CharField(_("scheme"), max_length=3, choices=Scheme.choices)
    code = models.CharField(_("code"), max_length=20)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    depth = models.PositiveSmallIntegerField(_("depth"), default=1)
    title_en = models.CharField(_("English title"), max_length=500, blank=True)
    title_zh = models.CharField(_("Chinese title"), max_length=500, blank=True)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    edition = models.PositiveSmallIntegerField(_("edition"), null=True, blank=True)

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        ordering = ["scheme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="classification_unique_code")
        ]

    def __str__(self) -> str:
        title = self.title_en or self.title_zh
        return f"{self.get_scheme_display()} {self.code} {title}".strip()


class StandardQuerySet(models.QuerySet):
    def public(self):
        """What the public reads: without the demo generator's entries unless they are shown
        (the rule: `catalog.visibility`)."""
        from .visibility import hide_demo

        return hide_demo(self)


class Standard(models.Model):
    """One dated document (an edition, or a supplement to one) of a work.

    `canonical` is the identifier engine's canonical form and the catalog key; `work_key` links
    the editions of one work. `source_status` and `stage_code` are kept as the source gave them;
    `status` is derived from them, the dates and the relations (see catalog.status).
    """

    canonical = models.CharField(_("identifier"), max_length=200, unique=True)
    # work_key and level are looked up through the composite indexes that start with them
    # (Meta.indexes): an index of each alone only cost every write (catalog migration 0011).
    work_key = models.CharField(_("work"), max_length=200)
    edition_key = models.CharField(_("base edition"), max_length=200, db_index=True)
    is_supplement = models.BooleanField(_("supplement"), default=False)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    body = models.CharField(_("issuing body"), max_length=40, db_index=True)
    prefix = models.CharField(pgettext_lazy("identifier", "prefix"), max_length=40, blank=True)
    doctype = models.CharField(_("document type"), max_length=40, blank=True)
    mandate = models.CharField(_("mandate"), max_length=12, choices=Mandate.choices, blank=True)
    number = models.CharField(pgettext_lazy("identifier", "number"), max_length=80, blank=True)
    part = models.CharField(_("part"), max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(
        pgettext_lazy("identifier", "year"), null=True, blank=True, db_index=True
    )

    title_en = models.TextField(_("English title"), blank=True)
    title_zh = models.TextField(_("Chinese title"), blank=True)
    scope = models.TextField(_("scope"), blank=True)

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, db_index=True)
    base_status = models.CharField(
        _("status from the source alone"),
        max_length=12,
        choices=Status.choices,
        help_text=_("What the source's own status or stage says, before dates and relations."),
    )
    source_status = models.CharField(_("source status"), max_length=60, blank=True)
    stage_code = models.CharField(_("stage code"), max_length=10, blank=True)

    published = models.DateField(_("published"), null=True, blank=True, db_index=True)
    published_precision = models.CharField(
        _("publication date precision"),
        max_length=1,
        blank=True,
        help_text=_("Y, M or D: how much of the publication date the source gave."),
    )
    effective = models.DateField(_("effective"), null=True, blank=True)
    withdrawn = models.DateField(_("withdrawn"), null=True, blank=True)
    confirmed = models.DateField(_("confirmed"), null=True, blank=True)

    committee = models.CharField(_("responsible committee"), max_length=200, blank=True)
    drafting_organizations = models.JSONField(_("drafting organizations"), default=list, blank=True)
    edition_label = models.CharField(_("edition"), max_length=20, blank=True)
    classifications = models.ManyToManyField(
        Classification, verbose_name=_("classifications"), blank=True, related_name="standards"
    )
    source = models.CharField(_("source"), max_length=40, db_index=True)
    source_id = models.CharField(_("identifier in the source"), max_length=200, blank=True)
    url = models.URLField(
        _("source page"), max_length=500, blank=True, validators=[validate_web_url]
    )
    extra = models.JSONField(_("other source fields"), default=dict, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = StandardQuerySet.as_manager()

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["canonical"]
        indexes = [
            models.Index(fields=["work_key", "status"], name="standard_work_status"),
            models.Index(fields=["level", "status"], name="standard_level_status"),
            # "Did you mean": the works with a typed number, or of its prefix with a number one
            # keystroke away (identifiers.suggest.nearby_wanted).
            models.Index(fields=["number", "prefix"], name="standard_number_prefix"),
        ]

    def __str__(self) -> str:
        return self.canonical

    def get_absolute_url(self) -> str:
        return html_url(self.canonical)

    @property
    def title(self) -> str:
        return self.title_zh or self.title_en

    @property
    def region(self):
        """The division a local standard belongs to (DB44: Guangdong, SJG: Shenzhen), or None."""
        if self.level != "local":
            return None
        from stdplus.identifiers import parse
        from stdplus.identifiers.regions import division

        parsed = parse(self.canonical)
        return division(getattr(parsed, "region", None))


class Relation(models.Model):
    """A directed relation "from replaces to", "from adopts to (IDT)".

    Both ends are kept as canonical identifiers; the foreign keys are filled when that end is in
    the catalog. A relation whose target is not (yet) in the catalog is an unresolved reference,
    kept and resolved when the target arrives.
    """

    type = models.CharField(_("type"), max_length=16, choices=RelationType.choices)
    from_key = models.CharField(_("from"), max_length=200)
    to_key = models.CharField(_("to"), max_length=200)
    from_standard = models.ForeignKey(
        Standard, null=True, blank=True, on_delete=models.CASCADE, related_name="relations_out"
    )
    to_standard = models.ForeignKey(
        Standard, null=True, blank=True, on_delete=models.CASCADE, related_name="relations_in"
    )
    degree = models.CharField(_("degree"), max_length=3, choices=Degree.choices, blank=True)
    inferred = models.BooleanField(
        _("inferred"),
        default=False,
        help_text=_(
            "Worked out by stdplus (for example from edition dates), not stated by the source."
        ),
    )
    source = models.CharField(_("source"), max_length=40)
    date = models.DateField(_("date"), null=True, blank=True)

    class Meta:
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        constraints = [
            models.UniqueConstraint(fields=["from_key", "type", "to_key"], name="relation_unique"),
            models.CheckConstraint(
                condition=~models.Q(from_key=models.F("to_key")), name="relation_not_to_itself"
            ),
        ]
        indexes = [
            models.Index(fields=["to_key", "type"], name="relation_to_type"),
        ]

    def __str__(self) -> str:
        degree = f" ({self.degree})" if self.degree else ""
        return f"{self.from_key} {self.type} {self.to_key}{degree}"

    @property
    def reverse_label(self) -> str:
        return str(REVERSE_LABELS[self.type])

    @property
    def resolved(self) -> bool:
        return self.from_standard_id is not None and self.to_standard_id is not None


class SourceFacts(models.Model):
    """What one source said of one standard: the fields it gave, as it gave them.

    Kept for every standard that more than one source describes (GB/T 42061-2022 in the
    curated file and in the NMPA file, an ISO/IEC standard in the ISO and the IEC files), and
    for a standard whose source lists it twice with values that disagree. The standard's own
    row holds the merged values (the owning source's, blanks filled by the others: see
    catalog/services/fields.py); `catalog.rules.sources.fields_by_source` tells, field by
    field, which source the value shown came from.
    """

    standard = models.ForeignKey(
        Standard, on_delete=models.CASCADE, related_name="source_facts", verbose_name=_("standard")
    )
    source = models.CharField(_("source"), max_length=40)
    facts = models.JSONField(_("facts"), default=dict, blank=True)  # field -> value (dates ISO)
    # Other records of this identifier in the same file, set aside because the record at the
    # later stage (or the first) won: [{"row", "identifier", "values": {field: value}}], the
    # values being those that disagree with the facts kept.
    set_aside = models.JSONField(_("records set aside"), default=list, blank=True)
    import_run = models.ForeignKey(
        "ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seen = models.DateField(_("last read"), null=True, blank=True)

    class Meta:
        verbose_name = _("facts of a source")
        verbose_name_plural = _("facts of sources")
        constraints = [
            models.UniqueConstraint(fields=["standard", "source"], name="source_facts_unique")
        ]

    def __str__(self) -> str:
        return f"{self.standard_id} {self.source}"


class ImportRun(models.Model):
    """One run of an importer over one file, with its counts and errors."""

    source = models.CharField(_("source"), max_length=40)
    path = models.CharField(_("file"), max_length=500)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Set when the rows of a run that did not finish were taken out again (services/journal.py).
    rolled_back_at = models.DateTimeField(_("rolled back"), null=True, blank=True)
    created = models.PositiveIntegerField(pgettext_lazy("records", "created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # How fresh the file's data is: given by the importer, else the newest publication date in
    # it (a snapshot of 2009 names nothing published after 2009). See catalog/freshness.py.
    data_date = models.DateField(
        _("data as of"),
        null=True,
        blank=True,
        help_text=_("The date the source's data describes: nothing later is in it."),
    )

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.path} ({self.started_at:%Y-%m-%d %H:%M})"


class ChangeEvent(ImmutableModel):
    """An immutable record of one change to a standard: the history, the audit log, the feed."""

    standard = models.ForeignKey(
        Standard, on_delete=models.PROTECT, related_name="events", verbose_name=_("standard")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, db_index=True)
    field = models.CharField(_("field"), max_length=40, blank=True)
    old_value = models.JSONField(_("old value"), null=True, blank=True)
    new_value = models.JSONField(_("new value"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=40, blank=True)
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True, db_index=True)

    class Meta(ImmutableModel.Meta):
        verbose_name = _("change event")
        verbose_name_plural = _("change events")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.standard_id} {self.kind} {self.field}".strip()

    @classmethod
    def demo_rows(cls):
        """The events of catalog entries the demo generator made."""
        return models.Q(standard__source=DEMO_SOURCE)


class CatalogState(models.Model):
    """One row: the catalog's generation, raised by every write of standards, relations or
    classes. An import plans its changes outside the write lock at one generation and applies
    them only if the catalog is still at it (see catalog/services/imports.py)."""

    generation = models.PositiveBigIntegerField(_("generation"), default=0)
    # The import whose rows are being written, in short steps (services/journal.py): no other
    # catalog write starts until it is published or rolled back. Who runs it, and when it last
    # wrote a step, tell a live run from one that was killed.
    applying_run = models.ForeignKey(
        "ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applying_host = models.CharField(_("applying host"), max_length=255, blank=True)
    applying_pid = models.PositiveIntegerField(_("applying process"), null=True, blank=True)
    applying_seen = models.DateTimeField(_("last step written"), null=True, blank=True)

    class Meta:
        verbose_name = _("catalog state")
        verbose_name_plural = _("catalog state")

    def __str__(self) -> str:
        return f"generation {self.generation}"


class ImportUndo(models.Model):
    """How to take out one step of an import that is being written in short steps.

    Written in the step's own transaction, so every committed step has its way back; all of a
    run's rows are removed in the transaction that publishes it. Rows left behind belong to a run
    that failed or was killed: they are undone, newest first, before the next catalog write
    (catalog/services/journal.py).
    """

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(_("action"), max_length=40)
    data = models.JSONField(_("data"), default=dict)

    class Meta:
        verbose_name = _("import undo step")
        verbose_name_plural = _("import undo steps")

    def __str__(self) -> str:
        return f"{self.run_id} {self.action}"


class PendingChange(models.Model):
    """Catalog keys a write touched whose derived data is not brought up to date yet.

    Written in the write's own transaction, a row per few thousand keys, and removed once
    settled (the status derived again, the listeners told; catalog/services/settle.py), so a
    process killed between the two leaves the work recorded, not lost.
    """

    keys = models.JSONField(_("identifiers"), default=list)  # whose status to derive again
    created = models.JSONField(_("identifiers created by the write"), default=list)
    changed = models.JSONField(_("identifiers whose record or classes changed"), default=list)
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(_("source"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("pending change")
        verbose_name_plural = _("pending changes")

    def __str__(self) -> str:
        return f"{len(self.keys)} keys"
