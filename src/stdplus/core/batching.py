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


# Fields whose database value is the Python value itself for a text or an integer: their keys
# go as they are (preparing a hundred thousand keys through the field, one by one, took seconds
# of an import).
_PLAIN = {
    "CharField": str,
    "TextField": str,
    "SlugField": str,
    "AutoField": int,
    "BigAutoField": int,
    "IntegerField": int,
    "BigIntegerField": int,
    "SmallIntegerField": int,
    "PositiveIntegerField": int,
    "PositiveSmallIntegerField": int,
    "PositiveBigIntegerField": int,
}


def _db_values(field, values: list, connection) -> list:
    """The values as the database takes them: unchanged where they already are (texts for a
    text field, integers for an integer one, a foreign key's too), else through the field."""
    target = field.target_field if field.is_relation else field
    plain = _PLAIN.get(target.get_internal_type())
    if plain is not None and all(type(v) is plain for v in values):
        return values if isinstance(values, list) else list(values)
    return [field.get_db_prep_value(v, connection, prepared=False) for v in values]


def pg_array(values: list) -> tuple[str, str] | None:
    """PostgreSQL: a list of texts or of integers as the text of an array and its type (the
    driver's own conversion looks at every element in Python, four times slower), or None
    for other values (and for none: the column's type is not known here)."""
    if not values:
        return None
    if all(type(v) is int for v in values):
        return "bigint[]", "{" + ",".join(map(str, values)) + "}"
    if all(type(v) is str for v in values):
        quoted = (v.replace("\\", "\\\\").replace('"', '\\"') for v in values)
        return "text[]", "{" + ",".join(f'"{v}"' for v in quoted) + "}"
    return None


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
        values = _db_values(self.lhs.output_field, self.rhs, connection)
        condition, value = among_sql(lhs, values, vendor=connection.vendor)
        return condition, [*params, value]


def among_sql(
    column: str, values: Sequence, *, vendor: str = "", partitioned: bool = False
) -> tuple[str, object]:
    """`among` in hand-written SQL: (the condition "column is one of the values", its one
    parameter). `vendor`: the database's (default: the current connection's). `partitioned`:
    the column is a PostgreSQL table's partition key; there `column = ANY(array)` looks every
    value up in every partition that holds any of them (2,000 keys over 24 ranges: 48 ms),
    while a join with the values looks each up in its own partition only (14 ms)."""
    values = values if isinstance(values, list) else list(values)
    if (vendor or connection.vendor) == "postgresql":
        literal = pg_array(values)
        if literal is not None:
            if partitioned:
                return f"{column} IN (SELECT unnest(%s::{literal[0]}))", literal[1]
            return f"{column} = ANY(%s::{literal[0]})", literal[1]
        if partitioned:
            return f"{column} IN (SELECT unnest(%s))", values
        return f"{column} = ANY(%s)", values
    return f"{column} IN (SELECT value FROM json_each(%s))", json.dumps(values, ensure_ascii=False)
