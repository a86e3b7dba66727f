"""SQLite as stdplus uses it: Django's backend, with writers that say when they wait.

SQLite has one write lock and no queue for it: a writer that finds it taken sleeps and tries
again (every 0.1 s at most, until the busy timeout). A long import therefore works in short
transactions and pauses between them so that such a writer gets in (catalog.services.state.Pacer).
Pausing when nobody waits only slows the import, so a writer of this backend that finds the lock
taken says so first: it touches a file beside the database (`<database>-wanted`), then waits as
before. The importer looks at that file's time after each step and pauses when it moved.

Use it as the ENGINE `stdplus.core.sqlite` (settings do when DATABASE_URL is a SQLite one).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

# The marker's time as this process last set it, by marker path: a process does not pause
# for its own waits.
_own: dict[str, int] = {}


def database_file(name: object) -> str | None:
    """The file of the SQLite database `name` (None for a database in memory or named by URI)."""
    text = str(name)
    if not text or text == ":memory:" or text.startswith("file:") or "mode=memory" in text:
        return None
    return text


def marker_path(name: object) -> str | None:
    """The marker file of the SQLite database `name` (None for a database in memory)."""
    file = database_file(name)
    return None if file is None else file + "-wanted"


def wanted_announce(path: str) -> None:
    """Say that a writer of this process is waiting for the write lock of the marker's database."""
    try:
        Path(path).touch()  # the file's time now (the file made if missing)
    except OSError:
        return  # a read-only folder: the importer pauses on its own clock instead
    with contextlib.suppress(OSError):
        _own[path] = os.stat(path).st_mtime_ns


def wanted_stamp(path: str | None) -> int | None:
    """The marker's time (None: no marker, or the last touch was this process's own)."""
    if path is None:
        return None
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError:
        return None
    return None if _own.get(path) == stamp else stamp
