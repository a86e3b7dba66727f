"""Writing an import in short steps, all or nothing, and taking out a run that did not finish.

On SQLite one transaction holds the database's only write lock, so a file written in one
transaction makes every other write (a login, a saved check) wait for it: at 200,000 records
longer than the busy timeout. Here a run's rows are written in steps, each its own transaction
of a fraction of a second (STEP_ROWS rows at first; then as many as the last step's pace fits
in a quarter of a second, up to STEP_ROWS_MOST: state.StepSizer), with a pause now and then
(state.Pacer) so that waiting writers get in. The file stays all or nothing:

- `apply_claim` names the run in `CatalogState.applying_run` (with the host and process that
  write it) in the transaction that checks the plan's generation. Until the run is published
  or rolled back, no other catalog write starts (`state.generation_claim` refuses, other
  imports wait), so what a step writes is exactly what the plan says.
- Every step writes, in its own transaction, an `ImportUndo` row saying how to take it out:
  the ids of the standards it created, the values the fields it changed had before, the links
  and relations it added or removed.
- `apply_publish` writes the keys to settle, finishes the run, removes its undo rows and frees
  the catalog, in one transaction: the moment the file is in.
- A run that fails is undone at once (`run_undo`, newest step first, each undo its own short
  transaction that removes its row). A run whose process was killed is undone by the next
  catalog write (`catalog_recover`: every import and edit calls it first): its process is gone,
  or it has not written a step for STALE.

Readers see a file's rows arrive during the apply (seconds, a few tens at 200,000 records on a
loaded machine) and, after a kill, until the next catalog write undoes them; search documents
and derived statuses follow at settling as before. On PostgreSQL writers lock rows, not the
database, so the steps run in one transaction there (`stepped()` is False) and no undo rows are
needed: an error or a kill rolls it back.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from datetime import timedelta
from typing import TypeVar

from django.db import connection, transaction
from django.db.models import F, ProtectedError
from django.utils import timezone

from stdplus.catalog.models import (
    CatalogState,
    ChangeEvent,
    Classification,
    ImportRun,
    ImportUndo,
    Relation,
    SourceFacts,
    Standard,
)
from stdplus.core.bulk import PreparedRows, rows_insert, rows_prepare

from .state import Pacer, StepSizer, StepTimes, state_lock

# Rows per step (state.StepSizer): at first, and at least, STEP_ROWS, a fraction of a second
# even on a loaded machine; as the steps go quickly, up to STEP_ROWS_MOST.
STEP_ROWS = 2500
STEP_ROWS_MOST = 20_000
STALE = timedelta(seconds=120)  # a run that wrote no step for this long is taken as dead
WAIT_POLL = 0.5  # seconds between two looks at a run another process is writing

Undo = tuple[str, dict]  # (action, data) of an ImportUndo row
StepWrite = Callable[[], Undo | None]  # writes a step's rows; says how to take them out


class RunSuperseded(RuntimeError):
    """The run's claim on the catalog was taken over: it was found dead and rolled back."""


def stepped() -> bool:
    """Whether an import is written in short transactions (SQLite) or in one (PostgreSQL)."""
    return connection.vendor == "sqlite"


T = TypeVar("T")
_sizer: ContextVar[StepSizer | None] = ContextVar("stdplus_step_sizer", default=None)


@contextmanager
def steps_sized() -> Iterator[StepSizer]:
    """Size the steps made inside by the pace of the steps run (`step_run`); outside, every
    step is STEP_ROWS rows."""
    sizer = StepSizer(STEP_ROWS, STEP_ROWS_MOST)
    token = _sizer.set(sizer)
    try:
        yield sizer
    finally:
        _sizer.reset(token)


def step_rows() -> int:
    """Rows the next step takes (read as each step is made, right before it runs)."""
    sizer = _sizer.get()
    return STEP_ROWS if sizer is None else sizer.next


