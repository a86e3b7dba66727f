"""Catalog reads: lookup by any spelling, editions of a work, relations, replacement chains.

The rules these reads apply are pure functions shared with the validity check:
`rules.chain.follow_chain` (the replacement chain), `rules.editions.edition_landing` (which
edition a lookup lands on) and `stdplus.identifiers.suggest.did_you_mean` (suggestions for an
identifier the catalog does not have).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q

from stdplus.core.dates import today as today_date
from stdplus.core.rejections import rejection_message
from stdplus.identifiers import Identifier, parse
from stdplus.identifiers.suggest import MAX_SUGGESTIONS, did_you_mean, nearby_wanted, works_near

from . import sql
from .choices import RelationType
from .freshness import SourceAge, source_age
from .models import ChangeEvent, Relation, SourceFacts, Standard
from .rules.chain import Chain, follow_chain
from .rules.editions import edition_current, edition_landing
from .rules.sources import FACT_FIELDS, FieldSources, fields_by_source
from .status import UNPUBLISHED, Successor, in_force_on
from .visibility import demo_shown, hide_demo, visible

_MIN_DATE = dt.date(1, 1, 1)


@dataclass
class Lookup:
    """What an identifier typed by a person names in the catalog.

    match: `edition` (that very document), `work` (the work; no year was given, or the year
    is not in the catalog), `none` (parsed, not in the catalog) or `rejected` (not an identifier).
    `edition` is the document the lookup lands on (None when nothing was found); `suggestions`
    are what to offer when the very document typed is not in the catalog.
    """

    text: str
    match: str
    identifier: Identifier | None = None
    error: str = ""
    standard: Standard | None = None
    editions: list[Standard] = field(default_factory=list)
    edition: Standard | None = None
    suggestions: list[Standard] = field(default_factory=list)

    @property
    def current(self) -> Standard | None:
        return current_of(self.editions)


def _stored_status(standard: Standard) -> str:
    return standard.status


def current_of(editions: list[Standard]) -> Standard | None:
    """The edition in force among the editions of a work (supplements aside), if any."""
    return edition_current(editions, _stored_status)


def lookup_wanted(identifier: Identifier) -> list[str]:
    """What a lookup looks for first: the document typed, then an amendment's base edition."""
    if identifier.supplements and identifier.edition != identifier.canonical:
        return [identifier.canonical, identifier.edition]
    return [identifier.canonical]


def standard_landing(identifier: Identifier, editions: list[Standard]) -> Standard | None:
    """The edition of its work a lookup of `identifier` lands on (see rules.editions)."""
    return edition_landing(
        editions, _stored_status, wanted=lookup_wanted(identifier), year=identifier.year
    )


def work_landing(editions: list[Standard]) -> Standard | None:
    """The edition a lookup of the work itself (no year) lands on, among its `editions`."""
    return edition_landing(editions, _stored_status)


def standard_resolve(text: str) -> Lookup:
    """What a typed identifier names: the edition a lookup lands on, or why there is none and
    what to suggest instead. The one way the pages, the API and `stdplus show` read a typed
    identifier."""
    result = parse(text)
    if not isinstance(result, Identifier):
        return Lookup(text=text, match="rejected", error=rejection_message(result))
    editions = work_editions(result.work)
    # The edition is almost always among its work's; one query then answers both.
    standard = next((e for e in editions if e.canonical == result.canonical), None)
    if standard is None:
        standard = Standard.objects.public().filter(canonical=result.canonical).first()
    if standard is not None:
        return Lookup(
            text=text,
            match="edition",
            identifier=result,
            standard=standard,
            editions=editions,
            edition=standard,
        )
    if editions:
        return Lookup(
            text=text,
            match="work",
            identifier=result,
            editions=editions,
            edition=standard_landing(result, editions),
            suggestions=suggestions_for(result, editions),
        )
    return Lookup(
        text=text, match="none", identifier=result, suggestions=suggestions_for(result, [])
    )


