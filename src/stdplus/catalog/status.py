"""Deriving the one common status from a source's own status, the dates and the relations.

Pure functions: no database access, so the same rules serve the importer, the recompute pass
and "as of a date" questions.

The rules, in order:
0. A project that never became a standard (ISO substage .98, project deleted; a source's
   "cancelled") is `cancelled`. It is not `withdrawn`: nothing published was taken back.
1. A document still in development (ISO stages 00-50 and 60.00, cancelled projects aside) is
   `development`.
2. A document replaced by another document that is in force (published, and effective on the
   day asked) is `superseded`. Drafts and cancelled projects never supersede anything, and a
   supplement (amendment, corrigendum) does not replace a standard: only a standard does.
3. A document its source calls withdrawn, abolished or replaced is `superseded` when a successor
   is known, else `withdrawn`.
   A withdrawal dated after the day asked does not count yet.
4. A published document whose effective date is still ahead is `upcoming`; one whose
   publication date is still ahead is still in `development`.
5. Otherwise it is `current`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

DEVELOPMENT = "development"
UPCOMING = "upcoming"
CURRENT = "current"
SUPERSEDED = "superseded"
WITHDRAWN = "withdrawn"
CANCELLED = "cancelled"
# Statuses of documents that were never published (and so never replace anything).
UNPUBLISHED = frozenset({DEVELOPMENT, CANCELLED})

# The one order of statuses by preference, for a reader who wants the document to use: in
# force, about to be, replaced (a successor exists), gone, not yet published, never to be. The
# replacement chain chooses among successors by it; the search ranks by it with one exception,
# explained beside `stdplus.search.indexing.STATUS_RANK`.
STATUS_ORDER = (CURRENT, UPCOMING, SUPERSEDED, WITHDRAWN, DEVELOPMENT, CANCELLED)
_STATUS_RANK = {status: rank for rank, status in enumerate(STATUS_ORDER)}


def status_rank(status: str) -> int:
    """The place of a status in `STATUS_ORDER` (an unknown word last)."""
    return _STATUS_RANK.get(status, len(STATUS_ORDER))


# The status words the sources use (already normalised in shared/data, or as printed on the
# Chinese platforms), mapped to the status the source alone implies.
SOURCE_WORDS = {
    "current": CURRENT,
    "published": CURRENT,
    "activated": CURRENT,
    "valid": CURRENT,
    "in force": CURRENT,
    "现行": CURRENT,
    "现行有效": CURRENT,
    "upcoming": UPCOMING,
    "即将实施": UPCOMING,
    "withdrawn": WITHDRAWN,
    "withdrawal": WITHDRAWN,
    "obsoleted": WITHDRAWN,
    "abolished": WITHDRAWN,
    "cancelled": CANCELLED,
    "deleted": CANCELLED,
    "historic": WITHDRAWN,
    "废止": WITHDRAWN,
    "作废": WITHDRAWN,
    "superseded": SUPERSEDED,
    "replaced": SUPERSEDED,
    "revised": SUPERSEDED,
    "被代替": SUPERSEDED,
    "有更新版": SUPERSEDED,
    "under_development": DEVELOPMENT,
    "under_publication": DEVELOPMENT,
    "development": DEVELOPMENT,
    "draft": DEVELOPMENT,
    "征求意见": DEVELOPMENT,
    "起草中": DEVELOPMENT,
}


def status_from_stage(stage: str) -> str | None:
    """ISO harmonized stage code (`60.60`, `95.99`) to a status, or None if not a stage code."""
    try:
        major_text, _, minor_text = stage.partition(".")
        major, minor = int(major_text), int(minor_text or 0)
    except ValueError:
        return None
    if minor == 98:  # project deleted: it never became a standard
        return CANCELLED
    if major < 60 or (major == 60 and minor < 60):
        return DEVELOPMENT
    if major == 95 and minor == 99:
        return WITHDRAWN
    return CURRENT  # 60.60, every 90.xx, 95.20 and 95.60 (withdrawal under way)


def base_status(word: str, stage: str = "") -> str:
    """What the source alone says: stage code first where there is one, then the status word."""
    if stage:
        from_stage = status_from_stage(stage)
        if from_stage:
            return from_stage
    word = word.strip().lower()
    if word in SOURCE_WORDS:
        return SOURCE_WORDS[word]
    if word.startswith(("withdraw", "obsolete", "abolish")):
        return WITHDRAWN
    return CURRENT  # a published record whose source gives no (or an unknown) status word


@dataclass(frozen=True, slots=True)
class Successor:
    """A document that replaces the one being judged."""

    base_status: str
    in_force_from: dt.date | None  # effective date, else publication date
    supplement: bool = False  # an amendment or corrigendum, which replaces no standard


def in_force_on(successor: Successor, day: dt.date) -> bool:
    if successor.base_status in UNPUBLISHED:
        return False
    return successor.in_force_from is None or successor.in_force_from <= day


def derive_status(
    base: str,
    *,
    effective: dt.date | None,
    published: dt.date | None,
    withdrawn: dt.date | None = None,
    successors: Iterable[Successor],
    today: dt.date,
    is_supplement: bool = False,
) -> str:
    if base == CANCELLED:
        return CANCELLED
    # What can replace this document: published documents; for a standard, not a supplement.
    successors = [
        s
        for s in successors
        if s.base_status not in UNPUBLISHED and (is_supplement or not s.supplement)
    ]
    if base == DEVELOPMENT:
        return DEVELOPMENT
    if published is not None and published > today:
        return DEVELOPMENT  # not yet published on the day asked
    if any(in_force_on(s, today) for s in successors):
        return SUPERSEDED
    if base in (WITHDRAWN, SUPERSEDED):
        if withdrawn is not None and withdrawn > today:
            # Withdrawn later than the day asked: on that day it was still in force.
            return UPCOMING if effective is not None and effective > today else CURRENT
        return SUPERSEDED if successors else WITHDRAWN
    if effective is not None:
        return UPCOMING if effective > today else CURRENT
    if base == UPCOMING:
        return UPCOMING
    return CURRENT
