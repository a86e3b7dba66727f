"""ICS and CCS tables, and the classes of each standard."""

from __future__ import annotations

from collections.abc import Iterable

from stdplus.catalog.models import Classification, Standard
from stdplus.core.bulk import insert_rows

from .changes import standards_changed

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


def classification_ids(items: Iterable) -> dict[tuple[str, str], int]:
    cache = {
        (scheme, code): pk
        for pk, scheme, code in Classification.objects.values_list("pk", "scheme", "code")
    }
    for item in items:
        for code in item.record.ics:
            if (ICS, code) not in cache:
                classification_ensure(ICS, code, cache=cache)
        for code, title in item.record.ccs:
            if (CCS, code) not in cache or title:
                classification_ensure(CCS, code, title, cache=cache)
    return cache


def standard_classes_sync(
    parsed: dict, *, class_ids: dict, source: str, created_ids: set[int]
) -> None:
    """Make each standard's classes those its owning source gives; other sources only add."""
    from .imports import chunks  # local import: imports uses this module

    keys = list(parsed)
    for key_chunk in chunks(keys):
        rows, owners = {}, {}
        for canonical, pk, owner in Standard.objects.filter(canonical__in=key_chunk).values_list(
            "canonical", "pk", "source"
        ):
            rows[canonical], owners[canonical] = pk, owner
        current: dict[int, set[int]] = {}
        existing_ids = [pk for pk in rows.values() if pk not in created_ids]
        for standard_id, class_id in Through.objects.filter(
            standard_id__in=existing_ids
        ).values_list("standard_id", "classification_id"):
            current.setdefault(standard_id, set()).add(class_id)
        to_add: list[tuple[int, int]] = []
        to_remove: list[tuple[int, int]] = []
        for key in key_chunk:
            record = parsed[key].record
            standard_id = rows[key]
            wanted = {class_ids[(ICS, c)] for c in record.ics}
            wanted |= {class_ids[(CCS, c)] for c, _ in record.ccs}
            have = current.get(standard_id, set())
            to_add.extend((standard_id, c) for c in wanted - have)
            if owners[key] == source and (record.ics or record.ccs):
                to_remove.extend((standard_id, c) for c in have - wanted)
        insert_rows(Through, ("standard", "classification"), to_add, ignore_conflicts=True)
        standards_changed({pair[0] for pair in to_add} | {pair[0] for pair in to_remove})
        for standard_id, class_id in to_remove:
            Through.objects.filter(standard_id=standard_id, classification_id=class_id).delete()
