"""The catalog's generation, raised by every write of standards, their classes or relations;
and the pace of writers that work in many short transactions.

An import plans its changes without holding the write lock and applies them only if the
catalog's generation is still the one it planned at (`generation_claim`); otherwise it plans
again. On PostgreSQL the claim also locks the row, so two writers apply one after the other.
While an import writes its rows in short steps (journal.py), `CatalogState.applying_run` names
it, and no other catalog write starts (`generation_claim` refuses).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from stdplus.catalog.models import CatalogState
from stdplus.core.errors import ApplicationError
from stdplus.core.sqlite import marker_path, wanted_stamp

# A writer that works in many short transactions pauses PAUSE seconds after about PAUSE_EVERY
# seconds of work when another writer said it waits for the lock (stdplus.core.sqlite: every
# writer of the site does), and after QUIET_EVERY seconds in any case (a writer outside the
# site, such as the sqlite3 shell, cannot say so). SQLite has no queue for its write lock: a
# writer waiting for it retries every 0.1 s, so a shorter gap could pass without it noticing,
# and one that never comes would leave it waiting until the busy timeout.
PAUSE_EVERY = 0.5
QUIET_EVERY = 3.0
PAUSE = 0.15


class Pacer:
    """Counts the time of a run of short write transactions and pauses between two of them
    once it has worked PAUSE_EVERY seconds and a writer waits, or QUIET_EVERY seconds, so that
    other writers get the lock. Never pauses inside a transaction (the lock would not be
    released), nor on PostgreSQL, where writers lock the rows they write, not the database:
    nobody waits for the gap there."""

    def __init__(
        self, pause: float = PAUSE, every: float = PAUSE_EVERY, quiet_every: float = QUIET_EVERY
    ):
        sqlite = connection.vendor == "sqlite"
        self.pause = pause if sqlite else 0.0
        self.every = every
        self.quiet_every = max(quiet_every, every)
        self.since = time.perf_counter()  # the end of the last gap of a pause's length
        self.last_end: float | None = None  # when the last transaction ended
        self.paused = 0.0  # seconds slept so far
        self.marker = marker_path(connection.settings_dict["NAME"]) if sqlite else None
        self.seen = wanted_stamp(self.marker)  # the last wait of another writer seen

    def _due(self, worked: float) -> bool:
        """Whether a pause is due after `worked` seconds of work since the last one."""
        if worked >= self.quiet_every:
            return True
        if worked < self.every:
            return False
        stamp = wanted_stamp(self.marker)
        if stamp is None or stamp == self.seen:
            return False
        self.seen = stamp
        return True

    def step_done(self, started: float | None = None, *, wait: bool = True) -> None:
        """After a transaction: pause if due (`wait`; else `gap_fill` does it before the
        next). `started`: when it took the lock, if the writer worked without the lock before
        it: a gap as long as a pause lets waiting writers in as a pause does, so the count of
        work starts again there."""
        if not self.pause or connection.in_atomic_block:
            return
        now = time.perf_counter()
        if (
            started is not None
            and self.last_end is not None
            and started - self.last_end >= self.pause
        ):
            self.since = started
        self.last_end = now
        if wait and self._due(now - self.since):
            time.sleep(self.pause)
            self.paused += self.pause
            self.since = self.last_end = time.perf_counter()

    def gap_fill(self) -> None:
        """Right before taking the lock again, after work done without it since the last
        transaction: if a pause is due, sleep only what that gap lacks of a pause's length."""
        if not self.pause or connection.in_atomic_block or self.last_end is None:
            return
        if self._due(self.last_end - self.since):
            rest = self.pause - (time.perf_counter() - self.last_end)
            if rest > 0:
                time.sleep(rest)
                self.paused += rest
            self.since = time.perf_counter()


# What a short write transaction of a writer that works in many aims to hold the write lock for.
STEP_SECONDS = 0.25


