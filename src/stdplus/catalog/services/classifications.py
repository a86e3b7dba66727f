"""ICS and CCS classes, and the classes of each standard.

Step 4b of an import: `class_links_plan` only reads; `class_links_steps` writes in short steps
(journal.py), each saying how to take it out. The helpers at the top (parent, depth, ensure) serve the class table import too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection

from stdplus.catalog.models import Classification, Standard
from stdplus.core.batching import batches
from stdplus.core.bulk import PreparedRows, rows_prepare

from .journal import StepWrite, Undo, inserts_steps, parts

Through = Standard.classifications.through
ICS, CCS = "ics", "ccs"  # the values of catalog.choices.Scheme


def ics_parent(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def ccs_parent(code: str) -> str | None:
    """CCS: one letter class (B), then two digits (B32); a two-digit code's parent is the letter."""
    return code[0] if len(code) > 1 else None


def classification_parent(scheme: str, code: str) -> str | None:
    return ics_parent(code) if scheme == ICS else ccs_parent(code)


def classification_depth(scheme: str, code: str) -> int:
    """ICS: field 1, group 2, subgroup 3; CCS: letter class 1, two-digit class 2."""
    return code.count(".") + 1 if scheme == ICS else (1 if len(code) == 1 else 2)


def classification_ensure(
    scheme: str, code: str, title_zh: str = "", cache: dict | None = None
) -> int:
    """The id of a class, creating it (and its parents) if a record names an unknown code."""
    cache = {} if cache is None else cache
    key = (scheme, code)
    if key in cache:
        return cache[key]
    parent_code = classification_parent(scheme, code)
    parent_id = classification_ensure(scheme, parent_code, cache=cache) if parent_code else None
    node, created = Classification.objects.get_or_create(
        scheme=scheme,
        code=code,
        defaults={
            "parent_id": parent_id,
            "depth": classification_depth(scheme, code),
            "title_zh": title_zh,
        },
    )
    if not created and title_zh and not node.title_zh:
        node.title_zh = title_zh
        node.save(update_fields=["title_zh"])
    cache[key] = node.pk
    return node.pk


@dataclass
class ClassLinksPlan:
    known: dict[tuple[str, str], int]  # (scheme, code) -> class id, of the classes that exist
    missing: list[tuple[str, str, str]]  # (scheme, code, Chinese title) to create
    add: list[tuple[str, tuple[str, str]]]  # (standard key, (scheme, code))
    remove: list[tuple[int, int]]  # (standard id, class id)
    inserts: PreparedRows | None = None  # the links to add, when every class exists already
    changed: set[str] = field(default_factory=set)  # the keys whose classes change


def class_links_plan(
    parsed: dict,
    *,
    existing: dict[str, int],
    ids: dict[str, int],
    owners: dict[str, str],
    source: str,
) -> ClassLinksPlan:
    """Each standard's classes become those its owning source gives; other sources only add.

    `existing` and `owners`: the standards of the batch already in the catalog; `ids`: all of
    them, new ones with the ids the plan took.
    """
    known = {
        (scheme, code): pk
        for pk, scheme, code in Classification.objects.values_list("pk", "scheme", "code")
    }
    missing: dict[tuple[str, str], str] = {}
    for item in parsed.values():
        for code in item.record.ics:
            if (ICS, code) not in known:
                missing.setdefault((ICS, code), "")
        for code, title in item.record.ccs:
            if (CCS, code) not in known:
                missing[(CCS, code)] = missing.get((CCS, code)) or title
    current: dict[int, set[int]] = {}
    for id_batch in batches(sorted(existing.values())):
        for standard_id, class_id in Through.objects.filter(standard_id__in=id_batch).values_list(
            "standard_id", "classification_id"
        ):
            current.setdefault(standard_id, set()).add(class_id)
    plan = ClassLinksPlan(known, [(s, c, t) for (s, c), t in missing.items()], [], [])
    for key, item in parsed.items():
        record = item.record
        wanted = {(ICS, c) for c in record.ics} | {(CCS, c) for c, _ in record.ccs}
        standard_id = existing.get(key)
        have = current.get(standard_id, set()) if standard_id is not None else set()
        # In a fixed order: the links' row ids then do not follow the process's hash seed.
        adds = [(key, w) for w in sorted(wanted) if known.get(w) not in have]
        removes = []
        if standard_id is not None and owners[key] == source and wanted:
            kept = {known[w] for w in wanted if w in known}
            removes = [(standard_id, c) for c in sorted(have - kept)]
        if adds or removes:
            plan.add.extend(adds)
            plan.remove.extend(removes)
            plan.changed.add(key)
    if not plan.missing:
        plan.inserts = _link_rows(plan, ids=ids, class_ids=known)
    return plan


def _link_rows(plan: ClassLinksPlan, *, ids: dict[str, int], class_ids: dict) -> PreparedRows:
    return rows_prepare(
        Through,
        ("standard", "classification"),
        ((ids[key], class_ids[wanted]) for key, wanted in plan.add),
        ignore_conflicts=True,
    )


def class_links_steps(plan: ClassLinksPlan, *, ids: dict[str, int]) -> Iterator[StepWrite]:
    """Create the missing classes (one step), then add and remove links."""
    class_ids = dict(plan.known)
    inserts = plan.inserts
    if inserts is None:

        def create() -> Undo:
            highest = Classification.objects.order_by("-pk").values_list("pk", flat=True).first()
            for scheme, code, title in plan.missing:
                classification_ensure(scheme, code, title, cache=class_ids)
            made = [pk for pk in class_ids.values() if highest is None or pk > highest]
            return "classes_created", {"ids": sorted(set(made))}

        yield create
        inserts = _link_rows(plan, ids=ids, class_ids=class_ids)  # after the step ran
    yield from inserts_steps(
        inserts, lambda rows: ("links_added", {"pairs": [list(row[:2]) for row in rows]})
    )
    table = connection.ops.quote_name(Through._meta.db_table)
    for part in parts(plan.remove):

        def remove(pairs=part) -> Undo:
            wanted = set(pairs)
            rows = [
                [pk, standard_id, class_id]
                for pk, standard_id, class_id in Through.objects.filter(
                    standard_id__in={standard_id for standard_id, _ in pairs}
                ).values_list("pk", "standard_id", "classification_id")
                if (standard_id, class_id) in wanted
            ]
            with connection.cursor() as cursor:
                cursor.executemany(f"DELETE FROM {table} WHERE id = %s", [[r[0]] for r in rows])
            return "links_removed", {"rows": rows}  # with their ids, to be put back as they were

        yield remove
