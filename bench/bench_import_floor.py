"""The least time the database itself takes to write what an import wrote (issue 15).

    python bench/bench_import_floor.py URL [--file FILE]

URL: a catalog that `stdplus import FILE --json` filled, from an empty catalog (a SQLite file
or a PostgreSQL database, as DATABASE_URL names them). Its rows are written again, by the
fastest path a Python client has, into an emptied copy of the same catalog (the same schema,
indexes, foreign keys, triggers and, on PostgreSQL, the same ranges of the search table):

- SQLite: the copy is the file with the import's tables emptied and vacuumed. The rows are
  read into memory first, then written in one transaction, table by table in the order an
  import writes them, by `executemany` in batches of 20,000 rows (the app's PRAGMAs: foreign
  keys on, the page cache of the app's connection), then the FTS5 rows of the documents in one
  `INSERT ... SELECT`, then the commit. A second line writes the same tables by `INSERT ...
  SELECT` from the attached source, with no Python per row at all.
- PostgreSQL: the copy is `CREATE DATABASE ... TEMPLATE` the catalog, its import tables
  truncated. Each table's rows are read by `COPY ... TO STDOUT` into memory first, then written
  in one transaction by `COPY ... FROM STDIN` (the server computes the generated full-text
  columns and builds every index as it does for an import), then the commit (the deferred
  foreign keys are checked there).

With `--file` (the JSON Lines file the catalog was filled from), a last line times the least
reading any import of it does, in Python and no database: decoding each line (`json.loads`)
and parsing each record's identifier and relation targets once (`identifiers.parse_uncached`).

Nothing but the writes is timed: no parsing, planning, reading back or search documents built
in Python. An import that does everything it does cannot be faster than these lines; the
records a second of the import goals (20,000 on SQLite, 10,000 on PostgreSQL) are set against
them in docs/benchmarks.md. The copy is removed at the end.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import time
from pathlib import Path

import dj_database_url

# The tables an import fills, in the order it writes them (apply, then settle).
TABLES = [
    "catalog_importrun",
    "catalog_classification",
    "catalog_standard",
    "catalog_standard_classifications",
    "catalog_relation",
    "catalog_changeevent",
    "catalog_sourcefacts",
    "catalog_catalogstate",
    "search_searchdocument",
    "search_document_key",
    "search_fts_words",
    "search_indexstate",
]
BATCH = 20_000
# The app's connection settings (stdplus.settings, DATABASES' init_command).
SQLITE_PRAGMAS = (
    "journal_mode=WAL",
    "synchronous=NORMAL",
    "foreign_keys=ON",
    "temp_store=MEMORY",
    "cache_size=-64000",
)


def _order(table: str) -> str:
    """The column a table's rows are read and written in the order of (its primary key)."""
    return {"search_searchdocument": "key", "search_fts_words": "word"}.get(table, "rowid")


def _sqlite_tables(db: sqlite3.Connection, schema: str = "main") -> list[str]:
    names = {row[0] for row in db.execute(f"SELECT name FROM {schema}.sqlite_master")}
    return [table for table in TABLES if table in names]


def _sqlite_empty(path: str) -> None:
    """Empty the import's tables of the SQLite file at `path` (and its FTS5 index), vacuumed."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA foreign_keys=OFF")
    db.execute("BEGIN")
    triggers = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND tbl_name = 'search_searchdocument'"
    ).fetchall()
    for name, _sql in triggers:
        db.execute(f'DROP TRIGGER "{name}"')
    for table in _sqlite_tables(db):
        db.execute(f'DELETE FROM "{table}"')
    db.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
    for _name, sql in triggers:
        db.execute(sql)
    db.execute("COMMIT")
    db.execute("VACUUM")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def _sqlite_connect(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    for pragma in SQLITE_PRAGMAS:
        db.execute(f"PRAGMA {pragma}")
    return db


def _sqlite_copy(source: str, target: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(target + suffix).unlink(missing_ok=True)
    db = sqlite3.connect(source)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    shutil.copyfile(source, target)
    _sqlite_empty(target)


def _fts_fill(db: sqlite3.Connection) -> None:
    db.execute(
        "INSERT INTO search_fts(rowid, ident, title, scope, facets, xlang) "
        "SELECT key, ident, title, scope, facets, xlang FROM search_searchdocument ORDER BY key"
    )


def _sqlite_finish(db: sqlite3.Connection, times: dict[str, float], started: float) -> None:
    """The FTS5 rows of the documents, the commit, the run's whole time; then close."""
    at = time.perf_counter()
    _fts_fill(db)
    times["search_fts"] = time.perf_counter() - at
    at = time.perf_counter()
    db.execute("COMMIT")
    times["commit"] = time.perf_counter() - at
    times["all"] = time.perf_counter() - started
    db.close()


