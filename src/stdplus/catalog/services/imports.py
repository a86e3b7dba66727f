"""Importing one file's records: the orchestrator of the write path, read top to bottom.

    1. read      reading.records_parse      parse and merge every record; a bad row stops here
    2. plan      import_plan                 read the catalog, work out every change and
                                             prepare every row, old values included (no lock)
    3. apply     import_apply                write the rows in short steps, then publish
    4. settle    settle.changes_settle       statuses, then the hooks' listeners (the search
                                             index), in short transactions

Steps 1 and 2 hold no write lock: SQLite in WAL mode lets them read while others write, and
nothing is written until the file is known to be good. Step 3 first checks that the catalog is
still at the generation the plan read (state.py), otherwise the file is planned again, and
takes the catalog for the run; then it only writes prepared rows, a few thousand per
transaction, each step with the way to take it out (journal.py), and publishes the file in a
last short transaction. All or nothing: an error undoes the steps at once, a kill leaves them to
be undone by the next catalog write. On PostgreSQL step 3 is one transaction (writers lock rows,
not the database). Step 4 works through the keys the publishing transaction recorded, so the
work it leaves when interrupted is done by the next write.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from stdplus.catalog.models import ImportRun
from stdplus.core.bulk import PreparedRows, rows_insert
from stdplus.core.collector import bulk_allocations
from stdplus.core.dates import today as today_date

from .classifications import ClassLinksPlan, class_links_plan, class_links_steps
from .facts import FactsPlan, facts_plan, facts_steps
from .inputs import ImportResult, RecordError, StandardIn
from .journal import (
    RunSuperseded,
    StepWrite,
    apply_claim,
    apply_publish,
    catalog_wait_free,
    inserts_steps,
    run_undo,
    step_run,
    stepped,
    steps_sized,
)
from .reading import Parsed, Progress, records_parse
from .relations import RelationsPlan, relations_plan, relations_steps, relations_unresolved
from .settle import changes_settle, pending_prepare
from .standards import StandardsPlan, standards_ids_free, standards_plan, standards_steps
from .state import Pacer, StepTimes, generation_read, statistics_refresh, wal_room

PLAN_ATTEMPTS = 3  # then the catalog is taken first and the last plan made holding it


@dataclass
class ImportPlan:
    """Every change one file makes to the catalog, worked out from one generation of it."""

    run: ImportRun
    generation: int
    standards: StandardsPlan
    classes: ClassLinksPlan
    relations: RelationsPlan
    facts: FactsPlan  # what each source said, where more than one describes a standard
    pending: PreparedRows  # the keys step 4 settles


def import_plan(
    parsed: dict[str, Parsed], *, run: ImportRun, progress: Progress | None = None
) -> ImportPlan:
    """Step 2: read what the catalog holds for these records, work out the changes."""
    source = run.source
    # The records in the order of their keys, whatever the file's: new standards take their
    # ids in it, and their class links, relations and events are written in it, the order in
    # which settling then goes through the keys (`settle.pending_prepare`). A settling step
    # reads and writes the rows of neighbouring ids (standards, class links, search
    # documents), not ids spread over the whole file: SQLite settles 100,000 new standards in
    # a fifth less time.
    parsed = dict(sorted(parsed.items()))
    generation = generation_read()
    standards = standards_plan(parsed, source=source, run_id=run.pk, progress=progress)
    classes = class_links_plan(
        parsed,
        existing=standards.existing,
        ids=standards.ids,
        owners=standards.owners,
        source=source,
    )
    relations = relations_plan(
        parsed, ids=standards.ids, created=standards.new_keys, source=source, run_id=run.pk
    )
    if progress:
        progress("relations", relations.stated, relations.stated)
    facts = facts_plan(
        parsed,
        existing=standards.existing,
        owners=standards.owners,
        ids=standards.ids,
        source=source,
        run_id=run.pk,
    )
    pending = pending_prepare(
        set(parsed) | relations.touched,
        source=source,
        run_id=run.pk,
        created=standards.new_keys,
        changed=standards.new_keys | {s.canonical for s in standards.changed} | classes.changed,
    )
    return ImportPlan(run, generation, standards, classes, relations, facts, pending)


def import_steps(plan: ImportPlan) -> Iterator[StepWrite]:
    """Every write of the plan, a step at a time: standards, their sources' facts, classes,
    relations, events."""
    yield from standards_steps(plan.standards)
    yield from facts_steps(plan.facts)
    yield from class_links_steps(plan.classes, ids=plan.standards.ids)
    yield from relations_steps(plan.relations)
    for events in (plan.standards.events, plan.relations.events):
        yield from inserts_steps(events, lambda _rows: ("events_added", {}))


def _publish(plan: ImportPlan, result: ImportResult) -> None:
    """In the publishing transaction: the keys step 4 settles, and the run's counts."""
    rows_insert(plan.pending)  # settled in step 4: statuses, then hooks.STANDARDS_CHANGED
    standards, run = plan.standards, plan.run
    result.created, result.updated = len(standards.new_keys), len(standards.changed)
    result.unchanged = standards.unchanged
    result.relations_added = len(plan.relations.create)
    result.relations_removed = len(plan.relations.delete)
    result.events = sum(
        len(prepared.rows) if prepared else 0
        for prepared in (standards.events, plan.relations.events)
    )
    run.created, run.updated, run.unchanged = result.created, result.updated, result.unchanged
    run.skipped, run.errors = result.skipped, result.errors[:1000]
    run.finished_at = timezone.now()
    run.save()


