"""Long lists in batches: keys for `IN (...)` lookups and rows for bulk writes.

SQLite binds at most 32,766 parameters in one statement (999 in old builds); PostgreSQL takes
more, and there fewer, larger lookups are much faster.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.db import connection


def lookup_size() -> int:
    """Keys per `IN (...)` lookup on the current database."""
    return 5000 if connection.vendor == "postgresql" else 900


def batches(items: Sequence, size: int | None = None) -> Iterator[list]:
    """`items` in consecutive lists of `size` (default: `lookup_size()`)."""
    size = size or lookup_size()
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
