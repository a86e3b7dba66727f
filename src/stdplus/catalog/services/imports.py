"""Importing one file's records: the orchestrator of the write path, read top to bottom.

    1. read      reading.records_parse      parse and merge every record; a bad row stops here
    2. plan      import_plan                 read the catalog, work out every change (no lock)
    3. apply     import_apply                write the changes in one short transaction
    4. settle    settle.changes_settle       statuses and listeners, in short transactions

Steps 1 and 2 hold no write lock: SQLite in WAL mode lets them read while others write, and
nothing is written until the file is known to be good. Step 3 is the file's one transaction
(all or nothing; a kill leaves nothing half-written) and only writes: it checks that the
catalog is still at the generation the plan read (state.py) and otherwise plans again. Step 4
follows the keys that step 3 recorded in the same transaction, so it can never be lost.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from stdplus.catalog.models import ImportRun

from .classifications import ClassLinksPlan, class_links_apply, class_links_plan
from .events import events_insert
from .inputs import ImportResult, RecordError, StandardIn
from .reading import Parsed, Progress, records_parse
from .relations import RelationsPlan, relations_apply, relations_plan, relations_unresolved
from .settle import changes_settle, pending_record
from .standards import StandardsPlan, standards_apply, standards_plan
from .state import generation_claim, generation_read

PLAN_ATTEMPTS = 3  # then the last plan is made inside the transaction, holding the lock


@dataclass
class ImportPlan:
    """Every change one file makes to the catalog, worked out from one generation of it."""

    source: str
    path: str
    generation: int | None
    parsed: dict[str, Parsed]
    standards: StandardsPlan
    classes: ClassLinksPlan
    relations: RelationsPlan


def import_plan(
    parsed: dict[str, Parsed], *, source: str, path: str, progress: Progress | None = None
) -> ImportPlan:
    """Step 2: read what the catalog holds for these records and work out the changes."""
    generation = generation_read()
    standards = standards_plan(parsed, source=source, progress=progress)
    classes = class_links_plan(parsed, ids=standards.ids, owners=standards.owners, source=source)
    relations = relations_plan(parsed, source=source)
    if progress:
        progress("relations", relations.stated, relations.stated)
    return ImportPlan(source, path, generation, parsed, standards, classes, relations)


def import_apply(plan: ImportPlan, result: ImportResult, *, claim: bool = True) -> bool:
    """Step 3, in the caller's transaction: write the plan, unless the catalog changed since
    it was made (then write nothing and return False). `claim=False`: the caller claimed the
    generation before planning."""
    if claim and not generation_claim(plan.generation):
        return False
    source, standards = plan.source, plan.standards
    run = ImportRun.objects.create(source=source, path=plan.path)
    ids, events = standards_apply(standards, source=source, run_id=run.pk)
    class_links_apply(plan.classes, ids=ids)
    created = standards.new_keys
    events += relations_apply(
        plan.relations, ids=ids, created=created, source=source, run_id=run.pk
    )
    events_insert(events)
    # Settled in step 4: statuses, then the listeners of hooks.STANDARDS_CHANGED (search.index).
    pending_record(
        set(plan.parsed) | plan.relations.touched, source=source, run=run, created=created
    )
    result.created, result.updated = len(standards.new), len(standards.changed)
    result.unchanged = standards.unchanged
    result.relations_added = len(plan.relations.create)
    result.relations_removed = len(plan.relations.delete)
    result.events = len(events)
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
    """Load one file's records into the catalog, all or nothing, and report what changed."""
    started = time.perf_counter()
    result = ImportResult(source=source, path=path)
    parsed = records_parse(  # 1. read
        records, path=path, skip_invalid=skip_invalid, result=result, progress=progress
    )
    if post_parse is not None:
        post_parse(parsed)
    changes_settle()  # what an interrupted earlier write left to settle, if anything
    for _attempt in range(PLAN_ATTEMPTS):
        plan = import_plan(parsed, source=source, path=path, progress=progress)  # 2. plan
        with transaction.atomic():
            applied = import_apply(plan, result)  # 3. apply
        if applied:
            break
    else:  # the catalog kept changing under the plans: plan once more holding the lock
        with transaction.atomic():
            generation_claim(None)
            plan = import_plan(parsed, source=source, path=path, progress=progress)
            import_apply(plan, result, claim=False)
    settled = changes_settle(progress=progress)  # 4. settle
    result.status_changes, result.events = settled.status_changes, result.events + settled.events
    result.unresolved_relations = relations_unresolved()
    result.seconds = time.perf_counter() - started
    return result
