"""The search index: one row per standard, with the tokens the full-text index reads.

On SQLite an FTS5 table (`search_fts`, external content, kept in step by triggers) indexes the
token columns; on PostgreSQL a generated, weighted `tsvector` column with a GIN index does.
Both are created by migration 0002 for the database in use (0004 adds `xlang`); the model
stays the same.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from stdplus.catalog.models import Standard


class RankKeyField(models.BigIntegerField):
    """A big integer primary key; on SQLite an INTEGER PRIMARY KEY, so the rowid itself."""

    def db_type(self, connection):
        if connection.vendor == "sqlite":
            return "integer"
        return super().db_type(connection)


class SearchDocument(models.Model):
    """What the index knows of one standard.

    `key` orders the results: ascending key is the rank of a standard among equal matches
    (in force first, then newer first), so the first page of a large result set is read in
    index order without sorting it (see indexing.rank_key). The facet columns repeat the
    standard's values so that facet counts need no join.
    """

    key = RankKeyField(primary_key=True)
    standard = models.OneToOneField(
        Standard, on_delete=models.CASCADE, related_name="search_document"
    )
    level = models.CharField(_("level"), max_length=16)
    body = models.CharField(_("issuing body"), max_length=40)
    status = models.CharField(_("status"), max_length=12)
    year = models.PositiveSmallIntegerField(_("year of publication"), null=True, blank=True)
    published = models.DateField(_("published"), null=True, blank=True, db_index=True)
    ics_fields = models.CharField(_("ICS fields"), max_length=200, blank=True)
    ident = models.TextField(_("identifier tokens"), blank=True)
    title = models.TextField(_("title tokens"), blank=True)
    scope = models.TextField(_("scope tokens"), blank=True)
    facets = models.TextField(_("facet tokens"), blank=True)
    # The other language's words: titles of the standards this one adopts or is adopted by.
    xlang = models.TextField(_("cross-language tokens"), blank=True)
    # The titles as compared whole ("|" between them): see text.exact_key.
    exact = models.TextField(_("exact title keys"), blank=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return f"{self.key} {self.standard_id}"


class IndexState(models.Model):
    """One row: a counter bumped on every index change, so cached aggregates know they aged."""

    generation = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("index state")
        verbose_name_plural = _("index states")

    def __str__(self) -> str:
        return f"generation {self.generation}"
