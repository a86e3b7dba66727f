"""Dump what an import wrote, row for row, to compare two versions of the code.

    DATABASE_URL=... python bench/import_rows.py OUT.txt

Writes every row of the catalog's tables an import fills (standards, classes, class links,
relations, change events, source facts, statuses included), the search documents and, on
SQLite, the FTS5 rows, ordered by id, leaving out the times of writing (`created_at`,
`updated_at`) and the import runs' own rows. Two runs of the same files into fresh databases
with the code before and after a change must give the same file (`diff` or `cmp` them).
"""

from __future__ import annotations

import hashlib
import os
import sys

import django

TABLES = [
    "catalog_standard",
    "catalog_classification",
    "catalog_standard_classifications",
    "catalog_relation",
    "catalog_changeevent",
    "catalog_sourcefacts",
    "catalog_pendingchange",
    "catalog_importundo",
    "search_searchdocument",
]
LEFT_OUT = {"created_at", "updated_at"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stdplus.settings")
    django.setup()
    from django.db import connection

    out_path = sys.argv[1]
    tables = list(TABLES)
    if connection.vendor == "sqlite":
        tables.append("search_fts")
    with open(out_path, "w", encoding="utf-8") as out, connection.cursor() as cursor:
        for table in tables:
            if table == "search_fts":
                cursor.execute(
                    "SELECT rowid, ident, title, scope, facets, xlang FROM search_fts ORDER BY rowid"
                )
            else:
                columns = [
                    c.name
                    for c in connection.introspection.get_table_description(cursor, table)
                    if c.name not in LEFT_OUT
                ]
                order = "key" if table == "search_searchdocument" else "id"
                cursor.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}")
            digest, count = hashlib.sha256(), 0
            out.write(f"== {table}\n")
            for row in cursor.fetchall():
                line = repr(tuple(row)) + "\n"
                out.write(line)
                digest.update(line.encode("utf-8"))
                count += 1
            print(f"{table}: {count} rows, sha256 {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
