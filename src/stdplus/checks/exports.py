"""A check's result as XLSX or CSV, for the audit file."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from stdplus.core.tabular import csv_text as table_csv_text
from stdplus.core.tabular import xlsx_append, xlsx_cell, xlsx_save

from .models import ADOPTION_LABELS, Category, Match, where_label

STATUS_FILLS = {
    "current": "DAFBE1",
    "upcoming": "DDF4FF",
    "superseded": "FFF8C5",
    "withdrawn": "FFEBE9",
    "development": "FBEFFF",
    "cancelled": "EAEEF2",
    "unknown": "EAEEF2",
    "rejected": "FFD8D3",
}


# Column widths in characters, in the order of `headers()`: wide enough for identifiers and
# chains, narrow for numbers, so that the workbook reads without resizing.
WIDTHS = (6, 10, 28, 24, 10, 14, 24, 40, 12, 12, 12, 24, 44, 24, 24, 28, 28, 30, 12, 24)


def headers() -> list[str]:
    return [
        _("No."),
        _("Where"),
        _("Input"),
        _("Identifier"),
        _("Match"),
        _("Result"),
        _("Edition judged"),
        pgettext("standard", "Title"),
        _("Published"),
        _("Effective"),
        _("Withdrawn"),
        _("Current standard"),
        _("Replacement chain"),
        _("Current edition of the work"),
        _("Upcoming replacement"),
        _("Adoptions"),
        _("Suggestions"),
        _("Error"),
        _("Source"),
        _("Source data as of"),
    ]


def _category(line: dict) -> str:
    if line["match"] == "rejected":
        return "rejected"
    if line["match"] == "none":
        return "unknown"
    return line["status"] or "unknown"


def row_values(line: dict) -> list:
    """One export row from a line's contract dict."""
    adoptions = "; ".join(
        f"{ADOPTION_LABELS.get(a['relation'], a['relation'])} {a['key']}"
        + (f" ({a['degree']})" if a.get("degree") else "")
        for a in line.get("adoptions") or []
    )
    category = _category(line)
    return [
        line["position"],
        where_label(line.get("where") or ""),
        line["input"],
        line["canonical"] or "",
        str(Match(line["match"]).label) if line["match"] in Match.values else line["match"],
        str(Category(category).label) if category in Category.values else "",
        line.get("edition") or "",
        line.get("title_zh") or line.get("title_en") or "",
        line.get("published") or "",
        line.get("effective") or "",
        line.get("withdrawn") or "",
        line["current"] or "",
        " → ".join(line["chain"]),
        line.get("work_current") or "",
        line.get("upcoming") or "",
        adoptions,
        ", ".join(line["suggestions"]),
        line["error"] or "",
        line.get("source") or "",
        _source_date(line),
    ]


def _source_date(line: dict) -> str:
    """The date the source's data describes, and a warning when it is old or unknown."""
    if not line.get("source"):
        return ""
    day = line.get("source_as_of") or str(_("unknown"))
    return f"{day} ({_('old data')})" if line.get("source_stale") else day


def xlsx_bytes(lines: Iterable[dict], *, title: str, summary: dict) -> bytes:
    """The check as a workbook; every cell from the list is written as data, never a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Check"))
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header_row = 4  # title, summary, a blank row, then the header
    sheet.freeze_panes = f"A{header_row + 1}"  # the header stays in view while scrolling
    xlsx_append(sheet, [title])
    xlsx_append(sheet, [f"{Category(key).label}: {count}" for key, count in summary.items()])
    sheet.append([])
    xlsx_append(sheet, headers(), font=Font(bold=True))
    fills = {k: PatternFill("solid", fgColor=v) for k, v in STATUS_FILLS.items()}
    rows = 0
    for line in lines:
        cells = [xlsx_cell(sheet, value) for value in row_values(line)]
        fill = fills.get(_category(line))
        if fill is not None:
            cells[5].fill = fill
        sheet.append(cells)
        rows += 1
    last = get_column_letter(len(WIDTHS))
    sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + max(rows, 1)}"
    return xlsx_save(book)


def csv_text(lines: Iterable[dict]) -> str:
    """The check as CSV with a BOM (Excel then reads the Chinese titles as UTF-8)."""
    return table_csv_text([headers(), *(row_values(line) for line in lines)])
