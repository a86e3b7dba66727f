"""Reading on a second database connection while this one works (PostgreSQL).

A long read made of index lookups (the validity check asks for the rows of tens of thousands
of keys, one lookup each) keeps one PostgreSQL process busy on one core while this process
waits for it. Given a second connection, the server works on two parts at once on a machine
with a second core.

    with second_connection():
        later = read_beside(lambda: rows_of(second_half))  # starts on the other connection
        rows = rows_of(first_half) + later()                # waits for it

Only outside a transaction: another connection does not see this one's uncommitted writes,
and a statement outside a transaction already reads the data as committed when it starts, so
two connections reading at once see what one would (each statement its own snapshot). Inside
a transaction (a test's, or a write's), outside `second_connection`, and on SQLite (read in
this process, under its lock: nothing to gain) the read is made at once, here.

The block's reads share WORKERS threads, each with its own connection, opened by its first
read and closed when the block ends (a connection per read cost 4-5 ms and a cold server
process each time: a 10,000-line check at 5,000,000 standards lost more than the split gained).
"""

from __future__ import annotations

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
_worker: ContextVar[ThreadPoolExecutor | None] = ContextVar("stdplus_read_worker", default=None)


@contextmanager
def second_connection() -> Iterator[None]:
    """Inside: `read_beside` reads on a second connection where it can (`beside_possible`)."""
    if _worker.get() is not None or not _possible():
        yield
        return
    worker = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="stdplus-read")
    token = _worker.set(worker)
    try:
        yield
    finally:
        _worker.reset(token)
        try:
            _close_each(worker)
        finally:
            worker.shutdown(wait=True)


def _close_each(worker: ThreadPoolExecutor) -> None:
    """Close the connection of each of the worker's threads: one task per thread (each waits at
    the barrier until every thread holds one)."""
    barrier = threading.Barrier(WORKERS)

    def close() -> None:
        connections.close_all()
        barrier.wait(timeout=60)

    for future in [worker.submit(close) for _ in range(WORKERS)]:
        future.result()


def beside_possible() -> bool:
    """Whether `read_beside` would read on the other connection (else it reads at once)."""
    return _worker.get() is not None and _possible()


def _possible() -> bool:
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def read_beside(read: Callable[[], T]) -> Callable[[], T]:
    """Start `read` (it reads only, through `django.db.connection`) on the second connection,
    and return the function that waits for its result (or raises its error). Where
    `beside_possible` says no, `read` runs here first."""
    worker = _worker.get()
    if worker is None or not _possible():
        value = read()
        return lambda: value
    return worker.submit(read).result
