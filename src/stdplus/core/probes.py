"""Cheap probes a hot page makes before a read that usually finds nothing.

`any_row(CitedStandard, "standard_id", 42)` is one indexed `SELECT 1 ... LIMIT 1`, written as
SQL and run on the database the router reads the model from: compiling the ORM's query of the
same question costs about a millisecond, the database's answer a few microseconds. A standard's
page asks whether any enterprise declares it and whether any expert answered about it; most
standards have neither, and the page then makes no other read for them.
"""

from __future__ import annotations

from django.db import connections, router
from django.db.models import Model


def any_row(model: type[Model], field: str, value) -> bool:
    """Whether some row of `model` has `field` (a concrete field's name) equal to `value`."""
    connection = connections[router.db_for_read(model)]
    quote = connection.ops.quote_name
    column = model._meta.get_field(field).column
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {quote(model._meta.db_table)} WHERE {quote(column)} = %s LIMIT 1",
            [value],
        )
        return cursor.fetchone() is not None
