"""A kill -9 while an import settles loses nothing: the file's rows are in (one transaction), the
keys still to settle are recorded in it, and the next import settles them (statuses and the
search index), on a real file-backed SQLite database."""

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
RECORDS = 10_000

pytestmark = pytest.mark.slow


def count(database: Path, table: str) -> int:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as connection:
        return connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_a_kill_while_settling_loses_nothing_and_the_next_import_finishes(tmp_path):
    database = tmp_path / "kill.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "STDPLUS_HOME": str(tmp_path)}
    env.pop("STDPLUS_TODAY", None)

    def stdplus(*args):
        return subprocess.run(
            [str(BIN / "stdplus"), *args], env=env, check=True, capture_output=True, text=True
        )

    stdplus("migrate", "-v0")
    data = tmp_path / "synthetic.jsonl"
    stdplus("bench", "generate", str(RECORDS), "--out", str(data))
    importing = subprocess.Popen(
        [str(BIN / "stdplus"), "import", str(data)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and importing.poll() is None:
        try:
            if count(database, "catalog_pendingchange"):  # the file's transaction committed
                os.kill(importing.pid, signal.SIGKILL)
                break
        except sqlite3.OperationalError:  # the tables are not there yet
            pass
        time.sleep(0.02)
    importing.wait(timeout=60)
    assert importing.returncode == -signal.SIGKILL, "the import ended before it could be killed"

    assert count(database, "catalog_standard") == RECORDS  # the whole file, not part of it
    assert count(database, "catalog_pendingchange") > 0  # what was left to do is recorded
    assert count(database, "search_searchdocument") < RECORDS

    again = stdplus("import", str(data), "--json")
    assert json.loads(again.stdout)[0]["unchanged"] == RECORDS
    assert count(database, "catalog_pendingchange") == 0
    assert count(database, "search_searchdocument") == RECORDS
    # Every status is already what the rule derives: a full recompute changes none.
    assert stdplus("recompute_status").stdout.startswith("0 standards changed status")
