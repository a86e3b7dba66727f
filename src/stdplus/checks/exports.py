"""A check's result as XLSX or CSV, for the audit file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from .models import Category

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


def headers() -> list[str]:
    return [
        _("No."),
        _("Where"),
        _("Input"),
        _("Identifier"),
        _("Match"),
        _("Result"),
        _("Edition judged"),
        _("Title"),
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
        f"{a['relation']} {a['key']}" + (f" ({a['degree']})" if a.get("degree") else "")
        for a in line.get("adoptions") or []
    )
    category = _category(line)
    return [
        line["position"],
        line.get("where") or "",
        line["input"],
        line["canonical"] or "",
        line["match"],
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
    ]


def _safe(value):
    """Keep spreadsheet programs from reading a cell as a formula (CSV/XLSX injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def xlsx_bytes(lines: Iterable[dict], *, title: str, summary: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Check"))
    bold = Font(bold=True)
    sheet.append([WriteOnlyCell(sheet, value=title)])
    sheet.append([f"{Category(key).label}: {count}" for key, count in summary.items()])
    sheet.append([])
    head = []
    for text in headers():
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    fills = {k: PatternFill("solid", fgColor=v) for k, v in STATUS_FILLS.items()}
    for line in lines:
        values = row_values(line)
        cells = [WriteOnlyCell(sheet, value=_safe(v)) for v in values]
        fill = fills.get(_category(line))
        if fill is not None:
            cells[5].fill = fill
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(lines: Iterable[dict]) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # Excel then reads the file as UTF-8 (Chinese titles)
    writer = csv.writer(out)
    writer.writerow(headers())
    for line in lines:
        writer.writerow([_safe(v) for v in row_values(line)])
    return out.getvalue()
