from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import NamedTuple

from django.db import connection

from stdplus.catalog.models import DEMO_SOURCE
from stdplus.core.batching import among_sql
from stdplus.core.parallel import read_beside

from ..indexing import WORDS_TABLE, exact_token
from ..text import WORD_MIN, Term, exact_key
from ..translate import Translation

TABLE = "search_searchdocument"
# The keys of the demo generator's entries (catalog.models.DEMO_SOURCE), one parameter: the
# source. Uncorrelated, so read once per query; a few thousand keys at most. Only a search
# without a full-text part reads it: one with terms or facets leaves the demo entries out
# through their facet token (`indexing.DEMO_TOKEN`) in the full-text query itself.
DEMO_KEYS = (
    f"SELECT dd.key FROM {TABLE} dd JOIN catalog_standard ds ON ds.id = dd.standard_id "
    "WHERE ds.source = %s"
)
FACET_COLUMNS = "d.level, d.status, d.body, d.year, d.ics_fields"
# The facets a facet row names by their place in FACET_COLUMNS (`facet_rows`).
FACETS = ("level", "status", "body", "year", "ics_fields")


def facet_rows(sql: str) -> str:
    """The facet columns a query reads (FACET_COLUMNS), counted facet by facet: rows of
    (the facet's place in FACETS, a value as text, how many documents have it). A facet's
    values are few (at most a few hundred bodies, years and sets of ICS fields among
    2,000 matches), so the database counts each facet in one small group, rather than
    giving a row per distinct combination of all five (1,100-1,700 rows for 2,000
    matches at 1,000,000 standards) for Python to add up. Every document has one level:
    the level rows add up to the documents counted."""
    counted = " UNION ALL ".join(
        f"SELECT {place}, CAST({name} AS TEXT), COUNT(*) FROM s GROUP BY {name}"
        for place, name in enumerate(FACETS)
    )
    return f"WITH s AS MATERIALIZED ({sql}) {counted}"


def documents_counted(rows: list[tuple]) -> int:
    """How many documents the facet rows (`facet_rows`) count."""
    return sum(n for place, _value, n in rows if place == 0)


# The two streams of a text query: same-language matches (every term in the identifier, the
# titles or the scope), then cross-language ones (a term only in the words of an adoption
# partner, or only through its English translation). ANY is both.
NATIVE, CROSS, ANY = 1, 2, 0
# The same-language matches whose title holds the whole query as a phrase (tiers 0 and 1): the
# candidates a broad query ranks beside its first matches in key order.
TITLED = 3
# The same-language matches with a title equal to the whole query (tier 0), found through the
# title's exact token (indexing.exact_token).
EXACT = 4
# A stream with more matches than this ranks bounded candidates (Backend.ranked_keys): the
# same window as the facet sample (selectors.FACET_SAMPLE).
RANK_WINDOW = 1_000
# At most this many runs of ranges are named around a lookup by key (`Backend.keyed`).
KEYED_SPANS = 3
# The document key divided by this is the status rank (indexing.rank_key): status, then
# editions before supplements; the year and the id are below it.
STATUS_DIVISOR = 10**14
SORTS = {
    "newest": "d.published DESC NULLS LAST, d.key",
    "oldest": "d.published ASC NULLS LAST, d.key",
    "identifier": "s.canonical",
}


class KeyRange(NamedTuple):
    """One range of the search table's key, [low, high) (None: no bound), and about how many
    documents it holds."""

    low: int | None
    high: int | None
    documents: int


def key_bounds(column: str, low: int | None, high: int | None) -> list[tuple[str, int]]:
    """The conditions `low <= column < high` (None: no bound), each with its parameter."""
    return [
        (f"{column} {operator} %s", bound)
        for operator, bound in ((">=", low), ("<", high))
        if bound is not None
    ]