def spans(count: int) -> Iterator[slice]:
    """The positions of `count` items in consecutive steps of `step_rows()` each, the size
    read as each step is made."""
    start = 0
    while start < count:
        size = step_rows()
        yield slice(start, start + size)
        start += size


def parts(items: list[T]) -> Iterator[list[T]]:
    """`items` in consecutive steps (`spans`)."""
    for span in spans(len(items)):
        yield items[span]


def inserts_steps(
    prepared: PreparedRows | None, undo: Callable[[list[tuple]], Undo]
) -> Iterator[StepWrite]:
    """Steps that insert prepared rows; `undo(rows)` says how to take a step's rows out."""
    if prepared is None:
        return
    for rows in parts(prepared.rows):
        part = replace(prepared, rows=rows)

        def write(part: PreparedRows = part) -> Undo:
            rows_insert(part)
            return undo(part.rows)

        yield write


def updates_steps(
    model, names: list[str], rows: list[tuple], olds: list, action: str
) -> Iterator[StepWrite]:
    """Steps that update rows by id: `rows` hold the new values of `names` (ready for the
    database) then the id; `olds` the matching [id, [old values as JSON]]."""
    sql = update_sql(model, names)
    for span in spans(len(rows)):

        def write(part=rows[span], before=olds[span]) -> Undo:
            with connection.cursor() as cursor:
                cursor.executemany(sql, part)
            return action, {"fields": names, "rows": before}

        yield write


# -- the claim -------------------------------------------------------------------------------


def _holder() -> tuple[str, int]:
    return socket.gethostname()[:255], os.getpid()


def _process_gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] in ("Z", "X")  # a zombie
    except FileNotFoundError:
        return True
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def holder_dead(state: CatalogState) -> bool:
    """Whether the process that holds the catalog for a run is gone. On this machine its
    process says so (a long plan or a slow step is no sign of death); another machine's
    process is taken for dead once it has written no step for STALE."""
    host, pid = _holder()
    if state.applying_host == host and state.applying_pid:
        return state.applying_pid == pid or _process_gone(state.applying_pid)
    return state.applying_seen is None or timezone.now() - state.applying_seen > STALE


def _hold(state: CatalogState, run_id: int) -> None:
    host, pid = _holder()
    CatalogState.objects.filter(pk=state.pk).update(
        applying_run_id=run_id, applying_host=host, applying_pid=pid, applying_seen=timezone.now()
    )


def apply_claim(run: ImportRun, expected: int | None, check: Callable[[], bool] | None = None):
    """In the caller's transaction: take the catalog for `run` if its generation is still
    `expected` (None: any) and `check()` holds. Returns "claimed", "stale" (plan again) or
    "busy" (another run holds the catalog)."""
    state = state_lock()
    if state.applying_run_id is not None and state.applying_run_id != run.pk:
        return "busy"
    if expected is not None and state.generation != expected:
        return "stale"
    if check is not None and not check():
        return "stale"
    CatalogState.objects.filter(pk=state.pk).update(generation=F("generation") + 1)
    if stepped():
        _hold(state, run.pk)
    return "claimed"


def _hold_check(run_id: int) -> None:
    """In a step's transaction: the run still holds the catalog, and says it is alive."""
    state = state_lock()
    host, pid = _holder()
    if (state.applying_run_id, state.applying_host, state.applying_pid) != (run_id, host, pid):
        raise RunSuperseded(f"import run {run_id} no longer holds the catalog")
    now = timezone.now()
    if state.applying_seen is None or now - state.applying_seen > timedelta(seconds=1):
        CatalogState.objects.filter(pk=state.pk).update(applying_seen=now)