class StepSizer:
    """How much the next of a run of short write transactions takes on (rows to write, or
    records of keys to settle): as much as the last one would have done in STEP_SECONDS at
    the pace it went, at least `least`, at most `most`, and at most twice as much as the last
    (the next may write a slower kind of row). Each commit writes every page its rows changed
    to SQLite's log, and in a small step few rows share a page of a large index; each step
    also repeats a few queries. So larger steps write fewer pages and run fewer queries a row:
    an import makes large steps while the machine is quiet and small ones when it is busy, and
    holds the lock about as long either way. On PostgreSQL, where writers lock rows, not the
    database, always `most`."""

    def __init__(self, least: int, most: int, seconds: float = STEP_SECONDS):
        self.least, self.most, self.seconds = least, max(least, most), seconds
        self.next = least if connection.vendor == "sqlite" else self.most

    def observe(self, seconds: float) -> None:
        """The last step, of `next` (or fewer, the rest) rows, held the lock `seconds`."""
        if connection.vendor != "sqlite":
            return
        fit = self.next * self.seconds / max(seconds, 0.001)
        self.next = int(max(self.least, min(self.most, 2 * self.next, fit)))


# Pages SQLite's log (WAL) may hold before a commit copies them into the database file while
# an import writes (`wal_room`); SQLite's default is 1,000 (4 MB).
IMPORT_WAL_PAGES = 10_000


@contextmanager
def wal_room(pages: int = IMPORT_WAL_PAGES) -> Iterator[None]:
    """SQLite: let the log grow to `pages` before a commit copies it into the database file
    (a checkpoint), for a writer of many short transactions; then copy what is left and go
    back to the default. With the default, a checkpoint ran every few steps of an import and
    copied the same index pages again each time (7 s of a 100,000-record import's 75). Readers
    are not slowed (they find pages in the log through its index); a kill leaves a longer log
    for the next writer's commit to copy. Elsewhere: nothing."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        default = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA wal_autocheckpoint={int(pages)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint={int(default)}")
            if not connection.in_atomic_block:
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


# The tables whose statistics settling's queries plan by, and how many rows an import must add
# for them to be read again before it settles (PostgreSQL).
STATISTICS_TABLES = (
    "catalog_standard",
    "catalog_relation",
    "catalog_standard_classifications",
)
STATISTICS_AFTER_ROWS = 10_000


def statistics_refresh(rows_added: int) -> None:
    """PostgreSQL: after a write that added many rows, read the statistics of the tables
    settling queries again (`ANALYZE`: a sample, well under a second), so that its plans
    follow the catalog's size: an import into a young catalog otherwise settles with the
    plans of the empty tables, until autovacuum catches up. SQLite plans without them."""
    if connection.vendor != "postgresql" or rows_added < STATISTICS_AFTER_ROWS:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(STATISTICS_TABLES)}")


@dataclass
class StepTimes:
    """How many short write transactions a writer made and the longest (the lock held)."""

    steps: int = 0
    longest: float = 0.0
    longest_step: str = ""  # what the longest wrote
    held: float = 0.0  # all of them together: the write lock held (SQLite)
    paused: float = 0.0  # the pauses between them (Pacer)

    def add(self, seconds: float, what: str) -> None:
        self.steps += 1
        self.held += seconds
        if seconds > self.longest:
            self.longest, self.longest_step = seconds, what

    def merge(self, other: StepTimes) -> None:
        self.steps += other.steps
        self.held += other.held
        self.paused += other.paused
        if other.longest > self.longest:
            self.longest, self.longest_step = other.longest, other.longest_step


def generation_read() -> int:
    value = CatalogState.objects.filter(pk=1).values_list("generation", flat=True).first()
    return value or 0


def state_lock() -> CatalogState:
    """The catalog state row, locked for the caller's transaction (created if missing)."""
    state, _created = CatalogState.objects.select_for_update().get_or_create(pk=1)
    return state


def catalog_busy_error() -> ApplicationError:
    return ApplicationError(
        _("An import is writing to the catalog right now; try again in a minute."),
        code="catalog_busy",
        status=409,
    )


def generation_claim(expected: int | None) -> bool:
    """In the writer's transaction: raise the generation, unless it is no longer `expected`
    (None: any). Returns whether the writer may go on. Raises `catalog_busy` (409) while an
    import writes its rows in steps."""
    state = state_lock()
    if state.applying_run_id is not None:
        raise catalog_busy_error()
    if expected is not None and state.generation != expected:
        return False
    CatalogState.objects.filter(pk=1).update(generation=F("generation") + 1)
    return True
