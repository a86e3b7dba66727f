"""Writing a batch of source records into the catalog: idempotent, atomic, with change events."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from stdplus.catalog.choices import EventKind
from stdplus.catalog.models import ChangeEvent, ImportRun, Standard
from stdplus.catalog.status import base_status
from stdplus.core.bulk import insert_rows
from stdplus.core.errors import ApplicationError
from stdplus.identifiers import Identifier

from .changes import changes_collected, standards_changed
from .classifications import classification_ids, standard_classes_sync
from .inputs import ImportResult, RecordError, StandardIn
from .keys import parse_cached
from .recompute import statuses_recompute
from .relations import relations_sync

Progress = Callable[[str, int, int | None], None]

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
TRACKED_FIELDS = STATUS_FIELDS + DATE_FIELDS + CONTENT_FIELDS
# Keys per `IN (...)` lookup: SQLite binds at most 32,766 parameters (999 in old builds); on
# PostgreSQL fewer, larger lookups are much faster.
CHUNK = 5000 if connection.vendor == "postgresql" else 900


@dataclass(slots=True)
class Parsed:
    identifier: Identifier
    record: StandardIn


def chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _blank(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


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


def records_parse(
    records: Iterable[StandardIn | RecordError],
    *,
    path: str,
    skip_invalid: bool,
    result: ImportResult,
    progress: Progress | None = None,
) -> dict[str, Parsed]:
    """Parse every record; the first bad row stops everything unless skip_invalid is set.

    Two rows naming one document (two spellings of one identifier) become one entry: the first
    row's values win, the later row fills what the first left blank and adds its relations.
    """
    parsed: dict[str, Parsed] = {}
    for record in records:
        result.read += 1
        if progress and result.read % 5000 == 0:
            progress("reading", result.read, None)
        if isinstance(record, StandardIn):
            identifier = parse_cached(record.identifier)
            if isinstance(identifier, Identifier):
                known = parsed.get(identifier.canonical)
                if known is None:
                    parsed[identifier.canonical] = Parsed(identifier, record)
                else:
                    _merge_into(known.record, record)
                    result.merged += 1
                continue
            record = RecordError(record.row, "id", identifier.error, record.identifier)
        message = record.describe(path)
        if not skip_invalid:
            raise ApplicationError(
                f"{message}. Nothing from this file was written; fix the row or use "
                "--skip-invalid to load the valid rows.",
                code="invalid_record",
            )
        result.skipped += 1
        result.errors.append(message)
    return parsed


def _merge_into(first: StandardIn, later: StandardIn) -> None:
    for name in StandardIn.__dataclass_fields__:
        if name in ("row", "identifier", "relations"):
            continue
        if _blank(getattr(first, name)) and not _blank(getattr(later, name)):
            setattr(first, name, getattr(later, name))
    first.relations.extend(later.relations)


def standards_import(
    *,
    records: Iterable[StandardIn | RecordError],
    source: str,
    path: str,
    skip_invalid: bool = False,
    post_parse: Callable[[dict[str, Parsed]], None] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Load one file's records into the catalog in one transaction and report what changed."""
    started = time.perf_counter()
    result = ImportResult(source=source, path=path)
    parsed = records_parse(
        records, path=path, skip_invalid=skip_invalid, result=result, progress=progress
    )
    if post_parse is not None:
        post_parse(parsed)
    with transaction.atomic(), changes_collected():
        run = ImportRun.objects.create(source=source, path=path)
        created_ids = _standards_write(
            parsed, source=source, run=run, result=result, progress=progress
        )
        class_ids = classification_ids(parsed.values())
        standard_classes_sync(parsed, class_ids=class_ids, source=source, created_ids=created_ids)
        touched = relations_sync(
            parsed,
            source=source,
            run=run,
            result=result,
            created_ids=created_ids,
            progress=progress,
        )
        result.status_changes = statuses_recompute(
            canonicals=set(parsed) | touched,
            run=run,
            source=source,
            created_ids=created_ids,
            result=result,
            progress=progress,
        )
        run.created, run.updated, run.unchanged = result.created, result.updated, result.unchanged
        run.skipped, run.errors = result.skipped, result.errors[:1000]
        run.finished_at = timezone.now()
        run.save()
    result.seconds = time.perf_counter() - started
    return result


def _standards_write(parsed, *, source, run, result, progress) -> set[int]:
    """Create the new standards, update the changed ones; return the ids created."""
    keys = list(parsed)
    total = len(keys)
    new_objects: list[dict] = []
    changed: dict[int, Standard] = {}
    changed_fields: set[str] = set()
    events: list[tuple] = []
    done = 0
    for key_chunk in chunks(keys):
        existing = {s.canonical: s for s in Standard.objects.filter(canonical__in=key_chunk)}
        for key in key_chunk:
            item = parsed[key]
            values = standard_values(item.identifier, item.record)
            standard = existing.get(key)
            if standard is None:
                new_objects.append(values)
                continue
            diffs = _differences(standard, values, owner=standard.source in ("", source))
            if not diffs:
                result.unchanged += 1
                continue
            result.updated += 1
            for name, (old, new) in diffs.items():
                setattr(standard, name, new)
                changed_fields.add(name)
                kind = EventKind.DATES if name in DATE_FIELDS else EventKind.FIELDS
                events.append(
                    (standard.pk, kind, name, _jsonable(old), _jsonable(new), source, run.pk)
                )
            changed[standard.pk] = standard
        done += len(key_chunk)
        if progress:
            progress("compare", done, total)
    created_ids = _standards_create(new_objects, source=source, run=run)
    result.created = len(new_objects)
    if changed:
        Standard.objects.bulk_update(list(changed.values()), sorted(changed_fields), batch_size=500)
        standards_changed(changed)
    events_insert(events)
    result.events += len(events) + len(new_objects)
    return created_ids


def _standards_create(values_list: list[dict], *, source: str, run: ImportRun) -> set[int]:
    """Insert new standards and their `created` events; return the new ids."""
    if not values_list:
        return set()
    columns = [*values_list[0], "status", "source"]
    insert_rows(
        Standard,
        columns,
        ([*v.values(), v["base_status"], source] for v in values_list),
    )
    ids: dict[str, int] = {}
    for key_chunk in chunks([v["canonical"] for v in values_list]):
        ids.update(Standard.objects.filter(canonical__in=key_chunk).values_list("canonical", "pk"))
    standards_changed(ids.values())
    events_insert(
        (
            ids[v["canonical"]],
            EventKind.CREATED,
            "",
            None,
            {"status": v["base_status"]},
            source,
            run.pk,
        )
        for v in values_list
    )
    return set(ids.values())


EVENT_COLUMNS = ("standard", "kind", "field", "old_value", "new_value", "source", "import_run")


def events_insert(events) -> int:
    """Insert change events in bulk: tuples in the order of EVENT_COLUMNS."""
    return insert_rows(ChangeEvent, EVENT_COLUMNS, events)


def _differences(standard: Standard, values: dict, *, owner: bool) -> dict:
    """The fields a record changes on a standard already in the catalog.

    The source that created a standard owns it: its values replace ours, but its blanks never
    erase what another source filled in. Another source naming the same document (an ISO/IEC
    standard in the IEC file) only fills blanks, and never touches the status fields.
    """
    diffs = {}
    for name in TRACKED_FIELDS:
        old, new = getattr(standard, name), values[name]
        if old == new or _blank(new):
            continue
        if not owner and (name in STATUS_FIELDS or not _blank(old)):
            continue
        diffs[name] = (old, new)
    return diffs


def _jsonable(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
