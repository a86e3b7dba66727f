"""Reading the spreadsheets of this app (mandatory standards per category, existing
declarations) through `core.tabular`: a header row naming the columns (English keys, or their
Chinese names), then one record a row. Every problem is an `ApplicationError` placed at its
file, sheet, row and field; `SheetErrors` carries all of them, and nothing is written."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from stdplus.core.errors import ApplicationError, Where
from stdplus.core.tabular import LIMITS, Limits, SheetErrors, cell_text, table_open

SHEET_LIMITS = LIMITS.but(rows=20_000, file_bytes=20 * 1024 * 1024)


@dataclass(frozen=True)
class Col:
    key: str  # the English header, also the field named in errors
    zh: str  # the Chinese header
    required: bool = False


def sheet_rows(
    content: bytes, filename: str, columns: Sequence[Col], *, limits: Limits = SHEET_LIMITS
) -> Iterator[tuple[Where, dict[str, str]]]:
    """(place of the row, {column key: cell text}) for every non-empty row after the header."""
    try:
        table = table_open(content, file=filename, limits=limits)
    except ApplicationError as error:
        raise SheetErrors([error]) from None
    by_header = {c.key.lower(): c.key for c in columns} | {c.zh: c.key for c in columns}
    try:
        rows = iter(table.rows)
        first = next(rows, None)
        header = [cell_text(h) for h in first.cells] if first else []
        position: dict[str, int] = {}
        errors = []
        for index, name in enumerate(header):
            if not name:
                continue
            key = by_header.get(name.lower().rstrip("*").strip()) or by_header.get(
                name.rstrip("*").strip()
            )
            if key is None:
                errors.append(
                    ApplicationError(
                        _("unknown column; the columns are: %(columns)s"),
                        params={"columns": ", ".join(c.key for c in columns)},
                        where=table.where(row=1, field=name),
                        code="unknown_column",
                    )
                )
            else:
                position[key] = index
        errors += [
            ApplicationError(
                _("this required column is missing"),
                where=table.where(row=1, field=c.key),
                code="missing_column",
            )
            for c in columns
            if c.required and c.key not in position
        ]
        if errors:
            raise SheetErrors(errors)
        for row in rows:
            cells = {
                key: cell_text(row.cells[i]) if i < len(row.cells) else ""
                for key, i in position.items()
            }
            if not any(cells.values()):
                continue
            yield table.where(row=row.number), cells
    except SheetErrors:
        raise
    except ApplicationError as error:  # a bound of the file, found while reading
        raise SheetErrors([error]) from None


def required_errors(where: Where, cells: dict[str, str], columns: Sequence[Col]):
    return [
        ApplicationError(_("is required"), where=where.but(field=c.key), code="required")
        for c in columns
        if c.required and not cells.get(c.key)
    ]
