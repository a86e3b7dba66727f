"""Long lists in batches: keys for `IN (...)` lookups and rows for bulk writes; and the
`among` lookup, which sends a long list of keys as one parameter.

SQLite binds at most 32,766 parameters in one statement (999 in old builds); PostgreSQL takes
more, and there fewer, larger lookups are much faster.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from django.db import connection
from django.db.models import Lookup


def lookup_size() -> int:
    """Keys per `IN (...)` lookup on the current database."""
    return 5000 if connection.vendor == "postgresql" else 900


def batches(items: Sequence, size: int | None = None) -> Iterator[list]:
    """`items` in consecutive lists of `size` (default: `lookup_size()`)."""
    size = size or lookup_size()
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


class Among(Lookup):
    """`field__among=values`: the field is one of many values (ids or texts), sent as ONE
    parameter: a JSON array read by `json_each` on SQLite, an array on PostgreSQL.

    `field__in=values` compiles one placeholder per value, each prepared by the field: for the
    thousands of keys of an import's lookups that costs more than the query. This lookup takes
    values as they are (they must be JSON-ready on SQLite: numbers and texts) and binds no
    more than one parameter, whatever their number. Registered on every field by
    `core.apps`."""

    lookup_name = "among"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if connection.vendor == "sqlite":
            return f"{lhs} IN (SELECT value FROM json_each(%s))", [*lhs_params, json.dumps(values)]
        return f"{lhs} = ANY(%s)", [*lhs_params, values]
