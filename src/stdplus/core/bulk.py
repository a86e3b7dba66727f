"""Fast bulk inserts for imports: `executemany` on SQLite, `COPY` on PostgreSQL.

Django's `bulk_create` compiles SQL per row and, on SQLite, splits batches to stay under 999
parameters; for the hundreds of thousands of rows of an import that costs more than the
database work itself. This helper prepares each column's converter once and lets the driver
send the rows (psycopg pipelines them). Rows are converted first (`rows_prepare`, no
transaction needed) and inserted later (`rows_insert`, in the caller's transaction), so a
writer can keep its time inside the write lock to the inserts themselves.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, models
from django.utils import timezone

# One encoder for every value: json.dumps with options builds a new encoder on each call.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _json(value):
    if value is None:
        return None
    if not value and isinstance(value, list | dict):
        return "[]" if isinstance(value, list) else "{}"
    return _encode(value)


def _converter(field: models.Field) -> Callable | None:
    if isinstance(field, models.JSONField):
        return _json
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    return None


@dataclass
class PreparedRows:
    """Rows converted for the database and the statement that inserts them, ready to run."""

    table: str
    columns: list[str]  # database column names
    rows: list[tuple]
    sql: str
    ignore_conflicts: bool


def rows_prepare(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    ignore_conflicts: bool = False,
) -> PreparedRows:
    """Convert rows (tuples in the order of `columns`, which are field names) for an insert.

    Every other concrete field gets what the ORM would give it: `auto_now`/`auto_now_add` fields
    now, others their default (a callable default is called per row), so a field added to a
    model later does not break existing callers. Needs no transaction: writers prepare their
    rows before they take the write lock and only run them inside it (`rows_insert`).
    """
    table, names, sql, convert = _insert_plan(model, columns, ignore_conflicts)
    return PreparedRows(table, names, [convert(row) for row in rows], sql, ignore_conflicts)


def _insert_plan(
    model: type[models.Model], columns: Sequence[str], ignore_conflicts: bool
) -> tuple[str, list[str], str, Callable[[Sequence], tuple]]:
    """(table, database columns, INSERT statement, the function that converts one row)."""
    meta = model._meta
    named = {meta.get_field(name).name for name in columns}
    fields = [meta.get_field(name) for name in columns]
    now = timezone.now()
    filled = [
        f
        for f in meta.concrete_fields
        if f.name not in named and not (f.primary_key and f.auto_created or f is meta.auto_field)
    ]
    fields += filled
    converters = [_converter(f) for f in fields]

    def filler(field: models.Field) -> Callable[[], object]:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            stamp = connection.ops.adapt_datetimefield_value(now)
            return lambda: stamp
        if field.has_default() and callable(field.default):
            convert = _converter(field)
            return lambda: convert(field.get_default()) if convert else field.get_default()
        value = field.get_default()
        convert = _converter(field)
        value = convert(value) if convert else value
        return lambda: value

    fillers = [filler(f) for f in filled]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({}){}".format(
        quote(meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
        " ON CONFLICT DO NOTHING" if ignore_conflicts else "",
    )
    converted = [(i, c) for i, c in enumerate(converters[: len(columns)]) if c is not None]

    def convert_row(row: Sequence) -> tuple:
        out = list(row)
        for index, convert in converted:
            out[index] = convert(out[index])
        return (*out, *(fill() for fill in fillers))

    return meta.db_table, [f.column for f in fields], sql, convert_row


def rows_insert(prepared: PreparedRows, *, batch_size: int = 5000) -> int:
    """Insert prepared rows in the caller's transaction; returns the count."""
    if not prepared.rows:
        return 0
    if connection.vendor == "postgresql":
        return _copy_rows(
            prepared.table,
            prepared.columns,
            prepared.rows,
            ignore_conflicts=prepared.ignore_conflicts,
        )
    with connection.cursor() as cursor:
        for start in range(0, len(prepared.rows), batch_size):
            cursor.executemany(prepared.sql, prepared.rows[start : start + batch_size])
    return len(prepared.rows)


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    ignore_conflicts: bool = False,
    batch_size: int = 5000,
) -> int:
    """Prepare and insert rows at once (see `rows_prepare`); returns the count.

    On PostgreSQL the rows are converted as COPY sends them: `rows` may be an iterator that
    builds each row when it is asked for, and the server stores the rows already sent while
    the next are built."""
    if isinstance(rows, Sequence) and not rows:
        return 0
    if connection.vendor == "postgresql":
        table, names, _sql, convert = _insert_plan(model, columns, ignore_conflicts)
        return _copy_rows(table, names, map(convert, rows), ignore_conflicts=ignore_conflicts)
    prepared = rows_prepare(model, columns, rows, ignore_conflicts=ignore_conflicts)
    return rows_insert(prepared, batch_size=batch_size)


def _copy_rows(
    table: str, columns: list[str], rows: Iterable[tuple], *, ignore_conflicts: bool
) -> int:
    """PostgreSQL: COPY the rows in; through a temporary table when conflicts are ignored."""
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(c) for c in columns)
    target = quote(table)
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg cursor
        into = target
        if ignore_conflicts:
            into = quote(f"_copy_{table}")
            cursor.execute(f"DROP TABLE IF EXISTS {into}")
            cursor.execute(
                f"CREATE TEMP TABLE {into} AS SELECT {column_list} FROM {target} WITH NO DATA"
            )
        count = 0
        with cursor.copy(f"COPY {into} ({column_list}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        if ignore_conflicts:
            cursor.execute(
                f"INSERT INTO {target} ({column_list}) SELECT {column_list} FROM {into} "
                "ON CONFLICT DO NOTHING"
            )
            cursor.execute(f"DROP TABLE {into}")
    return count
