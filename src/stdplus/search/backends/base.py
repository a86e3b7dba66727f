from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection

from stdplus.catalog.models import DEMO_SOURCE

from ..text import Term

TABLE = "search_searchdocument"
# The keys of the demo generator's entries (catalog.models.DEMO_SOURCE), one parameter: the
# source. Uncorrelated, so read once per query; a few thousand keys at most.
DEMO_KEYS = (
    f"SELECT dd.key FROM {TABLE} dd JOIN catalog_standard ds ON ds.id = dd.standard_id "
    "WHERE ds.source = %s"
)
FACET_COLUMNS = "d.level, d.status, d.body, d.year, d.ics_fields"
# Tiers of a text query: identifier or title matches, then matches in the scope only.
TITLE, SCOPE_ONLY, ANY = 1, 2, 0
SORTS = {
    "newest": "d.published DESC NULLS LAST, d.key",
    "oldest": "d.published ASC NULLS LAST, d.key",
    "identifier": "s.canonical",
}


@dataclass
class Match:
    """What the documents must match: every term, one token of each facet group, the dates."""

    terms: list[Term] = field(default_factory=list)
    facet_groups: list[list[str]] = field(default_factory=list)
    published_from: dt.date | None = None
    published_to: dt.date | None = None
    exclude_keys: list[int] = field(default_factory=list)
    # Leave out the demo generator's entries (catalog.visibility decides; the reader's switch).
    hide_demo: bool = False

    @property
    def empty(self) -> bool:
        return not (self.terms or self.facet_groups or self.published_from or self.published_to)


class Backend:
    """SQL shared by both backends; the subclasses say how the full-text part is written."""

    vendor = ""

    def _fulltext(self, match: Match, tier: int) -> tuple[str, list]:
        """(SQL condition on `d`, params) for the terms and facet groups; ("", []) for none."""
        raise NotImplementedError

    def _from(self, match: Match, tier: int, sort: str = "relevance") -> tuple[str, list]:
        condition, params = self._fulltext(match, tier)
        where = [condition] if condition else []
        if match.published_from:
            where.append("d.published >= %s")
            params.append(match.published_from)
        if match.published_to:
            where.append("d.published <= %s")
            params.append(match.published_to)
        if match.exclude_keys:
            where.append(f"d.key NOT IN ({', '.join(['%s'] * len(match.exclude_keys))})")
            params.extend(match.exclude_keys)
        if match.hide_demo:
            where.append(f"d.key NOT IN ({DEMO_KEYS})")
            params.append(DEMO_SOURCE)
        sql = self._source(match, tier)
        if sort == "identifier":
            sql += " JOIN catalog_standard s ON s.id = d.standard_id"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return sql, params

    def _source(self, match: Match, tier: int) -> str:
        return f"{TABLE} d"

    def _rows(self, sql: str, params: list) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def keys(
        self, match: Match, *, tier: int, offset: int, limit: int, sort: str = "relevance"
    ) -> list[int]:
        source, params = self._from(match, tier, sort)
        order = SORTS.get(sort, "d.key")
        sql = f"SELECT d.key FROM {source} ORDER BY {order} LIMIT %s OFFSET %s"
        return [row[0] for row in self._rows(sql, [*params, limit, offset])]

    def count(self, match: Match, *, tier: int, cap: int) -> int:
        source, params = self._from(match, tier)
        sql = f"SELECT COUNT(*) FROM (SELECT d.key FROM {source} LIMIT %s) m"
        return self._rows(sql, [*params, cap])[0][0]

    def count_and_sample(self, match: Match, *, count_cap: int, sample_cap: int):
        """(matches up to count_cap, facet columns of the first sample_cap matches)."""
        return self.count(match, tier=ANY, cap=count_cap), self.sample(match, cap=sample_cap)

    def sample(self, match: Match, *, cap: int) -> list[tuple]:
        """Facet columns of the first `cap` matches (any tier) in rank order."""
        source, params = self._from(match, ANY)
        sql = f"SELECT {FACET_COLUMNS} FROM {source} ORDER BY d.key LIMIT %s"
        return self._rows(sql, [*params, cap])
