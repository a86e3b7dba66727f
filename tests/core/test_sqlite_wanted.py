"""SQLite writers say when they wait for the write lock, and a long import pauses for them only
then (or after QUIET_EVERY seconds of work): stdplus.core.sqlite and catalog.services.state.Pacer."""

from __future__ import annotations

import os
import sqlite3
import threading
import time

import pytest
from django.db import connection

from stdplus.catalog.services.state import Pacer
from stdplus.core.sqlite import marker_path, wanted_announce, wanted_stamp
from stdplus.core.sqlite.base import DatabaseWrapper


def _wrapper(path, alias: str) -> DatabaseWrapper:
    settings_dict = {
        **connection.settings_dict,
        "ENGINE": "stdplus.core.sqlite",
        "NAME": str(path),
        "OPTIONS": {"timeout": 10, "transaction_mode": "IMMEDIATE"},
        "TEST": {},
    }
    return DatabaseWrapper(settings_dict, alias=alias)


@pytest.fixture
def database(tmp_path, django_db_blocker):
    """A SQLite file of its own (whatever the suite's database), open to these tests."""
    path = tmp_path / "site.sqlite3"
    setup = sqlite3.connect(path)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE t (n INTEGER)")
    setup.commit()
    setup.close()
    with django_db_blocker.unblock():
        yield path


@pytest.mark.parametrize(
    "statements",
    [
        ["INSERT INTO t VALUES (1)"],  # a single write in autocommit (Model.save)
        ["BEGIN IMMEDIATE", "INSERT INTO t VALUES (1)", "COMMIT"],  # an atomic block
    ],
)
def test_a_writer_that_finds_the_lock_taken_says_so_then_waits_and_writes(database, statements):
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    marker = marker_path(database)
    done: list[BaseException | None] = []

    def write():
        site = _wrapper(database, "wanted_test")  # (a connection lives in its thread)
        try:
            cursor = site.cursor()
            for statement in statements:
                cursor.execute(statement)
            done.append(None)
        except BaseException as error:  # noqa: BLE001 - reported below
            done.append(error)
        finally:
            site.close()

    writer = threading.Thread(target=write)
    writer.start()
    deadline = time.monotonic() + 5
    while not os.path.exists(marker) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert os.path.exists(marker), "the waiting writer did not say so"
    assert not done, "the writer did not wait for the lock"
    holder.execute("COMMIT")
    writer.join(10)
    assert done == [None]
    assert holder.execute("SELECT count(*) FROM t").fetchone()[0] == 1
    holder.close()


def test_a_writer_that_gets_the_lock_at_once_says_nothing(database):
    site = _wrapper(database, "wanted_quiet")
    cursor = site.cursor()
    cursor.execute("INSERT INTO t VALUES (1)")
    cursor.execute("BEGIN IMMEDIATE")
    cursor.execute("INSERT INTO t VALUES (2)")
    cursor.execute("COMMIT")
    cursor.execute("SELECT count(*) FROM t")
    assert cursor.fetchone()[0] == 2
    site.close()
    assert not os.path.exists(marker_path(database))


def test_other_errors_are_not_taken_for_a_wait(database):
    site = _wrapper(database, "wanted_error")
    with pytest.raises(Exception, match="no such table"):
        site.cursor().execute("INSERT INTO missing VALUES (1)")
    site.close()
    assert not os.path.exists(marker_path(database))


def test_databases_in_memory_have_no_marker():
    assert marker_path(":memory:") is None
    assert marker_path("file:memorydb_default?mode=memory&cache=shared") is None
    assert marker_path("/srv/stdplus/db.sqlite3") == "/srv/stdplus/db.sqlite3-wanted"


def _pacer(marker: str, *, every: float, quiet_every: float) -> Pacer:
    pacer = Pacer(pause=0.05, every=every, quiet_every=quiet_every)
    pacer.pause = 0.05  # (the suite may run on PostgreSQL, where a Pacer never pauses)
    pacer.marker, pacer.seen = marker, wanted_stamp(marker)
    return pacer


def _work(pacer: Pacer, seconds: float) -> float:
    """One step of `seconds`; what the pacer slept after it."""
    before = pacer.paused
    time.sleep(seconds)
    pacer.step_done()
    return pacer.paused - before


def test_the_pacer_pauses_only_when_another_writer_waits_or_after_the_quiet_interval(tmp_path):
    marker = str(tmp_path / "db.sqlite3-wanted")
    pacer = _pacer(marker, every=0.05, quiet_every=60)
    assert _work(pacer, 0.06) == 0  # nobody waits: no pause
    open(marker, "w").close()  # another process's writer waits
    assert _work(pacer, 0.06) == pytest.approx(0.05)
    later = time.time_ns() + 10**9
    os.utime(marker, ns=(later, later))  # another wait
    assert _work(pacer, 0.01) == 0  # but the pacer has not worked `every` since its pause
    assert _work(pacer, 0.05) == pytest.approx(0.05)
    assert _work(pacer, 0.06) == 0  # that writer got in during the pause; nobody else waits

    quiet = _pacer(marker, every=0.02, quiet_every=0.04)
    assert _work(quiet, 0.025) == 0
    assert _work(quiet, 0.025) == pytest.approx(0.05)  # nobody said so, but 0.05 s of work


def test_a_process_does_not_pause_for_its_own_waits(tmp_path):
    marker = str(tmp_path / "db.sqlite3-wanted")
    pacer = _pacer(marker, every=0.02, quiet_every=60)
    wanted_announce(marker)  # this process's own writer waited (for another writer)
    assert _work(pacer, 0.03) == 0
