"""The catalog's indexes: each lookup the write path and the check make has one, and no index
is kept that only costs writes (catalog migration 0011)."""

import pytest
from django.db import connection

from stdplus.catalog.models import ChangeEvent, Standard

pytestmark = pytest.mark.django_db


def _indexes(model) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {
        name: info["columns"]
        for name, info in found.items()
        if (info["index"] or info["unique"]) and not info["primary_key"]
    }


def _plan(sql: str, params: list) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return " ".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is small
        cursor.execute("EXPLAIN " + sql, params)
        return " ".join(row[0] for row in cursor.fetchall())


def test_no_index_only_costs_writes():
    names = set(_indexes(Standard)) | set(_indexes(ChangeEvent))
    assert not [name for name in names if name.endswith("_like")]
    columns = [tuple(cols) for cols in _indexes(Standard).values()]
    assert ("work_key",) not in columns and ("level",) not in columns
    # What serves them instead, and the lookups every import and check make.
    for wanted in (("work_key", "status"), ("level", "status"), ("canonical",), ("edition_key",)):
        assert wanted in columns, wanted


@pytest.mark.parametrize(
    "column, value",
    [("work_key", "GB/T 19001"), ("level", "national"), ("canonical", "GB/T 19001-2016")],
)
def test_lookups_of_one_column_use_an_index(column, value):
    table = Standard._meta.db_table
    plan = _plan(f'SELECT id FROM {table} WHERE "{column}" = %s', [value])
    assert "index" in plan.lower(), plan
