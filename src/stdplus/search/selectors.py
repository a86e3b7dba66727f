"""Search reads: one query (words, an identifier, facet filters) to a page of standards.

Ranking: the standard (or work) an identifier names comes first; then the same-language
matches, then the cross-language ones (through an adoption partner's title, or through the
English reading of a Chinese query: translate.py), each ordered by the relevance model
described in `backends.base.Backend` (exact title, phrase, all terms in a title, scope; the
status rank; shorter titles; the backend's score; newer first). A cross-language result says
why it matched (`Standard.matched_through`, set on the standards of the page).

A query naming a standard of the catalog (an edition or a work, read by the one identifier
parser through `catalog.selectors.standard_resolve`) is a point lookup: its standards, then
only the texts that mention the identifier written out (`text.mention_terms`: one phrase of
its tokens), not the matches of its pieces (`gb`, `t`, `2016`) as separate words.

Large result sets: the count is exact up to COUNT_CAP matches, then says "more than
COUNT_CAP"; facet counts are exact up to FACET_SAMPLE matches, then count the first
FACET_SAMPLE matches in rank order (`count_exact` / `facets_exact` say which). Pages stop at
RESULT_WINDOW results.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from stdplus.catalog.choices import Level, Status
from stdplus.catalog.models import Classification, Standard
from stdplus.catalog.schemas import CCS_CODE_PATTERN
from stdplus.catalog.selectors import standard_resolve
from stdplus.catalog.visibility import demo_shown, hide_demo
from stdplus.core.errors import ApplicationError
from stdplus.core.parallel import second_connection

from .backends import Match, backend
from .backends.base import ANY, CROSS, NATIVE, SORTS
from .indexing import (
    STATUS_RANK,
    body_token,
    ccs_token,
    documents_of,
    generation,
    ics_token,
    partners,
    standard_id_of,
    status_key_range,
)
from .models import SearchDocument
from .text import MAX_QUERY_LENGTH, Term, mention_terms, query_terms, tokens
from .translate import Translation, translate

COUNT_CAP = 10_000
FACET_SAMPLE = 2_000
RESULT_WINDOW = 10_000
MAX_PAGE_SIZE = 100
MAX_FILTER_VALUES = 20
SORT_CHOICES = ("relevance", *SORTS)
ICS_CODE = re.compile(r"^\d{2}(\.\d{3}(\.\d{2})?)?$")
CCS_CODE = re.compile(CCS_CODE_PATTERN)
FACET_LIMIT = 25


@dataclass
class SearchFilters:
    """Facet filters: values within one facet are alternatives; facets combine with AND."""

    level: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    ics: list[str] = field(default_factory=list)
    ccs: list[str] = field(default_factory=list)
    published_from: dt.date | None = None
    published_to: dt.date | None = None

    def clean(self) -> SearchFilters:
        """Tidy the values; raise ApplicationError naming the first bad one."""

        def values(name: str, items, allowed=None, pattern=None, upper=False) -> list[str]:
            out = []
            for raw in items or []:
                value = str(raw).strip()
                value = value.upper() if upper else value
                if not value:
                    continue
                if len(value) > 40 or (allowed and value not in allowed):
                    raise ApplicationError(
                        _("%(value)s is not a known %(name)s"),
                        params={"value": value[:40], "name": name},
                        where=name,
                        code="invalid_filter",
                    )
                if pattern and not pattern.match(value):
                    raise ApplicationError(
                        _("%(value)s is not a valid %(name)s code"),
                        params={"value": value, "name": name},
                        where=name,
                        code="invalid_filter",
                    )
                if value not in out:
                    out.append(value)
            if len(out) > MAX_FILTER_VALUES:
                raise ApplicationError(
                    _("at most %(n)d values per filter"),
                    params={"n": MAX_FILTER_VALUES},
                    where=name,
                    code="invalid_filter",
                )
            return out

        cleaned = SearchFilters(
            level=values("level", self.level, allowed=set(Level.values)),
            status=values("status", self.status, allowed=set(Status.values)),
            body=values("body", self.body),
            ics=values("ics", self.ics, pattern=ICS_CODE),
            ccs=values("ccs", self.ccs, pattern=CCS_CODE, upper=True),
            published_from=self.published_from,
            published_to=self.published_to,
        )
        if (
            cleaned.published_from
            and cleaned.published_to
            and cleaned.published_from > cleaned.published_to
        ):
            raise ApplicationError(
                _("published_from is after published_to"),
                where="published_from",
                code="invalid_filter",
            )
        return cleaned

    def facet_groups(self, *, status: bool = True) -> list[list[str]]:
        """The facet tokens a document must hold, one of each group; `status=False` leaves the
        status out (`key_range` gives it)."""
        groups = [
            ["zl" + v for v in self.level],
            ["zs" + v for v in self.status] if status else [],
            [body_token(v) for v in self.body],
            [ics_token(v) for v in self.ics],
            [ccs_token(v) for v in self.ccs],
        ]
        return [g for g in groups if g]

    def key_range(self) -> tuple[int, int] | None:
        """The status filter as a range of document keys, when it is one (`status_key_range`):
        the full-text index reads a range of its row ids without reading a list of tokens."""
        return status_key_range(self.status)

    @property
    def active(self) -> bool:
        return bool(self.facet_groups() or self.published_from or self.published_to)

    def admits(self, document: SearchDocument) -> bool:
        """Whether one document passes the filters (for the identifier matches)."""
        tokens = set(document.facets.split())
        if any(not tokens.intersection(group) for group in self.facet_groups()):
            return False
        if self.published_from and not (
            document.published and document.published >= self.published_from
        ):
            return False
        return not (
            self.published_to
            and not (document.published and document.published <= self.published_to)
        )


@dataclass
class IdentifierMatch:
    """What a query that reads as an identifier names.

    kind: `edition` (that document; its work's other editions follow), `work` (the editions of
    the work), `near_miss` (not in the catalog; `suggestions` are editions of the same work, or of
    works with a close number) or `unknown` (not in the catalog, nothing close).
    """

    kind: str
    canonical: str
    work: str
    standards: list[Standard] = field(default_factory=list)
    suggestions: list[Standard] = field(default_factory=list)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    q: str
    terms: list[Term]
    filters: SearchFilters
    sort: str
    page: int
    page_size: int
    count: int
    count_exact: bool
    standards: list[Standard]
    facets: dict[str, list[FacetValue]]
    facets_exact: bool
    match: IdentifierMatch | None

    @property
    def pages(self) -> int:
        shown = min(self.count, RESULT_WINDOW)
        return max(1, -(-shown // self.page_size))

    @property
    def start(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.standards else 0

    @property
    def end(self) -> int:
        return (self.page - 1) * self.page_size + len(self.standards)


def _edition_order(standard: Standard):
    year = standard.published.year if standard.published else (standard.year or 0)
    return (STATUS_RANK.get(standard.status, 5), standard.is_supplement, -year, standard.canonical)


def identifier_match(text: str) -> IdentifierMatch | None:
    """What a query naming an identifier finds (`catalog.selectors.standard_resolve`), with
    the editions of its work in search order; None when the query is no identifier."""
    text = text.strip()
    if not text or len(text) > 120:
        return None
    found = standard_resolve(text)
    identifier = found.identifier
    if identifier is None:
        return None
    editions = sorted(found.editions, key=_edition_order)
    result = IdentifierMatch(kind="unknown", canonical=identifier.canonical, work=identifier.work)
    standard = found.standard
    if standard is not None:
        result.kind = "edition"
        result.standards = [standard, *(e for e in editions if e.pk != standard.pk)]
    elif editions and identifier.canonical == identifier.work:
        result.kind = "work"
        result.standards = editions
    else:
        result.suggestions = found.suggestions
        result.kind = "near_miss" if result.suggestions else "unknown"
    return result


def _ics_titles() -> dict[str, str]:
    language = get_language() or "en"
    key = f"search:ics-fields:{language}"
    titles = cache.get(key)
    if titles is None:
        titles = {}
        for code, title_en, title_zh in Classification.objects.filter(
            scheme="ics", depth=1
        ).values_list("code", "title_en", "title_zh"):
            chinese = language.startswith("zh")
            titles[code] = (title_zh or title_en) if chinese else (title_en or title_zh)
        cache.set(key, titles, 3600)
    return titles


def _facet_counts(rows) -> dict[str, Counter]:
    """rows: (the facet's place in FACETS, a value as text, how many), as `facet_rows` gives
    them; a set of ICS fields counts for each of its fields."""
    counts = {name: Counter() for name in ("level", "status", "body", "year", "ics")}
    named = [counts[name] for name in ("level", "status", "body", "year")]
    for place, value, n in rows:
        if value is None or value == "":
            continue
        if place < 4:
            named[place][value] += n
        else:
            for ics in value.split():
                counts["ics"][ics] += n
    return counts


def _facet_rows_of(documents) -> list[tuple]:
    """Facet rows (`facet_rows`) of (level, status, body, year, ics_fields, n) tuples."""
    return [
        (place, None if value is None else str(value), n)
        for *values, n in documents
        for place, value in enumerate(values)
    ]


def _global_counts() -> tuple[int, dict[str, Counter]]:
    """Counts over the whole index, cached until the index changes."""
    shown = demo_shown()
    key = f"search:global:{generation()}:{int(shown)}"
    found = cache.get(key)
    if found is None:
        rows = list(
            hide_demo(SearchDocument.objects.all(), "standard__source")
            .values_list("level", "status", "body", "year", "ics_fields")
            .order_by()
            .annotate(n=Count("key"))
        )
        counts = _facet_counts(_facet_rows_of(rows))
        found = (sum(counts["level"].values()), counts)
        cache.set(key, found, 24 * 3600)
    return found


def _facets(counts: dict[str, Counter], filters: SearchFilters) -> dict[str, list[FacetValue]]:
    facets: dict[str, list[FacetValue]] = {}
    for name, choices, chosen in (
        ("level", Level.choices, filters.level),
        ("status", Status.choices, filters.status),
    ):
        facets[name] = [
            FacetValue(value, str(label), counts[name][value], value in chosen)
            for value, label in choices
            if counts[name][value] or value in chosen
        ]
    # Most matches first; equal counts by name (not in the order the database grouped them).
    bodies = sorted(counts["body"].items(), key=lambda item: (-item[1], item[0]))[:FACET_LIMIT]
    bodies += [(b, counts["body"][b]) for b in filters.body if b not in dict(bodies)]
    facets["body"] = [FacetValue(b, b, n, b in filters.body) for b, n in bodies]
    titles = _ics_titles()
    chosen_fields = {code.split(".")[0] for code in filters.ics}
    facets["ics"] = [
        FacetValue(code, titles.get(code, ""), n, code in chosen_fields)
        for code, n in sorted(counts["ics"].items())
    ]
    years = sorted(counts["year"].items(), key=lambda item: item[0], reverse=True)[:FACET_LIMIT]
    facets["year"] = [FacetValue(y, y, n) for y, n in years]
    return facets


def _check_paging(sort: str, page: int, page_size: int, page_size_max: int) -> None:
    if sort not in SORT_CHOICES:
        raise ApplicationError(
            _("sort must be one of: %(choices)s"),
            params={"choices": ", ".join(SORT_CHOICES)},
            where="sort",
            code="invalid_sort",
        )
    if page < 1 or not 1 <= page_size <= page_size_max:
        raise ApplicationError(
            _("page starts at 1; page_size is between 1 and %(max)d"),
            params={"max": page_size_max},
            where="page",
            code="invalid_page",
        )
    if (page - 1) * page_size >= RESULT_WINDOW:
        raise ApplicationError(
            _("only the first %(n)d results can be paged through; narrow the search"),
            params={"n": RESULT_WINDOW},
            where="page",
            code="page_out_of_range",
        )


@dataclass
class MatchedThrough:
    """Why a cross-language result matched: `adoption` (the title of `via`, a standard it
    adopts, is adopted by or is identical to) or `translation` (`detail` says how the Chinese
    words read in English)."""

    kind: str
    via: str = ""
    detail: str = ""


def _explain(standards: list[Standard], match: Match) -> None:
    """Set `matched_through` on cross-language results."""
    found = partners([s.pk for s in standards])
    for standard in standards:
        for _id, canonical, title_zh, title_en in sorted(found.get(standard.pk, [])):
            words = " " + " ".join(tokens(title_zh) + tokens(title_en)) + " "
            if all(" " + " ".join(t.tokens) in words for t in match.terms):
                standard.matched_through = MatchedThrough("adoption", via=canonical)
                break
        else:
            readings: list[Translation] = [t for t in match.translations if t is not None]
            standard.matched_through = MatchedThrough(
                "translation", detail="; ".join(t.describe() for t in readings)
            )


@second_connection()  # (PostgreSQL: a broad query's facet sample is read while the page is found)
def standards_search(
    *,
    q: str = "",
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 20,
    page_size_max: int = 0,
) -> SearchResult:
    """`page_size_max` widens the page beyond MAX_PAGE_SIZE for an export (its own cap)."""
    q = (q or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise ApplicationError(
            _("the query is longer than %(n)d characters"),
            params={"n": MAX_QUERY_LENGTH},
            where="q",
            code="query_too_long",
        )
    _check_paging(sort, page, page_size, page_size_max or MAX_PAGE_SIZE)
    filters = (filters or SearchFilters()).clean()
    terms = query_terms(q)
    found = identifier_match(q) if q else None
    named = found is not None and found.kind in ("edition", "work")

    exact: list[Standard] = []
    exact_docs: list[SearchDocument] = []
    if named:
        docs = documents_of(found.standards)
        for standard in found.standards:
            doc = docs.get(standard.pk)
            if doc is not None and filters.admits(doc):
                exact.append(standard)
                exact_docs.append(doc)

    # A query naming a standard of the catalog is a point lookup: its standards (above), then
    # the texts that mention the identifier (`text.mention_terms`), not its pieces as words.
    # One that reads as an identifier the catalog does not hold is searched by the words of
    # its canonical form ("iec60601" as "iec 60601", "yy0287" as "yy 0287"): the standards
    # whose identifier holds them come first (`backends.base.Backend._tier`).
    if named:
        searched = mention_terms(found.canonical)
    elif found is not None and terms:
        searched = query_terms(found.canonical)
    else:
        searched = terms
    key_range = filters.key_range()
    match = Match(
        terms=searched,
        translations=[None if named else translate(term) for term in searched],
        facet_groups=filters.facet_groups(status=key_range is None),
        key_range=key_range,
        published_from=filters.published_from,
        published_to=filters.published_to,
        exclude_keys=[d.key for d in exact_docs],
        hide_demo=not demo_shown(),
    )
    engine = backend()
    searching = bool(terms) or not q  # a query of punctuation alone matches no text
    if not searching:
        count, count_exact, counts, facets_exact = 0, True, _facet_counts([]), True
    elif match.empty:  # (the demo entries aside, which the global counts leave out too)
        count, counts = _global_counts()
        count_exact = facets_exact = True
    else:
        count, sample = engine.count_and_sample(
            match, count_cap=COUNT_CAP + 1, sample_cap=FACET_SAMPLE
        )
        count_exact, facets_exact = count <= COUNT_CAP, count <= FACET_SAMPLE
        count = min(count, COUNT_CAP)
        counts = None  # (the sample's facets, counted once the page is found)
    # How many match besides the identifier's standards, when known: none, no page to read.
    matched = count if count_exact else None
    count += len(exact)

    offset = (page - 1) * page_size
    shown = exact[offset : offset + page_size]
    remaining = page_size - len(shown)
    rest_offset = max(0, offset - len(exact))
    keys: list[int] = []
    crossed: list[int] = []
    if remaining > 0 and searching and matched != 0:
        if match.terms and sort == "relevance":
            # (`matches`: the count of every stream, exact up to COUNT_CAP.)
            keys = engine.keys(
                match, tier=NATIVE, offset=rest_offset, limit=remaining, matches=matched
            )
            if len(keys) < remaining:
                native = (
                    rest_offset + len(keys)
                    if keys
                    else engine.count(match, tier=NATIVE, cap=rest_offset)
                )
                crossed = engine.keys(
                    match,
                    tier=CROSS,
                    offset=max(0, rest_offset - native),
                    limit=remaining - len(keys),
                    matches=matched,
                )
                keys += crossed
        else:
            keys = engine.keys(match, tier=ANY, offset=rest_offset, limit=remaining, sort=sort)
    if counts is None:
        counts = _facet_counts(sample())
    exact_rows = [(d.level, d.status, d.body, d.year, d.ics_fields, 1) for d in exact_docs]
    for name, counter in _facet_counts(_facet_rows_of(exact_rows)).items():
        counts[name].update(counter)
    ids = [standard_id_of(key) for key in keys]
    by_id = Standard.objects.public().in_bulk(ids)
    standards = shown + [by_id[i] for i in ids if i in by_id]
    for standard in standards:
        standard.matched_through = None
    if crossed:
        _explain([by_id[i] for i in map(standard_id_of, crossed) if i in by_id], match)
    return SearchResult(
        q=q,
        terms=terms,
        filters=filters,
        sort=sort,
        page=page,
        page_size=page_size,
        count=count,
        count_exact=count_exact,
        standards=standards,
        facets=_facets(counts, filters),
        facets_exact=facets_exact,
        match=found,
    )