def suggestions_for(identifier: Identifier, editions: list[Standard]) -> list[Standard]:
    """What to suggest ("did you mean") for an identifier whose document is not in the catalog
    (`editions`: its work's); the rule is `stdplus.identifiers.suggest.did_you_mean`."""
    if any(e.canonical == identifier.canonical for e in editions):
        return []
    nearby: list[tuple[str, str, str]] = []
    number, numbers = nearby_wanted(identifier)
    if not editions and number:
        nearby = list(
            Standard.objects.public()
            .filter(
                Q(number=number) | Q(prefix=identifier.prefix, number__in=sorted(numbers)),
                is_supplement=False,
            )
            .order_by()
            .values_list("number", "prefix", "work_key")
            .distinct()
        )
    by_work: dict[str, list[Standard]] = {}
    # The works the rule reaches first: each gives one suggestion.
    if works := works_near(identifier, nearby)[:MAX_SUGGESTIONS]:
        for other in Standard.objects.public().filter(work_key__in=works).order_by():
            by_work.setdefault(other.work_key, []).append(other)
    by_key = {e.canonical: e for e in editions}
    for others in by_work.values():
        by_key.update((o.canonical, o) for o in others)

    def landing(work: str) -> str | None:
        found = edition_landing(by_work.get(work, []), _stored_status, year=identifier.year)
        return found.canonical if found else None

    chosen = did_you_mean(
        identifier,
        own_editions=[e.canonical for e in editions if not e.is_supplement],
        nearby=nearby,
        landing=landing,
    )
    return [by_key[c] for c in chosen]


def standard_get(canonical: str) -> Standard | None:
    return Standard.objects.public().filter(canonical=canonical).first()


def work_editions(work_key: str) -> list[Standard]:
    """Every document of one work, oldest first (supplements after their edition)."""
    editions = [e for e in sql.standards_of_work(work_key) if visible(e)]
    editions.sort(
        key=lambda s: (
            s.year or 0,
            s.edition_key,
            s.is_supplement,
            s.published or _MIN_DATE,
            s.canonical,
        )
    )
    return editions


def standard_relations(standard: Standard) -> tuple[list[Relation], list[Relation]]:
    """(outgoing, incoming): what this standard replaces/adopts/..., and what points at it."""
    outgoing, incoming, _ = _relations(standard, set())
    return outgoing, incoming


# Every `replaces` relation pointing at some identifiers, by identifier: complete for each key
# it has, so a replacement chain can read the successors of those without a query.
Replacements = dict[str, list[Relation]]


def _relations(
    standard: Standard, replaced: set[str], known: Sequence[Standard] = ()
) -> tuple[list[Relation], list[Relation], Replacements]:
    """The standard's relations both ways, and in the same query every `replaces` relation
    pointing at the identifiers in `replaced` (the editions of its work, say). `known`:
    standards read already (the editions of its work), not read again as ends."""
    key = standard.canonical
    keys = replaced | {key}
    found = sql.relations_around(key, sorted(keys))
    ends = {s.pk: s for s in known}
    ids = {i for r in found for i in (r.from_standard_id, r.to_standard_id) if i is not None}
    ends.update((s.pk, s) for s in sql.standards_by_ids(sorted(ids - set(ends))))
    replacements: Replacements = {k: [] for k in keys}
    # A relation to a demo entry that is not shown is not shown either.
    found = [
        r
        for r in found
        if all(
            visible(end)
            for end in (ends.get(r.from_standard_id), ends.get(r.to_standard_id))
            if end
        )
    ]
    for r in found:
        # what select_related would do, in one more query instead of two joins
        r.from_standard = ends.get(r.from_standard_id)
        r.to_standard = ends.get(r.to_standard_id)
        if r.type == RelationType.REPLACES and r.to_key in replacements:
            replacements[r.to_key].append(r)
    outgoing = sorted((r for r in found if r.from_key == key), key=lambda r: (r.type, r.to_key))
    incoming = sorted((r for r in found if r.to_key == key), key=lambda r: (r.type, r.from_key))
    return outgoing, incoming, replacements


