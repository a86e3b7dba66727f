"""Public declaration search results as CSV or XLSX, with the search's filters
(`filters.DeclarationFilter`): one row per product of each declaration found, the first
`EXPORT_MAX` declarations in the search's order; the headers say when there were more."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.translation import gettext as _

from stdplus.core.tabular import csv_text, xlsx_append, xlsx_save

from .filters import DeclarationFilter, filters_search
from .models import Product

EXPORT_MAX = 2_000
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_headers() -> list[str]:
    return [
        _("Enterprise"),
        _("Unified social credit code"),
        _("Region code"),
        _("Version"),
        _("State"),
        _("Declared on"),
        _("Product"),
        _("Model"),
        _("Category"),
        _("Standards cited"),
        _("Enterprise standards"),
        _("Page"),
    ]


def export_rows(filters: DeclarationFilter, page_url=str) -> tuple[list[list], int]:
    found = filters_search(filters)
    count = found.count()
    declarations = found.prefetch_related(
        Prefetch(
            "products",
            queryset=Product.objects.prefetch_related("cited__standard", "enterprise_standards"),
        )
    )[:EXPORT_MAX]
    rows = []
    for declaration in declarations:
        head = [
            str(declaration.enterprise),
            declaration.enterprise.credit_code,
            declaration.enterprise.region_code,
            declaration.version,
            str(declaration.get_state_display()),
            declaration.declared_on.isoformat() if declaration.declared_on else "",
        ]
        for product in declaration.products.all() or [None]:
            if product is None:
                rows.append(head + ["", "", "", "", "", page_url(declaration.get_absolute_url())])
                continue
            rows.append(
                head
                + [
                    product.name,
                    product.model,
                    f"{product.category} {product.category_title}",
                    "; ".join(c.standard.canonical for c in product.cited.all()),
                    "; ".join(q.number for q in product.enterprise_standards.all()),
                    page_url(declaration.get_absolute_url()),
                ]
            )
    return rows, count


def declarations_export(filters: DeclarationFilter, fmt: str, *, page_url=str) -> HttpResponse:
    rows, count = export_rows(filters, page_url)
    shown = min(count, EXPORT_MAX)
    note = (
        [
            _(
                "The first %(shown)s of %(total)s declarations found; narrow the search for the rest."
            )
            % {"shown": f"{shown:,}", "total": f"{count:,}"}
        ]
        if count > shown
        else []
    )
    headers = export_headers()
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("Declarations"))
        if note:
            xlsx_append(sheet, note, font=Font(italic=True))
        xlsx_append(sheet, headers, font=Font(bold=True))
        for row in rows:
            xlsx_append(sheet, row)
        body: str | bytes = xlsx_save(book)
    else:
        body = csv_text([note, headers, *rows] if note else [headers, *rows])
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="stdplus-declarations.{fmt}"'
    response["X-Result-Count"] = str(count)
    response["X-Export-Rows"] = str(shown)
    response["X-Export-Truncated"] = "true" if count > shown else "false"
    return response
