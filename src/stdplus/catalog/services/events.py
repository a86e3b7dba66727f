"""Change events: one immutable row per change to a standard (history, audit log, alerts).

Step 2 of the write path: every writer builds its events with `event_row` and inserts them
with `events_insert`, in its own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from stdplus.catalog.models import ChangeEvent
from stdplus.core.bulk import insert_rows

EVENT_COLUMNS = ("standard", "kind", "field", "old_value", "new_value", "source", "import_run")


def jsonable(value):
    """A field value as an event stores it (dates as ISO text)."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def event_row(
    standard_id: int, kind: Any, field: str, old, new, *, source: str, run_id: int | None
) -> tuple:
    """One event, in the order of EVENT_COLUMNS (`kind`: an EventKind)."""
    return (standard_id, kind, field, jsonable(old), jsonable(new), source, run_id)


def events_insert(rows: Iterable[tuple]) -> int:
    """Insert events in bulk (tuples from `event_row`); returns how many."""
    return insert_rows(ChangeEvent, EVENT_COLUMNS, rows)
