"""Reading a source's records: parse every identifier, merge rows that name one document.

Step 1 of an import (no database): a bad row stops the file before anything is written,
unless the importer asked to skip bad rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from stdplus.core.errors import ApplicationError, Where
from stdplus.core.rejections import rejection_message
from stdplus.core.weblinks import web_url, web_url_problem
from stdplus.identifiers import Identifier

from .events import jsonable
from .fields import blank
from .inputs import ImportResult, RecordError, StandardIn
from .keys import parse_cached

Progress = Callable[[str, int, int | None], None]


@dataclass(slots=True)
class Parsed:
    identifier: Identifier
    record: StandardIn
    # Other rows of the file naming this document whose values disagree with the one kept:
    # [{"row", "identifier", "values": {field: value}}] (kept with the source's facts, and
    # reported by the audit as `same_source_duplicate`).
    set_aside: list[dict] = field(default_factory=list)


def records_parse(
    records: Iterable[StandardIn | RecordError],
    *,
    path: str,
    skip_invalid: bool,
    result: ImportResult,
    progress: Progress | None = None,
) -> dict[str, Parsed]:
    """Parse every record, keyed by canonical identifier.

    Two rows naming one document (two spellings of one identifier) become one entry: the first
    row's values win, the later row fills what the first left blank and adds its relations.
    Where both rows give a stage code and they differ (the ISO file lists some documents twice),
    the row at the later stage wins: it is the newer fact.
    """
    parsed: dict[str, Parsed] = {}
    for record in records:
        result.read += 1
        if progress and result.read % 5000 == 0:
            progress("reading", result.read, None)
        if isinstance(record, StandardIn) and record.url and not web_url(record.url):
            # Imported data is not trusted: a javascript: or data: link would run on click.
            record = RecordError(record.row, "url", web_url_problem(record.url), record.url[:80])
        if isinstance(record, StandardIn):
            identifier = parse_cached(record.identifier)
            if isinstance(identifier, Identifier):
                known = parsed.get(identifier.canonical)
                if known is None:
                    parsed[identifier.canonical] = Parsed(identifier, record)
                elif _stage(record.stage_code) > _stage(known.record.stage_code):
                    _set_aside(known, kept=record, other=known.record)
                    _merge_into(record, known.record)
                    known.record = record
                    result.merged += 1
                else:
                    _set_aside(known, kept=known.record, other=record)
                    _merge_into(known.record, record)
                    result.merged += 1
                continue
            record = RecordError(record.row, "id", rejection_message(identifier), record.identifier)
        if not skip_invalid:
            raise ApplicationError(
                _(
                    "%(problem)s. Nothing from this file was written; fix the row or use "
                    "--skip-invalid to load the valid rows."
                ),
                params={"problem": record.describe_problem()},
                where=Where(file=path, row=record.row, field=record.field),
                code="invalid_record",
            )
        result.skipped += 1
        result.errors.append(record.describe(path))
    return parsed


def _stage(code: str) -> tuple[int, int]:
    """An ISO harmonized stage code (95.99) as numbers to compare; no code sorts first."""
    major, _, minor = code.partition(".")
    if major.isdigit() and minor.isdigit():
        return int(major), int(minor)
    return (-1, -1)


# Fields compared between two rows of one file naming one document.
_COMPARED = [
    name
    for name in StandardIn.__dataclass_fields__
    if name not in ("row", "identifier", "relations", "extra", "ics", "ccs")
]


def _set_aside(entry: Parsed, *, kept: StandardIn, other: StandardIn) -> None:
    """Note the row `other` if it says something else than the row `kept` on some field."""
    values = {
        name: jsonable(getattr(other, name))
        for name in _COMPARED
        if not blank(getattr(other, name))
        and not blank(getattr(kept, name))
        and getattr(other, name) != getattr(kept, name)
    }
    if values:
        entry.set_aside.append({"row": other.row, "identifier": other.identifier, "values": values})


def _merge_into(first: StandardIn, later: StandardIn) -> None:
    for name in StandardIn.__dataclass_fields__:
        if name in ("row", "identifier", "relations"):
            continue
        if blank(getattr(first, name)) and not blank(getattr(later, name)):
            setattr(first, name, getattr(later, name))
    first.relations.extend(later.relations)