def _replaced_keys(standard: Standard) -> list[str]:
    """What a replacement of this standard points at (a supplement: also its edition)."""
    if standard.is_supplement:
        return [standard.canonical, standard.edition_key]
    return [standard.canonical]


def successors_of(standard: Standard, known: Replacements | None = None) -> list[Standard]:
    """Published documents that replace this one (or, for a supplement, its edition).

    `known`: replacements already read; used when it has every key this standard needs."""
    keys = _replaced_keys(standard)
    if known is not None and all(k in known for k in keys):
        by_pk = {
            r.from_standard.pk: r.from_standard
            for k in keys
            for r in known[k]
            if r.from_standard is not None and r.from_standard.status not in UNPUBLISHED
        }
        return list(by_pk.values())
    return list(
        Standard.objects.public()
        .filter(relations_out__type=RelationType.REPLACES, relations_out__to_key__in=keys)
        .exclude(status__in=UNPUBLISHED)
        .order_by()
        .distinct()
    )


def _in_force_on(standard: Standard, day: dt.date) -> bool:
    return in_force_on(
        Successor(standard.base_status, standard.effective or standard.published), day
    )


def standard_chain(
    standard: Standard,
    *,
    known: Replacements | None = None,
    day: dt.date | None = None,
    editions: list[Standard] | None = None,
) -> Chain[Standard]:
    """From this standard along "replaced by" to the standard in force (the rule:
    `rules.chain.follow_chain`), today by default, with the statuses the catalog holds.

    Follows replacements across identifiers and levels (GB/T 28001 -> GB/T 45001,
    YY/T 0287 -> GB/T 42061). `known`: replacements the caller has read already (the detail
    page reads those of every edition of the work with the relations); a step beyond them
    queries. `editions`: the editions of the standard's work, when the caller has them (read
    only if no replacement is recorded, for the later edition of the same work).
    """
    by_work: dict[str, list[Standard]] = {}
    if editions is not None:
        by_work[standard.work_key] = editions

    def editions_of(node: Standard) -> list[Standard]:
        if node.work_key not in by_work:
            by_work[node.work_key] = work_editions(node.work_key)
        return by_work[node.work_key]

    return follow_chain(
        standard,
        lambda node: successors_of(node, known),
        _stored_status,
        _in_force_on,
        day or today_date(),
        editions_of=editions_of,
    )


def replacement_chain(standard: Standard, *, known: Replacements | None = None) -> list[Standard]:
    """The standards of `standard_chain`, this one first."""
    return standard_chain(standard, known=known).nodes


def _by_generation(name: str, build):
    """`build()` counted once per catalog generation and demo switch, per process: the home
    page and the catalog summary read every standard for their counts (the demo entries are
    told apart by their source, which no index of level and status covers). Every write of
    standards raises the generation, so a kept answer is never older than the catalog."""
    from django.core.cache import cache

    from .services.state import generation_read

    return cache.get_or_set(f"catalog:{name}:{generation_read()}:{int(demo_shown())}", build, 3600)


def catalog_counts() -> dict:
    """Counts by level, by status, and by level and status together."""
    return _by_generation("counts", _catalog_counts)


def _catalog_counts() -> dict:
    by_pair = list(
        Standard.objects.public()
        .values("level", "status")
        .annotate(n=Count("id"))
        .order_by("level", "status")
    )
    by_level: dict[str, int] = {}
    by_status: dict[str, int] = {}
    for row in by_pair:
        by_level[row["level"]] = by_level.get(row["level"], 0) + row["n"]
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["n"]
    return {
        "total": sum(by_level.values()),
        "by_level": by_level,
        "by_status": by_status,
        "by_level_status": by_pair,
    }


