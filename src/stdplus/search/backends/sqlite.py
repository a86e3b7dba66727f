"""SQLite: an FTS5 table over the token columns (external content, synced by triggers)."""

from __future__ import annotations

from stdplus.core.batching import among_sql

from ..indexing import DEMO_TOKEN, NO_CHINESE_TITLE
from ..text import Term
from .base import (
    ANY,
    CROSS,
    EXACT,
    FACET_COLUMNS,
    NATIVE,
    TABLE,
    TITLED,
    Backend,
    Match,
    _contains,
    _phrase_text,
    facet_rows,
    query_exact_token,
    spelled,
)

FTS = "search_fts"
# The score within a tier (`Backend._score`): BM25 over the token columns of the document row,
# weighted ident 10, title 5, scope 1, xlang 0.5, with BM25's length norm (K1, B, against a
# typical length of each column in characters), each term counted once per column it is in
# (a word seldom repeats in a title), and without the inverse document frequency. FTS5's own
# bm25() counts every document holding each term of the query on each call (a common word's
# whole list, at any LIMIT): that grew with the catalog and was most of a broad search's
# time. The document frequency only weighs the terms of one query against each other, below
# the tiers that already order the matches; PostgreSQL's ts_rank_cd has none either.
COLUMN_WEIGHTS = {"ident": 10.0, "title": 5.0, "scope": 1.0, "xlang": 0.5}
TYPICAL_LENGTH = {"ident": 30, "title": 90, "scope": 300, "xlang": 90}
K1, B = 1.2, 0.75
NATIVE_COLUMNS = "{ident title scope}"
TRANSLATED_COLUMNS = "{title scope}"


# A prefix longer than the FTS5 table's prefix index (`prefix='3'`, migrations 0002 and 0004) is
# spelled out as the words of the index it begins (`base.spelled`), when they are at most
# MAX_WORDS: FTS5 reads such a prefix by merging the whole list of every word it begins before
# giving the first row, so no LIMIT stops it (11-29 ms for "requirements"* at 1,000,000
# standards, on each of a search's statements), while it reads an OR of words lazily (0.3 ms
# for the first 1,000). An OR of many words costs more to start: a prefix of 141 words (inter)
# still took 3 ms against 12 ms; one of 60 rare words (tele) 1.1 against 0.5 ms. A shorter
# prefix (`text.WORD_MIN`) is read through the prefix index.
MAX_WORDS = 160


def _tokens_phrase(match: Match, tokens: tuple[str, ...] | list[str], prefix: bool) -> str:
    """An FTS5 phrase of tokens in order, the last perhaps a prefix (spelled out if it can)."""
    text = " ".join(tokens)
    if not prefix:
        return f'"{text}"'
    words = spelled(match, tokens[-1], MAX_WORDS)
    if words is None:
        return f'"{text}"*'
    if not words:  # no word of the index begins with it
        return f'"{text}"'
    head = "".join(token + " " for token in tokens[:-1])
    return "(" + " OR ".join(f'"{head}{word}"' for word in words) + ")"


def _phrase(match: Match, term: Term) -> str:
    if term.forms:  # an English word read from a Chinese one: its inflections (`text.Term`)
        head = "".join(token + " " for token in term.tokens[:-1])
        return "(" + " OR ".join(f'"{head}{form}"' for form in term.forms) + ")"
    return _tokens_phrase(match, term.tokens, term.prefix)


def _translated(match: Match, index: int) -> str:
    """The term's English reading: every word by one of its phrases; "" for none."""
    translation = match.translation(index)
    if translation is None:
        return ""
    words = [
        f"{TRANSLATED_COLUMNS} : (" + " OR ".join(_phrase(match, p) for p in word.english) + ")"
        for word in translation.words
    ]
    return "(" + " AND ".join([*words, f'{{facets}} : "{NO_CHINESE_TITLE}"']) + ")"


def _any(match: Match, index: int, term: Term) -> str:
    either = [f"{{ident title scope xlang}} : {_phrase(match, term)}"]
    translated = _translated(match, index)
    if translated:
        either.append(translated)
    return "(" + " OR ".join(either) + ")"


def fts_query(match: Match, tier: int) -> str:
    parts = []
    if match.terms:
        native = " AND ".join(f"{NATIVE_COLUMNS} : {_phrase(match, t)}" for t in match.terms)
        every = " AND ".join(_any(match, i, t) for i, t in enumerate(match.terms))
        if tier == NATIVE:
            parts.append(f"({native})")
        elif tier == TITLED:
            tokens = [token for term in match.terms for token in term.tokens]
            titled = _tokens_phrase(match, tokens, match.terms[-1].prefix)
            parts.append(f"({native}) AND {{title}} : {titled}")
        elif tier == EXACT:
            parts.append(f'({native}) AND {{facets}} : "{query_exact_token(match)}"')
        elif tier == CROSS:
            parts.append(f"(({every}) NOT ({native}))")
        else:
            parts.append(f"({every})")
    for group in match.facet_groups:
        parts.append("{facets} : (" + " OR ".join(f'"{token}"' for token in group) + ")")
    if parts and match.hide_demo:
        return "(" + " AND ".join(parts) + f') NOT {{facets}} : "{DEMO_TOKEN}"'
    return " AND ".join(parts)


