"""The replacement chain: from a document along "replaced by" to the document in force.

One rule for the standard's page (ORM rows, as of today) and the validity check (its
in-memory nodes, as of any day). The callers say how to read their rows; the choices are made
here:

- A successor never published (in development, or a cancelled project) is never followed.
- Among several successors, the one in force on the day comes first, then the one whose own
  status is best (`status.STATUS_ORDER`), then the newest publication, then the identifier.
- A successor not yet in force is followed only from a document that is no longer in force
  itself (superseded or withdrawn). From a document in force it is not followed: it is the
  *upcoming* successor, returned beside the chain.
- A document no longer in force (superseded or withdrawn) that nothing is recorded to replace
  leads to a later edition of its own work, when the catalog knows one: many sources (ITU's
  older editions, IEC) give no replacement link although the newer edition is named. The
  chain says which steps were found so (`Chain.by_edition`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from stdplus.catalog.status import CURRENT, SUPERSEDED, UNPUBLISHED, WITHDRAWN, status_rank

MAX_CHAIN = 50
_MIN_ORDINAL = dt.date.min.toordinal()


class ChainNode(Protocol):
    """What the rule reads of a document itself; the rest comes through the accessors."""

    @property
    def canonical(self) -> str: ...

    @property
    def published(self) -> dt.date | None: ...


N = TypeVar("N", bound=ChainNode)


@dataclass
class Chain(Generic[N]):
    """The documents from the start to the last one followed, and a successor not yet in force
    that replaces the last one (when that one is still in force)."""

    nodes: list[N] = field(default_factory=list)
    upcoming: N | None = None
    # Documents reached as a later edition of the same work, not through a replacement link.
    by_edition: list[N] = field(default_factory=list)


class EditionNode(ChainNode, Protocol):
    @property
    def year(self) -> int | None: ...

    @property
    def is_supplement(self) -> bool: ...


def _edition_order(node) -> tuple:
    published = node.published
    return (node.year or 0, published.toordinal() if published else _MIN_ORDINAL)


def later_editions(node, editions: Iterable) -> list:
    """The editions among `editions` (those of `node`'s work) later than `node`: a later year,
    or the same year published later; supplements aside."""
    mine = _edition_order(node)
    return [
        e
        for e in editions
        if not e.is_supplement and e.canonical != node.canonical and _edition_order(e) > mine
    ]


def follow_chain(
    start: N,
    successors_of: Callable[[N], Iterable[N]],
    status_of: Callable[[N], str],
    in_force_on: Callable[[N, dt.date], bool],
    day: dt.date,
    *,
    editions_of: Callable[[N], Iterable[N]] | None = None,
    limit: int = MAX_CHAIN,
) -> Chain[N]:
    """Follow "replaced by" from `start` (see the module for the rule), at most `limit` long.

    successors_of(node): the documents that replace it (for a supplement, also those replacing
    its edition); status_of(node): its status on `day`; in_force_on(node, day): whether it is
    in force on `day`; editions_of(node): the editions of its work (for a later edition when
    nothing is recorded to replace it).
    """
    nodes = [start]
    by_edition: list[N] = []
    seen = {start.canonical}
    node = start
    upcoming = None

    def preference(candidate: N) -> tuple:
        published = candidate.published
        return (
            not in_force_on(candidate, day),
            status_rank(status_of(candidate)),
            -(published.toordinal() if published else _MIN_ORDINAL),
            candidate.canonical,
        )

    while len(nodes) < limit:
        candidates = [
            s
            for s in successors_of(node)
            if s.canonical not in seen and status_of(s) not in UNPUBLISHED
        ]
        inferred = False
        if (
            not candidates
            and editions_of is not None
            and status_of(node) in (SUPERSEDED, WITHDRAWN)
        ):
            candidates = [
                s
                for s in later_editions(node, editions_of(node))
                if s.canonical not in seen and status_of(s) not in UNPUBLISHED
            ]
            inferred = True
        if not candidates:
            break
        best = min(candidates, key=preference)
        if not in_force_on(best, day):
            status = status_of(node)
            if status == CURRENT:
                upcoming = best
                break
            if status not in (SUPERSEDED, WITHDRAWN):
                break
        nodes.append(best)
        if inferred:
            by_edition.append(best)
        seen.add(best.canonical)
        node = best
    return Chain(nodes, upcoming, by_edition)
