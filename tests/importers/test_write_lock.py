"""Web writes go on while a large import runs on SQLite (file-backed, WAL).

Runs bench/bench_import_writes.py: the site and `stdplus import` of 20,000 synthetic records in
subprocesses, with a client logging in again and again and another saving validity checks over
HTTP the whole time. The import writes its rows in short steps (catalog/services/journal.py)
and settles in short steps, pausing now and then, so no write waits more than a few seconds
and none fails. Before, the file's rows went in one transaction that held the write lock for
the whole apply (at 200,000 records two minutes on a loaded machine: writes failed after the
30 s busy timeout).
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RECORDS = 20_000

pytestmark = [pytest.mark.slow, pytest.mark.standalone]


def test_logins_and_saved_checks_wait_at_most_seconds_during_an_import():
    out = subprocess.run(
        [sys.executable, str(REPO / "bench" / "bench_import_writes.py"), "--records"]
        + [str(RECORDS), "--json"],
        capture_output=True,
        text=True,
        timeout=1200,
        check=True,
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    assert figures["created"] == RECORDS
    assert figures["writes_failed"] == 0, figures
    # Writes were made while the import wrote its rows, and none waited long: a few seconds.
    assert figures["writes_during_write_transaction"] >= 1, figures
    assert figures["longest_write_seconds"] <= 5.0, figures
    # The import held the write lock in many short transactions, never long at once (before,
    # one transaction held it for the whole apply).
    assert figures["write_steps"] >= 10, figures
    assert figures["longest_lock_hold_seconds"] <= 3.0, figures
    # At 20,000 records the whole write takes one to three seconds, and on a busy two-core
    # machine (CI runs both databases' suites at once) one step has taken 1.33 s of 2.8 s:
    # the share is judged only past five seconds of writing.
    assert figures["longest_lock_hold_seconds"] <= max(
        1.7, 0.34 * figures["write_transaction_seconds"]
    ), figures
