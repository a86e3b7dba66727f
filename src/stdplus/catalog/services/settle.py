"""Bringing derived data up to date after a write: statuses, then the hook's listeners.

Step 5 of the write path. A write records the keys it touched (`pending_record`) in its own
transaction, a PendingChange row of up to `STEP` keys each; `changes_settle` then works
through them in short transactions of one row or, while the steps go quickly, a few rows of one
write together (state.StepSizer, up to STEP_RECORDS_MOST): derive their status again
(statuses.py), tell the listeners of STANDARDS_CHANGED (hooks.py), and remove the keys it
settled. On SQLite each transaction holds the database's one write lock, so settling in short
steps, with a short pause between them, lets the writes of other people (a login, a saved
check) in between; a whole import's worth of settling in one transaction made them wait for
half a minute and fail. A process killed while settling leaves the rest of the keys
recorded: the next write (or `stdplus import`) settles them.

On SQLite a step first reads without the lock (`_step_read_first`: the standards and
relations that decide the statuses, and what the listeners that have a reading half need),
noting `PRAGMA data_version`; inside the lock it only writes, if no other connection committed
in between (else it reads again there, as before). The lock is then held for the writes alone,
and the reads between two steps leave it free: a pause is only topped up to its length
(`Pacer.gap_fill`). On PostgreSQL each step reads and writes in its transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from itertools import takewhile

from django.db import connection, transaction

from stdplus.catalog.models import PendingChange, Standard
from stdplus.core.batching import batches
from stdplus.core.bulk import PreparedRows, rows_insert, rows_prepare

from .hooks import STANDARDS_CHANGED
from .state import PAUSE, Pacer, StepSizer, StepTimes
from .statuses import StatusPlan, statuses_plan, statuses_write

STEP = 1000  # keys per PendingChange row: a settling transaction takes one row at first
STEP_RECORDS_MOST = 4  # and, as the steps go quickly, up to this many (state.StepSizer)


def pending_prepare(
    keys: Iterable[str],
    *,
    source: str,
    run_id: int | None = None,
    created: Collection[str] = frozenset(),
    changed: Collection[str] = frozenset(),
) -> PreparedRows:
    """The rows that record the catalog keys whose derived data must follow a write: `keys`
    get their status derived again; `created` (made by the write) get no status event;
    `changed` (created, or a field or class changed) and those whose status changes are
    sent to the listeners."""
    rows = (
        (
            keys_step,
            [key for key in keys_step if key in created],
            [key for key in keys_step if key in changed],
            run_id,
            source,
        )
        for keys_step in batches(sorted(set(keys) | set(changed)), STEP)
    )
    columns = ("keys", "created", "changed", "import_run", "source")
    return rows_prepare(PendingChange, columns, rows)


def pending_record(keys: Iterable[str], *, source: str, changed: Collection[str]) -> int:
    """Record, in the caller's transaction, keys whose derived data must follow."""
    return rows_insert(pending_prepare(keys, source=source, changed=changed))


@dataclass
class Settled:
    status_changes: int = 0  # standards whose status changed
    events: int = 0  # status change events written
    times: StepTimes = field(default_factory=StepTimes)  # the settling transactions


@dataclass
class _Step:
    """One settling step worked out: the statuses to write, then the listeners' writes."""

    pending_pks: list[int]
    version: int | None  # SQLite's data_version when its reads began (None: read in the lock)
    statuses: StatusPlan
    listeners: Callable[[], None]


def _data_version() -> int:
    """SQLite's count of other connections' commits, as this connection sees it."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA data_version")
        return cursor.fetchone()[0]


def _pending_first(records: int, *, lock: bool = False) -> list[PendingChange]:
    """The first `records` PendingChange rows of one write (the same source and run), which
    one step settles together; `lock`: those no other settler holds, locked (PostgreSQL)."""
    rows = PendingChange.objects.order_by("pk")
    if lock:
        rows = rows.select_for_update(skip_locked=True)
    first = list(rows[:records])
    if not first:
        return []
    write = (first[0].source, first[0].import_run_id)
    return list(takewhile(lambda pending: (pending.source, pending.import_run_id) == write, first))


def _step_prepare(pendings: list[PendingChange], version: int | None = None) -> _Step:
    """Read what settling `pendings` writes: their statuses, and the listeners' reading
    halves."""
    first = pendings[0]
    statuses = statuses_plan(
        list(dict.fromkeys(key for pending in pendings for key in pending.keys)),
        source=first.source,
        run_id=first.import_run_id,
        created_keys={key for pending in pendings for key in pending.created},
    )
    changed = statuses.ids()
    changed_keys = list(dict.fromkeys(key for pending in pendings for key in pending.changed))
    for key_batch in batches(changed_keys):
        changed.update(
            Standard.objects.filter(canonical__among=key_batch).values_list("pk", flat=True)
        )
    # listeners: see hooks.py (search.index, declarations.recheck)
    listeners = STANDARDS_CHANGED.prepare(changed, statuses=statuses.status_of())
    return _Step([pending.pk for pending in pendings], version, statuses, listeners)


def _step_read_first(records: int) -> _Step | None:
    """SQLite: read the next step before taking the write lock, so that the lock is held for
    its writes only (and the pauses between steps, which follow the time the lock is held,
    shrink with it). Kept only if no other connection commits before the lock is taken."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return None
    version = _data_version()
    pendings = _pending_first(records)
    return _step_prepare(pendings, version) if pendings else None


def changes_settle(*, progress=None, pause: float = PAUSE) -> Settled:
    """Settle every recorded key, a step (one or a few PendingChange rows) at a time."""
    settled = Settled()
    done = 0
    total = None
    pacer = Pacer(pause)
    sizer = StepSizer(1, STEP_RECORDS_MOST)
    while True:
        step = _step_read_first(sizer.next)
        pacer.gap_fill()  # the reads left the lock free: a pause's rest, if one is due
        with transaction.atomic():  # SQLite: BEGIN IMMEDIATE, the write lock from here
            started = time.perf_counter()
            pendings = _pending_first(sizer.next, lock=True)
            if not pendings:
                settled.times.paused += pacer.paused
                return settled
            pks = [pending.pk for pending in pendings]
            if step is None or step.pending_pks != pks or step.version != _data_version():
                step = _step_prepare(pendings)  # someone wrote in between: read again, locked
            changed, events = statuses_write(step.statuses)
            settled.status_changes += len(changed)
            settled.events += events
            step.listeners()
            PendingChange.objects.filter(pk__in=pks).delete()
        held = time.perf_counter() - started
        settled.times.add(held, "settle")
        sizer.observe(held)
        done += sum(len(pending.keys) for pending in pendings)
        if progress:
            if total is None:
                total = done + STEP * PendingChange.objects.count()
            progress("settling", done, max(total, done))
        pacer.step_done(started, wait=False)