def step_run(run: ImportRun, write: StepWrite, times: StepTimes, pacer: Pacer) -> None:
    """One step: its rows and the way to take them out, in one transaction."""
    with transaction.atomic():  # SQLite: BEGIN IMMEDIATE, the write lock from here
        started = time.perf_counter()
        if stepped():
            _hold_check(run.pk)
        undo = write()
        if undo is not None and stepped():
            ImportUndo.objects.create(run=run, action=undo[0], data=undo[1])
    held = time.perf_counter() - started
    times.add(held, undo[0] if undo else "step")
    if (sizer := _sizer.get()) is not None:
        sizer.observe(held)
    pacer.step_done()


def apply_publish(run: ImportRun, write: Callable[[], None], times: StepTimes) -> None:
    """The last step: `write()` (the keys to settle, the run's counts), then the run's undo rows
    go and the catalog is free. From here the file is in."""
    with transaction.atomic():
        started = time.perf_counter()
        if stepped():
            _hold_check(run.pk)
        write()
        ImportUndo.objects.filter(run=run).delete()
        CatalogState.objects.filter(pk=1).update(
            applying_run=None, applying_host="", applying_pid=None, applying_seen=None
        )
    times.add(time.perf_counter() - started, "publish")


def catalog_wait_free(*, timeout: float | None = None) -> bool:
    """Undo what a dead run left, and wait while a live one writes (outside any transaction).
    Returns whether the catalog is free (False: `timeout` seconds passed first)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        catalog_recover()
        state = CatalogState.objects.filter(pk=1).first()
        if state is None or state.applying_run_id is None:
            return True
        if deadline is not None and time.monotonic() >= deadline:
            return False
        time.sleep(WAIT_POLL)


# -- taking a run out ------------------------------------------------------------------------


def catalog_recover() -> int | None:
    """If the run holding the catalog is dead, take it over and undo it; returns its id."""
    if not stepped():
        return None
    state = CatalogState.objects.filter(pk=1).first()  # a read: no lock while all is well
    if state is None or state.applying_run_id is None or not holder_dead(state):
        return None
    with transaction.atomic():
        state = state_lock()
        if state.applying_run_id is None or not holder_dead(state):
            return None
        run_id = state.applying_run_id
        _hold(state, run_id)
    run_undo(run_id)
    return run_id


def run_undo(run_id: int) -> None:
    """Take out every step of a run this process holds, newest first, each in a short
    transaction; then free the catalog and mark the run rolled back."""
    pacer = Pacer()
    while True:
        with transaction.atomic():
            _hold_check(run_id)
            entry = ImportUndo.objects.filter(run_id=run_id).order_by("-pk").first()
            if entry is None:
                break
            if UNDO[entry.action](entry.data, run_id):
                entry.delete()
        pacer.step_done()
    with transaction.atomic():
        _hold_check(run_id)
        CatalogState.objects.filter(pk=1).update(
            generation=F("generation") + 1,
            applying_run=None,
            applying_host="",
            applying_pid=None,
            applying_seen=None,
        )
        ImportRun.objects.filter(pk=run_id).update(rolled_back_at=timezone.now())


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _ids_param(ids: list[int]) -> tuple[str, list]:
    """`IN (...)` over many ids as one parameter: a JSON array on SQLite, an array on PG."""
    if connection.vendor == "sqlite":
        return "IN (SELECT value FROM json_each(%s))", [json.dumps(ids)]
    return "= ANY(%s)", [ids]


def _undo_events(_data: dict, run_id: int) -> bool:
    """Events are immutable; the only ones removed are those of a run that never finished, a
    step at a time (True when none is left)."""
    table = _table(ChangeEvent)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE import_run_id = %s "
            f"LIMIT {step_rows() * 2})",
            [run_id],
        )
        return cursor.rowcount < step_rows() * 2


def _undo_standards_created(data: dict, _run_id: int) -> bool:
    ids = data["ids"]
    among, param = _ids_param(ids)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table(ChangeEvent)} WHERE standard_id {among}", param)
    try:
        Standard.objects.filter(pk__in=ids).delete()  # cascades to links and search documents
    except ProtectedError as error:
        # Someone linked a standard of the unfinished run (a pilot, in the seconds it could be
        # seen): that one stays, the others go.
        kept = {getattr(obj, "standard_id", None) for obj in error.protected_objects}
        Standard.objects.filter(pk__in=set(ids) - kept).delete()
    return True


def _python_values(model, names: list[str], values: list) -> list:
    """Values as an undo row stores them (JSON: dates as text) back to Python."""
    fields = [model._meta.get_field(name) for name in names]
    return [f.to_python(v) for f, v in zip(fields, values, strict=True)]


def _field_values(model, names: list[str], values: list) -> list:
    fields = [model._meta.get_field(name) for name in names]
    python = _python_values(model, names, values)
    return [f.get_db_prep_save(v, connection) for f, v in zip(fields, python, strict=True)]


def update_sql(model, names: list[str]) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(model._meta.get_field(n).column)} = %s" for n in names)
    return f"UPDATE {_table(model)} SET {columns} WHERE id = %s"


def _undo_updates(model) -> Callable[[dict, int], bool]:
    def undo(data: dict, _run_id: int) -> bool:
        names = data["fields"]
        rows = [(*_field_values(model, names, old), pk) for pk, old in data["rows"]]
        with connection.cursor() as cursor:
            cursor.executemany(update_sql(model, names), rows)
        return True

    return undo


Through = Standard.classifications.through


def _undo_links_added(data: dict, _run_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.executemany(
            f"DELETE FROM {_table(Through)} WHERE standard_id = %s AND classification_id = %s",
            [tuple(pair) for pair in data["pairs"]],
        )
    return True


def _undo_links_removed(data: dict, _run_id: int) -> bool:
    rows_insert(
        rows_prepare(
            Through, ("id", "standard", "classification"), data["rows"], ignore_conflicts=True
        )
    )
    return True


def _undo_classes_created(data: dict, _run_id: int) -> bool:
    for pk in sorted(data["ids"], reverse=True):  # parents were created before their children
        Classification.objects.filter(pk=pk).delete()
    return True


def _undo_relations_added(data: dict, _run_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.executemany(
            f"DELETE FROM {_table(Relation)} WHERE from_key = %s AND type = %s AND to_key = %s",
            [tuple(triple) for triple in data["triples"]],
        )
    return True


def _undo_relations_deleted(data: dict, _run_id: int) -> bool:
    names = data["fields"]
    rows_insert(
        rows_prepare(
            Relation,
            names,
            (_python_values(Relation, names, row) for row in data["rows"]),
            ignore_conflicts=True,
        )
    )
    return True


def _undo_relations_resolved(data: dict, _run_id: int) -> bool:
    among, param = _ids_param(data["ids"])
    with connection.cursor() as cursor:
        for end in ("from", "to"):
            cursor.execute(
                f"UPDATE {_table(Relation)} SET {end}_standard_id = NULL "
                f"WHERE {end}_standard_id {among}",
                param,
            )
    return True


def _undo_source_facts_added(data: dict, _run_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.executemany(
            f"DELETE FROM {_table(SourceFacts)} WHERE standard_id = %s AND source = %s",
            [tuple(pair) for pair in data["pairs"]],
        )
    return True


# What each step writes, and how it is taken out (each returns True when its row is done).
UNDO: dict[str, Callable[[dict, int], bool]] = {
    "events_added": _undo_events,
    "standards_created": _undo_standards_created,
    "standards_updated": _undo_updates(Standard),
    "classes_created": _undo_classes_created,
    "links_added": _undo_links_added,
    "links_removed": _undo_links_removed,
    "relations_added": _undo_relations_added,
    "relations_updated": _undo_updates(Relation),
    "relations_deleted": _undo_relations_deleted,
    "relations_resolved": _undo_relations_resolved,
    "source_facts_added": _undo_source_facts_added,
    "source_facts_updated": _undo_updates(SourceFacts),
}