def sqlite_runs(source: str) -> list[tuple[str, int, dict[str, float]]]:
    target = str(Path(source).with_name("floor-copy.sqlite3"))
    reader = sqlite3.connect(source)
    tables = _sqlite_tables(reader)
    data = {}
    for table in tables:
        data[table] = reader.execute(f'SELECT * FROM "{table}" ORDER BY {_order(table)}').fetchall()
    reader.close()
    standards = len(data["catalog_standard"])
    runs = []

    _sqlite_copy(source, target)
    db = _sqlite_connect(target)
    times: dict[str, float] = {}
    started = time.perf_counter()
    db.execute("BEGIN IMMEDIATE")
    for table in tables:
        rows = data[table]
        if not rows:
            continue
        at = time.perf_counter()
        sql = f'INSERT INTO "{table}" VALUES ({", ".join("?" * len(rows[0]))})'
        for start in range(0, len(rows), BATCH):
            db.executemany(sql, rows[start : start + BATCH])
        times[table] = time.perf_counter() - at
    _sqlite_finish(db, times, started)
    runs.append(("SQLite, executemany from Python, one transaction", standards, times))

    _sqlite_copy(source, target)
    db = _sqlite_connect(target)
    db.execute("ATTACH DATABASE ? AS source", [source])
    times = {}
    started = time.perf_counter()
    db.execute("BEGIN IMMEDIATE")
    for table in tables:
        at = time.perf_counter()
        db.execute(
            f'INSERT INTO main."{table}" SELECT * FROM source."{table}" ORDER BY {_order(table)}'
        )
        times[table] = time.perf_counter() - at
    _sqlite_finish(db, times, started)
    runs.append(("SQLite, INSERT ... SELECT in the database, one transaction", standards, times))
    for suffix in ("", "-wal", "-shm"):
        Path(target + suffix).unlink(missing_ok=True)
    return runs


def postgres_runs(url: str) -> list[tuple[str, int, dict[str, float]]]:
    import psycopg

    config = dj_database_url.parse(url)
    name = config["NAME"]
    copy_name = f"{name}_floor"
    params = {
        "host": config.get("HOST") or "127.0.0.1",
        "port": config.get("PORT") or 5432,
        "user": config.get("USER") or "postgres",
    }
    if config.get("PASSWORD"):
        params["password"] = config["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{copy_name}"')
        admin.execute(f'CREATE DATABASE "{copy_name}" TEMPLATE "{name}"')
    data: dict[str, tuple[list[str], bytes]] = {}
    with psycopg.connect(dbname=name, **params) as reader:
        present = {
            row[0]
            for row in reader.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "UNION SELECT relname FROM pg_class WHERE relkind = 'p'"
            )
        }
        tables = [table for table in TABLES if table in present]
        for table in tables:
            columns = [
                row[0]
                for row in reader.execute(
                    "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass "
                    "AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
                    [table],
                )
            ]
            listed = ", ".join(f'"{column}"' for column in columns)
            chunks = []
            with reader.cursor().copy(f'COPY (SELECT {listed} FROM "{table}") TO STDOUT') as copy:
                for chunk in copy:
                    chunks.append(bytes(chunk))
            data[table] = (columns, b"".join(chunks))
        standards = reader.execute("SELECT count(*) FROM catalog_standard").fetchone()[0]
    times: dict[str, float] = {}
    with psycopg.connect(dbname=copy_name, **params) as db:
        db.execute("TRUNCATE " + ", ".join(f'"{table}"' for table in tables) + " CASCADE")
        db.commit()
        started = time.perf_counter()
        for table in tables:
            columns, payload = data[table]
            at = time.perf_counter()
            listed = ", ".join(f'"{column}"' for column in columns)
            with db.cursor().copy(f'COPY "{table}" ({listed}) FROM STDIN') as copy:
                for start in range(0, len(payload), 1 << 20):
                    copy.write(payload[start : start + (1 << 20)])
            times[table] = time.perf_counter() - at
        at = time.perf_counter()
        db.commit()
        times["commit"] = time.perf_counter() - at
        times["all"] = time.perf_counter() - started
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE "{copy_name}"')
    return [("PostgreSQL, COPY FROM STDIN, one transaction", standards, times)]


def reading_least(path: str) -> tuple[str, int, dict[str, float]]:
    """Decode every line of a JSON Lines file and parse its identifiers: seconds of each
    (the cycle collector off, as imports relax it: `core.collector.bulk_allocations`)."""
    import gc
    import json

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from stdplus.identifiers.parser import parse_uncached

    times: dict[str, float] = {}
    gc.disable()
    started = time.perf_counter()
    with open(path, encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    times["json.loads"] = time.perf_counter() - started
    at = time.perf_counter()
    for record in records:
        parse_uncached(record["id"])
        for relation in record.get("relations") or ():
            parse_uncached(relation["target"])
    times["identifiers"] = time.perf_counter() - at
    times["all"] = time.perf_counter() - started
    gc.enable()
    return ("Reading alone: decoding the lines and parsing the identifiers", len(records), times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="a catalog an import filled (as DATABASE_URL)")
    parser.add_argument("--file", help="the JSON Lines file it was filled from")
    args = parser.parse_args()
    if args.url.startswith("sqlite:"):
        runs = sqlite_runs(dj_database_url.parse(args.url)["NAME"])
    else:
        runs = postgres_runs(args.url)
    if args.file:
        runs.append(reading_least(args.file))
    for label, standards, times in runs:
        seconds = times.pop("all")
        print(
            f"{label}: {seconds:.2f} s for {standards:,} records ({standards / seconds:,.0f} a second)"
        )
        print("   " + ", ".join(f"{name} {value:.2f}" for name, value in times.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
