"""Importing one file's records: the orchestrator of the write path, read top to bottom.

    1. read      reading.records_parse      parse and merge every record; a bad row stops here
    2. plan      import_plan                 read the catalog, work out every change and
                                             prepare every row (no write lock)
    3. apply     import_apply                write the rows in one short transaction
    4. settle    settle.changes_settle       statuses, then the hooks' listeners (the search
                                             index), in short transactions

Steps 1 and 2 hold no write lock: SQLite in WAL mode lets them read while others write, and
nothing is written until the file is known to be good. Step 3 is the file's one transaction
(all or nothing: a kill leaves nothing half-written) and only writes prepared rows; it first
checks that the catalog is still at the generation the plan read (state.py), and otherwise
the file is planned again. Step 4 works through the keys step 3 recorded in its transaction,
so the work it leaves when interrupted is done by the next write.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from stdplus.catalog.models import ImportRun
from stdplus.core.bulk import PreparedRows, rows_insert

from .classifications import ClassLinksPlan, class_links_apply, class_links_plan
from .inputs import ImportResult, RecordError, StandardIn
from .reading import Parsed, Progress, records_parse
from .relations import RelationsPlan, relations_apply, relations_plan, relations_unresolved
from .settle import changes_settle, pending_prepare
from .standards import StandardsPlan, standards_apply, standards_plan
from .state import generation_claim, generation_read

PLAN_ATTEMPTS = 3  # then the last plan is made inside the transaction, holding the lock


@dataclass
class ImportPlan:
    """Every change one file makes to the catalog, worked out from one generation of it."""

    run: ImportRun
    generation: int
    standards: StandardsPlan
    classes: ClassLinksPlan
    relations: RelationsPlan
    pending: PreparedRows  # the keys step 4 settles


def import_plan(
    parsed: dict[str, Parsed], *, run: ImportRun, progress: Progress | None = None
) -> ImportPlan:
    """Step 2: read what the catalog holds for these records, work out the changes."""
    source = run.source
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
    pending = pending_prepare(
        set(parsed) | relations.touched,
        source=source,
        run_id=run.pk,
        created=standards.new_keys,
        changed=standards.new_keys | {s.canonical for s in standards.changed} | classes.changed,
    )
    return ImportPlan(run, generation, standards, classes, relations, pending)


def import_apply(plan: ImportPlan, result: ImportResult, *, claim: bool = True) -> bool:
    """Step 3, in the caller's transaction: write the plan, unless the catalog changed since
    it was made (then write nothing and return False). `claim=False`: the caller claimed the
    generation before planning."""
    if claim and not generation_claim(plan.generation):
        return False
    if not standards_apply(plan.standards):
        return False
    class_links_apply(plan.classes, ids=plan.standards.ids)
    relations_apply(plan.relations)
    # Settled in step 4: statuses, then the listeners of hooks.STANDARDS_CHANGED (search.index).
    rows_insert(plan.pending)
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
    return True


def standards_import(
    *,
    records: Iterable[StandardIn | RecordError],
    source: str,
    path: str,
    skip_invalid: bool = False,
    post_parse: Callable[[dict[str, Parsed]], None] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Load one file's records into the catalog, all or nothing, and report what changed.

    The file's ImportRun is recorded first; it stays without `finished_at` if the file is not
    written (a bad row, an error, a kill)."""
    started = time.perf_counter()
    result = ImportResult(source=source, path=path)
    parsed = records_parse(  # 1. read
        records, path=path, skip_invalid=skip_invalid, result=result, progress=progress
    )
    if post_parse is not None:
        post_parse(parsed)
    changes_settle()  # what an interrupted earlier write left to settle, if anything
    run = ImportRun.objects.create(source=source, path=path)
    for _attempt in range(PLAN_ATTEMPTS):
        plan = import_plan(parsed, run=run, progress=progress)  # 2. plan
        result.write_started, write_started = time.time(), time.perf_counter()
        with transaction.atomic():
            applied = import_apply(plan, result)  # 3. apply
        result.write_seconds = time.perf_counter() - write_started
        if applied:
            break
    else:  # the catalog kept changing under the plans: plan once more holding the lock
        result.write_started, write_started = time.time(), time.perf_counter()
        with transaction.atomic():
            generation_claim(None)
            plan = import_plan(parsed, run=run, progress=progress)
            import_apply(plan, result, claim=False)
        result.write_seconds = time.perf_counter() - write_started
    settled = changes_settle(progress=progress)  # 4. settle
    result.status_changes, result.events = settled.status_changes, result.events + settled.events
    result.unresolved_relations = relations_unresolved()
    result.seconds = time.perf_counter() - started
    return result
