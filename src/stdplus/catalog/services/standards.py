"""Which standards an import creates and which fields it changes; writing them.

Step 4a of an import. `standards_plan` only reads (no write lock); `standards_apply` writes
what the plan says, inside the import's one short transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from stdplus.catalog.choices import EventKind
from stdplus.catalog.models import Standard
from stdplus.core.batching import batches
from stdplus.core.bulk import insert_rows

from .events import event_row
from .fields import event_kind, field_differences, standard_values
from .reading import Parsed, Progress


@dataclass
class StandardsPlan:
    ids: dict[str, int] = field(default_factory=dict)  # key -> id, of those in the catalog now
    owners: dict[str, str] = field(default_factory=dict)  # key -> the source that created it
    new: list[dict] = field(default_factory=list)  # the values of each standard to create
    changed: list[Standard] = field(default_factory=list)  # with their new values set
    changed_fields: set[str] = field(default_factory=set)
    field_events: list[tuple] = field(default_factory=list)  # (id, kind, field, old, new)
    unchanged: int = 0

    @property
    def new_keys(self) -> set[str]:
        return {values["canonical"] for values in self.new}


def standards_plan(
    parsed: dict[str, Parsed], *, source: str, progress: Progress | None = None
) -> StandardsPlan:
    plan = StandardsPlan()
    keys = list(parsed)
    done = 0
    for key_batch in batches(keys):
        existing = {s.canonical: s for s in Standard.objects.filter(canonical__in=key_batch)}
        for key in key_batch:
            item = parsed[key]
            values = standard_values(item.identifier, item.record)
            standard = existing.get(key)
            if standard is None:
                plan.new.append(values)
                continue
            plan.ids[key], plan.owners[key] = standard.pk, standard.source
            diffs = field_differences(standard, values, owner=standard.source in ("", source))
            if not diffs:
                plan.unchanged += 1
                continue
            for name, (old, new) in diffs.items():
                setattr(standard, name, new)
                plan.changed_fields.add(name)
                plan.field_events.append((standard.pk, event_kind(name), name, old, new))
            plan.changed.append(standard)
        done += len(key_batch)
        if progress:
            progress("compare", done, len(keys))
    return plan


def _new_ids(count: int) -> list[int]:
    """Ids for new standards, taken inside the writer's transaction."""
    if not count:
        return []
    table = Standard._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")
        start = (cursor.fetchone()[0] or 0) + 1
    return list(range(start, start + count))


def standards_apply(plan: StandardsPlan, *, source: str, run_id: int) -> tuple[dict, list]:
    """Create and update the standards; returns the ids of every key in the plan and the
    events (`created` for new standards, one per changed field for the others)."""
    ids = dict(plan.ids)
    events = []
    if plan.new:
        new_ids = _new_ids(len(plan.new))
        columns = ["id", *plan.new[0], "status", "source"]
        insert_rows(
            Standard,
            columns,
            (
                [pk, *values.values(), values["base_status"], source]
                for pk, values in zip(new_ids, plan.new, strict=True)
            ),
        )
        for pk, values in zip(new_ids, plan.new, strict=True):
            ids[values["canonical"]] = pk
            events.append(
                event_row(
                    pk,
                    EventKind.CREATED,
                    "",
                    None,
                    {"status": values["base_status"]},
                    source=source,
                    run_id=run_id,
                )
            )
    events.extend(
        event_row(pk, kind, name, old, new, source=source, run_id=run_id)
        for pk, kind, name, old, new in plan.field_events
    )
    if plan.changed:
        Standard.objects.bulk_update(plan.changed, sorted(plan.changed_fields), batch_size=500)
    return ids, events