class SqliteBackend(Backend):
    vendor = "sqlite"
    find = "instr"

    def _score(self, match: Match, tier: int) -> tuple[str, list]:
        parts: list[str] = []
        params: list = []

        def add(column: str, phrase: list[Term]) -> None:
            norm = f"{1 + K1 * (1 - B)} + {K1 * B / TYPICAL_LENGTH[column]} * length(d.{column})"
            weight = COLUMN_WEIGHTS[column]
            parts.append(
                f"CASE WHEN instr(' ' || d.{column} || ' ', %s) > 0 "
                f"THEN {weight} / ({norm}) ELSE 0 END"
            )
            params.append(_contains(*_phrase_text(phrase)))

        for index, term in enumerate(match.terms):
            if tier == CROSS:
                add("xlang", [term])
                translation = match.translation(index)
                for word in translation.words if translation else ():
                    for english in word.english:
                        add("title", [english])
                        add("scope", [english])
            else:
                for column in ("ident", "title", "scope"):
                    add(column, [term])
        return "-(" + " + ".join(parts or ["0"]) + ")", params

    def key_column(self, match: Match) -> str:
        # The FTS table's rowid is the document key; FTS5 reads a range of it from its index.
        return "f.rowid" if (match.terms or match.facet_groups) else "d.key"

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

    def _fts_alone(self, match: Match, tier: int) -> tuple[str, list] | None:
        """FROM/WHERE on the FTS5 table alone, when nothing needs the document row."""
        if not (match.terms or match.facet_groups) or match.published_from or match.published_to:
            return None
        where, params = [f"{FTS} MATCH %s"], [fts_query(match, tier if match.terms else ANY)]
        if match.key_range:
            where.append("rowid >= %s AND rowid < %s")
            params.extend(match.key_range)
        if match.exclude_keys:
            where.append(f"rowid NOT IN ({', '.join(['%s'] * len(match.exclude_keys))})")
            params.extend(match.exclude_keys)
        return f"{FTS} WHERE " + " AND ".join(where), params

    def keys(self, match, *, tier, offset, limit, sort="relevance", matches=None):
        if sort == "relevance" and match.terms and tier != ANY:
            return self.ranked_keys(match, tier=tier, offset=offset, limit=limit, matches=matches)
        alone = self._fts_alone(match, tier) if sort == "relevance" else None
        if alone is None:
            if sort != "relevance" or not (match.terms or match.facet_groups):
                return super().keys(match, tier=tier, offset=offset, limit=limit, sort=sort)
            source, params = self._from(match, tier)
            sql = f"SELECT f.rowid FROM {source} ORDER BY f.rowid LIMIT %s OFFSET %s"
        else:
            # FTS5 walks its index by rowid (the rank key) and stops at the page.
            source, params = alone
            sql = f"SELECT rowid FROM {source} ORDER BY rowid LIMIT %s OFFSET %s"
        return [row[0] for row in self._rows(sql, [*params, limit, offset])]

    def count(self, match, *, tier, cap):
        alone = self._fts_alone(match, tier)
        if alone is None:
            return super().count(match, tier=tier, cap=cap)
        source, params = alone
        sql = f"SELECT COUNT(*) FROM (SELECT rowid FROM {source} LIMIT %s)"
        return self._rows(sql, [*params, cap])[0][0]

    def count_and_sample(self, match, *, count_cap, sample_cap):
        alone = self._fts_alone(match, ANY)
        if alone is None:
            return super().count_and_sample(match, count_cap=count_cap, sample_cap=sample_cap)
        # One walk over the full-text index in key order: the keys of the first matches (the
        # sample) into Python, then, when there are more, the matches after the last of them
        # counted in the database, up to count_cap in all; then the facet columns of the
        # sample by primary key. A second pass over the index for the sample walked most of
        # a few thousand matches again (15 of 35 ms at 1,000,000 standards); fetching every
        # key up to count_cap into Python to count them cost 1-2 ms more.
        source, params = alone
        sql = f"SELECT rowid FROM {source} ORDER BY rowid LIMIT %s"
        keys = [row[0] for row in self._rows(sql, [*params, sample_cap + 1])]
        if not keys:
            return 0, list
        count = len(keys)
        if count > sample_cap:
            keys = keys[:sample_cap]
            sql = f"SELECT COUNT(*) FROM (SELECT rowid FROM {source} AND rowid > %s LIMIT %s)"
            count = sample_cap + self._rows(sql, [*params, keys[-1], count_cap - sample_cap])[0][0]
        condition, value = among_sql("d.key", keys)
        sql = facet_rows(f"SELECT {FACET_COLUMNS} FROM {TABLE} d WHERE {condition}")
        rows = self._rows(sql, [value])
        return count, lambda: rows

    def sample(self, match, *, cap, matches=None):
        if not (match.terms or match.facet_groups):
            return super().sample(match, cap=cap, matches=matches)
        source, params = self._from(match, ANY)
        sql = f"SELECT {FACET_COLUMNS} FROM {source} ORDER BY f.rowid LIMIT %s"
        return self._rows(facet_rows(sql), [*params, cap])
