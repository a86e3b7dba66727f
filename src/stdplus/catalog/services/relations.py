"""Relations between editions: stored once, in the active direction, both ends by canonical key.

Step 4c of an import: `relations_plan` only reads; `relations_steps` writes in short steps
(journal.py), each saying how to take it out.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection
from django.db.models import OuterRef, Q, Subquery

from stdplus.catalog.choices import EventKind
from stdplus.catalog.models import ChangeEvent, Relation, Standard
from stdplus.core.batching import batches
from stdplus.core.bulk import PreparedRows, rows_prepare

from .events import EVENT_COLUMNS, event_row, jsonable
from .journal import StepWrite, Undo, inserts_steps, parts, spans, updates_steps
from .keys import catalog_key, supplement_relation

# Source word -> (stored type, True when the record is the "from" end)
DIRECTION = {
    "replaces": ("replaces", True),
    "replaced_by": ("replaces", False),
    "obsoletes": ("replaces", True),
    "obsoleted_by": ("replaces", False),
    "amends": ("amends", True),
    "amended_by": ("amends", False),
    "corrects": ("corrects", True),
    "corrected_by": ("corrects", False),
    "updates": ("updates", True),
    "updated_by": ("updates", False),
    "adopts": ("adopts", True),
    "adopted_by": ("adopts", False),
    "identical": ("identical", True),
    "references": ("references", True),
    "referenced_by": ("references", False),
    "also_known_as": ("also_known_as", True),
    "part_of": ("part_of", True),
    "partof": ("part_of", True),
    "has_part": ("part_of", False),
}


def relation_rows(parsed: dict) -> dict[tuple[str, str, str], dict]:
    """Every relation the batch states, keyed (from, type, to), with degree, date, inferred."""
    rows: dict[tuple[str, str, str], dict] = {}
    for key, item in parsed.items():
        stated = []
        link = supplement_relation(item.identifier)
        if link:
            stated.append((key, link, item.identifier.edition, "", None, False))
        for relation in item.record.relations:
            kind, outgoing = DIRECTION[relation.type.lower()]
            target = catalog_key(relation.target)
            ends = (key, target) if outgoing else (target, key)
            stated.append(
                (ends[0], kind, ends[1], relation.degree, relation.date, relation.inferred)
            )
        for from_key, kind, to_key, degree, date, inferred in stated:
            if not to_key or from_key == to_key:
                continue
            row = rows.setdefault(
                (from_key, kind, to_key), {"degree": "", "date": None, "inferred": inferred}
            )
            row["degree"] = row["degree"] or degree
            row["date"] = row["date"] or date
            row["inferred"] = row["inferred"] and inferred  # stated by anyone: not inferred
    return rows


class NewRelation(NamedTuple):
    """A relation the plan adds: the fields its row and its events are made of (a model
    instance per relation cost more than the rest of the plan)."""

    from_key: str
    type: str
    to_key: str
    degree: str
    date: dt.date | None
    inferred: bool
    source: str


@dataclass
class RelationsPlan:
    create: list[NewRelation] = field(default_factory=list)
    update: list[Relation] = field(default_factory=list)  # degree or inferred changed
    update_olds: list[list] = field(default_factory=list)  # [id, [degree, inferred]] before
    delete: list[Relation] = field(default_factory=list)
    inserts: PreparedRows | None = None  # the new relations, their ends' ids filled in
    events: PreparedRows | None = None
    resolve: list[str] = field(default_factory=list)  # the keys of the new standards
    resolve_ids: list[int] = field(default_factory=list)  # and their ids, in the same order
    stated: int = 0

    @property
    def touched(self) -> set[str]:
        """The keys at either end of an added or removed relation (their status may change)."""
        ends = [(r.from_key, r.to_key) for r in self.create]
        ends += [(r.from_key, r.to_key) for r in self.delete]
        return {key for pair in ends for key in pair}


def relations_plan(
    parsed: dict, *, ids: dict[str, int], created: set[str], source: str, run_id: int
) -> RelationsPlan:
    """The relations the batch states that are new or changed, and those its source no longer
    states (both ends in the batch), with their rows and events prepared: reads only.

    `ids`: every standard of the batch (new ones with the ids the plan took); `created`: the
    keys of the new ones."""
    wanted = relation_rows(parsed)
    batch_keys = list(parsed)
    existing: dict[tuple[str, str, str], Relation] = {}
    for key_batch in batches(batch_keys, 5000):  # two indexed lookups of one parameter each
        for relation in Relation.objects.filter(
            Q(from_key__among=key_batch) | Q(to_key__among=key_batch)
        ):
            existing[(relation.from_key, relation.type, relation.to_key)] = relation
    plan = RelationsPlan(stated=len(wanted))
    for triple, row in wanted.items():
        relation = existing.get(triple)
        if relation is None:
            plan.create.append(
                NewRelation(*triple, row["degree"], row["date"], row["inferred"], source)
            )
        elif (row["degree"] and relation.degree != row["degree"]) or (
            relation.inferred and not row["inferred"]
        ):
            plan.update_olds.append([relation.pk, [relation.degree, relation.inferred]])
            relation.degree = row["degree"] or relation.degree
            relation.inferred = relation.inferred and row["inferred"]
            plan.update.append(relation)
    batch_set = set(batch_keys)
    for triple, relation in existing.items():
        if (
            triple not in wanted
            and relation.source == source
            and triple[0] in batch_set
            and triple[2] in batch_set
        ):
            plan.delete.append(relation)
    known = dict(ids)
    for key_batch in batches(sorted(plan.touched - batch_set)):
        known.update(
            Standard.objects.filter(canonical__among=key_batch).values_list("canonical", "pk")
        )
    plan.inserts = rows_prepare(
        Relation,
        ("from_key", "type", "to_key", "degree", "date", "inferred", "source")
        + ("from_standard", "to_standard"),
        (
            (r.from_key, r.type, r.to_key, r.degree, r.date, r.inferred, r.source)
            + (known.get(r.from_key), known.get(r.to_key))
            for r in plan.create
        ),
        ignore_conflicts=True,
    )
    plan.events = rows_prepare(
        ChangeEvent,
        EVENT_COLUMNS,
        _relation_events(plan, known=known, created=created, source=source, run_id=run_id),
    )
    plan.resolve = sorted(created)
    plan.resolve_ids = [ids[key] for key in plan.resolve]
    return plan


def _relation_events(plan, *, known, created, source, run_id) -> list[tuple]:
    """One event on each end that was in the catalog before this write (a new standard has
    its `created` event)."""
    events = []
    for kind, relations in (
        (EventKind.RELATION_ADDED, plan.create),
        (EventKind.RELATION_REMOVED, plan.delete),
    ):
        removed = kind == EventKind.RELATION_REMOVED
        for relation in relations:
            value = {"from": relation.from_key, "type": relation.type, "to": relation.to_key}
            if relation.degree:
                value["degree"] = relation.degree
            for end in (relation.from_key, relation.to_key):
                standard_id = known.get(end)
                if standard_id is None or end in created:
                    continue
                events.append(
                    event_row(
                        standard_id,
                        kind,
                        relation.type,
                        value if removed else None,
                        None if removed else value,
                        source=source,
                        run_id=run_id,
                    )
                )
    return events


RELATION_FIELDS = [f.name for f in Relation._meta.concrete_fields]


def relations_steps(plan: RelationsPlan) -> Iterator[StepWrite]:
    """Write the planned relations, then point older unresolved relations at the standards
    this write creates (the events come last, with the standards' events: imports.py)."""
    yield from inserts_steps(
        plan.inserts, lambda rows: ("relations_added", {"triples": [list(r[:3]) for r in rows]})
    )
    yield from updates_steps(
        Relation,
        ["degree", "inferred"],
        [(r.degree, r.inferred, r.pk) for r in plan.update],
        plan.update_olds,
        "relations_updated",
    )
    for deleted in parts(plan.delete):

        def delete(part=deleted) -> Undo:
            Relation.objects.filter(pk__in=[r.pk for r in part]).delete()
            rows = [
                [jsonable(getattr(r, Relation._meta.get_field(n).attname)) for n in RELATION_FIELDS]
                for r in part
            ]
            return "relations_deleted", {"fields": RELATION_FIELDS, "rows": rows}

        yield delete
    for span in spans(len(plan.resolve)):

        def resolve(keys=plan.resolve[span], ids=plan.resolve_ids[span]) -> Undo:
            _resolve_ends(keys)
            return "relations_resolved", {"ids": ids}

        yield resolve


def _resolve_ends(keys: list[str]) -> None:
    """Point unresolved relations with an end among `keys` at the standards of those keys:
    one statement per end and batch, the keys passed as one parameter (a JSON array on
    SQLite, an array on PostgreSQL)."""
    quote = connection.ops.quote_name
    table, standards = quote(Relation._meta.db_table), quote(Standard._meta.db_table)
    sqlite = connection.vendor == "sqlite"
    among = "IN (SELECT value FROM json_each(%s))" if sqlite else "= ANY(%s)"
    with connection.cursor() as cursor:
        for key_batch in batches(keys, 50_000):
            param = json.dumps(key_batch) if sqlite else key_batch
            for end in ("from", "to"):
                cursor.execute(
                    f"UPDATE {table} SET {end}_standard_id = (SELECT s.id FROM {standards} s "
                    f"WHERE s.canonical = {table}.{end}_key) "
                    f"WHERE {end}_standard_id IS NULL AND {end}_key {among}",
                    [param],
                )


def relations_resolve() -> None:
    """Point every unresolved relation at the standards its keys name, where those are now in
    the catalog (imports resolve only the ends their new standards name)."""
    for end, key_field in (("from_standard", "from_key"), ("to_standard", "to_key")):
        by_key = Standard.objects.filter(canonical=OuterRef(key_field)).values("pk")[:1]
        Relation.objects.filter(**{f"{end}__isnull": True}).update(**{end: Subquery(by_key)})


def relations_unresolved() -> int:
    return Relation.objects.filter(
        Q(from_standard__isnull=True) | Q(to_standard__isnull=True)
    ).count()