@dataclass
class Match:
    """What the documents must match: every term, one token of each facet group, the dates."""

    terms: list[Term] = field(default_factory=list)
    facet_groups: list[list[str]] = field(default_factory=list)
    published_from: dt.date | None = None
    published_to: dt.date | None = None
    # The keys the documents must have, [low, high) (a status filter: `indexing.status_key_range`).
    key_range: tuple[int, int] | None = None
    exclude_keys: list[int] = field(default_factory=list)
    # The English reading of each term (None for an English term or an unknown Chinese one).
    translations: list[Translation | None] = field(default_factory=list)

    def translation(self, index: int) -> Translation | None:
        return self.translations[index] if index < len(self.translations) else None

    # Leave out the demo generator's entries (catalog.visibility decides; the reader's switch).
    hide_demo: bool = False
    # The words each prefix of this search's terms is spelled out as (`spelled`), read once.
    spelled: dict[str, list[str] | None] = field(default_factory=dict)
    # The keys of every match in any stream, when the count found them few (PostgreSQL:
    # `count_and_sample`): the streams are then told apart on these rows alone.
    known: list[int] | None = None

    @property
    def empty(self) -> bool:
        return not (
            self.terms
            or self.facet_groups
            or self.key_range
            or self.published_from
            or self.published_to
        )


def spelled(match: Match, prefix: str, most: int) -> list[str] | None:
    """The listed words of the index (`indexing.WORDS_TABLE`) that begin with `prefix`, read
    once per search (kept on the match), or None: a prefix shorter than WORD_MIN (the words
    are listed from that length: a shorter one might be a word itself), one with other than
    ASCII characters, or one beginning more than `most` words. Both backends read a prefix
    spelled out as these words lazily, and one as a prefix by first gathering every match of
    every word it begins (see `backends.sqlite` and `backends.postgres`). The same documents
    match: every word of the index is listed (`text.index_words`), a listed word no document
    holds any more matches nothing, and the list is compared character by character (SQLite's
    BINARY, PostgreSQL's "C" collation), so that the range holds only words with the prefix."""
    if prefix not in match.spelled:
        words: list[str] | None = None
        if len(prefix) >= WORD_MIN and prefix.isascii():
            after = prefix[:-1] + chr(ord(prefix[-1]) + 1)  # (ASCII: the next of that length)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT word FROM {WORDS_TABLE} WHERE word >= %s AND word < %s "
                    "ORDER BY word LIMIT %s",
                    [prefix, after, most + 1],
                )
                words = [row[0] for row in cursor.fetchall()]
            words = words if len(words) <= most else None
        match.spelled[prefix] = words
    return match.spelled[prefix]


def _phrase_text(terms: list[Term] | tuple[Term, ...]) -> tuple[str, bool]:
    """The tokens of terms one after the other, and whether the last may be a prefix."""
    tokens = [token for term in terms for token in term.tokens]
    return " ".join(tokens), bool(terms) and terms[-1].prefix


def query_exact_key(match: Match) -> str:
    """The whole query as a title is compared (`text.exact_key`)."""
    return exact_key(" ".join(term.text for term in match.terms))


def query_exact_token(match: Match) -> str:
    """The exact token a title equal to the whole query carries."""
    return exact_token(query_exact_key(match))


def _contains(text: str, prefix: bool) -> str:
    """The needle that finds these tokens, in order, in " " + a token column + " "."""
    return " " + text + ("" if prefix else " ")


