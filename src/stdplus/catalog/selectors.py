"""Catalog reads: lookup by any spelling, editions of a work, relations, replacement chains."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count

from stdplus.identifiers import Identifier, parse

from .choices import RelationType, Status
from .models import ChangeEvent, Relation, Standard

_MIN_DATE = dt.date(1, 1, 1)
# Which successor to follow first when an edition has several: in force before anything else.
_STATUS_ORDER = {
    Status.CURRENT: 0,
    Status.UPCOMING: 1,
    Status.SUPERSEDED: 2,
    Status.WITHDRAWN: 3,
    Status.DEVELOPMENT: 4,
}


@dataclass
class Lookup:
    """What an identifier typed by a person names in the catalog.

    match: `edition` (that very document), `work` (the work; no year was given, or the year
    is not in the catalog), `none` (parsed, not in the catalog) or `rejected` (not an identifier).
    """

    text: str
    match: str
    identifier: Identifier | None = None
    error: str = ""
    standard: Standard | None = None
    editions: list[Standard] = field(default_factory=list)

    @property
    def current(self) -> Standard | None:
        return current_of(self.editions)


def current_of(editions: list[Standard]) -> Standard | None:
    """The edition in force among the editions of a work (supplements aside), if any."""
    in_force = [e for e in editions if e.status == Status.CURRENT and not e.is_supplement]
    if not in_force:
        return None
    return max(in_force, key=lambda e: (e.published or e.effective or _MIN_DATE, e.canonical))


def standard_lookup(text: str) -> Lookup:
    result = parse(text)
    if not isinstance(result, Identifier):
        return Lookup(text=text, match="rejected", error=result.error)
    standard = Standard.objects.filter(canonical=result.canonical).first()
    editions = work_editions(result.work)
    if standard is not None:
        return Lookup(
            text=text, match="edition", identifier=result, standard=standard, editions=editions
        )
    if editions:
        return Lookup(text=text, match="work", identifier=result, editions=editions)
    return Lookup(text=text, match="none", identifier=result)


def standard_get(canonical: str) -> Standard | None:
    return Standard.objects.filter(canonical=canonical).first()


def work_editions(work_key: str) -> list[Standard]:
    """Every document of one work, oldest first (supplements after their edition)."""
    editions = list(Standard.objects.filter(work_key=work_key))
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
    outgoing = list(
        Relation.objects.filter(from_key=standard.canonical)
        .select_related("to_standard")
        .order_by("type", "to_key")
    )
    incoming = list(
        Relation.objects.filter(to_key=standard.canonical)
        .select_related("from_standard")
        .order_by("type", "from_key")
    )
    return outgoing, incoming


def successors_of(standard: Standard) -> list[Standard]:
    """Published documents that replace this one (or, for a supplement, its edition)."""
    keys = [standard.canonical]
    if standard.is_supplement:
        keys.append(standard.edition_key)
    found = list(
        Standard.objects.filter(
            relations_out__type=RelationType.REPLACES, relations_out__to_key__in=keys
        )
        .exclude(status=Status.DEVELOPMENT)
        .distinct()
    )
    found.sort(
        key=lambda s: (
            _STATUS_ORDER[s.status],
            -(s.published or _MIN_DATE).toordinal(),
            s.canonical,
        )
    )
    return found


def replacement_chain(standard: Standard, *, limit: int = 50) -> list[Standard]:
    """From this standard along "replaced by" to the standard in force, both included.

    Follows replacements across identifiers and levels (GB/T 28001 -> GB/T 45001,
    YY/T 0287 -> GB/T 42061). Where one is replaced by several, the one in force is followed.
    """
    chain = [standard]
    seen = {standard.pk}
    node = standard
    while len(chain) < limit:
        nxt = next((s for s in successors_of(node) if s.pk not in seen), None)
        if nxt is None:
            break
        chain.append(nxt)
        seen.add(nxt.pk)
        node = nxt
    return chain


def catalog_counts() -> dict:
    """Counts by level, by status, and by level and status together."""
    by_pair = list(
        Standard.objects.values("level", "status")
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
    return list(
        ChangeEvent.objects.select_related("standard")
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

    @property
    def adoptions(self) -> list[Relation]:
        """What it adopts, and what adopts it (identical, modified, not equivalent)."""
        kinds = {RelationType.ADOPTS, RelationType.IDENTICAL}
        return [r for r in [*self.outgoing, *self.incoming] if r.type in kinds]


def _ancestor_codes(scheme: str, code: str) -> list[str]:
    if scheme == "ics":
        parts = code.split(".")
        return [".".join(parts[: i + 1]) for i in range(len(parts))]
    return [code[:1], code] if len(code) > 1 else [code]


def standard_details(
    standard: Standard, *, editions: list[Standard] | None = None
) -> StandardDetails:
    """`editions`: the editions of its work, when the caller has them already."""
    from .models import Classification

    classes = list(standard.classifications.all())
    wanted = {(c.scheme, a) for c in classes for a in _ancestor_codes(c.scheme, c.code)}
    known = {}
    if wanted:
        codes = {code for _scheme, code in wanted}
        for row in Classification.objects.filter(code__in=codes):
            known[(row.scheme, row.code)] = row
    paths = [
        ClassPath(
            scheme=c.scheme,
            code=c.code,
            path=[
                known[(c.scheme, a)]
                for a in _ancestor_codes(c.scheme, c.code)
                if (c.scheme, a) in known
            ],
        )
        for c in sorted(classes, key=lambda c: (c.scheme != "ics", c.code))
    ]
    outgoing, incoming = standard_relations(standard)
    return StandardDetails(
        standard=standard,
        editions=editions if editions is not None else work_editions(standard.work_key),
        outgoing=outgoing,
        incoming=incoming,
        chain=replacement_chain(standard),
        classes=paths,
    )
