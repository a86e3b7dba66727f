"""Reading on a second connection (core/parallel.py): where it does, it reads on another
thread's connection what is committed, gives errors back, and leaves no connection open."""

import threading
import time

import pytest
from django.db import connection, transaction

from stdplus.accounts.models import Organization
from stdplus.core.parallel import (
    WORKERS,
    beside_possible,
    connections_close,
    read_beside,
    second_connection,
)

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite is read in this process"
)


def _reader() -> tuple[str, int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_backend_pid()" if connection.vendor == "postgresql" else "SELECT 0"
        )
        pid = cursor.fetchone()[0]
    return threading.current_thread().name, pid, Organization.objects.count()


def _connections_open() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


def test_outside_the_block_the_read_is_made_here(db):
    assert not beside_possible()
    name, _pid, count = read_beside(_reader)()
    assert name == threading.current_thread().name and count == 0


def test_inside_a_transaction_the_read_is_made_here(db):
    # (a test's transaction: another connection would not see its rows)
    Organization.objects.create(kind="other", name_en="Acme")
    with second_connection():
        assert not beside_possible()
        name, _pid, count = read_beside(_reader)()
    assert name == threading.current_thread().name and count == 1


@postgres_only
def test_the_read_is_made_on_another_connection_kept_until_closed(transactional_db, settings):
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 60  # (the suite's own is 0)
    Organization.objects.create(kind="other", name_en="Acme")
    here = _reader()
    before = _connections_open()
    with second_connection():
        assert beside_possible()
        answers = [read_beside(_reader)() for _ in range(4)]
    for name, pid, count in answers:
        assert name.startswith("stdplus-read") and pid != here[1]
        assert count == 1  # what is committed
    # At most one connection per worker thread, kept for the next reads.
    assert len({pid for _name, pid, _count in answers}) <= WORKERS
    assert before < _connections_open() <= before + WORKERS
    connections_close()
    # (a server process leaves pg_stat_activity a moment after its client closed)
    deadline = time.monotonic() + 10
    while _connections_open() > before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _connections_open() == before


@postgres_only
def test_an_error_of_the_read_reaches_the_caller(transactional_db):
    def failing():
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    with second_connection():
        waiting = read_beside(failing)
        with pytest.raises(Exception, match="no_such_table"):
            waiting()
        # the worker's connection is usable again for the next read
        assert read_beside(_reader)()[2] == 0


@postgres_only
def test_nested_blocks(transactional_db):
    with second_connection():
        with second_connection():
            name, _pid, _count = read_beside(_reader)()
        assert beside_possible()
    assert name.startswith("stdplus-read")
    assert not beside_possible()  # outside the block again


def test_a_transaction_inside_the_block_reads_here(transactional_db):
    with second_connection(), transaction.atomic():
        assert not beside_possible()
        name, _pid, _count = read_beside(_reader)()
    assert name == threading.current_thread().name