class Backend:
    """SQL shared by both backends; the subclasses say how the full-text part is written.

    The relevance model, the same on both: a text query's same-language matches come first,
    in tiers (0: a title equals the query whole, the identifier begins with it, or, for a query
    with a number, the identifier holds it whole; 1: a title holds the query as a phrase; 2:
    every term in the identifier or a title; 3: in the scope too), then its cross-language
    matches (0: through an adoption partner's title; 1: through the translation). Within a
    tier: the status rank (current before superseded: `indexing.STATUS_RANK`, from the
    catalog's one status order), then, in tiers 0 and 1, shorter titles first, then the
    backend's relevance score (a BM25-shaped score over the document row on SQLite,
    `sqlite.COLUMN_WEIGHTS`; ts_rank_cd on PostgreSQL: identifier over
    title over scope over cross-language words), then the key (newer first).
    """

    vendor = ""
    find = "instr"  # position of a substring: instr(haystack, needle) / strpos

    def _score(self, match: Match, tier: int) -> tuple[str, list]:
        """(SQL expression, params): lower is better."""
        raise NotImplementedError

    def _tier(self, match: Match, tier: int) -> tuple[str, list]:
        """(SQL expression, params): the tier of a matching document (lower first)."""
        find = self.find
        params: list = []
        if tier == CROSS:
            tests = []
            for term in match.terms:
                tests.append(f"{find}(' ' || d.xlang || ' ', %s) > 0")
                params.append(_contains(*_phrase_text([term])))
            return f"CASE WHEN {' AND '.join(tests)} THEN 0 ELSE 1 END", params
        phrase, prefix = _phrase_text(match.terms)
        key = query_exact_key(match)
        tests = []
        for term in match.terms:
            tests.append(f"{find}(' ' || d.ident || ' ' || d.title || ' ', %s) > 0")
            params.append(_contains(*_phrase_text([term])))
        # A query with a number in it is an identifier, or a piece of one ("9001", "IEC 60601",
        # "ISO 9001-2015"): the standards whose identifier holds it whole, its tokens in order,
        # are in tier 0 beside the titles equal to it, before the titles that mention it. So
        # are, for any query, the standards whose identifier begins with it (a prefix typed
        # alone: "GB", "YY/T", "DB44", "ISO/IEC").
        # (Identifiers are Latin letters and digits: a query with Chinese words is no prefix.)
        numbered = any(character.isdigit() for term in match.terms for character in term.text)
        named, named_params = "", []
        if numbered or not any(term.cjk for term in match.terms):
            held = "> 0" if numbered else "= 1"
            named = f"WHEN {find}(' ' || d.ident || ' ', %s) {held} THEN 0 "
            named_params = [_contains(phrase, prefix)]
        sql = (
            f"CASE WHEN {find}('|' || d.exact || '|', %s) > 0 THEN 0 {named}"
            f"WHEN {find}(' ' || d.title || ' ', %s) > 0 THEN 1 "
            f"WHEN {' AND '.join(tests)} THEN 2 ELSE 3 END"
        )
        return sql, ["|" + key + "|", *named_params, _contains(phrase, prefix), *params]

    def ranked_keys(
        self, match: Match, *, tier: int, offset: int, limit: int, matches: int | None = None
    ) -> list[int]:
        """One page of a text query's matches in one stream, by the relevance model.

        A stream of at most RANK_WINDOW matches is ranked whole. A broader one (a common word:
        `requirements`, `要求`) is ranked over bounded candidates, so its cost does not grow with
        the catalog: the first RANK_WINDOW matches in key order (in force first, newest first)
        and, in the same-language stream, up to RANK_WINDOW more after them whose title equals
        the query and RANK_WINDOW more whose title holds it as a phrase (the tiers 0 and 1 a
        person typing a title wants, whatever their status or age). The candidates' keys are
        read from the full-text index first (each read stops after RANK_WINDOW keys), then the
        model ranks their document rows alone: a condition on the key beside the full-text
        match would read every match. The other matches follow the ranked ones in key order.
        `matches`: how many the query matches in all streams, when the caller knows it (no
        window is looked for then when it is small).
        """
        if match.known is not None and len(match.known) <= RANK_WINDOW:
            within = self._among(match, tier, match.known)
            return self._ranked(match, tier, offset=offset, limit=limit, within=within)
        if matches is not None and matches <= RANK_WINDOW:
            return self._ranked(match, tier, offset=offset, limit=limit)
        first = self._first_keys(match, tier, matches=matches)
        if len(first) < RANK_WINDOW:  # the whole stream
            return self._ranked(match, tier, offset=offset, limit=limit, within=first)
        kth = first[-1]
        later = self._later_candidates(match, tier, kth)
        keys = self._ranked(match, tier, offset=offset, limit=limit, within=first + later)
        if len(keys) == limit:
            return keys
        column = self.key_column(match)
        rest = [(f"{column} > %s", [kth])]
        if later:
            rest.append((f"{column} NOT IN ({', '.join(['%s'] * len(later))})", later))
        source, params = self._from(match, tier, extra=rest)
        order = self.key_order(match, column)
        sql = f"SELECT {column} FROM {source} ORDER BY {order} LIMIT %s OFFSET %s"
        ranked = len(first) + len(later)
        after = self._rows(sql, [*params, limit - len(keys), max(0, offset - ranked)])
        return keys + [row[0] for row in after]

    def key_column(self, match: Match) -> str:
        """The document key as the full-text part can bound it (a range on it is cheap)."""
        return "d.key"

    def _first_keys(
        self,
        match: Match,
        tier: int,
        *,
        after: int | None = None,
        matches: int | None = None,
    ) -> list[int]:
        """The keys of the stream's first RANK_WINDOW matches in key order (after `after`)."""
        column = self.key_column(match)
        rows = self._in_key_order(match, tier, column, RANK_WINDOW, after=after, matches=matches)
        return [row[0] for row in rows]

    def key_order(self, match: Match, column: str) -> str:
        """What a statement of the match's documents in key order sorts by."""
        return column

    def keyed(self, keys: list[int]) -> tuple[str, list]:
        """(condition, params): `d.key` is one of these keys. Where the table is kept in
        ranges and the keys lie in a few of them (at most a quarter, in at most KEYED_SPANS
        runs), also within those: the planner then plans those ranges alone, where a join
        with the keys alone plans every range (each costs the statement its own lookups:
        ranking the candidates of `检验规则` among local standards over 45 ranges, 25 ms
        against 17). Keys spread over the catalog are looked up by the join alone: planning
        the bounds of many ranges costs more than it saves (8 ms for 870 keys in 7 runs)."""
        condition, value = among_sql("d.key", keys, partitioned=True)
        spans: list[tuple[int | None, int | None]] = []
        ordered = sorted(keys)
        ranges = self.key_ranges()
        held = 0
        for one in ranges:
            at = 0 if one.low is None else bisect_left(ordered, one.low)
            if at == len(ordered) or (one.high is not None and ordered[at] >= one.high):
                continue  # no key in this range
            held += 1
            if spans and spans[-1][1] == one.low:
                spans[-1] = (spans[-1][0], one.high)
            else:
                spans.append((one.low, one.high))
        if not spans or len(spans) > KEYED_SPANS or held > len(ranges) // 4:
            return condition, [value]
        tests, params = [], [value]
        for low, high in spans:
            bounds = key_bounds("d.key", low, high)
            tests.append(" AND ".join(sql for sql, _bound in bounds))
            params.extend(bound for _sql, bound in bounds)
        return f"{condition} AND ({' OR '.join(tests)})", params

    def key_ranges(self) -> list[KeyRange]:
        """The ranges of the key the search table is kept in, in key order, when it is split
        (PostgreSQL); [] when it is one table."""
        return []

    def _in_key_order(
        self,
        match: Match,
        tier: int,
        columns: str,
        limit: int,
        *,
        after: int | None = None,
        matches: int | None = None,
        grouped: bool = False,
    ) -> list[tuple]:
        """`SELECT columns` of the stream's first `limit` matches in key order (after `after`);
        `grouped`: as `facet_rows`.

        A table split into ranges of the key (`key_ranges`) is read a few ranges at a time, in
        key order, until `limit` matches are found: the planner cannot know how many match a
        full-text query and sorts every match of every range before the LIMIT, so a common
        word read all of its matches (200,000 at 5,000,000 standards). Each group of ranges
        holds about as many documents as the groups before it together (`_range_groups`): a
        word found in the first ranges costs their matches, a rare one a few statements.
        Read in one statement when the table is one, or when `matches` (how many match in
        all) says there are few.
        """
        column = self.key_column(match)
        order = self.key_order(match, column)
        ranged = matches is None or matches > limit
        groups = self._range_groups(match, after) if ranged else []
        out: list[tuple] = []
        taken = 0
        for bounds in groups or [(None, None)]:
            extra = [] if after is None else [(f"{column} > %s", [after])]
            extra.extend((sql, [bound]) for sql, bound in key_bounds(column, *bounds))
            source, params = self._from(match, tier, extra=extra)
            sql = f"SELECT {columns} FROM {source} ORDER BY {order} LIMIT %s"
            rows = self._rows(facet_rows(sql) if grouped else sql, [*params, limit - taken])
            out.extend(rows)
            taken += documents_counted(rows) if grouped else len(rows)
            if taken >= limit:
                break
        return out

    def _range_groups(self, match: Match, after: int | None) -> list[tuple[int | None, int | None]]:
        """`key_ranges` that can hold matches (after `after`, within the match's key range),
        joined into groups, each holding at least as many documents as the groups before it
        together (at least one range): 1, 1, 2, 4, 8, ... ranges where the ranges are alike,
        and small first ranges (`search.ranges`) are read alone. A range counts as one document
        at least (its documents never counted: the planner's statistics say 0 or -1)."""
        low = after
        high = None
        if match.key_range:
            low = match.key_range[0] if low is None else max(low, match.key_range[0])
            high = match.key_range[1]
        ranges = [
            one
            for one in self.key_ranges()
            if (one.high is None or low is None or one.high > low)
            and (one.low is None or high is None or one.low < high)
        ]
        groups = []
        before = 0
        while ranges:
            group = [ranges.pop(0)]
            held = max(1, group[0].documents)
            while ranges and held < before:
                group.append(ranges.pop(0))
                held += max(1, group[-1].documents)
            groups.append((group[0].low, group[-1].high))
            before += held
        return groups

    def _later_candidates(self, match: Match, tier: int, kth: int) -> list[int]:
        """The same-language keys after `kth` that are ranked too: the first RANK_WINDOW titles
        equal to the query (through their exact token) and the first RANK_WINDOW titles
        holding it as a phrase."""
        if tier != NATIVE:
            return []
        # (the two reads at once where a second connection can: `core.parallel`)
        exact = read_beside(partial(self._first_keys, match, EXACT, after=kth))
        titled = self._first_keys(match, TITLED, after=kth)
        return list(dict.fromkeys(exact() + titled))

    def _ranked(
        self, match: Match, tier: int, *, offset: int, limit: int, within: list[int] | None = None
    ) -> list[int]:
        """The stream's matches by the model; `within`: the keys of the candidates (matches of
        the stream), ranked on their document rows alone, without the full-text index."""
        tier_sql, tier_params = self._tier(match, tier)
        score_sql, score_params = self._score(match, tier)
        if within is None:
            source, params = self._from(match, tier)
        elif not within:
            return []
        else:
            condition, params = self.keyed(within)
            source = f"{TABLE} d WHERE {condition}"
        # The order is (tier, status, title length in tiers 0 and 1, score, key). The score is
        # the costly part (a BM25-shaped sum over the token columns on SQLite, ts_rank_cd over
        # the document on PostgreSQL) and only orders rows equal in the first three, so it is
        # worked out for the rows that can reach the page alone: those up to and with the
        # (tier, status, length) of the row at offset + limit (`cut`), read again by key.
        # The page is the one a sort of every row by the whole order gives. (MATERIALIZED:
        # each row's tier is worked out once, not once per use.)
        sql = (
            f"WITH c AS MATERIALIZED (SELECT d.key AS key, {tier_sql} AS tier, "
            f"length(d.title) AS length FROM {source}), "
            f"o AS MATERIALIZED (SELECT c.key AS key, c.tier AS tier, "
            f"c.key / {STATUS_DIVISOR} AS status, "
            "CASE WHEN c.tier <= 1 THEN c.length ELSE 0 END AS length FROM c), "
            "cut AS (SELECT o.tier, o.status, o.length FROM o "
            "ORDER BY o.tier, o.status, o.length LIMIT 1 OFFSET %s) "
            f"SELECT o.key, o.tier FROM o JOIN {TABLE} d ON d.key = o.key "
            "WHERE NOT EXISTS (SELECT 1 FROM cut) "
            "OR (o.tier, o.status, o.length) <= (SELECT cut.tier, cut.status, cut.length FROM cut) "
            f"ORDER BY o.tier, o.status, o.length, {score_sql}, o.key LIMIT %s OFFSET %s"
        )
        cut = max(0, offset + limit - 1)
        rows = self._rows(sql, [*tier_params, *params, cut, *score_params, limit, offset])
        return [row[0] for row in rows]

    def _fulltext(self, match: Match, tier: int) -> tuple[str, list]:
        """(SQL condition on `d`, params) for the terms and facet groups; ("", []) for none."""
        raise NotImplementedError

    def _among(self, match: Match, tier: int, keys: list[int]) -> list[int]:
        """Which of these documents (matches of the query in any stream) are in the stream."""
        raise NotImplementedError

    def _from(self, match: Match, tier: int, sort: str = "relevance", extra=()) -> tuple[str, list]:
        """FROM and WHERE of the stream's matches; `extra`: more (condition, params)."""
        fulltext, params = self._fulltext(match, tier)
        where = [fulltext] if fulltext else []
        if match.published_from:
            where.append("d.published >= %s")
            params.append(match.published_from)
        if match.published_to:
            where.append("d.published <= %s")
            params.append(match.published_to)
        if match.key_range:
            column = self.key_column(match)
            where.append(f"{column} >= %s AND {column} < %s")
            params.extend(match.key_range)
        if match.exclude_keys:
            where.append(f"d.key NOT IN ({', '.join(['%s'] * len(match.exclude_keys))})")
            params.extend(match.exclude_keys)
        if match.hide_demo and not fulltext:  # (else the full-text query leaves them out)
            where.append(f"d.key NOT IN ({DEMO_KEYS})")
            params.append(DEMO_SOURCE)
        for condition, condition_params in extra:
            where.append(condition)
            params.extend(condition_params)
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
        self,
        match: Match,
        *,
        tier: int,
        offset: int,
        limit: int,
        sort: str = "relevance",
        matches: int | None = None,
    ) -> list[int]:
        if sort == "relevance" and match.terms and tier != ANY:
            return self.ranked_keys(match, tier=tier, offset=offset, limit=limit, matches=matches)
        order = SORTS.get(sort, "d.key")
        if order == "d.key" and self.key_ranges():  # (the page after the `offset` first)
            rows = self._in_key_order(match, tier, "d.key", offset + limit, matches=matches)
            return [row[0] for row in rows[offset:]]
        source, params = self._from(match, tier, sort)
        sql = f"SELECT d.key FROM {source} ORDER BY {order} LIMIT %s OFFSET %s"
        return [row[0] for row in self._rows(sql, [*params, limit, offset])]

    def count(self, match: Match, *, tier: int, cap: int) -> int:
        source, params = self._from(match, tier)
        sql = f"SELECT COUNT(*) FROM (SELECT d.key FROM {source} LIMIT %s) m"
        return self._rows(sql, [*params, cap])[0][0]

    def count_and_sample(
        self, match: Match, *, count_cap: int, sample_cap: int
    ) -> tuple[int, Callable[[], list[tuple]]]:
        """(matches up to count_cap, the function that gives the facet rows (`facet_rows`) of
        the first sample_cap): a backend may read them on a second connection meanwhile
        (`core.parallel`)."""
        count = self.count(match, tier=ANY, cap=count_cap)
        rows = self.sample(match, cap=sample_cap, matches=count) if count else []
        return count, lambda: rows

    def sample(self, match: Match, *, cap: int, matches: int | None = None) -> list[tuple]:
        """Facet rows (`facet_rows`) of the first `cap` matches (any tier) in rank order;
        `matches`: how many match, when known."""
        return self._in_key_order(match, ANY, FACET_COLUMNS, cap, matches=matches, grouped=True)
