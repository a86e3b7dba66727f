"""The database backend `stdplus.core.sqlite`: Django's SQLite backend whose writers announce
that they wait for the write lock (see the package's docstring)."""

from __future__ import annotations

import sqlite3

from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper
from django.db.backends.sqlite3.base import SQLiteCursorWrapper

from . import marker_path, wanted_announce

# Statements that take the write lock when run outside a transaction: Django's BEGIN IMMEDIATE
# of an atomic block, and a single write in autocommit (Model.save, QuerySet.update).
_WRITES = ("BEGIN", "INSERT", "UPDATE", "DELETE", "REPLACE")


def _busy(error: sqlite3.OperationalError) -> bool:
    return "database is locked" in str(error)


class CursorWrapper(SQLiteCursorWrapper):
    marker: str | None = None
    busy_ms: int = 5000

    def execute(self, query, params=None):
        raw = self.connection
        # (Only the statement's first word is looked at, not a copy of the whole text: this runs
        # for every read too.)
        if (
            self.marker is None
            or raw.in_transaction
            or not query[:8].lstrip().upper().startswith(_WRITES)
        ):
            return super().execute(query, params)
        # First without waiting; if the lock is taken, say so, then wait as usual. A statement
        # refused for a busy lock did nothing, so running it again is safe.
        raw.execute("PRAGMA busy_timeout=0")
        try:
            return super().execute(query, params)
        except sqlite3.OperationalError as error:
            if not _busy(error):
                raise
        finally:
            raw.execute(f"PRAGMA busy_timeout={self.busy_ms}")
        wanted_announce(self.marker)
        return super().execute(query, params)


class DatabaseWrapper(SQLiteDatabaseWrapper):
    _marker: str | None = None
    _busy_ms = 5000

    def get_new_connection(self, conn_params):
        # Worked out once per connection (the test runner renames the database before it connects).
        self._marker = marker_path(self.settings_dict["NAME"])
        self._busy_ms = int(float(conn_params.get("timeout", 5)) * 1000)
        return super().get_new_connection(conn_params)

    def create_cursor(self, name=None):
        cursor = self.connection.cursor(factory=CursorWrapper)
        if self._marker is not None:
            cursor.marker = self._marker
            cursor.busy_ms = self._busy_ms
        return cursor
