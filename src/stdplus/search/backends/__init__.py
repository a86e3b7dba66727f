"""One search interface, two backends: SQLite FTS5 and PostgreSQL full-text search.

A backend answers three questions about a `Match` (the query terms, the facet filters, the date
range): the keys of one page in rank order, how many documents match (up to a cap), and the
facet values of the first matches (up to a cap). The SQL differs; the tokens are the same.
"""

from __future__ import annotations

from django.db import connection

from .base import Backend, Match


def backend() -> Backend:
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    from .sqlite import SqliteBackend

    return SqliteBackend()


__all__ = ["Backend", "Match", "backend"]
