"""Which standards an import creates and which fields it changes; writing them.

Step 2a/3a of an import. `standards_plan` only reads (no write lock): it compares, takes ids
for the new standards and prepares every row, the old values of the changed ones included;
`standards_steps` writes them in short steps (journal.py), each saying how to take it out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection

from stdplus.catalog.choices import EventKind
from stdplus.catalog.models import ChangeEvent, Standard
from stdplus.core.batching import batches
from stdplus.core.bulk import PreparedRows, rows_prepare

from .events import EVENT_COLUMNS, event_row, jsonable
from .fields import event_kind, field_differences, standard_values
from .journal import StepWrite, inserts_steps, updates_steps
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
    update_fields: list[str] = field(default_factory=list)  # the fields the updates write
    updates: list[tuple] = field(default_factory=list)  # new values (database-ready), then id
    preimages: list[list] = field(default_factory=list)  # [id, [old values as JSON]]


def standards_plan(
    parsed: dict[str, Parsed], *, source: str, run_id: int, progress: Progress | None = None
) -> StandardsPlan:
    plan = StandardsPlan()
    keys = list(parsed)
    new: list[dict] = []
    events: list[tuple] = []
    olds: list[dict] = []  # the values the changed fields had, per changed standard
    done = 0
    for key_batch in batches(keys):
        existing = {s.canonical: s for s in Standard.objects.filter(canonical__among=key_batch)}
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
            olds.append({name: old for name, (old, _value) in diffs.items()})
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
    new_ids = _new_ids(len(new))  # (in the order of the keys: `imports.import_plan`)
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
    _updates_prepare(plan, olds)
    return plan


def _updates_prepare(plan: StandardsPlan, olds: list[dict]) -> None:
    """The UPDATE rows of the changed standards (every changed field, as a bulk update would
    write them) and their old values, for the undo."""
    names = plan.update_fields = sorted(plan.changed_fields)
    fields = [Standard._meta.get_field(name) for name in names]
    for standard, old in zip(plan.changed, olds, strict=True):
        values = [getattr(standard, f.attname) for f in fields]
        plan.updates.append(
            (*(f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)),)
            + (standard.pk,)
        )
        before = [jsonable(old.get(name, value)) for name, value in zip(names, values, strict=True)]
        plan.preimages.append([standard.pk, before])


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


def standards_ids_free(plan: StandardsPlan) -> bool:
    """In the claiming transaction: whether the ids the plan took are still free (SQLite)."""
    if plan.first_new_id is not None and connection.vendor != "postgresql":
        highest = Standard.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        if highest >= plan.first_new_id:
            return False
    return True


def standards_steps(plan: StandardsPlan) -> Iterator[StepWrite]:
    """Create the new standards, then update the changed ones (their events come last, with
    the relations' events: imports.py)."""
    yield from inserts_steps(
        plan.inserts, lambda rows: ("standards_created", {"ids": [row[0] for row in rows]})
    )
    yield from updates_steps(
        Standard, plan.update_fields, plan.updates, plan.preimages, "standards_updated"
    )
