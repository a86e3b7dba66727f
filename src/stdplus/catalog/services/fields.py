"""The fields of a standard that sources and editors write, and how a record's values compare.

Step 1 of the write path (see docs/dev/architecture.md): plain data, no database.
"""

from __future__ import annotations

from stdplus.catalog.choices import EventKind
from stdplus.catalog.status import base_status
from stdplus.identifiers import Identifier

from .inputs import StandardIn

DATE_FIELDS = ("published", "effective", "withdrawn", "confirmed")
STATUS_FIELDS = ("base_status", "source_status", "stage_code")
CONTENT_FIELDS = (
    "level",
    "body",
    "prefix",
    "doctype",
    "mandate",
    "number",
    "part",
    "year",
    "work_key",
    "edition_key",
    "is_supplement",
    "title_en",
    "title_zh",
    "scope",
    "published_precision",
    "committee",
    "drafting_organizations",
    "edition_label",
    "url",
    "source_id",
    "extra",
)
# Fields an import compares with the catalog (a change is recorded as an event).
TRACKED_FIELDS = STATUS_FIELDS + DATE_FIELDS + CONTENT_FIELDS
# Fields staff may change by hand (catalog/services/edits.py).
EDITABLE_FIELDS = frozenset(
    {
        "title_en",
        "title_zh",
        "scope",
        "source_status",
        "stage_code",
        "published",
        "effective",
        "withdrawn",
        "confirmed",
        "committee",
        "drafting_organizations",
        "url",
    }
)


def blank(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def event_kind(field: str) -> str:
    """The change event kind for a change of this field."""
    return str(EventKind.DATES if field in DATE_FIELDS else EventKind.FIELDS)


def standard_values(identifier: Identifier, record: StandardIn) -> dict:
    """The Standard fields for one parsed record (everything but the derived status)."""
    doctype = record.doctype or (identifier.doctype or "")
    return {
        "canonical": identifier.canonical,
        "work_key": identifier.work,
        "edition_key": identifier.edition,
        "is_supplement": bool(identifier.supplements) and not identifier.consolidated,
        "level": identifier.level or record.level,
        "body": identifier.body,
        "prefix": identifier.prefix or "",
        "doctype": doctype[:40],
        "mandate": identifier.mandate or record.mandate or "",
        "number": identifier.number or "",
        "part": identifier.part or "",
        "year": identifier.year,
        "title_en": record.title_en,
        "title_zh": record.title_zh,
        "scope": record.scope,
        "base_status": base_status(record.status_word or record.source_status, record.stage_code),
        "source_status": record.source_status[:60],
        "stage_code": record.stage_code[:10],
        "published": record.published,
        "published_precision": record.published_precision,
        "effective": record.effective,
        "withdrawn": record.withdrawn,
        "confirmed": record.confirmed,
        "committee": record.committee[:200],
        "drafting_organizations": record.drafting_organizations,
        "edition_label": record.edition_label[:20],
        "url": record.url[:500],
        "source_id": record.source_id[:200],
        "extra": record.extra,
    }


def field_differences(current, values: dict, *, owner: bool) -> dict:
    """The fields a record changes on a standard already in the catalog: {name: (old, new)}.

    `current` is the standard as it is (anything with the fields as attributes).

    The source that created a standard owns it: its values replace ours, but its blanks never
    erase what another source filled in. Another source naming the same document (an ISO/IEC
    standard in the IEC file) only fills blanks, and never touches the status fields.
    """
    diffs = {}
    for name in TRACKED_FIELDS:
        old, new = getattr(current, name), values[name]
        if old == new or blank(new):
            continue
        if not owner and (name in STATUS_FIELDS or not blank(old)):
            continue
        diffs[name] = (old, new)
    return diffs
