"""The one reader and writer of spreadsheets and text tables (CSV, XLSX, plain text).

Reading (files come from people, so nothing in them is trusted):

- `text_decode(data, file=...)`: UTF-8 with or without BOM, UTF-16/32 with BOM, then GB18030.
  Shift-JIS and UTF-16 without a BOM are recognised and refused with a message that names the
  encoding suspected (GB18030 would otherwise read them silently as nonsense).
- `text_lines(text, file=..., limits=...)`: real lines (ended by LF, CRLF or CR, not the other
  separators `str.splitlines` knows), at most `limits.rows` of them and each at most
  `limits.line_length` characters: a 10 MB file of one line is one line, refused for its length.
- `table_open(data, file=..., sheet=...)`: a CSV (dialect sniffed) or an XLSX sheet (openpyxl,
  read-only) as numbered rows. Rows, columns and cells are bounded before anything is expanded:
  the archive's unpacked size and the sheet's declared dimension are checked first, and while
  reading no row is widened past `limits.columns` (openpyxl pads every row to its last cell, so
  a row touching column XFD would otherwise become 16,384 values).

Every problem is an `ApplicationError` whose `where` names the file, sheet, row and field.

Writing: `csv_text(rows)` and `xlsx_append(sheet, values)` / `xlsx_save(book)` never write a
cell that a spreadsheet program reads as a formula: text starting with =, +, -, @, tab or CR
is written as text (XLSX: a text cell with Excel's quote prefix; CSV: a leading apostrophe).
"""

from __future__ import annotations

import csv
import io
import re
import sys
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from .errors import ApplicationError, Where

# --- limits -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Limits:
    """What one file may hold; every reader checks these before it allocates."""

    file_bytes: int = 50 * 1024 * 1024  # the file as uploaded
    unpacked_bytes: int = 250 * 1024 * 1024  # an XLSX archive's parts, unpacked
    rows: int = 100_000  # rows of a sheet or CSV, lines of a text (as the file numbers them)
    columns: int = 256  # columns of a row (IV, the old Excel's last column)
    cells: int = 3_000_000  # cells of a sheet, counting the empty ones a row is padded with
    line_length: int = 32_767  # characters of one line or cell (the most an Excel cell holds)

    def but(self, **changes: Any) -> Limits:
        return replace(self, **changes)


LIMITS = Limits()
_UNBOUNDED = Limits(rows=sys.maxsize, line_length=sys.maxsize)

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (as spreadsheet programs name columns)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _n(number: int) -> str:
    return f"{number:,}"


# --- decoding -----------------------------------------------------------------------------------

_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_SAMPLE = 64 * 1024
_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc]")  # hiragana, katakana, the long mark
_HALF_WIDTH_KANA = re.compile(r"[\uff61-\uff9f]")


