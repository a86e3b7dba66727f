"""Deriving the status of standards again after their records or relations changed.

Step 3 of the write path: reads the standards and the replacements that decide their status,
applies the one rule (`stdplus.catalog.status.derive_status`), writes the statuses that
changed and one change event for each standard that existed before the write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db import transaction

from stdplus.catalog.choices import EventKind, RelationType
from stdplus.catalog.models import Relation, Standard
from stdplus.catalog.status import Successor, derive_status
from stdplus.core.batching import batches
from stdplus.core.dates import today as today_date

from .events import event_row, events_insert
from .hooks import STANDARDS_CHANGED

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
    found: dict[str, list[Successor]] = {}
    replacing = Relation.objects.filter(type=RelationType.REPLACES, from_standard__isnull=False)
    for key_batch in [None] if keys is None else batches(keys):
        subset = replacing if key_batch is None else replacing.filter(to_key__among=key_batch)
        rows = subset.values_list(
            "to_key",
            "from_standard__base_status",
            "from_standard__effective",
            "from_standard__published",
            "from_standard__is_supplement",
        )
        for to_key, base, effective, published, supplement in rows:
            found.setdefault(to_key, []).append(Successor(base, effective or published, supplement))
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
        is_supplement=row["is_supplement"],
    )


def _rows_depending_on(keys: set[str]) -> list[dict]:
    """The standards these keys name, those they replace, and the supplements of all of them."""
    keys = set(keys)
    for key_batch in batches(list(keys)):
        keys.update(
            Relation.objects.filter(
                type=RelationType.REPLACES, from_key__among=key_batch
            ).values_list("to_key", flat=True)
        )
    for key_batch in batches(list(keys)):
        keys.update(
            Standard.objects.filter(edition_key__among=key_batch, is_supplement=True).values_list(
                "canonical", flat=True
            )
        )
    rows: list[dict] = []
    for key_batch in batches(sorted(keys)):
        rows.extend(Standard.objects.filter(canonical__among=key_batch).values(*FIELDS))
    return rows


@dataclass
class StatusPlan:
    """The statuses that change, worked out from the catalog as read (nothing written yet)."""

    changed: dict[str, list[int]] = field(default_factory=dict)  # new status: ids
    events: list[tuple] = field(default_factory=list)  # event rows (`events.event_row`)

    def status_of(self) -> dict[int, str]:
        """The new status of each standard whose status changes."""
        return {pk: status for status, ids in self.changed.items() for pk in ids}

    def ids(self) -> set[int]:
        return {pk for ids in self.changed.values() for pk in ids}


def statuses_plan(
    keys: Collection[str] | None,
    *,
    source: str,
    run_id: int | None = None,
    created_keys: Collection[str] = frozenset(),
    day: dt.date | None = None,
) -> StatusPlan:
    """Work out the status of the standards that depend on `keys` (None: all), reading only:
    which change, and the event of each that existed before the write (none for a standard
    created by the same write: its `created` event says it)."""
    day = day or today_date()
    if keys is None:
        rows = list(Standard.objects.values(*FIELDS))
        successors = successors_by_key(None)
    else:
        rows = _rows_depending_on(set(keys))
        needed = {r["canonical"] for r in rows} | {
            r["edition_key"] for r in rows if r["is_supplement"]
        }
        successors = successors_by_key(sorted(needed))
    plan = StatusPlan()
    for row in rows:
        status = status_for(row, successors, day)
        if status == row["status"]:
            continue
        plan.changed.setdefault(status, []).append(row["pk"])
        if row["canonical"] not in created_keys:
            plan.events.append(
                event_row(
                    row["pk"],
                    EventKind.STATUS,
                    "status",
                    row["status"],
                    status,
                    source=source,
                    run_id=run_id,
                )
            )
    return plan


def statuses_write(plan: StatusPlan) -> tuple[set[int], int]:
    """Write a plan's statuses and events, in the caller's transaction. Returns the ids whose
    status changed and the number of events written."""
    for status, ids in plan.changed.items():
        for id_batch in batches(ids):
            Standard.objects.filter(pk__among=id_batch).update(status=status)
    return plan.ids(), events_insert(plan.events)


def statuses_derive(
    keys: Collection[str] | None,
    *,
    source: str,
    run_id: int | None = None,
    created_keys: Collection[str] = frozenset(),
    day: dt.date | None = None,
) -> tuple[set[int], int]:
    """Derive and write the status of the standards that depend on `keys` (None: all).

    Runs in the caller's transaction. Returns the ids whose status changed and the number of
    events written (none for a standard created by the same write: its `created` event says it).
    """
    plan = statuses_plan(keys, source=source, run_id=run_id, created_keys=created_keys, day=day)
    return statuses_write(plan)


def statuses_recompute(
    *, canonicals: set[str] | None, source: str = "", day: dt.date | None = None
) -> int:
    """Derive the status again for these standards (None: the whole catalog), record the
    changes and tell the listeners; one transaction. Returns how many changed status.

    For the daily run (`stdplus recompute_status`: an upcoming standard becomes current on its
    effective date) and for tests; writes of records settle through `settle.changes_settle`.
    """
    with transaction.atomic():
        changed, _events = statuses_derive(canonicals, source=source, day=day)
        STANDARDS_CHANGED.send(
            changed
        )  # listeners: see hooks.py (search.index, declarations.recheck)
    return len(changed)
