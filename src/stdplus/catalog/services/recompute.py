"""Recomputing the derived status of standards after their records or relations changed."""

from __future__ import annotations

import datetime as dt

from stdplus.catalog.choices import EventKind, RelationType
from stdplus.catalog.models import Relation, Standard
from stdplus.catalog.status import Successor, derive_status
from stdplus.core.dates import today as today_date

from .changes import standards_changed

FIELDS = (
    "pk",
    "canonical",
    "status",
    "base_status",
    "effective",
    "published",
    "withdrawn",
    "is_supplement",
    "edition_key",
)


def successors_by_key(keys: list[str] | None) -> dict[str, list[Successor]]:
    """For each key (None: every key), the documents in the catalog that replace it."""
    from .imports import chunks

    found: dict[str, list[Successor]] = {}
    replacing = Relation.objects.filter(type=RelationType.REPLACES, from_standard__isnull=False)
    for key_chunk in [None] if keys is None else chunks(keys):
        subset = replacing if key_chunk is None else replacing.filter(to_key__in=key_chunk)
        rows = subset.values_list(
            "to_key",
            "from_standard__base_status",
            "from_standard__effective",
            "from_standard__published",
        )
        for to_key, base, effective, published in rows:
            found.setdefault(to_key, []).append(Successor(base, effective or published))
    return found


def status_for(row: dict, successors: dict[str, list[Successor]], day: dt.date) -> str:
    """The derived status of one standard row; a supplement shares its edition's successors."""
    known = list(successors.get(row["canonical"], ()))
    if row["is_supplement"]:
        known += successors.get(row["edition_key"], ())
    return derive_status(
        row["base_status"],
        effective=row["effective"],
        published=row["published"],
        withdrawn=row["withdrawn"],
        successors=known,
        today=day,
    )


def statuses_recompute(
    *,
    canonicals: set[str] | None,
    run=None,
    source: str = "",
    created_ids: set[int] | frozenset[int] = frozenset(),
    result=None,
    progress=None,
    day: dt.date | None = None,
) -> int:
    """Derive the status again for these standards (None: the whole catalog).

    Standards replaced by one of them, and supplements of their editions, are included, since
    their status depends on these. A change of status on a standard that existed before is
    recorded as a change event. Returns how many standards changed status.
    """
    from .imports import chunks, events_insert

    day = day or today_date()
    if canonicals is None:
        rows = list(Standard.objects.values(*FIELDS))
    else:
        keys = set(canonicals)
        key_list = list(keys)
        for key_chunk in chunks(key_list):
            keys.update(
                Relation.objects.filter(
                    type=RelationType.REPLACES, from_key__in=key_chunk
                ).values_list("to_key", flat=True)
            )
        key_list = list(keys)
        for key_chunk in chunks(key_list):
            keys.update(
                Standard.objects.filter(edition_key__in=key_chunk, is_supplement=True).values_list(
                    "canonical", flat=True
                )
            )
        rows = []
        for key_chunk in chunks(list(keys)):
            rows.extend(Standard.objects.filter(canonical__in=key_chunk).values(*FIELDS))
    if canonicals is None:
        successors = successors_by_key(None)
    else:
        successors = successors_by_key(
            list(
                {r["canonical"] for r in rows}
                | {r["edition_key"] for r in rows if r["is_supplement"]}
            )
        )
    changed: dict[str, list[int]] = {}
    events = []
    for row in rows:
        status = status_for(row, successors, day)
        if status == row["status"]:
            continue
        changed.setdefault(status, []).append(row["pk"])
        if row["pk"] not in created_ids:
            events.append(
                (
                    row["pk"],
                    EventKind.STATUS,
                    "status",
                    row["status"],
                    status,
                    source,
                    run.pk if run else None,
                )
            )
    for status, ids in changed.items():
        for id_chunk in chunks(ids):
            Standard.objects.filter(pk__in=id_chunk).update(status=status)
    standards_changed(pk for ids in changed.values() for pk in ids)
    events_insert(events)
    if result is not None:
        result.events += len(events)
    if progress:
        progress("status", len(rows), len(rows))
    return sum(len(ids) for ids in changed.values())
