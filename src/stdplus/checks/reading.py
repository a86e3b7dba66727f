"""Reading the identifiers to check from an uploaded CSV, XLSX or TXT file.

Every problem is an ApplicationError that names the file, and the row or column where it is.
The column holding identifiers is found by trying the first rows of each column, or chosen by
letter (B), number (2) or header text.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from stdplus.core.errors import ApplicationError, Where
from stdplus.identifiers import Identifier, parse

from .extract import MAX_LINES, InputLine, identifiers_in, inputs_from_text

FORMATS = ("csv", "xlsx", "txt")
_SAMPLE = 500
_MAX_BYTES = 50 * 1024 * 1024


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _letter_index(text: str) -> int | None:
    text = text.strip().upper()
    if not text or not text.isalpha() or not text.isascii() or len(text) > 3:
        return None
    index = 0
    for char in text:
        index = index * 26 + (ord(char) - 64)
    return index - 1


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as error:
            last = error
    line = data[: last.start].count(b"\n") + 1
    raise ApplicationError(
        f"line {line} is neither UTF-8 nor GB18030 text; save the file as UTF-8",
        where=Where(file=name),
        code="bad_encoding",
    )


def _rows_csv(data: bytes, name: str) -> list[list[str]]:
    text = _decode(data, name)
    if "\x00" in text:
        raise ApplicationError(
            "the file holds NUL bytes: it is not a text CSV file (an Excel file renamed?)",
            where=Where(file=name),
            code="not_csv",
        )
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        for row in reader:
            rows.append([cell.strip() for cell in row])
    except csv.Error as error:
        raise ApplicationError(
            f"row {reader.line_num}: {error}", where=Where(file=name), code="bad_csv"
        ) from None
    return rows


def _rows_xlsx(data: bytes, name: str, sheet: str = "") -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ApplicationError(
            f"not a readable XLSX workbook ({error.__class__.__name__}); an old .xls file "
            "must be saved as .xlsx first",
            where=Where(file=name),
            code="bad_xlsx",
        ) from None
    try:
        if sheet:
            if sheet not in book.sheetnames:
                raise ApplicationError(
                    f"there is no sheet '{sheet}'; the sheets are: {', '.join(book.sheetnames)}",
                    where=Where(file=name),
                    code="no_such_sheet",
                )
            worksheet = book[sheet]
        else:
            worksheet = book.worksheets[0]
        rows = []
        for values in worksheet.iter_rows(values_only=True):
            rows.append(["" if v is None else str(v).strip() for v in values])
        return rows
    finally:
        book.close()


def _yields(cell: str) -> bool:
    return bool(cell) and (isinstance(parse(cell), Identifier) or bool(identifiers_in(cell)))


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
            shown = ", ".join(
                f"{column_letter(i)} ({h})" if h else column_letter(i)
                for i, h in enumerate(headers)
            )
            raise ApplicationError(
                f"there is no column '{wanted}'; the columns are: {shown}",
                where=Where(file=name),
                code="no_such_column",
            )
        return index, bool(rows) and not _yields(headers[index])
    sample = rows[:_SAMPLE]
    scores = [sum(_yields(r[i]) for r in sample if i < len(r)) for i in range(width)]
    if not scores or max(scores) == 0:
        shown = ", ".join(
            f"{column_letter(i)} ({h})" if h else column_letter(i) for i, h in enumerate(headers)
        )
        raise ApplicationError(
            f"no column holds standard identifiers in its first {_SAMPLE} rows (columns: "
            f"{shown or 'none'}); choose the column",
            where=Where(file=name),
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
            "the file must be CSV, XLSX or TXT (by its name ending)",
            where=Where(file=name),
            code="format",
        )
    if len(data) > _MAX_BYTES:
        raise ApplicationError(
            "the file is larger than 50 MB", where=Where(file=name), code="too_large"
        )
    if not data.strip():
        raise ApplicationError("the file is empty", where=Where(file=name), code="empty")
    if suffix == "txt":
        text = _decode(data, name)
        if "\x00" in text:
            raise ApplicationError(
                "the file holds NUL bytes: it is not text", where=Where(file=name)
            )
        from .extract import inputs_from_lines

        lines = text.splitlines()
        _limit(len(lines), name)
        inputs, skipped = inputs_from_lines(lines, mode=mode)
        return _checked(inputs, name), skipped, ""
    rows = _rows_csv(data, name) if suffix == "csv" else _rows_xlsx(data, name, sheet)
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if any(r)]
    rows = [r for _, r in numbered]
    if not rows:
        raise ApplicationError("the file holds no rows", where=Where(file=name), code="empty")
    _limit(len(rows), name)
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


def _limit(count: int, name: str) -> None:
    if count > MAX_LINES:
        raise ApplicationError(
            f"the file has {count:,} lines; a check takes at most {MAX_LINES:,}",
            where=Where(file=name),
            code="too_many_lines",
        )


def _checked(inputs: list[InputLine], name: str) -> list[InputLine]:
    if not inputs:
        raise ApplicationError(
            "no identifiers found in the file", where=Where(file=name), code="empty"
        )
    _limit(len(inputs), name)
    return inputs
