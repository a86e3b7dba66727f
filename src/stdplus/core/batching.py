"""Long lists in batches: keys for `IN (...)` lookups and rows for bulk writes; and `among`,
a lookup that sends a list of keys as one parameter.

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
    """`field__among=[...]`: the field's value is one of the list's, the list sent as one
    parameter however long it is (PostgreSQL `= ANY(%s)`, an array; SQLite `IN (SELECT value
    FROM json_each(%s))`, a JSON array), so one query reads any number of keys without
    batches, and the statement's text is the same for every list. For keys that JSON keeps
    as they are: integers and texts. Registered on every field (`core.apps`)."""

    lookup_name = "among"
    prepare_rhs = False

    def get_prep_lookup(self):
        if hasattr(self.rhs, "resolve_expression"):
            raise TypeError("`among` takes a list of values, not an expression.")
        return list(self.rhs)

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = [field.get_db_prep_value(v, connection, prepared=False) for v in self.rhs]
        condition, value = among_sql(lhs, values, vendor=connection.vendor)
        return condition, [*params, value]


def among_sql(column: str, values: Sequence, *, vendor: str = "") -> tuple[str, object]:
    """`among` in hand-written SQL: (the condition "column is one of the values", its one
    parameter). `vendor`: the database's (default: the current connection's)."""
    if (vendor or connection.vendor) == "postgresql":
        return f"{column} = ANY(%s)", list(values)
    return f"{column} IN (SELECT value FROM json_each(%s))", json.dumps(
        list(values), ensure_ascii=False
    )