def _utf16_without_bom(sample: bytes) -> str:
    """ "UTF-16LE" or "UTF-16BE" when NUL bytes sit on one side of most character pairs.

    Text in UTF-16 holds a NUL in every ASCII character (digits, Latin letters, line ends),
    always at the same position of the pair; a text file in any other encoding holds none.
    """
    if len(sample) < 4 or b"\x00" not in sample:
        return ""
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    enough = max(4, len(sample) // 20)  # a NUL in at least a tenth of the pairs
    if odd >= enough and even <= odd * 0.1:
        return "UTF-16LE"
    if even >= enough and odd <= even * 0.1:
        return "UTF-16BE"
    return ""


def _shift_jis(data: bytes) -> bool:
    """Japanese text in Shift-JIS: it decodes as Shift-JIS and holds kana.

    GB18030 decodes almost any bytes, so a Shift-JIS file would be read as rare Chinese
    characters. Chinese text in GB18030 rarely decodes as Shift-JIS at all, and when it does,
    its bytes (all from 0xA1 up in GB2312) give half-width katakana, never the hiragana and
    full-width katakana of a Japanese sentence (lead bytes 0x82 and 0x83). Japanese written in
    kanji alone is not recognised (and is then read as GB18030).
    """
    sample = data[:_SAMPLE]
    try:
        text = sample.decode("shift_jis")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 1:  # not merely a character cut at the sample's end
            return False
        text = sample[: error.start].decode("shift_jis")
    kana = len(_KANA.findall(text))
    return kana >= 2 and len(_HALF_WIDTH_KANA.findall(text)) <= kana


def text_decode(data: bytes, *, file: str) -> str:
    """The text of a file: UTF-8 (with or without BOM), UTF-16/32 with a BOM, or GB18030."""
    where = Where(file=file)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise ApplicationError(
                    _(
                        "the file starts with a %(encoding)s byte order mark but is not "
                        "%(encoding)s text (at byte %(byte)s); save it as UTF-8"
                    ),
                    params={"encoding": encoding.upper().replace("-SIG", ""), "byte": error.start},
                    where=where,
                    code="bad_encoding",
                ) from None
    _refuse_binary(data, file)
    suspected = _utf16_without_bom(data[:_SAMPLE])
    if suspected:
        raise ApplicationError(
            _(
                "the file looks like %(encoding)s text without a byte order mark, which cannot "
                "be read safely; save it as UTF-8 (in Excel: Save As, CSV UTF-8)"
            ),
            params={"encoding": suspected},
            where=where,
            code="bad_encoding",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    if _shift_jis(data):
        raise ApplicationError(
            _(
                "the file looks like Japanese text in Shift-JIS, which is not read; save it "
                "as UTF-8 (in Excel: Save As, CSV UTF-8)"
            ),
            params={},
            where=where,
            code="bad_encoding",
        )
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise ApplicationError(
            _("line %(line)s is neither UTF-8 nor GB18030 text; save the file as UTF-8"),
            params={"line": line},
            where=where.but(row=line),
            code="bad_encoding",
        ) from None


def _refuse_binary(data: bytes, file: str) -> None:
    """Workbooks and other binary files handed in where text is expected."""
    where = Where(file=file)
    if data.startswith(b"PK\x03\x04"):
        raise ApplicationError(
            _("the file is an XLSX workbook (or another ZIP archive), not text; name it .xlsx"),
            where=where,
            code="not_text",
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ApplicationError(
            _("the file is an old Excel (.xls) workbook, not text; save it as .xlsx or CSV UTF-8"),
            where=where,
            code="not_text",
        )


def _refuse_nul(text: str, file: str) -> None:
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ApplicationError(
            _("the file holds NUL bytes: it is not a text file"),
            where=Where(file=file, row=line),
            code="not_text",
        )


# --- lines --------------------------------------------------------------------------------------

_LINE_END = re.compile(r"\r\n|\r|\n")


def line_count(text: str) -> int:
    """Lines as people and editors count them: ended by LF, CRLF or CR; a last unended counts."""
    return lines_bound(text, limits=_UNBOUNDED)


def lines_bound(text: str, *, file: str = "", field: str = "", limits: Limits = LIMITS) -> int:
    """The number of lines of a text, refused if too many or one is too long (naming it).

    One pass over the line ends, without copying the lines: a file is checked before a
    parser (CSV) or a list of its lines takes memory.
    """
    where = Where(file=file, field=field)
    count = start = 0
    longest = (0, 0, 0)  # (length, line number, start) of the first line over the limit
    for match in _LINE_END.finditer(text):
        count += 1
        if not longest[0] and match.start() - start > limits.line_length:
            longest = (match.start() - start, count, start)
        start = match.end()
    if start < len(text):
        count += 1
        if not longest[0] and len(text) - start > limits.line_length:
            longest = (len(text) - start, count, start)
    if count > limits.rows:
        raise ApplicationError(
            _("the file has %(count)s lines; at most %(limit)s are read")
            if file
            else _("the text has %(count)s lines; at most %(limit)s are read"),
            params={"count": _n(count), "limit": _n(limits.rows)},
            where=where,
            code="too_many_lines",
        )
    length, number, first = longest
    if length:
        line_check(text[first : first + length], number=number, where=where, limits=limits)
    return count


def text_lines(text: str, *, file: str = "", field: str = "", limits: Limits = LIMITS) -> list[str]:
    """The lines of a text, refused (naming the line) if too many or one is too long."""
    count = lines_bound(text, file=file, field=field, limits=limits)
    lines = _LINE_END.split(text)
    if lines and lines[-1] == "" and count < len(lines):
        lines.pop()
    return lines


def line_check(
    line: str, *, number: int, where: Where | None = None, limits: Limits = LIMITS
) -> None:
    """Refuse one line (of a file, a paste or an API list) longer than `limits.line_length`."""
    if len(line) > limits.line_length:
        raise ApplicationError(
            _(
                "line %(line)s holds %(length)s characters; a line may hold at most "
                "%(limit)s (is the whole file one line?)"
            ),
            params={"line": number, "length": _n(len(line)), "limit": _n(limits.line_length)},
            where=(where or Where()).but(row=number),
            code="line_too_long",
        )


# --- tables -------------------------------------------------------------------------------------


@dataclass(slots=True)
class Row:
    """One row as the file numbers it (1-based), with its cells from column A."""

    number: int
    cells: list


@dataclass
class Table:
    """Rows of one CSV file or one sheet of a workbook; iterate `rows` once."""

    file: str
    sheet: str
    rows: Iterator[Row]

    def where(self, row: int | None = None, field: str = "") -> Where:
        return Where(file=self.file, sheet=self.sheet, row=row, field=field)


class SheetErrors(ApplicationError):
    """Every problem of one file that is read whole before anything is written (a register's
    sheet, a file of declarations), each an ApplicationError with its place (file, sheet, row,
    field): nothing of the file was written. The message shows the first 20."""

    def __init__(self, errors: list[ApplicationError]):
        self.errors = errors
        shown = "; ".join(error.describe() for error in errors[:20])
        more = len(errors) - 20
        super().__init__(
            _("nothing was written: %(errors)s")
            if more <= 0
            else _("nothing was written: %(errors)s (and %(more)s more)"),
            params={"errors": shown, "more": more},
            code="sheet_errors",
        )


def cell_text(value: Any) -> str:
    """A cell as trimmed text: None is "", a whole float (Excel's numbers) has no ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def table_kind(file: str) -> str:
    """ "csv" or "xlsx" from a file name; "" when neither."""
    suffix = Path(file).suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return "xlsx"
    if suffix in TEXT_SUFFIXES:
        return "csv"
    return ""


def table_open(
    data: bytes,
    *,
    file: str,
    sheet: str = "",
    prefer: str = "",
    limits: Limits = LIMITS,
) -> Table:
    """The rows of a CSV file or of one sheet of an XLSX workbook (chosen by the file name).

    `sheet` names a sheet that must exist; `prefer` one used if present (else the first). A
    name without an ending (a pasted or generated file) is told by its content.
    """
    kind = table_kind(file)
    if not kind and not Path(file).suffix:
        kind = "xlsx" if data.startswith(b"PK\x03\x04") else "csv"
    if not kind:
        raise ApplicationError(
            _("the file must be CSV or XLSX (by its name ending)"),
            where=Where(file=file),
            code="format",
        )
    _size_check(data, file, limits)
    if kind == "xlsx":
        return xlsx_table(data, file=file, sheet=sheet, prefer=prefer, limits=limits)
    return csv_table(data, file=file, limits=limits)


def file_read(path: Path, *, file: str = "", limits: Limits = LIMITS) -> bytes:
    """A file's bytes, refused by its size before it is read into memory."""
    _size_check(path.stat().st_size, file or str(path), limits)
    return path.read_bytes()


def _size_check(data: bytes | int, file: str, limits: Limits) -> None:
    size = data if isinstance(data, int) else len(data)
    if size > limits.file_bytes:
        raise ApplicationError(
            _("the file is %(size)s MB; at most %(limit)s MB are read"),
            params={
                "size": f"{size / 1048576:,.1f}",
                "limit": _n(limits.file_bytes // 1048576),
            },
            where=Where(file=file),
            code="too_large",
        )


def _cell_length_check(value: Any, where: Where, limits: Limits) -> None:
    if isinstance(value, str) and len(value) > limits.line_length:
        raise ApplicationError(
            _("the cell holds %(length)s characters; a cell may hold at most %(limit)s"),
            params={"length": _n(len(value)), "limit": _n(limits.line_length)},
            where=where,
            code="cell_too_long",
        )


def csv_table(data: bytes, *, file: str, limits: Limits = LIMITS) -> Table:
    """A CSV file's rows; the delimiter (comma, semicolon, tab) is sniffed."""
    _size_check(data, file, limits)
    text = text_decode(data, file=file)
    _refuse_nul(text, file)
    lines_bound(text, file=file, limits=limits)  # before the CSV parser runs
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return Table(file=file, sheet="", rows=_csv_rows(text, file, dialect, limits))


def _csv_rows(text: str, file: str, dialect: Any, limits: Limits) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ApplicationError(
                _("the row is not valid CSV (%(error)s)"),
                params={"error": str(error)},
                where=Where(file=file, row=reader.line_num),
                code="bad_csv",
            ) from None
        number += 1
        if len(cells) > limits.columns:
            raise ApplicationError(
                _("the row has %(count)s columns; at most %(limit)s are read"),
                params={"count": _n(len(cells)), "limit": _n(limits.columns)},
                where=Where(file=file, row=number),
                code="too_many_columns",
            )
        for index, cell in enumerate(cells):
            _cell_length_check(
                cell, Where(file=file, row=number, field=column_letter(index)), limits
            )
        yield Row(number, cells)


# --- XLSX ---------------------------------------------------------------------------------------


def xlsx_open(data: bytes, *, file: str, limits: Limits = LIMITS):
    """An openpyxl workbook in read-only mode; every failure is a message naming the file."""
    where = Where(file=file)
    _size_check(data, file, limits)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ApplicationError(
            _(
                "the file is an old Excel (.xls) workbook or a password-protected one; save it "
                "as an .xlsx workbook without a password"
            ),
            where=where,
            code="bad_xlsx",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ApplicationError(
            _("the file is not an XLSX workbook (it is not a ZIP archive, or a damaged one)"),
            where=where,
            code="bad_xlsx",
        ) from None
    if unpacked > limits.unpacked_bytes:
        raise ApplicationError(
            _("the workbook unpacks to %(size)s MB; at most %(limit)s MB are read"),
            params={
                "size": _n(unpacked // 1048576),
                "limit": _n(limits.unpacked_bytes // 1048576),
            },
            where=where,
            code="too_large",
        )
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "extension is not supported": nothing to act on
            return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except KeyError as error:
        problem, detail = _("a part of the workbook is missing"), str(error)
    except zipfile.BadZipFile as error:
        problem, detail = _("the archive is damaged"), str(error)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many types for a broken file
        problem, detail = _("it cannot be read"), error.__class__.__name__
    raise ApplicationError(
        _("the file is not a readable XLSX workbook: %(problem)s (%(detail)s)"),
        params={"problem": problem, "detail": detail[:200]},
        where=where,
        code="bad_xlsx",
    )


def xlsx_sheet(book, *, file: str, sheet: str = "", prefer: str = ""):
    """The worksheet named `sheet` (which must exist), else `prefer` if present, else the first."""
    names = [ws.title for ws in book.worksheets]
    if sheet:
        if sheet not in names:
            raise ApplicationError(
                _("there is no sheet '%(sheet)s'; the sheets are: %(sheets)s"),
                params={"sheet": sheet, "sheets": ", ".join(names)},
                where=Where(file=file),
                code="no_such_sheet",
            )
        return book[sheet]
    if prefer and prefer in names:
        return book[prefer]
    if not names:
        raise ApplicationError(
            _("the workbook has no worksheet"), where=Where(file=file), code="empty"
        )
    return book.worksheets[0]


def xlsx_table(
    data: bytes, *, file: str, sheet: str = "", prefer: str = "", limits: Limits = LIMITS
) -> Table:
    """One sheet's rows, bounded: see the module's docstring."""
    book = xlsx_open(data, file=file, limits=limits)
    try:
        worksheet = xlsx_sheet(book, file=file, sheet=sheet, prefer=prefer)
        _dimension_check(worksheet, file, limits)
    except BaseException:
        book.close()
        raise
    return Table(file=file, sheet=worksheet.title, rows=_xlsx_rows(book, worksheet, file, limits))


def _dimension_check(worksheet, file: str, limits: Limits) -> None:
    """Refuse a sheet whose declared size (its <dimension>, read without expanding) is too big."""
    rows, columns = worksheet.max_row or 0, worksheet.max_column or 0
    where = Where(file=file, sheet=worksheet.title)
    if columns > limits.columns:
        raise _too_many_columns(where, columns, limits)
    if rows > limits.rows:
        raise _too_many_rows(where, rows, limits)
    if rows * columns > limits.cells:
        raise ApplicationError(
            _(
                "the sheet spans %(rows)s rows and %(columns)s columns (%(cells)s cells); at "
                "most %(limit)s cells are read"
            ),
            params={
                "rows": _n(rows),
                "columns": _n(columns),
                "cells": _n(rows * columns),
                "limit": _n(limits.cells),
            },
            where=where,
            code="too_many_cells",
        )


def _too_many_columns(where: Where, columns: int, limits: Limits) -> ApplicationError:
    return ApplicationError(
        _(
            "the sheet reaches column %(column)s (%(count)s columns); at most %(limit)s columns "
            "(up to %(last)s) are read: delete the columns after the data, or copy the data "
            "into a new workbook"
        ),
        params={
            "column": column_letter(columns - 1),
            "count": _n(columns),
            "limit": _n(limits.columns),
            "last": column_letter(limits.columns - 1),
        },
        where=where,
        code="too_many_columns",
    )


def _too_many_rows(where: Where, rows: int, limits: Limits) -> ApplicationError:
    return ApplicationError(
        _("the sheet reaches row %(count)s; at most %(limit)s rows are read"),
        params={"count": _n(rows), "limit": _n(limits.rows)},
        where=where,
        code="too_many_rows",
    )


def _xlsx_rows(book, worksheet, file: str, limits: Limits) -> Iterator[Row]:
    # The declared dimension may lie (or be missing): read each row only as wide as its last
    # cell, and count as we go. openpyxl then allocates one row at a time, never a padded sheet.
    worksheet.reset_dimensions()
    where = Where(file=file, sheet=worksheet.title)
    cells = 0
    try:
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if number > limits.rows:
                raise _too_many_rows(where.but(row=number), number, limits)
            width = len(values)
            if width > limits.columns:
                raise _too_many_columns(where.but(row=number), width, limits)
            cells += max(width, 1)
            if cells > limits.cells:
                raise ApplicationError(
                    _("the sheet holds more than %(limit)s cells"),
                    params={"limit": _n(limits.cells)},
                    where=where.but(row=number),
                    code="too_many_cells",
                )
            for index, value in enumerate(values):
                _cell_length_check(value, where.but(row=number, field=column_letter(index)), limits)
            yield Row(number, list(values))
    finally:
        book.close()


# --- writing ------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def formula_like(value: Any) -> bool:
    """Text a spreadsheet program would take for a formula (or start one with)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell: formula-like text gets a leading apostrophe (OWASP's advice)."""
    if formula_like(value):
        return "'" + value
    return "" if value is None else value


def csv_text(rows: Iterable[Iterable[Any]], *, bom: bool = True) -> str:
    """CSV text (comma-separated, CRLF line ends); with a BOM Excel reads it as UTF-8."""
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()


def xlsx_cell(sheet, value: Any, *, font=None, fill=None):
    """A cell for `sheet.append` (write-only or normal sheets) that is never a formula.

    Formula-like text and text that reads as an error code (#REF!) become text cells with
    Excel's quote prefix, shown exactly as written; characters XML cannot hold are dropped.
    """
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        value = _ILLEGAL.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and cell.data_type != "s":
        cell.data_type = "s"
        cell.quotePrefix = True
    elif formula_like(value):
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell


def xlsx_append(sheet, values: Iterable[Any], *, font=None) -> list:
    """Append one row of safe cells to a sheet; returns the cells (to style more)."""
    cells = [xlsx_cell(sheet, value, font=font) for value in values]
    sheet.append(cells)
    return cells


def xlsx_save(book) -> bytes:
    """The workbook's bytes. A normal (not write-only) workbook is swept first: any cell that
    still holds formula-like text, however it got there, is turned into text."""
    if not getattr(book, "write_only", False):
        for worksheet in book.worksheets:
            for row in worksheet.iter_rows():
                for cell in row:
                    text = isinstance(cell.value, str)
                    if text and (cell.data_type in ("f", "e") or formula_like(cell.value)):
                        cell.data_type = "s"
                        cell.quotePrefix = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
