"""The validity check (有效性查新): many identifiers in, status and replacement chain of each out.

Set-based: whatever the number of lines, the catalog is read with a few bulk queries (the
editions of every work named, the replacement relations level by level until no new successor
appears, the adoptions, and for unknown identifiers an index of numbers), then every line is
answered in memory. The status "as of" a day is derived again with `catalog.status.derive_status`
from the dates and the successors' in-force dates, so the same code answers "today" and
"on the date of last year's report".
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from operator import attrgetter

from django.db import connection

from stdplus.catalog.choices import RelationType
from stdplus.catalog.freshness import SourceAge, source_ages
from stdplus.catalog.models import DEMO_SOURCE, Relation, Standard
from stdplus.catalog.rules.chain import MAX_CHAIN, Chain, follow_chain
from stdplus.catalog.rules.editions import edition_current, edition_landing
from stdplus.catalog.selectors import lookup_wanted
from stdplus.catalog.status import (
    CANCELLED,
    CURRENT,
    DEVELOPMENT,
    SUPERSEDED,
    UPCOMING,
    WITHDRAWN,
    Successor,
    derive_status,
    in_force_on,
)
from stdplus.catalog.visibility import demo_shown
from stdplus.core.batching import batches
from stdplus.core.collector import collector_paused
from stdplus.core.dates import today as today_date
from stdplus.core.parallel import beside_possible, read_beside, second_connection
from stdplus.core.rejections import rejection_message
from stdplus.identifiers import Identifier, parse
from stdplus.identifiers.suggest import (
    MAX_SUGGESTIONS,
    Nearby,
    did_you_mean,
    nearby_wanted,
    number_key,
    numbers_near,
    works_near,
)

from .extract import InputLine

Progress = Callable[[str, int, int], None]

MATCH_EDITION, MATCH_WORK, MATCH_NONE, MATCH_REJECTED = "edition", "work", "none", "rejected"
UNKNOWN, REJECTED = "unknown", "rejected"
# The summary's categories, in the order people read them.
CATEGORIES = (
    CURRENT,
    UPCOMING,
    SUPERSEDED,
    WITHDRAWN,
    DEVELOPMENT,
    CANCELLED,
    UNKNOWN,
    REJECTED,
)
_MIN_DATE = dt.date(1, 1, 1)
_sort_key = attrgetter("sort_key")
_STANDARDS = Standard._meta.db_table
_RELATIONS = Relation._meta.db_table
_REPLACES = f" AND type = '{RelationType.REPLACES}'"
_ADOPTIONS = f" AND type IN ('{RelationType.ADOPTS}', '{RelationType.IDENTICAL}')"
_NOT_SUPPLEMENT = " AND NOT is_supplement"
_NODE_FIELDS = (
    "canonical",
    "work_key",
    "edition_key",
    "is_supplement",
    "base_status",
    "published",
    "effective",
    "withdrawn",
    "year",
)
# The demo generator's entries and relations (catalog.visibility: hidden unless shown).
_REAL = f" AND source <> '{DEMO_SOURCE}'"


@dataclass(slots=True)
class Node:
    """One catalog standard, as much as the check needs."""

    canonical: str
    work_key: str
    edition_key: str
    is_supplement: bool
    base_status: str
    published: dt.date | None
    effective: dt.date | None
    withdrawn: dt.date | None
    year: int | None
    # Read only for the documents the lines judge (`titles_read`):
    source: str = ""
    title_zh: str = ""
    title_en: str = ""

    @property
    def in_force_from(self) -> dt.date | None:
        return self.effective or self.published

    @property
    def sort_key(self) -> tuple:
        return (self.year or 0, self.published or _MIN_DATE, self.canonical)


@dataclass(slots=True)
class LineResult:
    """The answer for one input line. `as_dict()` is the machine-readable contract."""

    position: int
    input: str
    where: str = ""
    canonical: str | None = None
    match: str = MATCH_NONE
    status: str | None = None
    current: str | None = None
    chain: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    error: str | None = None
    # What a person reads besides the contract fields:
    edition: str | None = None  # the edition judged (for a work match: the one taken)
    known_from: str = ""  # "catalog", or "relation" for a document known only as a target
    title_zh: str = ""
    title_en: str = ""
    published: dt.date | None = None
    effective: dt.date | None = None
    withdrawn: dt.date | None = None
    work_current: str | None = None  # the edition of the same work in force on the day
    upcoming: str | None = None  # a published successor not yet in force
    replaced_by: list[str] = field(default_factory=list)  # every known successor
    adoptions: list[dict] = field(default_factory=list)
    year_not_found: bool = False  # a year was given, but the catalog has no such edition
    source: str = ""  # the source of the edition judged
    source_as_of: dt.date | None = None  # the date that source's data describes
    source_stale: bool = False  # older than STDPLUS_SOURCE_MAX_AGE_DAYS, or of unknown age
    by_edition: list[str] = field(default_factory=list)  # chain steps found as later editions

    @property
    def category(self) -> str:
        if self.match == MATCH_REJECTED:
            return REJECTED
        if self.match == MATCH_NONE:
            return UNKNOWN
        return self.status or UNKNOWN

    def contract(self) -> dict:
        return {
            "input": self.input,
            "canonical": self.canonical,
            "match": self.match,
            "status": self.status,
            "current": self.current,
            "chain": self.chain,
            "suggestions": self.suggestions,
            "error": self.error,
        }

    def details(self) -> dict:
        return {
            "edition": self.edition,
            "known_from": self.known_from,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "published": _iso(self.published),
            "effective": _iso(self.effective),
            "withdrawn": _iso(self.withdrawn),
            "work_current": self.work_current,
            "upcoming": self.upcoming,
            "replaced_by": self.replaced_by,
            "adoptions": self.adoptions,
            "year_not_found": self.year_not_found,
            "source": self.source,
            "source_as_of": _iso(self.source_as_of),
            "source_stale": self.source_stale,
            "chain_by_edition": self.by_edition,
        }

    def as_dict(self) -> dict:
        return {"position": self.position, "where": self.where, **self.contract(), **self.details()}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass
class CheckOutcome:
    day: dt.date
    results: list[LineResult]
    # Every source the answers rely on, with how fresh its data is (catalog.freshness).
    sources: list[SourceAge] = field(default_factory=list)

    @property
    def stale_sources(self) -> list[SourceAge]:
        """The sources relied on whose data is older than the configured age (or unknown)."""
        return [s for s in self.sources if s.stale()]

    @property
    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(CATEGORIES, 0)
        for result in self.results:
            counts[result.category] += 1
        return counts


# A read of at least this many keys is split in two, read at once on two connections where
# `core.parallel` can (at 5,000,000 standards a lookup of 10,000 keys takes 60-100 ms).
SPLIT_KEYS = 2_000


def _chunk_size() -> int:
    return 50_000


def _select(
    table: str,
    columns: tuple[str, ...],
    where: str,
    column: str,
    keys,
    size: int,
    where_params: tuple = (),
):
    """Rows of `table` whose `column` is one of `keys`: one statement per (large) chunk.

    The keys travel as one parameter (a JSON array on SQLite, an array on PostgreSQL), so a
    100,000-key lookup costs neither 100,000 placeholders nor Django compiling them.
    `where`: more conditions (" AND ..."), with their `where_params`.
    """
    keys = sorted(set(keys))
    if not keys:
        return
    quote = connection.ops.quote_name
    selected = ", ".join(quote(c) for c in columns)
    if connection.vendor == "sqlite":
        condition = f"{quote(column)} IN (SELECT value FROM json_each(%s))"
    else:
        # Not `= ANY(%s)`: PostgreSQL's planner overestimates the rows a long array matches and
        # scans the whole table (at 5,000,000 standards: 1.3 s for 50,000 numbers); against
        # the array's rows it probes the column's index (0.25 s). Every key column is text.
        condition = f"{quote(column)} IN (SELECT unnest(%s::text[]))"
    sql = f"SELECT {selected} FROM {quote(table)} WHERE {condition}{where}"
    if len(keys) >= SPLIT_KEYS and beside_possible():
        # PostgreSQL: the second half of the keys on another connection at the same time (one
        # index lookup per key: the server's two processes share the machine's cores).
        half = len(keys) // 2
        later = read_beside(lambda: _select_rows(sql, keys[half:], size, where_params))
        yield from _select_rows(sql, keys[:half], size, where_params)
        yield from later()
    else:
        yield from _select_rows(sql, keys, size, where_params)


def _select_rows(sql: str, keys: list[str], size: int, where_params: tuple) -> list[tuple]:
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        for chunk in batches(keys, size):
            param = json.dumps(chunk) if connection.vendor == "sqlite" else chunk
            cursor.execute(sql, [param, *where_params])
            rows.extend(cursor.fetchall())
    return rows


def _day(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return _iso_day(value)


@lru_cache(maxsize=65536)
def _iso_day(value: str) -> dt.date:
    return dt.date.fromisoformat(value[:10])


class CatalogView:
    """The part of the catalog a check reads, loaded in bulk, then queried in memory."""

    def __init__(
        self, day: dt.date, today: dt.date | None = None, *, show_demo: bool = False
    ) -> None:
        self.day = day
        # Conditions on standards and relations: the demo entries only when shown.
        self.real = "" if show_demo else _REAL
        self.past = today is not None and day < today
        self.size = _chunk_size()
        self.nodes: dict[str, Node] = {}
        self.by_work: dict[str, list[Node]] = defaultdict(list)
        self.replacing: dict[str, list[str]] = defaultdict(list)  # replaced key -> replacing keys
        self._asked: set[str] = set()  # keys whose successors were loaded
        self.works_loaded: set[str] = set()  # works whose every edition is loaded
        self.works_named: set[str] = set()  # the works of every document loaded
        self._unsorted: set[str] = set()  # works given editions since their list was sorted
        self._status: dict[str, str] = {}
        self._successors: dict[str, list[Node]] = {}
        self._work_current: dict[str, Node | None] = {}
        self._in_force: dict[str, bool] = {}
        self._chains: dict[str, Chain[Node]] = {}
        self._numbers: dict[str, set[tuple[str, str]]] = {}
        self._nearby: dict[tuple[str, str], list[Nearby]] = {}

    # Loading -------------------------------------------------------------------------------
    def _add_rows(self, rows: Iterable[tuple]) -> list[Node]:
        added = []
        for row in rows:
            if row[0] in self.nodes:
                continue
            (canonical, work, edition, supplement, base, published, effective, withdrawn, year) = (
                row
            )
            node = Node(
                canonical,
                work,
                edition,
                bool(supplement),
                base,
                _day(published),
                _day(effective),
                _day(withdrawn),
                year,
            )
            self.nodes[node.canonical] = node
            self.by_work[node.work_key].append(node)
            added.append(node)
        works = {n.work_key for n in added}
        self.works_named.update(works)
        self._unsorted.update(works)
        return added

    def load_works(self, works: set[str]) -> list[Node]:
        """Every edition of these works; returns those not loaded before. Each work's editions
        are in `Node.sort_key` order afterwards (also those other loads added)."""
        self.works_loaded.update(works)
        added = self._add_rows(
            _select(_STANDARDS, _NODE_FIELDS, self.real, "work_key", works, self.size)
        )
        for work in self._unsorted:
            self.by_work[work].sort(key=_sort_key)
        self._unsorted.clear()
        return added

    def load_canonicals(self, keys: set[str]) -> list[Node]:
        missing = [k for k in keys if k not in self.nodes]
        return self._add_rows(
            _select(_STANDARDS, _NODE_FIELDS, self.real, "canonical", missing, self.size)
        )

    def load_successors(self, keys: set[str], progress: Progress | None = None) -> None:
        """Follow "replaced by" from these keys, level by level, until nothing new appears."""
        pending = set(keys)
        level = 0
        while pending and level < MAX_CHAIN:
            level += 1
            for key in list(pending):
                node = self.nodes.get(key)
                if node is not None and node.is_supplement:
                    pending.add(node.edition_key)
            asked = sorted(pending - self._asked)
            self._asked.update(asked)
            new_keys: set[str] = set()
            rows = _select(
                _RELATIONS,
                ("to_key", "from_key"),
                _REPLACES + self.real,
                "to_key",
                asked,
                self.size,
            )
            for to_key, from_key in rows:
                self.replacing[to_key].append(from_key)
                new_keys.add(from_key)
            self.load_canonicals(new_keys)
            pending = {k for k in new_keys if k in self.nodes} - self._asked
            if progress:
                progress("relations", level, level + (1 if pending else 0))

    def titles_read(self, keys: set[str]) -> dict[str, tuple[str, str, str]]:
        """{canonical: (title_zh, title_en, source)} of these documents: read only for the
        documents the lines judge (not every edition loaded). Reads only (`read_beside`)."""
        return {
            canonical: (title_zh, title_en, source)
            for canonical, title_zh, title_en, source in _select(
                _STANDARDS,
                ("canonical", "title_zh", "title_en", "source"),
                "",
                "canonical",
                keys,
                self.size,
            )
        }

    def titles_set(self, titles: dict[str, tuple[str, str, str]]) -> None:
        for canonical, (title_zh, title_en, source) in titles.items():
            node = self.nodes.get(canonical)
            if node is not None:
                node.title_zh, node.title_en, node.source = title_zh, title_en, source

    def adoptions(self, keys: set[str]) -> dict[str, list[dict]]:
        found: dict[str, list[dict]] = defaultdict(list)
        columns = ("from_key", "type", "to_key", "degree")
        for from_key, kind, to_key, degree in _select(
            _RELATIONS, columns, _ADOPTIONS + self.real, "from_key", keys, self.size
        ):
            found[from_key].append({"relation": kind, "key": to_key, "degree": degree})
        for from_key, kind, to_key, degree in _select(
            _RELATIONS, columns, _ADOPTIONS + self.real, "to_key", keys, self.size
        ):
            reverse = "adopted_by" if kind == RelationType.ADOPTS else kind
            found[to_key].append({"relation": reverse, "key": from_key, "degree": degree})
        for items in found.values():
            items.sort(key=lambda a: (a["relation"], a["key"]))
        return found

    # Answers -------------------------------------------------------------------------------
    def successors(self, key: str) -> list[Node]:
        """Catalog documents replacing this key (a supplement shares its edition's)."""
        found = self._successors.get(key)
        if found is None:
            found = self._successors[key] = self._find_successors(key)
        return found

    def _find_successors(self, key: str) -> list[Node]:
        keys = [key]
        node = self.nodes.get(key)
        if node is not None and node.is_supplement:
            keys.append(node.edition_key)
        found = {k for k0 in keys for k in self.replacing.get(k0, ())}
        return [self.nodes[k] for k in sorted(found) if k in self.nodes]

    def status(self, key: str) -> str:
        """The common status of this document on the day asked."""
        if key in self._status:
            return self._status[key]
        successors = [
            Successor(s.base_status, s.in_force_from, s.is_supplement) for s in self.successors(key)
        ]
        node = self.nodes.get(key)
        if node is None:  # known only as the target of a replacement
            status = derive_status(
                CURRENT, effective=None, published=None, successors=successors, today=self.day
            )
        else:
            base = node.base_status
            if (
                self.past
                and base in (SUPERSEDED, WITHDRAWN)
                and node.withdrawn is None
                and successors
                and not any(in_force_on(s, self.day) for s in successors)
            ):
                # The source's "superseded" describes today. With no withdrawal date, the
                # document left force when a successor came into force: not yet on that day.
                base = CURRENT
            status = derive_status(
                base,
                effective=node.effective,
                published=node.published,
                withdrawn=node.withdrawn,
                successors=successors,
                today=self.day,
                is_supplement=node.is_supplement,
            )
        self._status[key] = status
        return status

    def _status_of(self, node: Node) -> str:
        status = self._status.get(node.canonical)
        return self.status(node.canonical) if status is None else status

    def _in_force_on(self, node: Node, day: dt.date) -> bool:
        if day != self.day:
            return _in_force_on(node, day)
        found = self._in_force.get(node.canonical)
        if found is None:
            found = self._in_force[node.canonical] = _in_force_on(node, day)
        return found

    def _successors_of(self, node: Node) -> list[Node]:
        return self.successors(node.canonical)

    def _editions_of(self, node: Node) -> list[Node]:
        return self.by_work.get(node.work_key, [])

    def chain_found(self, start: str) -> Chain[Node]:
        """`follow_chain`'s whole answer for `start` (see `chain`), worked out once per start:
        the caller must not change it."""
        found = self._chains.get(start)
        if found is not None:
            return found
        node = self.nodes.get(start)
        if node is None:  # known only as the target of a replacement
            node = Node(start, "", start, False, CURRENT, None, None, None, None)
        found = self._chains[start] = follow_chain(
            node,
            self._successors_of,
            self._status_of,
            self._in_force_on,
            self.day,
            editions_of=self._editions_of,
        )
        return found

    def chain(self, start: str) -> tuple[list[str], str | None]:
        """From `start` along "replaced by" to the document in force on the day (the rule:
        `catalog.rules.chain.follow_chain`). Returns (chain, upcoming successor)."""
        found = self.chain_found(start)
        upcoming = found.upcoming.canonical if found.upcoming is not None else None
        return [n.canonical for n in found.nodes], upcoming

    def work_current(self, work: str) -> Node | None:
        if work not in self._work_current:
            self._work_current[work] = edition_current(self.by_work.get(work, ()), self._status_of)
        return self._work_current[work]

    def landing(self, identifier: Identifier, work: str | None = None) -> Node | None:
        """The edition a lookup of `identifier` (or of its year in `work`) lands on."""
        wanted = lookup_wanted(identifier) if work is None else ()
        editions = self.by_work.get(work or identifier.work, [])
        return edition_landing(editions, self._status_of, wanted=wanted, year=identifier.year)

    # Suggestions for unknown identifiers -------------------------------------------------
    def numbers_read(self, identifiers: list[Identifier]) -> list[tuple[str, str, str]]:
        """The rows (number, prefix, work) the rule may suggest for these unknown identifiers:
        those with the same number under any prefix, and those of the same prefix with a
        number one keystroke away (`identifiers.suggest.nearby_wanted`). Reads only
        (`read_beside`); `numbers_set` keeps those of the lines found unknown in the end."""
        own, near = _numbers_wanted(identifiers)
        columns = ("number", "prefix", "work_key")
        where = _NOT_SUPPLEMENT + self.real
        rows = list(_select(_STANDARDS, columns, where, "number", own, self.size))
        # One statement per prefix (a check's unknown lines have a few dozen): the index of
        # (number, prefix) finds the rows of that prefix alone.
        for prefix in sorted(near):
            rows.extend(
                _select(
                    _STANDARDS,
                    columns,
                    where + " AND prefix = %s",
                    "number",
                    near[prefix],
                    self.size,
                    (prefix,),
                )
            )
        return rows

    def numbers_set(self, rows: list[tuple[str, str, str]], identifiers: list[Identifier]) -> None:
        """Keep, of the rows `numbers_read` gave (for these identifiers or more), those it
        gives for these identifiers."""
        own, near = _numbers_wanted(identifiers)
        index: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for number, prefix, work in rows:
            if number in own or number in near.get(prefix, ()):
                index[number_key(number)].add((prefix, work))
        self._numbers = index  # (sorted when asked: most numbers read are never asked)
        self._nearby.clear()

    def nearby(self, identifier: Identifier) -> list[Nearby]:
        """The works of `numbers_set` whose number is near this identifier's."""
        key = (identifier.number, identifier.prefix)
        found = self._nearby.get(key)
        if found is None:
            index = self._numbers
            found = self._nearby[key] = [
                (number, prefix, work)
                for number in sorted(numbers_near(identifier))
                if number in index
                for prefix, work in sorted(index[number])
            ]
        return found

    def suggestions(self, identifier: Identifier) -> list[str]:
        """What to suggest for this identifier (`identifiers.suggest.did_you_mean`), once
        `numbers_set` and the works it found are loaded."""

        def landing(work: str) -> str | None:
            found = self.landing(identifier, work)
            return found.canonical if found else None

        own = [n.canonical for n in self.by_work.get(identifier.work, ()) if not n.is_supplement]
        nearby = [] if own else self.nearby(identifier)  # only read without editions of its own
        return did_you_mean(identifier, own_editions=own, nearby=nearby, landing=landing)


def _numbers_wanted(identifiers: list[Identifier]) -> tuple[set[str], dict[str, set[str]]]:
    """The numbers typed, and by prefix the numbers one keystroke away from them."""
    own: set[str] = set()
    near: dict[str, set[str]] = defaultdict(set)
    for identifier in identifiers:
        number, numbers = nearby_wanted(identifier)
        if number:
            own.add(number)
            near[identifier.prefix].update(numbers)
    return own, near


def _in_force_on(node: Node, day: dt.date) -> bool:
    return in_force_on(Successor(node.base_status, node.in_force_from), day)


def check_run(
    lines: list[InputLine],
    *,
    day: dt.date | None = None,
    progress: Progress | None = None,
) -> CheckOutcome:
    """Answer every line (in input order) as of `day` (default: today)."""
    # The view's tens of thousands of nodes live until the end; large reads are split over
    # two connections (`_select`).
    with collector_paused(), second_connection():
        return _check_run(lines, day=day, progress=progress)


def _check_run(
    lines: list[InputLine], *, day: dt.date | None, progress: Progress | None
) -> CheckOutcome:
    today = today_date()
    day = day or today
    total = len(lines)
    parsed: list[Identifier | None] = []
    results: list[LineResult] = []
    for position, line in enumerate(lines, start=1):
        outcome = parse(line.text)
        result = LineResult(position=position, input=line.text, where=line.where)
        if isinstance(outcome, Identifier):
            result.canonical = outcome.canonical
            parsed.append(outcome)
        else:
            result.match = MATCH_REJECTED
            result.error = rejection_message(outcome)
            parsed.append(None)
        results.append(result)
    if progress:
        progress("parse", total, total)

    view = CatalogView(day, today, show_demo=demo_shown())
    identifiers = [p for p in parsed if p is not None]
    view.load_works({p.work for p in identifiers})
    view.load_canonicals({p.canonical for p in identifiers} | {p.edition for p in identifiers})
    if progress:
        progress("editions", total, total)
    # The numbers near identifiers not in the catalog are read on the second connection
    # (PostgreSQL, `core.parallel`) while this one follows the chains and matches the lines;
    # those found later (as a successor) are left out when they are kept (`numbers_set`).
    numbers = read_beside(
        partial(
            view.numbers_read,
            [
                p
                for p in identifiers
                if p.canonical not in view.nodes and not view.by_work.get(p.work)
            ],
        )
    )
    view.load_successors(set(view.nodes) | {p.canonical for p in identifiers}, progress)
    # A chain may go on to a later edition of a successor's work (catalog.rules.chain): the
    # works of every document reached, and what replaces those, until nothing new appears.
    for _round in range(MAX_CHAIN):
        added = view.load_works(view.works_named - view.works_loaded)
        if not added:
            break
        view.load_successors({n.canonical for n in added})

    # Which document each line judges.
    starts: list[str | None] = []
    unknown: list[Identifier] = []  # the first line of each unknown work
    unknown_works: set[str] = set()
    for identifier, result in zip(parsed, results, strict=True):
        start = None
        if identifier is None:
            starts.append(None)
            continue
        if identifier.canonical in view.nodes:
            result.match, start = MATCH_EDITION, identifier.canonical
            result.known_from = "catalog"
        elif view.by_work.get(identifier.work):
            result.match = MATCH_WORK
            result.known_from = "catalog"
            edition = view.landing(identifier)
            result.year_not_found = identifier.year is not None and (
                edition is None or edition.year != identifier.year
            )
            start = edition.canonical if edition else None
        elif view.replacing.get(identifier.canonical):
            # No record of its own, but a catalog document says it replaces it.
            result.match, start = MATCH_EDITION, identifier.canonical
            result.known_from = "relation"
        else:
            result.match = MATCH_NONE
            if identifier.work not in unknown_works:
                unknown_works.add(identifier.work)
                unknown.append(identifier)
        starts.append(start)

    # The titles and adoptions of the documents judged, read on the second connection while
    # this one answers the lines.
    judged = {s for s in starts if s}
    details = read_beside(lambda: (view.titles_read(judged), view.adoptions(judged)))
    # The works suggestions may name for unknown lines (those the rule reaches first): their
    # editions are loaded in one go.
    view.numbers_set(
        numbers(),
        [p for p, r in zip(parsed, results, strict=True) if p and r.match == MATCH_NONE],
    )
    for identifier, result in zip(parsed, results, strict=True):
        if result.match == MATCH_WORK and identifier is not None:
            result.suggestions = view.suggestions(identifier)
    suggested: set[str] = set()
    for identifier in unknown:
        suggested.update(works_near(identifier, view.nearby(identifier))[:MAX_SUGGESTIONS])
    if progress:
        progress("match", total, total)
    if suggested:
        view.load_works(suggested)
    if progress:
        progress("details", total, total)

    for done, (identifier, result, start) in enumerate(
        zip(parsed, results, starts, strict=True), start=1
    ):
        if result.match == MATCH_NONE and identifier is not None:
            result.suggestions = view.suggestions(identifier)
        if start is None or identifier is None:  # (a line has a start only if it parsed)
            continue
        result.edition = start
        result.status = view.status(start)
        found = view.chain_found(start)
        chain = [n.canonical for n in found.nodes]
        result.chain = chain
        result.upcoming = found.upcoming.canonical if found.upcoming is not None else None
        result.by_edition = [n.canonical for n in found.by_edition]
        result.current = chain[-1] if view.status(chain[-1]) == CURRENT else None
        result.replaced_by = [s.canonical for s in view.successors(start)]
        node = view.nodes.get(start)
        work = node.work_key if node is not None else identifier.work
        current_edition = view.work_current(work)
        result.work_current = current_edition.canonical if current_edition else None
        if progress and done % 5000 == 0:
            progress("answer", done, total)
    titles, adoptions = details()
    view.titles_set(titles)
    for result in results:
        node = view.nodes.get(result.edition or "")
        if node is not None:
            result.title_zh, result.title_en = node.title_zh, node.title_en
            result.published, result.effective = node.published, node.effective
            result.withdrawn = node.withdrawn
        if result.edition:
            result.adoptions = adoptions.get(result.edition, [])
    # How fresh each source relied on is: every line says, the outcome lists the sources.
    relied = {r.edition: view.nodes[r.edition].source for r in results if r.edition in view.nodes}
    ages = source_ages(relied.values())
    for result in results:
        source = relied.get(result.edition or "")
        if source is not None:
            age = ages[source]
            result.source, result.source_as_of = source, age.as_of
            result.source_stale = age.stale(today)
    if progress:
        progress("answer", total, total)
    return CheckOutcome(day=day, results=results, sources=[ages[s] for s in sorted(ages)])
