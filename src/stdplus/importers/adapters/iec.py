"""IEC publications (relaton-data-iec). The source states no relations: the succession of the
editions of one work is inferred from their dates and statuses, and marked as inferred."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext_lazy

from stdplus.catalog.services import RelationIn

from .base import Adapter

REPLACED_WORDS = {"superseded", "revised", "replaced"}


def is_main_document(identifier) -> bool:
    """An edition or a consolidated version; not an amendment alone, not a redline copy."""
    if identifier.supplements and not identifier.consolidated:
        return False
    return (identifier.variant or "").upper() not in {"RLV", "EXV"}


def infer_succession(parsed: dict) -> int:
    """Each replaced main document of a work is replaced by the next one published after it."""
    works: dict[str, list] = defaultdict(list)
    for item in parsed.values():
        if is_main_document(item.identifier) and item.record.published:
            works[item.identifier.work].append(item)
    inferred = 0
    for items in works.values():
        items.sort(key=lambda i: (i.record.published, i.identifier.canonical))
        for position, item in enumerate(items):
            if item.record.status_word.lower() not in REPLACED_WORDS:
                continue
            later = [i for i in items[position + 1 :] if i.record.published > item.record.published]
            if not later:
                continue
            item.record.relations.append(
                RelationIn("replaced_by", later[0].identifier.canonical, inferred=True)
            )
            inferred += 1
    return inferred


class IecAdapter(Adapter):
    source = "iec"
    label = gettext_lazy("IEC publications (Relaton)")

    def post_parse(self, parsed: dict) -> None:
        infer_succession(parsed)
