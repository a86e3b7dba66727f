"""PostgreSQL: a weighted tsvector (generated column, GIN index) over the token columns.

Weights: A identifier, B titles, C scope, D cross-language words and facet tokens (no text
term reads a facet token: they start with "z" and a code). A term's same-language match reads
A, B and C (`'manag':*ABC`); its cross-language match D, or its English translation in B and C.
"""

from __future__ import annotations

import re
from functools import partial

from django.db import connection

from stdplus.core.parallel import read_beside

from ..indexing import DEMO_TOKEN, NO_CHINESE_TITLE
from ..text import Term
from .base import (
    ANY,
    CROSS,
    EXACT,
    FACET_COLUMNS,
    NATIVE,
    RANK_WINDOW,
    TABLE,
    TITLED,
    Backend,
    KeyRange,
    Match,
    _phrase_text,
    facet_rows,
    query_exact_token,
    spelled,
)

# ts_rank_cd's weights of D, C, B, A.
WEIGHTS = "{0.05, 0.2, 0.5, 1.0}"
# A prefix of at least text.WORD_MIN characters is spelled out as the words of the index it
# begins (`base.spelled`), at most MAX_WORDS of them, where the GIN index reads the query. The
# index reads a prefix by first gathering every match of every word it begins into a bitmap,
# whatever comes after, so a term next to a common word cost that word's whole list in every
# range (`road vehicles`: 51 ms of counting at 5,000,000 standards, `vehicles` alone matching
# 208,000 documents), while it reads words one after the other and skips through the longer
# list (6 ms for the same count). A query checked on rows the index did not find (`ts_rank_cd`,
# `ts_match_vq`) keeps the prefix: it compares each row's words with each operand, and twenty
# words made ranking 1,000 rows five times slower. A prefix beginning more words stays one: a
# common short word gains nothing (the index reads all of its matches either way), and the
# planner, which counts each word of an OR apart, expects many more rows (`fire`, 17 words:
# 121,000 against 8,900), chose a parallel plan and took 195 ms against 67 (English searches'
# p95 at 5,000,000: 145 ms with 8 words, 151-159 with 24 or 64).
MAX_WORDS = 8


def _word(match: Match, token: str, prefix: bool, weights: str, spell: bool) -> str:
    """One token of a term as a tsquery operand; a prefix as `'token':*`, or with `spell` as
    the words it begins when they are few enough."""
    if not prefix:
        return f"'{token}':{weights}"
    words = spelled(match, token, MAX_WORDS) if spell else None
    if words is None:
        return f"'{token}':*{weights}"
    if not words:  # no word of the index begins with it: it matches nothing, as the word
        return f"'{token}':{weights}"
    either = [f"'{word}':{weights}" for word in words]
    return either[0] if len(either) == 1 else "(" + " | ".join(either) + ")"


def _term(match: Match, term: Term, weights: str, spell: bool) -> str:
    last = len(term.tokens) - 1
    tokens = [
        _word(match, token, term.prefix and i == last, weights, spell)
        for i, token in enumerate(term.tokens)
    ]
    if term.forms:  # an English word read from a Chinese one: its inflections (`text.Term`)
        tokens[-1] = "(" + " | ".join(f"'{form}':{weights}" for form in term.forms) + ")"
    joined = " <-> ".join(tokens)
    return f"({joined})" if len(tokens) > 1 else joined


def _any(match: Match, index: int, term: Term, spell: bool) -> str:
    either = [_term(match, term, "ABCD", spell)]
    translation = match.translation(index)
    if translation is not None:
        words = [
            "(" + " | ".join(_term(match, p, "BC", spell) for p in word.english) + ")"
            for word in translation.words
        ]
        either.append("(" + " & ".join([*words, f"'{NO_CHINESE_TITLE}':D"]) + ")")
    return "(" + " | ".join(either) + ")"


def tsquery(match: Match, tier: int, *, spell: bool = False) -> str:
    """The stream's tsquery; `spell`: for the full-text index (see MAX_WORDS)."""
    parts = []
    if match.terms:
        native = " & ".join(_term(match, t, "ABC", spell) for t in match.terms)
        every = " & ".join(_any(match, i, t, spell) for i, t in enumerate(match.terms))
        if tier == NATIVE:
            parts.append(f"({native})")
        elif tier == TITLED:
            phrase, prefix = _phrase_text(match.terms)
            titled = Term(phrase, tuple(phrase.split()), prefix, cjk=False)
            titled = _term(match, titled, "B", spell)
            parts.append(f"({native}) & {titled}")
        elif tier == EXACT:
            parts.append(f"({native}) & '{query_exact_token(match)}':D")
        elif tier == CROSS:
            parts.append(f"({every}) & !({native})")
        else:
            parts.append(f"({every})")
    for group in match.facet_groups:
        parts.append("(" + " | ".join(f"'{token}':D" for token in group) + ")")
    if parts and match.hide_demo:
        parts.append(f"!'{DEMO_TOKEN}':D")
    return " & ".join(parts)


