"""Which standards an import creates and which fields it changes; writing them.

Step 2a/3a of an import. `standards_plan` only reads (no write lock): it compares, takes ids
for the new standards and prepares every row; `standards_apply` writes them inside the
import's one short transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from stdplus.catalog.choices import EventKind
from stdplus.catalog.models import ChangeEvent, Standard
from stdplus.core.batching import batches
from stdplus.core.bulk import PreparedRows, rows_insert, rows_prepare

from .events import EVENT_COLUMNS, event_row
from .fields import event_kind, field_differences, standard_values
from .reading import Parsed, Progress


@dataclass
class StandardsPlan:
    ids: dict[str, int] = field(default_factory=dict)  # every key of the batch -> its id
    existing: dict[str, int] = field(default_factory=dict)  # those in the catalog now
    owners: dict[str, str] = field(default_factory=dict)  # key -> the source that created it
    new_keys: set[str] = field(default_factory=set)
    first_new_id: int | None = None
    inserts: PreparedRows | None = None  # the new standards
    events: PreparedRows | None = None  # `created` and one per changed field
    changed: list[Standard] = field(default_factory=list)  # with their new values set
    changed_fields: set[str] = field(default_factory=set)
    unchanged: int = 0


def standards_plan(
    parsed: dict[str, Parsed], *, source: str, run_id: int, progress: Progress | None = None
) -> StandardsPlan:
    plan = StandardsPlan()
    keys = list(parsed)
    new: list[dict] = []
    events: list[tuple] = []
    done = 0
    for key_batch in batches(keys):
        existing = {s.canonical: s for s in Standard.objects.filter(canonical__in=key_batch)}
        for key in key_batch:
            item = parsed[key]
            values = standard_values(item.identifier, item.record)
            standard = existing.get(key)
            if standard is None:
                new.append(values)
                continue
            plan.existing[key], plan.owners[key] = standard.pk, standard.source
            diffs = field_differences(standard, values, owner=standard.source in ("", source))
            if not diffs:
                plan.unchanged += 1
                continue
            for name, (old, value) in diffs.items():
                setattr(standard, name, value)
                plan.changed_fields.add(name)
                events.append(
                    event_row(
                        standard.pk,
                        event_kind(name),
                        name,
                        old,
                        value,
                        source=source,
                        run_id=run_id,
                    )
                )
            plan.changed.append(standard)
        done += len(key_batch)
        if progress:
            progress("compare", done, len(keys))
    plan.ids = dict(plan.existing)
    new_ids = _new_ids(len(new))
    plan.first_new_id = new_ids[0] if new_ids else None
    created = []
    for pk, values in zip(new_ids, new, strict=True):
        plan.ids[values["canonical"]] = pk
        plan.new_keys.add(values["canonical"])
        created.append(
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
    columns = ["id", *new[0], "status", "source"] if new else ["id"]
    plan.inserts = rows_prepare(
        Standard,
        columns,
        (
            [pk, *values.values(), values["base_status"], source]
            for pk, values in zip(new_ids, new, strict=True)
        ),
    )
    plan.events = rows_prepare(ChangeEvent, EVENT_COLUMNS, created + events)
    return plan


def _new_ids(count: int) -> list[int]:
    """Ids for new standards: PostgreSQL takes them from the sequence (never handed out
    twice); SQLite counts on from the highest id, which `standards_apply` checks again."""
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


def standards_apply(plan: StandardsPlan) -> bool:
    """Create and update the standards and write their events, in the caller's transaction.
    False (nothing written) when the ids the plan took were given to other standards since."""
    if plan.first_new_id is not None and connection.vendor != "postgresql":
        highest = Standard.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        if highest >= plan.first_new_id:
            return False
    if plan.inserts is not None:
        rows_insert(plan.inserts)
    if plan.changed:
        Standard.objects.bulk_update(plan.changed, sorted(plan.changed_fields), batch_size=500)
    if plan.events is not None:
        rows_insert(plan.events)
    return True
