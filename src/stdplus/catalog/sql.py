"""The standard detail's reads, as plain SQL written once for SQLite and PostgreSQL.

The detail page and `GET /api/v1/standards/{id}` are the catalog's hottest reads. Building
these querysets with the ORM costs more than the database takes to answer them (compiling a
query over the 37 columns of a standard takes 0.2-0.4 ms, SQLite answers from its index in a
tenth of that), so they are written here as SQL once. `_read` runs one on the database the
router reads the model from and makes model instances with `Model.from_db`, converting each
column with the converters the ORM itself would apply (dates, JSON, booleans on SQLite), worked
out once per model, columns and connection (`Manager.raw()` works them out again for every
query, which cost as much as the rest of the request). `tests/catalog/test_sql.py` holds each
one equal to the ORM queryset it replaces, on SQLite and PostgreSQL.

The SQL is standard (no vendor syntax): a list argument becomes one `%s` per value. Nothing
is sorted in SQL; the selectors sort in Python.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Model

from .models import Classification, Relation, SourceFacts, Standard

# Table names as the models have them (fixed: apps label + model name), written out once so
# the SQL below reads as SQL.
_STANDARD = Standard._meta.db_table  # catalog_standard
_RELATION = Relation._meta.db_table  # catalog_relation
_CLASS = Classification._meta.db_table  # catalog_classification
_LINK = Standard.classifications.through._meta.db_table  # catalog_standard_classifications
_FACTS = SourceFacts._meta.db_table  # catalog_sourcefacts


M = TypeVar("M", bound=Model)

# {connection: {(model, columns): how to turn a row into a model instance}}
_PLANS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _plan(model: type[Model], columns: tuple[str, ...], connection) -> list[tuple[int, Any, list]]:
    """For each concrete field of `model`, in the order `from_db` takes them: the index of its
    column in `columns`, its column expression and the converters the ORM applies to it."""
    plans = _PLANS.setdefault(connection, {})
    plan = plans.get((model, columns))
    if plan is None:
        plan = []
        for field in model._meta.concrete_fields:
            col = field.get_col(model._meta.db_table)
            converters = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            plan.append((columns.index(field.column), col, converters))
        plans[(model, columns)] = plan
    return plan


def _read(model: type[M], sql: str, params: Sequence) -> list[M]:
    """The rows of `sql` (which selects every column of `model`'s table) as saved instances."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        columns = tuple(column[0] for column in cursor.description)
        rows = cursor.fetchall()
    if not rows:
        return []
    plan = _plan(model, columns, connection)
    names = [field.attname for field in model._meta.concrete_fields]
    found = []
    for row in rows:
        values = []
        for index, col, converters in plan:
            value = row[index]
            for convert in converters:
                value = convert(value, col, connection)
            values.append(value)
        found.append(model.from_db(alias, names, values))
    return found


def _among(values: Sequence) -> str:
    """`IN (%s, %s, ...)` with one placeholder per value (never called with none)."""
    return "IN (" + ", ".join(["%s"] * len(values)) + ")"


def standards_of_work(work_key: str) -> list[Standard]:
    """Every document of one work (unsorted)."""
    return _read(Standard, f"SELECT * FROM {_STANDARD} WHERE work_key = %s", [work_key])


def standards_by_ids(ids: Sequence[int]) -> list[Standard]:
    if not ids:
        return []
    return _read(Standard, f"SELECT * FROM {_STANDARD} WHERE id {_among(ids)}", ids)


def relations_around(key: str, replaced: Sequence[str]) -> list[Relation]:
    """The relations from and to `key`, and every `replaces` relation pointing at one of
    `replaced` (the editions of its work), in one read."""
    sql = f"SELECT * FROM {_RELATION} WHERE from_key = %s OR to_key = %s" + (
        f" OR (type = 'replaces' AND to_key {_among(replaced)})" if replaced else ""
    )
    return _read(Relation, sql, [key, key, *replaced])


def classes_of(standard_id: int) -> list[Classification]:
    """The classes a standard is filed under."""
    return _read(
        Classification,
        f"SELECT c.* FROM {_CLASS} c JOIN {_LINK} l ON l.classification_id = c.id "
        "WHERE l.standard_id = %s",
        [standard_id],
    )


def classes_by_codes(codes: Sequence[str]) -> list[Classification]:
    """The classes with these codes, of either scheme."""
    if not codes:
        return []
    return _read(Classification, f"SELECT * FROM {_CLASS} WHERE code {_among(codes)}", codes)


def facts_of(standard_id: int) -> list[SourceFacts]:
    """What each source said of a standard."""
    return _read(SourceFacts, f"SELECT * FROM {_FACTS} WHERE standard_id = %s", [standard_id])
