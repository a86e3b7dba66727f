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
from django.utils.translation import pgettext_lazy

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
        _("category (GB/T 4754 class)"),
        max_length=4,
        help_text=_("A class of GB/T 4754-2017."),
        db_index=True,
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


class SearchRow(models.Model):
    """The public search's row of one product: its category with its declaration's state and
    date and its enterprise's region code, so that one index serves a search by category and
    district (the two are in different tables otherwise).

    Written by the database alone (triggers of migration 0007, on SQLite and PostgreSQL), on
    every write of a product (added, changed, removed), of a declaration (a lifecycle step, an
    import, any other update of its state, date or enterprise) and of an organization's region
    code, whichever code path or bulk insert makes it: nothing in Python writes it, so it cannot
    be forgotten. `tests/declarations/test_search_rows.py` holds it equal to the joins it copies
    after every kind of write.
    """

    product_id = models.BigIntegerField(primary_key=True)
    declaration = models.ForeignKey(
        Declaration,
        on_delete=models.DO_NOTHING,  # the triggers remove the rows with their products
        db_constraint=False,
        related_name="+",
    )
    category = models.CharField(max_length=4)
    region_code = models.CharField(max_length=12, blank=True)
    declared_on = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=12)

    class Meta:
        default_permissions = ()  # nobody edits it: not in the admin
        indexes = [
            # Declarations in force by category and district (a prefix of the region code:
            # pattern operators on PostgreSQL, so that LIKE '4403%' is a range), then date.
            models.Index(
                fields=["category", "region_code", "declared_on", "declaration"],
                name="search_row_category",
                condition=models.Q(state="declared"),
                opclasses=["varchar_ops", "varchar_pattern_ops", "date_ops", "int8_ops"],
            ),
            models.Index(
                fields=["region_code", "declared_on", "declaration"],
                name="search_row_region",
                condition=models.Q(state="declared"),
                opclasses=["varchar_pattern_ops", "date_ops", "int8_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.region_code} {self.declared_on}"


class CitedStandard(models.Model):
    """A catalog standard a product follows, chosen by any spelling of its identifier."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="cited")
    standard = models.ForeignKey(
        Standard,
        verbose_name=_("standard"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the index "cited_by_standard" leads with it
    )
    typed = models.CharField(_("as typed"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("cited standard")
        verbose_name_plural = _("cited standards")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "standard"], name="cited_once"),
        ]
        # From a standard to the products citing it without reading the rows (the re-check
        # after a catalog change, the standard page's count of declaring enterprises).
        indexes = [models.Index(fields=["standard", "product"], name="cited_by_standard")]

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
        _("explicit statement"),
        blank=True,
        help_text=_("Said openly where the indicator is below a recommended standard's."),
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


# ----------------------------------------------------------------------------------------------
# Part B: stored findings of re-checks, the enterprise's watch list, mandatory standards per
# category, imported declarations.


# Marks in a worded message where each finding's product and indicator names go (private-use
# characters: no product or indicator name holds them).
PRODUCT_MARK, INDICATOR_MARK = "\ue000", "\ue001"


class RecheckWording(models.Model):
    """A finding's message as the rule worded it about one changed standard, in both languages,
    with marks for the product's and the indicator's names: kept once, for the hundreds of
    findings a re-check raises about that standard, each worded when read
    (`RecheckFinding.texts`). `digest` keeps one row per distinct wording."""

    digest = models.CharField(max_length=64, unique=True)
    en = models.TextField()
    zh = models.TextField()

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return self.en


class RecheckFinding(models.Model):
    """A finding kept on a public declaration: found when it was made public (declared, or
    recorded from an import), or raised by a re-check after the catalog changed.

    Open until a later check no longer finds it (`closed_at`). The message is kept in both
    languages as it was worded when raised: in `messages`, or (raised by a re-check for many
    declarations at once) as the shared `wording` with this finding's names put in when read
    (`texts`). `key` (code, product, standard, indicator) tells a finding found again from a
    new one.
    """

    declaration = models.ForeignKey(
        Declaration,
        on_delete=models.CASCADE,
        related_name="recheck_findings",
        db_index=False,  # the index "recheck_open" leads with it; one index less to write
        # A re-check writes findings only for the declarations it has just joined, in the same
        # transaction, and a public declaration is never deleted (a draft has no findings;
        # Django deletes them with their declaration all the same): no check per finding at
        # commit, which cost 1.4-2.1 s of a re-check of 300,000 declarations (benchmarks.md).
        db_constraint=False,
    )
    key = models.CharField(max_length=400)
    code = models.CharField(_("finding"), max_length=40)
    severity = models.CharField(_("severity"), max_length=8)
    product = models.CharField(_("product"), max_length=200, blank=True)
    standard = models.CharField(_("standard"), max_length=200, blank=True)
    indicator = models.CharField(_("indicator"), max_length=200, blank=True)
    anchor = models.CharField(max_length=40, blank=True)
    messages = models.JSONField(_("message"), default=dict, blank=True)
    wording = models.ForeignKey(
        RecheckWording,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # read from the finding only
        # Wordings are never deleted, and a re-check writes the findings of the wordings it
        # has just stored: no check (and lock of the wording) per finding at commit.
        db_constraint=False,
    )
    raised_at = models.DateTimeField(_("raised"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("re-check finding")
        verbose_name_plural = _("re-check findings")
        ordering = ["-raised_at", "pk"]
        # A re-check writes hundreds of thousands of findings at once: two indexes each. The
        # declaration's open findings; the latest closing (the data version, MAX(closed_at)),
        # which open findings do not enter.
        indexes = [
            models.Index(fields=["declaration", "closed_at"], name="recheck_open"),
            models.Index(
                fields=["closed_at"],
                name="recheck_closed",
                condition=models.Q(closed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def texts(self) -> dict[str, str]:
        """The message in English and Chinese ("en", "zh-hans")."""
        if self.wording_id is None:
            return dict(self.messages)
        out = {}
        for language, template in (("en", self.wording.en), ("zh-hans", self.wording.zh)):
            text = template.replace(PRODUCT_MARK, self.product)
            out[language] = text.replace(INDICATOR_MARK, self.indicator)
        return out

    @property
    def text(self) -> str:
        from django.utils.translation import get_language

        language = "zh-hans" if (get_language() or "").startswith("zh") else "en"
        texts = self.texts()
        return texts.get(language) or next(iter(texts.values()), "")

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class DeclarationWatch(models.Model):
    """The watch list (watch app) through which an enterprise hears of changes to the
    standards its public declarations cite; kept up to date at each declaration."""

    enterprise = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="declaration_watch"
    )
    watch_list = models.ForeignKey("watch.WatchList", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("declarations' watch list")
        verbose_name_plural = _("declarations' watch lists")

    def __str__(self) -> str:
        return str(self.enterprise)


class MandatoryStandard(models.Model):
    """A mandatory national standard that applies to a product category (data the regulator
    maintains, by hand or from a spreadsheet). A product of the category must cite an edition
    of the standard's work."""

    category = models.CharField(_("category (GB/T 4754 class)"), max_length=4, db_index=True)
    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.PROTECT, related_name="+"
    )
    work_key = models.CharField(max_length=200, editable=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("person", "updated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("mandatory standard of a category")
        verbose_name_plural = _("mandatory standards of categories")
        ordering = ["category", "standard__canonical"]
        constraints = [
            models.UniqueConstraint(fields=["category", "standard"], name="mandatory_once"),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.standard.canonical}"

    def save(self, *args, **kwargs):
        self.work_key = self.standard.work_key
        super().save(*args, **kwargs)


class ImportedDeclaration(models.Model):
    """Where an imported declaration came from: the enterprise's reference for it (or none)
    and the fingerprint of what the file said, so that importing the same rows again changes
    nothing and changed rows make a new version."""

    enterprise = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    fingerprint = models.CharField(max_length=64)
    declaration = models.OneToOneField(
        Declaration, on_delete=models.CASCADE, related_name="imported"
    )
    file = models.CharField(_("file"), max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("imported declaration")
        verbose_name_plural = _("imported declarations")
        ordering = ["-imported_at", "-pk"]
        indexes = [models.Index(fields=["enterprise", "reference"], name="imported_reference")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.reference}"


class NumbersField(models.TextField):
    """A list of declared values: on PostgreSQL an array of numbers (`numeric[]`, read by a
    ranking with no parsing), elsewhere text (`ranking_inputs.numbers_text`)."""

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "numeric[]"
        return super().db_type(connection)


class RankingInput(models.Model):
    """A product of a public version as a leader ranking reads it: its declared indicators
    (`declared`, JSON as a run's record keeps them), their (name, unit) pairs (`shape`) and
    values (`numbers`),
    written once when the version becomes public (`ranking_inputs.ranking_inputs_write`);
    the version's state and the enterprise's name, which may change, are read at run time."""

    product = models.OneToOneField(
        Product, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    declaration = models.ForeignKey(
        Declaration,
        on_delete=models.DO_NOTHING,  # removed with their products
        db_constraint=False,
        db_index=False,  # written and removed by declaration: the index "ranking_input_version"
        related_name="+",
    )
    category = models.CharField(max_length=4)
    product_name = models.CharField(max_length=200, db_column="product")
    shape = models.TextField()
    declared = models.TextField()
    numbers = NumbersField()  # the values of `declared` in order (`numbers_text`)
    # The product's line of a run's inputs but for the enterprise's name (`line_parts`).
    line_head = models.TextField(default="")
    line_tail = models.TextField(default="")

    class Meta:
        default_permissions = ()  # nobody edits it: not in the admin
        indexes = [
            # A category's products in product order (the order a run's record keeps).
            models.Index(fields=["category", "product"], name="ranking_input_category"),
            models.Index(fields=["declaration"], name="ranking_input_version"),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.product_id}"
