"""Which edition of a work a lookup lands on, and which edition of a work is in force.

One rule for the standard's page (a work typed without a year opens its edition in force), its
JSON, `stdplus show`, the suggestions for an unknown identifier and the validity check (a line
naming a work is judged on the edition it lands on), over ORM rows or the check's nodes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TypeVar

from stdplus.catalog.status import CURRENT, UNPUBLISHED

_MIN_DATE = dt.date(1, 1, 1)


class EditionNode(Protocol):
    @property
    def canonical(self) -> str: ...

    @property
    def is_supplement(self) -> bool: ...

    @property
    def year(self) -> int | None: ...

    @property
    def published(self) -> dt.date | None: ...

    @property
    def effective(self) -> dt.date | None: ...


E = TypeVar("E", bound=EditionNode)


def _newest(edition: EditionNode) -> tuple:
    return (edition.year or 0, edition.published or _MIN_DATE, edition.canonical)


def edition_current(editions: Iterable[E], status_of: Callable[[E], str]) -> E | None:
    """The edition in force among the editions of a work (supplements aside), if any: of
    several, the one published (else effective) last."""
    in_force = [e for e in editions if not e.is_supplement and status_of(e) == CURRENT]
    if not in_force:
        return None
    return max(in_force, key=lambda e: (e.published or e.effective or _MIN_DATE, e.canonical))


def edition_landing(
    editions: Sequence[E],
    status_of: Callable[[E], str],
    *,
    wanted: Sequence[str] = (),
    year: int | None = None,
) -> E | None:
    """The edition a lookup lands on, among the documents of one work.

    In order: the first of `wanted` the work has (the identifier typed, then for an amendment
    not in the catalog its base edition); the newest edition of the `year` typed; the edition
    in force; the newest published edition (not a draft or cancelled project); the newest
    edition; the newest document.
    """
    if wanted:
        by_key = {e.canonical: e for e in editions}
        for key in wanted:
            if key in by_key:
                return by_key[key]
    bases = [e for e in editions if not e.is_supplement]
    if year is not None:
        same_year = [e for e in bases if e.year == year]
        if same_year:
            return max(same_year, key=_newest)
    current = edition_current(bases, status_of)
    if current is not None:
        return current
    published = [e for e in bases if status_of(e) not in UNPUBLISHED]
    for group in (published, bases, editions):
        if group:
            return max(group, key=_newest)
    return None
