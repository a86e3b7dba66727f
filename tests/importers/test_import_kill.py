"""A kill -9 at any point of an import leaves the catalog as before the import or with the whole
file in, on a real file-backed SQLite database with `stdplus import` in a subprocess.

The file is written in short steps (catalog/services/journal.py): killed while planning, nothing
was written; killed in the middle of the apply or near its end, the steps written so far are
taken out by the next catalog write, and the catalog is again what it was; killed while
settling, the file is in and the next import settles what was left (statuses, search index).
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
BASE, NEW = 8_000, 4_000

# In the SQLite run of CI (not `standalone`): it balances the fuzz run with a token, which is
# in the PostgreSQL run.
pytestmark = [pytest.mark.slow]


def query(database: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as connection:
        return connection.execute(sql).fetchall()


def count(database: Path, table: str) -> int:
    return query(database, f"SELECT COUNT(*) FROM {table}")[0][0]


CATALOG_TABLES = (
    "catalog_standard",
    "catalog_relation",
    "catalog_standard_classifications",
    "catalog_classification",
    "catalog_changeevent",
)


def snapshot(database: Path) -> dict:
    """Every row of the catalog's tables (times of writing left out)."""
    tables = {}
    for table in CATALOG_TABLES:
        columns = [
            row[1]
            for row in query(database, f"PRAGMA table_info({table})")
            if not row[1].endswith("_at")
        ]
        rows = query(database, f"SELECT {', '.join(columns)} FROM {table}")
        tables[table] = sorted(rows, key=repr)
    return tables


# When to kill, as a query that turns true at that point of the import.
KILL_POINTS = {
    # the file's run is recorded and it is being planned: nothing written yet
    "planning": "SELECT COUNT(*) = 2 FROM catalog_importrun",
    # the first steps of the apply are written (standards), the file is not published
    "apply, first steps": "SELECT COUNT(*) >= 1 FROM catalog_importundo",
    # the apply is writing the events, its last steps
    "apply, last steps": (
        "SELECT COUNT(*) >= 1 FROM catalog_importundo WHERE action = 'events_added'"
    ),
}


def changed(base_lines: list[str], new_lines: list[str]) -> str:
    """The base file with titles, statuses, classes and relations changed, plus new records."""
    out = []
    for index, line in enumerate(base_lines):
        record = json.loads(line)
        if index % 3 == 0:
            record["title_en"] = f"{record.get('title_en', '')} (revised)"
        if index % 5 == 0:
            record["ics"] = ["99.997.01"]
        if index % 4 == 0 and record.get("relations"):
            record["relations"] = record["relations"][1:]
        out.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(out + new_lines) + "\n"


def test_a_kill_at_any_point_leaves_the_catalog_as_before_or_the_whole_file_in(
    tmp_path, migrated_sqlite
):
    database = migrated_sqlite(tmp_path / "kill.sqlite3")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "STDPLUS_HOME": str(tmp_path)}
    env.pop("STDPLUS_TODAY", None)

    def stdplus(*args):
        return subprocess.run(
            [str(BIN / "stdplus"), *args], env=env, check=True, capture_output=True, text=True
        )

    generated = tmp_path / "synthetic-all.jsonl"
    stdplus("bench", "generate", str(BASE + NEW), "--out", str(generated))
    lines = generated.read_text().splitlines()
    base, update = tmp_path / "synthetic-base.jsonl", tmp_path / "synthetic-update.jsonl"
    base.write_text("\n".join(lines[:BASE]) + "\n")
    update.write_text(changed(lines[:BASE], lines[BASE:]))
    stdplus("import", str(base))
    before = snapshot(database)
    standards_before = count(database, "catalog_standard")

    for point, sql in KILL_POINTS.items():
        importing = subprocess.Popen(
            [str(BIN / "stdplus"), "import", str(update)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and importing.poll() is None:
            if query(database, sql)[0][0]:
                os.kill(importing.pid, signal.SIGKILL)
                break
            time.sleep(0.005)
        importing.wait(timeout=60)
        assert importing.returncode == -signal.SIGKILL, f"{point}: ended before the kill"
        if point != "planning":  # half a file is in until the next catalog write
            assert count(database, "catalog_importundo") > 0, point
            assert query(database, "SELECT applying_run_id FROM catalog_catalogstate")[0][0]
        # What the next catalog write does first (every import and edit calls it).
        stdplus(
            "shell",
            "-c",
            "from stdplus.catalog.services.journal import catalog_wait_free; catalog_wait_free()",
        )
        assert snapshot(database) == before, point
        assert count(database, "catalog_importundo") == 0
        assert query(database, "SELECT applying_run_id FROM catalog_catalogstate")[0][0] is None
        # the runs killed while writing say so
        if point != "planning":
            assert query(
                database,
                "SELECT rolled_back_at IS NOT NULL, finished_at IS NULL FROM catalog_importrun "
                "ORDER BY id DESC LIMIT 1",
            ) == [(1, 1)], point

    # Killed while settling: the whole file is in, what is left to settle is recorded.
    importing = subprocess.Popen(
        [str(BIN / "stdplus"), "import", str(update)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and importing.poll() is None:
        if count(database, "catalog_pendingchange"):  # the file is published
            os.kill(importing.pid, signal.SIGKILL)
            break
        time.sleep(0.005)
    importing.wait(timeout=60)
    assert importing.returncode == -signal.SIGKILL, "settling: ended before the kill"
    assert count(database, "catalog_standard") == standards_before + NEW  # the whole file
    assert count(database, "catalog_importundo") == 0
    assert count(database, "catalog_pendingchange") > 0  # what was left to do is recorded
    assert count(database, "search_searchdocument") < standards_before + NEW
    after_kill = snapshot(database)

    again = json.loads(stdplus("import", str(update), "--json").stdout)[0]
    assert again["created"] == 0 and again["updated"] == 0
    assert count(database, "catalog_pendingchange") == 0
    assert count(database, "search_searchdocument") == standards_before + NEW
    # Settling derived statuses (and their events) only; the file's rows stayed as written.
    settled = snapshot(database)
    for table in ("catalog_relation", "catalog_standard_classifications"):
        assert settled[table] == after_kill[table]
    # Every status is already what the rule derives: a full recompute changes none.
    assert stdplus("recompute_status").stdout.startswith("0 standards changed status")
