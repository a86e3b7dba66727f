"""Each public product's declared values as a leader ranking reads them (`RankingInput`).

A version's products and indicators never change once it is public (only a draft is edited;
a revision is a new version), so what a ranking reads of a product is written once, when its
version becomes public: `ranking_inputs_write`, called by the lifecycle's effect of the steps
that make a version public (`lifecycles._declared`: declaring, and recording from an import
or the demo data), by migration 0010 for the versions public before it, and by the bench's
bulk build. What may change later is read per product at run time: the version's state (a
withdrawal, a suspension, a revision that supersedes it) and the enterprise's name.

The row holds no scheme's choice: `declared` is the product's declared indicators as a run's
record keeps them (`supervision.records.Record.inputs`: [[indicator id as text, name, unit,
value as read], ...] by indicator id, written by the database itself with the expressions the
run used to write them), `shape` its (name, unit) pairs in the same order, so that a run
decides per distinct shape, not per product, which declared line gives which core indicator
(`supervision.ranking.shape_map`), and `numbers` its values in the same order, in the form the
database reads fastest (`numbers_text`). The product's line of a run's record inputs is also
written whole but for the enterprise's name, which may change: `line_head` ([product id,
declaration id, enterprise id, ) and `line_tail` (, product, declared]), with the separators the
database writes (`line_parts`), so that a run only puts the name between them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import connection

from .choices import DeclarationState
from .models import Declaration, Indicator, Product, RankingInput


def postgresql() -> bool:
    return connection.vendor == "postgresql"


def plain_text(expr: str) -> str:
    """A number as plain text without trailing zeros (96, 96.5; six decimals at most).
    SQLite's own text of a number is that, but for the smallest ones (1.0e-05)."""
    if postgresql():
        return f"CAST(TRIM_SCALE({expr}) AS TEXT)"
    return (
        f"CASE WHEN {expr} <> 0 AND ABS({expr}) < 0.0001 "
        f"THEN RTRIM(RTRIM(PRINTF('%%.6f', {expr}), '0'), '.') ELSE CAST({expr} AS TEXT) END"
    )


def read_text(expr: str) -> str:
    """A declared value as read, as a run's inputs keep it: PostgreSQL gives the column's six
    decimals (96.500000), SQLite its number as plain text (96.5)."""
    return f"CAST({expr} AS TEXT)" if postgresql() else plain_text(expr)


def _quote(expr: str) -> str:
    """A text as a JSON string, by the database (the escapes of `json.dumps`, UTF-8 kept)."""
    if postgresql():
        return f"COALESCE(CAST(TO_JSON({expr}) AS TEXT), 'null')"
    return f"json_quote({expr})"


def numbers_text(values: Sequence[str | None]) -> str:
    """Declared values (texts or None) as `RankingInput.numbers` keeps them: the form the
    database reads a list of numbers from fastest. PostgreSQL: an array literal ({96.5,NULL};
    the column is numeric[], a ranking casts given rows' texts); SQLite: a JSON list of the
    texts (["96.5",null])."""
    if postgresql():
        return "{" + ",".join("NULL" if v is None else v for v in values) + "}"
    return json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))


def line_separator() -> str:
    """What separates the items of a record's input line: PostgreSQL writes a space after
    each comma, SQLite none (the texts of `line_parts`)."""
    return ", " if postgresql() else ","


def line_parts(ids: Sequence[int], product: str, declared: str) -> tuple[str, str]:
    """A product's input line ([product id, declaration id, enterprise id, enterprise,
    product, declared lines]) without the enterprise's name, the head and tail, as the
    database writes them (`ranking_inputs_write`); `declared` is JSON text."""
    comma = line_separator()
    head = "[" + comma.join(str(int(i)) for i in ids) + comma
    tail = comma + json.dumps(product, ensure_ascii=False) + comma + declared + "]"
    return head, tail


def _columns() -> tuple[str, str, str]:
    """SQL of a product's `shape`, `declared` and `numbers` (for a product `p`), its lines
    by id."""
    indicator = Indicator._meta.db_table
    if postgresql():
        pair = f"'[' || {_quote('i.name')} || ',' || {_quote('i.unit')} || ']'"
        line = (
            f"'[\"' || CAST(i.id AS TEXT) || '\",' || {_quote('i.name')} || ',' || "
            f"{_quote('i.unit')} || ',' || COALESCE('\"' || {read_text('i.value')} || '\"', "
            "'null') || ']'"
        )
        number = f"COALESCE({read_text('i.value')}, 'NULL')"
        lines = f"FROM {indicator} i WHERE i.product_id = p.id"

        def aggregate(item: str, opening: str, closing: str) -> str:
            return (
                f"'{opening}' || COALESCE((SELECT STRING_AGG({item}, ',' ORDER BY i.id) "
                f"{lines}), '') || '{closing}'"
            )

        numbers = f"CAST({aggregate(number, '{', '}')} AS numeric[])"
        return aggregate(pair, "[", "]"), aggregate(line, "[", "]"), numbers
    # SQLite aggregates the lines in the order its subquery gives them; a product declaring
    # nothing is written [null], as the run's JSON_GROUP_ARRAY over its one empty line wrote it.
    lines = f"FROM (SELECT * FROM {indicator} WHERE product_id = p.id ORDER BY id) i"
    line = f"json_array(CAST(i.id AS TEXT), i.name, i.unit, {read_text('i.value')})"
    return (
        f"(SELECT json_group_array(json_array(i.name, i.unit)) {lines})",
        f"COALESCE(NULLIF((SELECT json_group_array({line}) {lines}), '[]'), '[null]')",
        f"(SELECT json_group_array({read_text('i.value')}) {lines})",
    )


def ranking_inputs_write(*, declaration_id: int | None = None) -> int:
    """Write the ranking inputs of a version's products (written again if there were any),
    or with no version given, of every public version's products that have none. Answers the
    number written."""
    shape, declared, numbers = _columns()
    table, product = RankingInput._meta.db_table, Product._meta.db_table
    version = Declaration._meta.db_table
    comma = f"'{line_separator()}'"
    head = " || ".join(
        [
            "'['",
            "CAST(x.id AS TEXT)",
            comma,
            "CAST(x.declaration_id AS TEXT)",
            comma,
            f"CAST((SELECT enterprise_id FROM {version} d WHERE d.id = x.declaration_id) AS TEXT)",
            comma,
        ]
    )
    tail = f"{comma} || {_quote('x.name')} || {comma} || x.declared || ']'"
    columns = (
        "product_id, declaration_id, category, product, shape, declared, numbers, "
        "line_head, line_tail"
    )
    select = (
        f"SELECT x.*, {head}, {tail} FROM (SELECT p.id, p.declaration_id, p.category, p.name, "  # noqa: S608
        f"{shape} AS shape, {declared} AS declared, {numbers} AS numbers FROM {product} p"
    )
    with connection.cursor() as cursor:
        if declaration_id is not None:
            cursor.execute(f"DELETE FROM {table} WHERE declaration_id = %s", [declaration_id])  # noqa: S608
            cursor.execute(
                f"INSERT INTO {table} ({columns}) {select} WHERE p.declaration_id = %s) x",  # noqa: S608
                [declaration_id],
            )
        else:
            public = Declaration._meta.db_table
            cursor.execute(
                f"INSERT INTO {table} ({columns}) {select} "  # noqa: S608
                f"WHERE p.declaration_id IN (SELECT id FROM {public} WHERE state <> %s) "
                f"AND NOT EXISTS (SELECT 1 FROM {table} r WHERE r.product_id = p.id)) x",
                [DeclarationState.DRAFT],
            )
        return cursor.rowcount
