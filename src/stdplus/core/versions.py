"""A version of some tables' data, read in one query: what caches are keyed on.

`data_stamp((Session, "COUNT", "*"), (Session, "MAX", "updated_at"), ...)` is one SELECT of
scalar subqueries, one per (model, function, column), read from the database the models are read
from (a replica when the router sends reads there), so that a cached answer and the version it
is keyed on come from the same place. The stamp moves with every committed insert (COUNT, MAX of
the key) and every update that touches the column read.
"""

from __future__ import annotations

from django.db import connections, router
from django.db.models import Model

FUNCTIONS = ("COUNT", "MAX")


def data_stamp(*reads: tuple[type[Model], str, str]) -> str:
    if not reads:
        return ""
    connection = connections[router.db_for_read(reads[0][0])]
    quote = connection.ops.quote_name
    parts = []
    for model, function, column in reads:
        if function not in FUNCTIONS:
            raise ValueError(f"function must be one of {FUNCTIONS}")
        name = "*" if column == "*" else quote(model._meta.get_field(column).column)
        parts.append(f"(SELECT {function}({name}) FROM {quote(model._meta.db_table)})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    return ".".join("0" if value is None else str(value) for value in row)