def import_apply(
    plan: ImportPlan, result: ImportResult, *, claimed: bool = False, times: StepTimes
) -> bool:
    """Step 3: take the catalog for the run, unless it changed since the plan was made (then
    write nothing and return False); write the plan's steps; publish. `claimed`: the caller
    took the catalog before planning."""
    run = plan.run
    result.write_started, started = time.time(), time.perf_counter()
    with nullcontext() if stepped() else transaction.atomic():  # PostgreSQL: one transaction
        if not claimed:
            with transaction.atomic():
                locked = time.perf_counter()
                claim = apply_claim(
                    run, plan.generation, check=lambda: standards_ids_free(plan.standards)
                )
            times.add(time.perf_counter() - locked, "claim")
            if claim != "claimed":
                return False
        pacer = Pacer()
        try:
            with steps_sized():
                for write in import_steps(plan):
                    step_run(run, write, times, pacer)
            apply_publish(run, lambda: _publish(plan, result), times)
        except RunSuperseded:
            raise  # another process found this one dead and undoes its steps
        except BaseException:
            if stepped():
                run_undo(run.pk)
            raise
        finally:
            times.paused += pacer.paused
    result.write_seconds = time.perf_counter() - started
    return True


def _newest_published(parsed: dict) -> dt.date | None:
    """The newest publication date among the records, not after today: the data is at least
    that old."""
    today = today_date()
    dates = [
        p.record.published
        for p in parsed.values()
        if p.record.published is not None and p.record.published <= today
    ]
    return max(dates, default=None)


@bulk_allocations()
def standards_import(
    *,
    records: Iterable[StandardIn | RecordError],
    source: str,
    path: str,
    skip_invalid: bool = False,
    post_parse: Callable[[dict[str, Parsed]], None] | None = None,
    progress: Progress | None = None,
    as_of: dt.date | None = None,
) -> ImportResult:
    """Load one file's records into the catalog, all or nothing, and report what changed.

    `as_of`: the date the file's data describes, when the importer knows it; else the newest
    publication date among its records (not after today) is taken.

    The file's ImportRun is recorded first; it stays without `finished_at` if the file is not
    written (a bad row, an error, a kill; `rolled_back_at` once its steps are taken out)."""
    started = time.perf_counter()
    result = ImportResult(source=source, path=path)
    parsed = records_parse(  # 1. read
        records, path=path, skip_invalid=skip_invalid, result=result, progress=progress
    )
    if post_parse is not None:
        post_parse(parsed)
    phases = result.phase_seconds
    phases["read"] = time.perf_counter() - started
    catalog_wait_free()  # an import killed while writing is taken out first
    changes_settle()  # what an interrupted earlier write left to settle, if anything
    run = ImportRun.objects.create(
        source=source, path=path, data_date=as_of or _newest_published(parsed)
    )
    with wal_room():  # SQLite: fewer checkpoints while the steps are written
        _import_write(parsed, run=run, result=result, progress=progress)
    result.seconds = time.perf_counter() - started  # the last checkpoint included
    return result


def _import_write(
    parsed: dict[str, Parsed],
    *,
    run: ImportRun,
    result: ImportResult,
    progress: Progress | None,
) -> None:
    """Steps 2 to 4 of `standards_import`: plan, apply, settle."""
    phases = result.phase_seconds
    times = StepTimes()
    for _attempt in range(PLAN_ATTEMPTS):
        catalog_wait_free()
        with _timed(phases, "plan"):
            plan = import_plan(parsed, run=run, progress=progress)  # 2. plan
        with _timed(phases, "apply"):
            applied = import_apply(plan, result, times=times)  # 3. apply
        if applied:
            break
    else:  # the catalog kept changing under the plans: take it, then plan once more
        with nullcontext() if stepped() else transaction.atomic():
            while True:
                catalog_wait_free()
                with transaction.atomic():
                    if apply_claim(run, None) == "claimed":
                        break
            try:
                plan = import_plan(parsed, run=run, progress=progress)
            except BaseException:
                if stepped():
                    run_undo(run.pk)  # nothing written: frees the catalog
                raise
            import_apply(plan, result, claimed=True, times=times)
    with _timed(phases, "settle"):
        statistics_refresh(result.created + result.relations_added)
        settled = changes_settle(progress=progress)  # 4. settle
    result.status_changes, result.events = settled.status_changes, result.events + settled.events
    times.merge(settled.times)
    result.write_steps, result.longest_write_step_seconds = times.steps, times.longest
    result.longest_write_step = times.longest_step
    phases["write_steps_held"], phases["paused"] = times.held, times.paused
    result.unresolved_relations = relations_unresolved()


@contextmanager
def _timed(phases: dict[str, float], name: str) -> Iterator[None]:
    """Add the seconds of the block to `phases[name]` (a phase may run more than once)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        phases[name] = phases.get(name, 0.0) + time.perf_counter() - started
