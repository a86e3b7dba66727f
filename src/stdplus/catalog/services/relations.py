"""Relations between editions: stored once, in the active direction, both ends by canonical key."""

from __future__ import annotations

from django.db.models import OuterRef, Q, Subquery

from stdplus.catalog.choices import EventKind
from stdplus.catalog.models import Relation, Standard
from stdplus.core.bulk import insert_rows

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


def relations_sync(
    parsed: dict, *, source: str, run, result, created_ids: set[int], progress=None
) -> set[str]:
    """Add the relations the batch states, drop those its source no longer states.

    Returns the canonical keys at either end of an added or removed relation, so that their
    status can be recomputed.
    """
    from .imports import chunks

    wanted = relation_rows(parsed)
    batch_keys = list(parsed)
    existing: dict[tuple[str, str, str], Relation] = {}
    for key_chunk in chunks(batch_keys, 450):
        for relation in Relation.objects.filter(
            Q(from_key__in=key_chunk) | Q(to_key__in=key_chunk)
        ):
            existing[(relation.from_key, relation.type, relation.to_key)] = relation
    to_create, to_update, to_delete = [], [], []
    for triple, row in wanted.items():
        relation = existing.get(triple)
        if relation is None:
            to_create.append(
                Relation(
                    from_key=triple[0],
                    type=triple[1],
                    to_key=triple[2],
                    degree=row["degree"],
                    date=row["date"],
                    inferred=row["inferred"],
                    source=source,
                )
            )
        elif (row["degree"] and relation.degree != row["degree"]) or (
            relation.inferred and not row["inferred"]
        ):
            relation.degree = row["degree"] or relation.degree
            relation.inferred = relation.inferred and row["inferred"]
            to_update.append(relation)
    batch_set = set(batch_keys)
    for triple, relation in existing.items():
        if (
            triple not in wanted
            and relation.source == source
            and triple[0] in batch_set
            and triple[2] in batch_set
        ):
            to_delete.append(relation)
    insert_rows(
        Relation,
        ("from_key", "type", "to_key", "degree", "date", "inferred", "source"),
        ((r.from_key, r.type, r.to_key, r.degree, r.date, r.inferred, r.source) for r in to_create),
        ignore_conflicts=True,
    )
    if to_update:
        Relation.objects.bulk_update(to_update, ["degree", "inferred"], batch_size=500)
    for batch in chunks([r.pk for r in to_delete]):
        Relation.objects.filter(pk__in=batch).delete()
    relations_resolve()
    touched = {k for t in to_create for k in (t.from_key, t.to_key)}
    touched |= {k for t in to_delete for k in (t.from_key, t.to_key)}
    result.relations_added += len(to_create)
    result.relations_removed += len(to_delete)
    result.events += _relation_events(
        to_create, to_delete, source=source, run=run, created_ids=created_ids
    )
    if progress:
        progress("relations", len(wanted), len(wanted))
    result.unresolved_relations = Relation.objects.filter(
        Q(from_standard__isnull=True) | Q(to_standard__isnull=True)
    ).count()
    return touched


def relations_resolve() -> None:
    """Point relations at the standards their keys name, where those are now in the catalog."""
    by_key = Standard.objects.filter(canonical=OuterRef("from_key")).values("pk")[:1]
    Relation.objects.filter(from_standard__isnull=True).update(from_standard=Subquery(by_key))
    by_key = Standard.objects.filter(canonical=OuterRef("to_key")).values("pk")[:1]
    Relation.objects.filter(to_standard__isnull=True).update(to_standard=Subquery(by_key))


def _relation_events(created, deleted, *, source, run, created_ids) -> int:
    """One event on each end that was in the catalog before this run (new ones have 'created')."""
    from .imports import chunks, events_insert

    keys = list({k for r in [*created, *deleted] for k in (r.from_key, r.to_key)})
    ids: dict[str, int] = {}
    for key_chunk in chunks(keys):
        ids.update(Standard.objects.filter(canonical__in=key_chunk).values_list("canonical", "pk"))
    events = []
    for kind, relations in (
        (EventKind.RELATION_ADDED, created),
        (EventKind.RELATION_REMOVED, deleted),
    ):
        for relation in relations:
            value = {"from": relation.from_key, "type": relation.type, "to": relation.to_key}
            if relation.degree:
                value["degree"] = relation.degree
            for end in (relation.from_key, relation.to_key):
                standard_id = ids.get(end)
                if standard_id is None or standard_id in created_ids:
                    continue
                removed = kind == EventKind.RELATION_REMOVED
                events.append(
                    (
                        standard_id,
                        kind,
                        relation.type,
                        value if removed else None,
                        None if removed else value,
                        source,
                        run.pk if run else None,
                    )
                )
    return events_insert(events)
