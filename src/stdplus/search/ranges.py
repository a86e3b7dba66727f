"""PostgreSQL: the search table's ranges of the key, cut smaller where reads stop.

The search table is kept in ranges of its key (search migration 0008), so that the first
matches in key order are read from the first ranges alone (`backends.base.Backend._in_key_order`).
What such a read costs follows the size of the range it stops in: a common word (`requirements`,
`要求`: a fifth of the documents) or a broad filter (the group level among superseded standards)
finds its first 1,000 matches in the first range of its status, but the full-text index gives
a range's matches in no order, so every match of that range is read and sorted first. The
ranges of migration 0008 follow status and bands of years, which at 5,000,000 standards left
127,000 documents in the first range and 474,000 in the first range of superseded standards.

`ranges_split` cuts the first range of each status (where those reads stop) into parts
that grow: FIRST documents, FIRST again, then twice as many as the part before, until what is
left is less than three parts of the next size, which the last part takes. A broad read then
stops in a small range, and a rare word's reads go through the other ranges as before. Only
those: every range is planned by the statements that read them all (the count, the lookups by
key), each costing them its own index lookups (tens of microseconds a range, more for a query
of many words), so cutting every range small made the searches with a filter slower by more
than the broad ones gained (docs/benchmarks.md). Like the ranges of 0008, this is a physical
layout only: any ranges give the same answers.

A range is cut by copying its documents into new tables (their indexes, keys and checks made
once the rows are in), then swapped for them, in one transaction; meanwhile searches read the
old range and writes to it wait, and only the swap itself (milliseconds) holds searches.
Servers already running keep the ranges they read at their start
(`backends.postgres.partition_ranges`), which still give the same answers, only bounding their
statements less tightly, until they restart. Search migration 0010 cuts the ranges of a
catalog already large; `stdplus search ranges` cuts them again after the catalog has grown
(docs/deploy.md). SQLite keeps one table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction

from .backends.base import key_bounds
from .backends.postgres import partition_ranges_forget, partitions_read
from .indexing import STATUS_SPAN

TABLE = "search_searchdocument"
FIRST = 25_000


@dataclass(frozen=True)
class Range:
    name: str
    low: int | None  # None: MINVALUE
    high: int | None  # None: MAXVALUE
    documents: int


def ranges_read(cursor) -> list[Range]:
    """The ranges of the search table in key order, with how many documents each holds."""
    found = []
    for name, one in partitions_read(cursor):
        cursor.execute(f'SELECT COUNT(*) FROM "{name}"')
        found.append(Range(name, one.low, one.high, cursor.fetchone()[0]))
    return found


def _edge(bound: int | None, low: bool) -> str:
    if bound is None:
        return "MINVALUE" if low else "MAXVALUE"
    return str(int(bound))


def _columns(cursor) -> list[str]:
    """The search table's stored columns (the generated tsvector is computed again)."""
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 "
        "AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
        [TABLE],
    )
    return [row[0] for row in cursor.fetchall()]


def _indexes_make(cursor, name: str) -> None:
    """The search table's indexes, keys and constraints on a filled new table, as attaching
    it would make them (each index built once, from the rows)."""
    cursor.execute(
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = to_regclass(%s) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [TABLE],
    )
    for (definition,) in cursor.fetchall():
        unique = "UNIQUE " if definition.startswith("CREATE UNIQUE ") else ""
        cursor.execute(
            f'CREATE {unique}INDEX ON "{name}" USING {definition.split(" USING ", 1)[1]}'
        )
    cursor.execute(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = to_regclass(%s) "
        "AND contype IN ('p', 'u', 'f') ORDER BY contype DESC, conname",
        [TABLE],
    )
    for number, (definition,) in enumerate(cursor.fetchall()):
        cursor.execute(f'ALTER TABLE "{name}" ADD CONSTRAINT "{name}_c{number}" {definition}')