class PostgresBackend(Backend):
    vendor = "postgresql"
    find = "strpos"

    def _fulltext(self, match: Match, tier: int) -> tuple[str, list]:
        if tier == EXACT and match.terms:
            # The title's exact token is usually rare (though not always: 488,000 synthetic
            # standards are titled "Vocabulary"): the index reads it (with the facets) alone,
            # and the terms are checked on its rows. `ts_match_vq` is `@@` as a function, which
            # the index does not serve: as one `@@` query, the index would read the terms'
            # whole lists too (a prefix's every word: 70 ms for `smart grid` at 5,000,000).
            token = tsquery(Match(facet_groups=match.facet_groups, hide_demo=match.hide_demo), ANY)
            token = " & ".join([f"'{query_exact_token(match)}':D", *([token] if token else [])])
            return (
                "d.document @@ to_tsquery('simple', %s) "
                "AND ts_match_vq(d.document, to_tsquery('simple', %s))",
                [token, tsquery(Match(terms=match.terms), NATIVE)],
            )
        query = tsquery(match, tier, spell=True)
        if not query:
            return "", []
        return "d.document @@ to_tsquery('simple', %s)", [query]

    def _score(self, match: Match, tier: int) -> tuple[str, list]:
        return (
            f"-ts_rank_cd('{WEIGHTS}', d.document, to_tsquery('simple', %s))",
            [tsquery(match, tier)],
        )

    def count_and_sample(self, match: Match, *, count_cap: int, sample_cap: int):
        """The count, and when the matches are few (at most RANK_WINDOW) their keys with it:
        the sample is then read by key, and the streams are told apart on these rows
        (`Match.known`), instead of passing over the full-text index of every range again
        (a rare phrase costs each range's index: an identifier's mentions, or a translation
        holding broad prefixes, 100 ms a pass at 5,000,000 standards). More keys than that
        cost more to look up one by one in the ranges than a pass (1,690: 37 ms)."""
        source, params = self._from(match, ANY)
        few = min(RANK_WINDOW, sample_cap)
        count, keys = self._rows(
            "SELECT COUNT(*), CASE WHEN COUNT(*) <= %s THEN array_agg(m.key) END "
            f"FROM (SELECT d.key FROM {source} LIMIT %s) m",
            [few, *params, count_cap],
        )[0]
        if not count:
            return 0, list
        if keys is None:
            # Many matches: the sample is read range by range (tens of milliseconds at
            # 5,000,000 standards), on a second connection while this one finds the page.
            return count, read_beside(partial(self.sample, match, cap=sample_cap, matches=count))
        match.known = sorted(keys)
        condition, params = self.keyed(match.known)
        sql = facet_rows(f"SELECT {FACET_COLUMNS} FROM {TABLE} d WHERE {condition}")
        rows = self._rows(sql, params)
        return count, lambda: rows

    def _among(self, match: Match, tier: int, keys: list[int]) -> list[int]:
        if not keys:
            return []
        condition, params = self.keyed(keys)
        query = tsquery(match, tier)
        # (`ts_match_vq`: `@@` checked on these rows, not read from the full-text index.)
        sql = (
            f"SELECT d.key FROM {TABLE} d WHERE {condition} "
            "AND ts_match_vq(d.document, to_tsquery('simple', %s))"
        )
        return [row[0] for row in self._rows(sql, [*params, query])]

    def key_ranges(self) -> list[KeyRange]:
        return partition_ranges()

    def key_order(self, match: Match, column: str) -> str:
        # Not the key itself when a full-text query is part of the statement: the planner,
        # which cannot estimate how many documents match, may then walk the key's index and
        # test every row against the query, expecting the LIMIT to come soon (1.1 s for
        # `telecom` over ranges holding 44 of its matches among 1,300,000 rows). `key + 0`
        # is the same order, which no index gives: the matches are found through the
        # full-text index and sorted (few, or bounded by the ranges read: `_in_key_order`).
        if match.terms or match.facet_groups:
            return f"{column} + 0"
        return column


# The search table's partitions, read from the database once per process and database (they
# change with a migration, search 0008 and 0010, and when `search.ranges` cuts them: a
# process that read them before keeps bounds that still give the same answers).
_RANGES: dict[str, list[KeyRange]] = {}
_BOUND = re.compile(r"FROM \((.+?)\) TO \((.+?)\)")


def _bound(text: str) -> int | None:
    text = text.strip().strip("'")
    return None if text in ("MINVALUE", "MAXVALUE") else int(text)


def partitions_read(cursor) -> list[tuple[str, KeyRange]]:
    """Each partition of the search table (its name and range) in key order; the documents
    as the planner's statistics last counted them (-1: never counted)."""
    cursor.execute(
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), c.reltuples FROM pg_inherits i "
        "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(%s)",
        [TABLE],
    )
    found = []
    for name, expression, documents in cursor.fetchall():
        bounds = _BOUND.search(expression or "")
        if bounds:
            low, high = _bound(bounds.group(1)), _bound(bounds.group(2))
            found.append((name, KeyRange(low, high, int(documents))))
    # MINVALUE first, then by the lower bound.
    return sorted(found, key=lambda r: -(2**63) if r[1].low is None else r[1].low)


def partition_ranges() -> list[KeyRange]:
    """The ranges of the partitions of the search table in key order (`partitions_read`); []
    when the table is not partitioned."""
    name = str(connection.settings_dict["NAME"])
    if name not in _RANGES:
        with connection.cursor() as cursor:
            _RANGES[name] = [one for _name, one in partitions_read(cursor)]
    return _RANGES[name]


def partition_ranges_forget() -> None:
    """Read the ranges again at the next search (`search.ranges` has cut them)."""
    _RANGES.clear()
