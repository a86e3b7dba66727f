"""Search results as CSV or XLSX, with the filters of the page (or of the API call).

The file holds the first `EXPORT_MAX` results in the search's order, with the column names and
the level and status in the reader's language, and says so when there are more (a line above
the table, and the `X-Export-Truncated` and `X-Result-Count` headers)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse
from django.utils.translation import gettext as _

from stdplus.catalog.models import Standard
from stdplus.catalog.schemas import StandardFilter
from stdplus.core.tabular import csv_text, xlsx_append, xlsx_save

from .filters import search_run

EXPORT_MAX = 2_000
FORMATS = ("csv", "xlsx")
FIELDS = ("canonical", "title_zh", "title_en", "level", "body", "status", "published")
FIELDS_DATES = ("effective", "withdrawn")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_headers() -> list[str]:
    """Column names: the standard's field names as the model translates them, and the page."""
    names = [str(Standard._meta.get_field(name).verbose_name) for name in FIELDS + FIELDS_DATES]
    return [name[:1].upper() + name[1:] for name in names] + [_("Page")]


def export_row(standard: Standard, page_url: Callable[[str], str]) -> list:
    def day(value) -> str:
        return value.isoformat() if value else ""

    return [
        standard.canonical,
        standard.title_zh,
        standard.title_en,
        str(standard.get_level_display()),
        standard.body,
        str(standard.get_status_display()),
        day(standard.published),
        day(standard.effective),
        day(standard.withdrawn),
        page_url(standard.get_absolute_url()),
    ]


def export_note(count: int, exact: bool, shown: int) -> str:
    """The line saying what the file holds when the search found more than it."""
    total = f"{count:,}" if exact else _("more than %(n)s") % {"n": f"{count:,}"}
    return _(
        "The first %(shown)s of %(total)s standards found; narrow the search for the rest."
    ) % {
        "shown": f"{shown:,}",
        "total": total,
    }


def standards_export(
    params: StandardFilter, fmt: str, *, page_url: Callable[[str], str] = str
) -> HttpResponse:
    """The file of a search's results, at most EXPORT_MAX rows from the first."""
    result = search_run(params, page=1, page_size=EXPORT_MAX, page_size_max=EXPORT_MAX)
    shown = len(result.standards)
    truncated = result.count > shown or not result.count_exact

    note = [export_note(result.count, result.count_exact, shown)] if truncated else []
    headers = export_headers()
    rows = [export_row(standard, page_url) for standard in result.standards]
    if fmt == "xlsx":
        body: str | bytes = _xlsx(note, headers, rows)
    else:
        body = csv_text([note, headers, *rows] if note else [headers, *rows])
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="stdplus-search.{fmt}"'
    response["X-Result-Count"] = str(result.count)
    response["X-Export-Rows"] = str(shown)
    response["X-Export-Truncated"] = "true" if truncated else "false"
    return response


def _xlsx(note: list[str], headers: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Search results"))
    if note:
        xlsx_append(sheet, note, font=Font(italic=True))
    xlsx_append(sheet, headers, font=Font(bold=True))
    for row in rows:
        xlsx_append(sheet, row)
    return xlsx_save(book)
