"""What each source said of a standard, kept where more than one source describes it.

Step 2b/3b of an import, beside `standards`: `facts_plan` only reads, `facts_steps` writes in
short steps (journal.py), each saying how to take it out.

A standard's row holds the merged values (fields.field_differences). Where a second source
names a standard another source owns (GB/T 42061-2022 in the curated file and in the NMPA
file), both sources' facts are kept as `SourceFacts` rows: the owner's taken from the row as it
is before the second source fills anything, the second source's from its record. From then on
every import of either source brings its row up to date. A standard only one source describes
keeps no such rows (every field came from `Standard.source`), unless its source lists it twice
with values that disagree: the rows set aside are kept with the source's facts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from stdplus.catalog.models import SourceFacts, Standard
from stdplus.catalog.rules.sources import FACT_FIELDS, facts_from
from stdplus.core.batching import batches
from stdplus.core.bulk import PreparedRows, rows_prepare

from .fields import standard_values
from .journal import StepWrite, inserts_steps, updates_steps
from .reading import Parsed

INSERT_COLUMNS = ("standard", "source", "facts", "set_aside", "import_run", "seen")
UPDATE_FIELDS = ["facts", "set_aside", "import_run", "seen"]


@dataclass
class FactsPlan:
    inserts: PreparedRows | None = None
    updates: list[tuple] = field(default_factory=list)  # new values (database-ready), then id
    preimages: list[list] = field(default_factory=list)  # [id, [old values as JSON]]


def facts_plan(
    parsed: dict[str, Parsed],
    *,
    existing: dict[str, int],
    owners: dict[str, str],
    ids: dict[str, int],
    source: str,
    run_id: int,
) -> FactsPlan:
    """The SourceFacts rows this file adds or changes (reads only)."""
    kept: dict[tuple[int, str], tuple[int, dict, list, int | None, str | None]] = {}
    for id_batch in batches(sorted(existing.values())):
        for pk, sid, src, facts, aside, run, seen in SourceFacts.objects.filter(
            standard_id__in=id_batch
        ).values_list("id", "standard_id", "source", "facts", "set_aside", "import_run", "seen"):
            kept[(sid, src)] = (pk, facts, aside, run, seen.isoformat() if seen else None)
    described = {sid for sid, _src in kept}
    wanted: dict[tuple[int, str], tuple[dict, list, int | None, str | None]] = {}
    # A standard another source owns, described here for the first time: keep the owner's word
    # as the row has it now, before this file fills anything.
    second = [
        key
        for key, sid in existing.items()
        if owners.get(key, "") not in ("", source) and (sid, owners[key]) not in kept
    ]
    for key_batch in batches(second):
        for standard in Standard.objects.filter(canonical__in=key_batch).only(
            "id", "source", *FACT_FIELDS
        ):
            values = {name: getattr(standard, name) for name in FACT_FIELDS}
            wanted[(standard.pk, standard.source)] = (facts_from(values), [], None, None)
            described.add(standard.pk)
    today = timezone.localdate().isoformat()
    for key, item in parsed.items():
        sid = ids[key]
        other_owner = key in existing and owners.get(key, "") not in ("", source)
        if not (other_owner or sid in described or item.set_aside):
            continue
        facts = facts_from(standard_values(item.identifier, item.record))
        wanted[(sid, source)] = (facts, item.set_aside, run_id, today)
    return _rows(wanted, kept)


def _rows(wanted: dict, kept: dict) -> FactsPlan:
    plan = FactsPlan()
    inserts = []
    fields = [SourceFacts._meta.get_field(name) for name in UPDATE_FIELDS]
    for (sid, src), (facts, aside, run, seen) in sorted(wanted.items()):
        old = kept.get((sid, src))
        if old is None:
            inserts.append((sid, src, facts, aside, run, seen))
            continue
        pk, old_facts, old_aside, old_run, old_seen = old
        if (old_facts, old_aside) == (facts, aside):
            continue  # nothing new: the row keeps the run and day that last changed it
        new = [facts, aside, run, seen]
        plan.updates.append(
            (*(f.get_db_prep_save(v, connection) for f, v in zip(fields, new, strict=True)), pk)
        )
        plan.preimages.append([pk, [old_facts, old_aside, old_run, old_seen]])
    plan.inserts = rows_prepare(SourceFacts, INSERT_COLUMNS, inserts) if inserts else None
    return plan


def facts_steps(plan: FactsPlan) -> Iterator[StepWrite]:
    """Add the new rows, then change the others (after the standards they belong to)."""
    yield from inserts_steps(
        plan.inserts,
        lambda rows: ("source_facts_added", {"pairs": [[row[0], row[1]] for row in rows]}),
    )
    yield from updates_steps(
        SourceFacts, UPDATE_FIELDS, plan.updates, plan.preimages, "source_facts_updated"
    )