def latest_changes(limit: int = 10) -> list[ChangeEvent]:
    """The latest changes but creations, newest first (kept per generation, as the counts)."""
    return _by_generation(f"changes:{int(limit)}", lambda: _latest_changes(limit))


def _latest_changes(limit: int) -> list[ChangeEvent]:
    return list(
        hide_demo(ChangeEvent.objects.select_related("standard"), "standard__source")
        .exclude(kind="created")
        .order_by("-created_at", "-id")[:limit]
    )


@dataclass
class ClassPath:
    """One class of a standard with its ancestors, top first (ICS 03 > 03.120 > 03.120.10)."""

    scheme: str
    code: str
    path: list = field(default_factory=list)  # Classification rows, the class itself last


@dataclass
class StandardDetails:
    """Everything a standard's page shows: its work's editions, relations, chain, classes."""

    standard: Standard
    editions: list[Standard]
    outgoing: list[Relation]
    incoming: list[Relation]
    chain: list[Standard]
    classes: list[ClassPath]
    upcoming: Standard | None = None  # replaces the last of the chain, not yet in force
    # What each source said, where more than one source describes it (none: every field came
    # from `standard.source`).
    sources: list[SourceFacts] = field(default_factory=list)

    @property
    def fields_by_source(self) -> list[FieldSources]:
        """Field by field: each source's value, and which one is shown (rules.sources)."""
        if not self.sources:
            return []
        standard = self.standard
        return fields_by_source(
            {name: getattr(standard, name) for name in FACT_FIELDS},
            standard.source,
            [(f.source, f.facts) for f in self.sources],
        )

    # Steps of the chain found as a later edition of the same work (no replacement recorded).
    by_edition: list[Standard] = field(default_factory=list)
    source_age: SourceAge | None = None  # how fresh its source's data is

    @property
    def adoptions(self) -> list[Relation]:
        """What it adopts, and what adopts it (identical, modified, not equivalent)."""
        kinds = {RelationType.ADOPTS, RelationType.IDENTICAL}
        return [r for r in [*self.outgoing, *self.incoming] if r.type in kinds]


def standard_details(
    standard: Standard, *, editions: list[Standard] | None = None
) -> StandardDetails:
    """`editions`: the editions of its work, when the caller has them already."""
    classes = sql.classes_of(standard.pk)
    wanted = {(c.scheme, a) for c in classes for a in _ancestor_codes(c.scheme, c.code)}
    rows = {}
    for row in sql.classes_by_codes(sorted({code for _scheme, code in wanted})):
        rows[(row.scheme, row.code)] = row
    paths = [
        ClassPath(
            scheme=c.scheme,
            code=c.code,
            path=[
                rows[(c.scheme, a)]
                for a in _ancestor_codes(c.scheme, c.code)
                if (c.scheme, a) in rows
            ],
        )
        for c in sorted(classes, key=lambda c: (c.scheme != "ics", c.code))
    ]
    if editions is None:
        editions = work_editions(standard.work_key)
    # Successors within the work come with the relations: most chains need no query of their own.
    replaced = {key for edition in [standard, *editions] for key in _replaced_keys(edition)}
    outgoing, incoming, known = _relations(standard, replaced, [standard, *editions])
    chain = standard_chain(standard, known=known, editions=editions)
    return StandardDetails(
        standard=standard,
        editions=editions,
        outgoing=outgoing,
        incoming=incoming,
        chain=chain.nodes,
        classes=paths,
        upcoming=chain.upcoming,
        sources=sorted(
            sql.facts_of(standard.pk), key=lambda f: (f.source != standard.source, f.source)
        ),
        by_edition=chain.by_edition,
        source_age=source_age(standard.source),
    )


def _ancestor_codes(scheme: str, code: str) -> list[str]:
    """A class and the classes above it, top first (ICS 03, 03.120, 03.120.10; CCS A, A01)."""
    if scheme == "ics":
        parts = code.split(".")
        return [".".join(parts[: i + 1]) for i in range(len(parts))]
    return [code[:1], code] if len(code) > 1 else [code]
