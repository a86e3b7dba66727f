"""Reading on a second database connection while this one works (PostgreSQL).

A long read made of index lookups (the validity check asks for the rows of tens of thousands
of keys, one lookup each; a broad search reads the first 2,000 matches for its facets) keeps
one PostgreSQL process busy on one core while this process waits for it. Given a second
connection, the server works on two parts at once on a machine with a second core.

    with second_connection():
        later = read_beside(lambda: rows_of(second_half))  # starts on the other connection
        rows = rows_of(first_half) + later()                # waits for it

Only outside a transaction: another connection does not see this one's uncommitted writes,
and a statement outside a transaction already reads the data as committed when it starts, so
two connections reading at once see what one would (each statement its own snapshot). Inside
a transaction (a test's, or a write's), outside `second_connection`, and on SQLite (read in
this process, under its lock: nothing to gain) the read is made at once, here.

The reads go to WORKERS threads of the process, each with its own connection, kept open
between reads as the database's CONN_MAX_AGE allows (checked before each read, as Django
does between requests): a connection per read cost 4-5 ms to open and 7 ms more for the
first statement of a new server process, as much as a search gains. `connections_close`
closes them (the tests, after each test, so that their database can be dropped).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from django.db import connection, connections

T = TypeVar("T")
# Two: a long read runs beside this connection's work while another splits a large lookup
# with it (the check: the numbers near unknown identifiers, then the rows of the judged ones).
WORKERS = 2
_allowed: ContextVar[bool] = ContextVar("stdplus_read_beside", default=False)
_pool: ThreadPoolExecutor | None = None
_pool_pid: int | None = None
_lock = threading.Lock()


@contextmanager
def second_connection() -> Iterator[None]:
    """Inside: `read_beside` reads on a second connection where it can (`beside_possible`)."""
    token = _allowed.set(True)
    try:
        yield
    finally:
        _allowed.reset(token)


def beside_possible() -> bool:
    """Whether `read_beside` would read on the other connection (else it reads at once)."""
    return _allowed.get() and connection.vendor == "postgresql" and not connection.in_atomic_block


def read_beside(read: Callable[[], T]) -> Callable[[], T]:
    """Start `read` (it reads only, through `django.db.connection`) on the second connection,
    and return the function that waits for its result (or raises its error). Where
    `beside_possible` says no, `read` runs here first."""
    if not beside_possible():
        value = read()
        return lambda: value
    return _executor().submit(_read, read).result


def _read(read: Callable[[], T]) -> T:
    connection.close_if_unusable_or_obsolete()  # this thread's: too old, or broken
    return read()


def connections_close() -> None:
    """Close the worker threads' connections, if any were opened."""
    with _lock:
        pool = _pool if _pool_pid == os.getpid() else None
    if pool is None:  # (made by the first read beside)
        return
    barrier = threading.Barrier(WORKERS)

    def close() -> None:  # one per thread: each waits at the barrier until all hold one
        connections.close_all()
        barrier.wait(timeout=60)

    for future in [pool.submit(close) for _ in range(WORKERS)]:
        future.result()


def _executor() -> ThreadPoolExecutor:
    global _pool, _pool_pid
    with _lock:
        if _pool is None or _pool_pid != os.getpid():  # (a forked process starts its own)
            _pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="stdplus-read")
            _pool_pid = os.getpid()
        return _pool