def _next_number(cursor) -> int:
    """The number after the highest of the ranges' names (`search_searchdocument_pNN`)."""
    numbers = [
        int(name.rsplit("_p", 1)[1])
        for name, _range in partitions_read(cursor)
        if name.rsplit("_p", 1)[-1].isdigit()
    ]
    return max(numbers, default=-1) + 1


def ranges_planned(ranges: list[Range], first: int = FIRST) -> list[list[int]]:
    """For each range (in key order), how many documents each of its parts holds by the rule
    above (one part: left as it is)."""
    out = []
    status = None
    for one in ranges:
        block = 0 if one.low is None else one.low // STATUS_SPAN
        parts = [one.documents]
        if block != status:  # the first range of a status
            status = block
            parts, left, size = [], one.documents, first
            while left >= 3 * size:  # (a last part less than twice the one before takes it)
                parts.append(size)
                left -= size
                size = size if len(parts) == 1 else size * 2
            parts.append(left)
        out.append(parts)
    return out


def ranges_split(
    first: int = FIRST,
    *,
    progress: Callable[[Range, list[int]], None] | None = None,
) -> list[Range]:
    """Cut the ranges by the rule above; the ranges it cut, as they were. `progress(range,
    parts)` is told before each cut. Nothing on SQLite, or where the table is one."""
    if first < 1:
        raise ValueError("first must be at least 1")
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        ranges = ranges_read(cursor)
    cut = []
    for old, parts in zip(ranges, ranges_planned(ranges, first), strict=True):
        if len(parts) < 2:
            continue
        if progress:
            progress(old, parts)
        _split(old, parts)
        cut.append(old)
    if cut:
        partition_ranges_forget()
    return cut


def _split(old: Range, parts: list[int]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        # Reads of the range go on while it is copied; writes to it wait for the swap.
        cursor.execute(f'LOCK TABLE "{old.name}" IN SHARE MODE')
        # (checks deferred to the commit of a caller's transaction are made now: a table
        # with checks pending cannot be dropped)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # The first key of each part but the first (0-based places in key order; the range
        # was counted before it was locked: a part takes what was written since).
        places = [sum(parts[:i]) for i in range(1, len(parts))]
        cursor.execute(
            f"SELECT s.key FROM (SELECT key, row_number() OVER (ORDER BY key) - 1 AS place "
            f'FROM "{old.name}") s WHERE s.place = ANY(%s) ORDER BY s.key',
            [places],
        )
        edges = [old.low, *(row[0] for row in cursor.fetchall()), old.high]
        columns = ", ".join(f'"{c}"' for c in _columns(cursor))
        number = _next_number(cursor)
        new = []
        for low, high in zip(edges, edges[1:], strict=False):
            name = f"{TABLE}_p{number:02d}"
            number += 1
            cursor.execute(
                f'CREATE TABLE "{name}" (LIKE {TABLE} INCLUDING DEFAULTS '
                "INCLUDING GENERATED INCLUDING CONSTRAINTS)"
            )
            bounds = key_bounds("key", low, high)
            where = " AND ".join(sql for sql, _bound in bounds) or "TRUE"
            cursor.execute(
                f'INSERT INTO "{name}" ({columns}) SELECT {columns} FROM "{old.name}" '
                f"WHERE {where} ORDER BY key",
                [bound for _sql, bound in bounds],
            )
            _indexes_make(cursor, name)
            cursor.execute(f'ANALYZE "{name}"')
            new.append((name, low, high))
        # The swap: the parent's lock, held only for this (the new tables' indexes and keys
        # are already made and checked; attaching takes them as the parent's).
        cursor.execute(f'ALTER TABLE {TABLE} DETACH PARTITION "{old.name}"')
        cursor.execute(f'DROP TABLE "{old.name}"')
        for name, low, high in new:
            cursor.execute(
                f'ALTER TABLE {TABLE} ATTACH PARTITION "{name}" '
                f"FOR VALUES FROM ({_edge(low, True)}) TO ({_edge(high, False)})"
            )
