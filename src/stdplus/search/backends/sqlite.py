"""SQLite: an FTS5 table over the token columns (external content, synced by triggers)."""

from __future__ import annotations

from ..text import Term
from .base import ANY, FACET_COLUMNS, SCOPE_ONLY, TABLE, TITLE, Backend, Match

FTS = "search_fts"


def _phrase(term: Term) -> str:
    return '"' + " ".join(term.tokens) + '"' + ("*" if term.prefix else "")


def fts_query(match: Match, tier: int) -> str:
    parts = []
    if match.terms:
        text = " AND ".join(_phrase(t) for t in match.terms)
        if tier == TITLE:
            parts.append(f"{{ident title}} : ({text})")
        elif tier == SCOPE_ONLY:
            parts.append(f"({{ident title scope}} : ({text}) NOT {{ident title}} : ({text}))")
        else:
            parts.append(f"{{ident title scope}} : ({text})")
    for group in match.facet_groups:
        parts.append("{facets} : (" + " OR ".join(f'"{token}"' for token in group) + ")")
    return " AND ".join(parts)


class SqliteBackend(Backend):
    vendor = "sqlite"

    def _source(self, match: Match, tier: int) -> str:
        if match.terms or match.facet_groups:
            # The FTS table drives the loop; its rowid is the document key, read in order.
            return f"{FTS} f JOIN {TABLE} d ON d.key = f.rowid"
        return f"{TABLE} d"

    def _fulltext(self, match: Match, tier: int) -> tuple[str, list]:
        query = fts_query(match, tier if match.terms else ANY)
        if not query:
            return "", []
        return f"{FTS} MATCH %s", [query]

    def keys(self, match, *, tier, offset, limit, sort="relevance"):
        if sort != "relevance" or not (match.terms or match.facet_groups):
            return super().keys(match, tier=tier, offset=offset, limit=limit, sort=sort)
        # Order by the FTS rowid itself: FTS5 then walks its index in order and stops early.
        source, params = self._from(match, tier)
        sql = f"SELECT f.rowid FROM {source} ORDER BY f.rowid LIMIT %s OFFSET %s"
        return [row[0] for row in self._rows(sql, [*params, limit, offset])]

    def sample(self, match, *, cap):
        if not (match.terms or match.facet_groups):
            return super().sample(match, cap=cap)
        source, params = self._from(match, ANY)
        sql = f"SELECT {FACET_COLUMNS} FROM {source} ORDER BY f.rowid LIMIT %s"
        return self._rows(sql, [*params, cap])
