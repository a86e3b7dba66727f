"""The records behind a figure as a worksheet: what the drill-down list's Excel download and the
annual report's workbook write, so both show the same columns.

Each kind of row (`RecordRow.type`) has its columns: a heading in the reader's language and how
to read the cell from a row, with codes turned into their display names (levels, states, kinds,
roles), links as clickable hyperlinks to the site, dates as dates and amounts as numbers in the
#,##0 format. Every text cell is written as data, never as a formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from stdplus.catalog.choices import Level
from stdplus.core.tabular import xlsx_cell
from stdplus.programme.choices import (
    ApplicationState,
    BodyKind,
    PilotLevel,
    PilotState,
    PositionRole,
)

NUMBER_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"  # the site's one date format (YYYY-MM-DD)
EXCEL_MAX_ROWS = 1_048_576


def _zh() -> bool:
    return (get_language() or "en").lower().startswith("zh")


def _name(row: dict, zh: str, en: str) -> str:
    first, second = (row.get(zh), row.get(en)) if _zh() else (row.get(en), row.get(zh))
    return first or second or ""


def _label(choices) -> Callable[[Any], str]:
    names = dict(choices)

    def read(value: Any) -> str:
        return str(names.get(value, value or ""))

    return read


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date) or value is None:
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


@dataclass(frozen=True)
class Column:
    heading: Any  # translatable
    read: Callable[[dict], Any]
    width: int = 16
    kind: str = "text"  # text, label (a short name kept on one line), date, number
    link: str = ""  # the row's field holding the address this cell links to


_role = _label(PositionRole.choices)


def _positions(row: dict) -> str:
    parts = []
    for p in row.get("positions") or []:
        start, end = p.get("term_start") or "", p.get("term_end") or ""
        parts.append(f"{_role(p.get('role'))} {p.get('body', '')} ({start}–{end})".strip())
    return "; ".join(parts)


COLUMNS: dict[str, list[Column]] = {
    "standard": [
        Column(_("Standard"), lambda r: r["canonical"], 24, link="href"),
        Column(_("Title"), lambda r: _name(r, "title_zh", "title_en"), 60),
        Column(_("Level"), lambda r: _label(Level.choices)(r["level"]), 12, "label"),
        Column(_("Issuing body"), lambda r: r.get("body") or "", 14),
        Column(_("Published"), lambda r: _date(r.get("published")), 12, "date"),
        Column(
            _("Organizations of the region"), lambda r: "; ".join(r.get("organizations") or []), 50
        ),
    ],
    "body": [
        Column(_("Code"), lambda r: r["code"], 16),
        Column(_("Name"), lambda r: _name(r, "name_zh", "name_en"), 50),
        Column(_("Kind"), lambda r: _label(BodyKind.choices)(r["kind"]), 36),
        Column(_("Host"), lambda r: r["host"], 36, link="host_href"),
        Column(_("Since"), lambda r: _date(r.get("since")), 12, "date"),
        Column(_("Until"), lambda r: _date(r.get("until")), 12, "date"),
    ],
    "expert": [
        Column(_("Expert"), lambda r: _name(r, "name_zh", "name_en"), 24, link="href"),
        Column(_("Organization"), lambda r: r["organization"], 36),
        Column(_("Positions"), _positions, 70),
    ],
    "pilot": [
        Column(_("Code"), lambda r: r["code"], 14),
        Column(_("Pilot"), lambda r: _name(r, "title_zh", "title_en"), 50, link="href"),
        Column(_("Level"), lambda r: _label(PilotLevel.choices)(r["level"]), 12, "label"),
        Column(
            _("State at the end of the period"),
            lambda r: _label(PilotState.choices)(r["state"]),
            18,
            "label",
        ),
        Column(_("State today"), lambda r: _label(PilotState.choices)(r["state_now"]), 18, "label"),
        Column(_("Host"), lambda r: r["host"], 36),
        Column(_("Start"), lambda r: _date(r.get("start")), 12, "date"),
    ],
    "funding_application": [
        Column(_("Organization"), lambda r: r.get("organization") or str(_("not public")), 36),
        Column(_("Item"), lambda r: r["item_zh"] if _zh() else r["item"], 30),
        Column(_("Claim"), lambda r: r.get("claim") or "", 30),
        Column(_("Submitted on"), lambda r: _date(r.get("submitted_on")), 12, "date"),
        Column(_("State"), lambda r: _label(ApplicationState.choices)(r["state"]), 12, "label"),
        Column(_("Requested (CNY)"), lambda r: r.get("amount_requested"), 16, "number"),
        Column(_("Awarded (CNY)"), lambda r: r.get("amount_awarded"), 16, "number"),
    ],
}
DEMO = Column(_("Demo record"), lambda r: str(_("demo")) if r.get("demo") else "", 10)


@dataclass(frozen=True)
class DisplayCell:
    value: Any
    kind: str
    href: str = ""


def display_table(
    row_type: str, rows: Iterable[dict]
) -> tuple[list[Column], list[list[DisplayCell]]]:
    """The columns of a kind of record (without the demo mark) and its rows as display cells,
    for the report's printed tables."""
    columns = COLUMNS.get(row_type, [])
    cells = [
        [DisplayCell(c.read(row), c.kind, row.get(c.link, "") if c.link else "") for c in columns]
        for row in rows
    ]
    return columns, cells


def absolute(href: str) -> str:
    """A link of the site as an address that works outside it (in Excel)."""
    if not href:
        return ""
    return href if href.startswith(("http://", "https://")) else settings.STDPLUS_SITE_URL + href


def records_sheet_write(sheet, row_type: str, rows: Iterable[dict], *, first_row: int = 1) -> int:
    """Write the heading and the rows of one kind of record into a (normal) worksheet from
    `first_row`: display names, links, dates and amounts formatted, widths, the heading frozen
    and filtered. Returns the number of rows written."""
    columns = [*COLUMNS.get(row_type, []), DEMO]
    bold = Font(bold=True)
    link_font = Font(color="0563C1", underline="single")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=first_row, column=index, value=str(column.heading))
        cell.font = bold
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    count = 0
    for count, row in enumerate(rows, start=1):  # noqa: B007 - the count is the result
        line = first_row + count
        if line > EXCEL_MAX_ROWS:
            break
        for index, column in enumerate(columns, start=1):
            value = column.read(row)
            cell = sheet.cell(row=line, column=index)
            if column.kind in ("text", "label") and value is not None:
                value = xlsx_cell(sheet, str(value)).value
                cell.data_type = "s"
            cell.value = value
            if column.kind == "number":
                cell.number_format = NUMBER_FORMAT
            elif column.kind == "date":
                cell.number_format = DATE_FORMAT
            if column.link and row.get(column.link):
                cell.hyperlink = absolute(row[column.link])
                cell.font = link_font
    last = get_column_letter(len(columns))
    sheet.freeze_panes = sheet.cell(row=first_row + 1, column=1)
    sheet.auto_filter.ref = f"A{first_row}:{last}{first_row + max(count, 1)}"
    return count


_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_title(text: str, taken: set[str] | None = None) -> str:
    """A worksheet name from a label: without the characters Excel refuses, at most 31
    characters, and not one already taken (a number is added)."""
    base = " ".join(text.translate(_SHEET_FORBIDDEN).split())[:31] or "Sheet"
    title, number = base, 2
    while taken is not None and title.lower() in {t.lower() for t in taken}:
        suffix = f" {number}"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    if taken is not None:
        taken.add(title)
    return title
