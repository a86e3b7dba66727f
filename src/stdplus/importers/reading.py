"""Reading source files: JSON Lines (plain or gzip), dates, lists; errors name row and field."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stdplus.catalog.services import RecordError
from stdplus.core.errors import ApplicationError, Where

_DATE = re.compile(
    r"^\s*(\d{4})(?:\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?)?\s*月?)?\s*年?\s*$"
)


class FieldError(ValueError):
    def __init__(self, field: str, message: str, value=""):
        super().__init__(message)
        self.field, self.message, self.value = field, message, value

    def record_error(self, row: int) -> RecordError:
        return RecordError(row, self.field, self.message, str(self.value)[:80])


def open_text(path: Path):
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8-sig")


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, line); a line that is not UTF-8 (JSON always is) or a broken gzip archive
    stops the file with a message naming it and the line."""
    row = 0
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as handle:
            for row, raw in enumerate(handle, start=1):  # noqa: B007 - the row is reported
                yield row, raw.decode("utf-8-sig" if row == 1 else "utf-8")
    except UnicodeDecodeError:
        raise ApplicationError(
            _("the line is not UTF-8 text; JSON Lines files are UTF-8"),
            where=Where(file=str(path), row=row),
            code="bad_encoding",
        ) from None
    except (OSError, EOFError, zlib.error) as error:
        raise ApplicationError(
            _("the file cannot be read (%(error)s)"),
            params={"error": str(error)[:200] or error.__class__.__name__},
            where=Where(file=str(path), row=row + 1),
            code="unreadable",
        ) from None


def jsonl_rows(path: Path) -> Iterator[tuple[int, dict | RecordError]]:
    """(row number, object) per non-blank line; a line that is not a JSON object is an error."""
    for row, line in _lines(path):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as error:
            yield (
                row,
                RecordError(
                    row,
                    gettext("(the line)"),
                    gettext("not valid JSON (the fault is at column %(column)s)")
                    % {"column": error.colno},
                ),
            )
            continue
        if not isinstance(obj, dict):
            yield row, RecordError(row, gettext("(the line)"), gettext("expected a JSON object"))
            continue
        yield row, obj


def parse_date(value, field: str) -> tuple[dt.date | None, str]:
    """A date and its precision (Y, M, D) from YYYY, YYYY-MM, YYYY-MM-DD and Chinese forms."""
    if value is None or value == "":
        return None, ""
    if isinstance(value, dt.datetime):
        return value.date(), "D"
    if isinstance(value, dt.date):
        return value, "D"
    if isinstance(value, int) and 1800 <= value <= 2200:
        return dt.date(value, 1, 1), "Y"
    match = _DATE.match(str(value))
    if not match:
        raise FieldError(field, gettext("not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)"), value)
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        date = dt.date(year, month or 1, day or 1)
    except ValueError:
        raise FieldError(field, gettext("not a valid date (no such day)"), value) from None
    if not 1800 <= year <= 2200:
        raise FieldError(field, gettext("year out of range 1800-2200"), value)
    return date, "D" if day else ("M" if month else "Y")


def text(obj: dict, field: str, *, limit: int = 10_000) -> str:
    value = obj.get(field)
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise FieldError(field, gettext("expected text"), value)
    return value.strip()[:limit]


def text_list(obj: dict, field: str) -> list[str]:
    value = obj.get(field)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[;,；，、\n]", value) if part.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FieldError(field, gettext("expected a list of texts"), value)
    return [v.strip() for v in value if v.strip()]


_ICS = re.compile(r"^\d{2}(\.\d{3}(\.\d{2})?)?$")
_CCS = re.compile(r"^[A-Z](\d{2})?$")


def ics_codes(obj: dict, field: str = "ics") -> list[str]:
    codes = text_list(obj, field)
    for code in codes:
        if not _ICS.match(code):
            raise FieldError(field, gettext("not an ICS code (like 03.120.10)"), code)
    return codes


def ccs_codes(obj: dict, field: str = "ccs") -> list[tuple[str, str]]:
    value = obj.get(field)
    if not value:
        return []
    items = value if isinstance(value, list) else text_list(obj, field)
    codes = []
    for item in items:
        code, title = (
            (item.get("code", ""), item.get("title_zh", ""))
            if isinstance(item, dict)
            else (item, "")
        )
        code = str(code).strip().upper()
        if not _CCS.match(code):
            raise FieldError(
                field, gettext("not a CCS code (a letter A-Z and two digits, like B32)"), code
            )
        codes.append((code, str(title or "").strip()))
    return codes
