"""Reading the identifiers to check from an uploaded CSV, XLSX or TXT file.

Every problem is an ApplicationError that names the file, and the row or column where it is.
The column holding identifiers is found by trying the first rows of each column, or chosen by
letter (B), number (2) or header text.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from stdplus.core.errors import ApplicationError, Where
from stdplus.core.tabular import (
    LIMITS,
    cell_text,
    column_letter,
    table_kind,
    table_open,
    text_decode,
    text_lines,
)
from stdplus.identifiers import Identifier, parse

from .extract import MAX_LINES, InputLine, identifiers_in, inputs_from_text

FORMATS = ("csv", "xlsx", "txt")
_SAMPLE = 500
# A list to check: as many rows as a check takes identifiers, and a header row.
LIMITS_OF_A_LIST = LIMITS.but(rows=MAX_LINES + 1)

__all__ = ["FORMATS", "column_letter", "read_inputs"]


def _letter_index(text: str) -> int | None:
    text = text.strip().upper()
    if not text or not text.isalpha() or not text.isascii() or len(text) > 3:
        return None
    index = 0
    for char in text:
        index = index * 26 + (ord(char) - 64)
    return index - 1


def _rows(data: bytes, name: str, sheet: str, limits) -> list[tuple[int, list[str]]]:
    """(row number, cells as text) of every row that holds something."""
    if table_kind(name) == "csv" and sheet:
        sheet = ""  # a CSV file has one table
    table = table_open(data, file=name, sheet=sheet, limits=limits)
    rows = []
    for row in table.rows:
        cells = [cell_text(value) for value in row.cells]
        if any(cells):
            rows.append((row.number, cells))
    return rows


def _yields(cell: str) -> bool:
    return bool(cell) and (isinstance(parse(cell), Identifier) or bool(identifiers_in(cell)))


def _columns_shown(headers: list[str]) -> str:
    return ", ".join(
        f"{column_letter(i)} ({h})" if h else column_letter(i) for i, h in enumerate(headers)
    )


def _pick_column(rows: list[list[str]], name: str, column: str) -> tuple[int, bool]:
    """(column index, whether the first row is a header)."""
    width = max((len(r) for r in rows), default=0)
    first = rows[0] if rows else []
    headers = [(first[i] if i < len(first) else "") for i in range(width)]
    if column:
        wanted = column.strip()
        index = None
        lowered = [h.lower() for h in headers]
        if wanted.lower() in lowered:
            index = lowered.index(wanted.lower())
        elif wanted.isdigit():
            index = int(wanted) - 1
        else:
            index = _letter_index(wanted)
        if index is None or not 0 <= index < width:
            raise ApplicationError(
                _("there is no column '%(column)s'; the columns are: %(columns)s"),
                params={"column": wanted, "columns": _columns_shown(headers)},
                where=Where(file=name, field="column"),
                code="no_such_column",
            )
        return index, bool(rows) and not _yields(headers[index])
    sample = rows[:_SAMPLE]
    scores = [sum(_yields(r[i]) for r in sample if i < len(r)) for i in range(width)]
    if not scores or max(scores) == 0:
        raise ApplicationError(
            _(
                "no column holds standard identifiers in its first %(sample)s rows (columns: "
                "%(columns)s); choose the column"
            ),
            params={"sample": _SAMPLE, "columns": _columns_shown(headers) or "-"},
            where=Where(file=name, field="column"),
            code="no_identifier_column",
        )
    index = scores.index(max(scores))
    return index, not _yields(headers[index])


def read_inputs(
    data: bytes,
    name: str,
    *,
    column: str = "",
    mode: str = "auto",
    sheet: str = "",
) -> tuple[list[InputLine], int, str]:
    """(inputs, lines skipped as prose, description of the column used) from one file."""
    name = Path(name).name or "upload"
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ApplicationError(
            _("the file must be CSV, XLSX or TXT (by its name ending)"),
            where=Where(file=name),
            code="format",
        )
    limits = LIMITS_OF_A_LIST
    if len(data) > limits.file_bytes:
        raise ApplicationError(
            _("the file is larger than %(limit)s MB"),
            params={"limit": limits.file_bytes // 1048576},
            where=Where(file=name),
            code="too_large",
        )
    if not data.strip():
        raise ApplicationError(_("the file is empty"), where=Where(file=name), code="empty")
    if suffix == "txt":
        from .extract import inputs_from_lines

        text = text_decode(data, file=name)
        if "\x00" in text:
            raise ApplicationError(
                _("the file holds NUL bytes: it is not text"),
                where=Where(file=name),
                code="not_text",
            )
        lines = text_lines(text, file=name, limits=limits.but(rows=MAX_LINES))
        inputs, skipped = inputs_from_lines(lines, mode=mode)
        return _checked(inputs, name), skipped, ""
    numbered = _rows(data, name, sheet, limits)
    if not numbered:
        raise ApplicationError(_("the file holds no rows"), where=Where(file=name), code="empty")
    rows = [r for _, r in numbered]
    index, header = _pick_column(rows, name, column)
    inputs: list[InputLine] = []
    skipped = 0
    for position, (number, row) in enumerate(numbered):
        if header and position == 0:
            continue
        cell = row[index] if index < len(row) else ""
        found, prose = inputs_from_text(cell, mode=mode)
        skipped += prose
        inputs.extend(InputLine(text, f"row {number}") for text in found)
    label = column_letter(index) + (f" ({rows[0][index]})" if header else "")
    return _checked(inputs, name), skipped, label


def _checked(inputs: list[InputLine], name: str) -> list[InputLine]:
    """Identifiers are counted as identifiers: one line may name many."""
    if not inputs:
        raise ApplicationError(
            _("no identifiers found in the file"), where=Where(file=name), code="empty"
        )
    if len(inputs) > MAX_LINES:
        raise ApplicationError(
            _("the file names %(count)s identifiers; a check takes at most %(limit)s"),
            params={"count": f"{len(inputs):,}", "limit": f"{MAX_LINES:,}"},
            where=Where(file=name),
            code="too_many_lines",
        )
    return inputs
