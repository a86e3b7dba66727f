"""The annual report: the figures, charts and the tables behind them, in Chinese and English.

HTML is self-contained (inline CSS, charts as inline SVG drawn here, no script), so the same file
prints to PDF with Debian's Chromium in headless mode and opens anywhere. XLSX holds the
figures, breakdowns, native Excel charts and every record behind every figure.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from stdplus.catalog.choices import Level
from stdplus.core.display import in_language
from stdplus.core.pdf import html_to_pdf
from stdplus.core.tabular import xlsx_append, xlsx_save
from stdplus.programme.selectors import regions_kept

from .colours import level_colour
from .exports import NUMBER_FORMAT, absolute, display_table, records_sheet_write, sheet_title
from .indicators import INDICATORS, Scope
from .payloads import dashboard_cached
from .selectors import card_keys

TABLE_LIMIT = 1000  # rows per table in the HTML/PDF report; the XLSX holds every row
PALETTE = ["#0b5cad", "#2e9d5b", "#e3a21a", "#c0392b", "#7d4cc2", "#1aa3a3", "#8a6d3b", "#5d6d7e"]


LABEL_LINE = 14  # characters per line of a chart's label (a CJK character counts two)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def label_lines(label: str, width: int = LABEL_LINE) -> list[str]:
    """A chart's label in lines of about `width`, broken between words (and between CJK
    characters), never cut: every character of the label is kept."""
    lines: list[str] = []
    current = ""
    tokens = re.findall(
        r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+|\s+",
        label,
    )
    for token in tokens:
        if token.isspace():
            if current:
                current += " "
            continue
        if current and _width(current.rstrip() + token) > width:
            lines.append(current.rstrip())
            current = ""
        while _width(token) > width and not current:  # one very long word: split it
            cut = max(1, width)
            lines.append(token[:cut])
            token = token[cut:]
        current += token
    if current.strip():
        lines.append(current.rstrip())
    return lines or [""]


def svg_bars(
    labels: list[str],
    series: list[tuple[str, list[int]]],
    *,
    width: int = 640,
    height: int = 260,
    colours: list[str] | None = None,
) -> str:
    """A (stacked) vertical bar chart as an SVG string; escaped labels, no script."""
    deepest = max((len(label_lines(label)) for label in labels), default=1)
    left, bottom, top, right = 48, 40 + 14 * deepest, 28, 12
    height += 14 * (deepest - 1)
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(values[i] for _, values in series) for i in range(len(labels))]
    peak = max(totals or [0]) or 1
    step = plot_w / max(1, len(labels))
    bar = step * 0.7
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" font-family="sans-serif" font-size="11">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#888"/>',
    ]
    for tick in range(5):
        value = peak * tick / 4
        y = top + plot_h - plot_h * tick / 4
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{value:,.0f}</text>'
        )
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#eee"/>'
        )
    for index, label in enumerate(labels):
        x = left + index * step + (step - bar) / 2
        base = top + plot_h
        for number, (_name, values) in enumerate(series):
            h = plot_h * values[index] / peak
            if h > 0:
                base -= h
                parts.append(
                    f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{(colours or PALETTE)[number % len(colours or PALETTE)]}"/>'
                )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{top - 4 + plot_h - plot_h * totals[index] / peak:.1f}" text-anchor="middle" fill="#222">{totals[index]:,}</text>'
        )
        lines = "".join(
            f'<tspan x="0" dy="{0 if number == 0 else 1.15}em">{html.escape(line)}</tspan>'
            for number, line in enumerate(label_lines(label))
        )
        parts.append(
            f'<text transform="translate({x + bar / 2:.1f},{top + plot_h + 12}) rotate(30)" fill="#333">{lines}</text>'
        )
    if len(series) > 1:
        for number, (name, _values) in enumerate(series):
            x = left + number * 110
            parts.append(
                f'<rect x="{x}" y="6" width="10" height="10" fill="{(colours or PALETTE)[number % len(colours or PALETTE)]}"/>'
            )
            parts.append(f'<text x="{x + 14}" y="15" fill="#333">{html.escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


@dataclass
class ReportTable:
    key: str
    title: str
    count: int
    rows: list[dict]

    @property
    def printed(self) -> dict:
        """The table as the printed report shows it: headings in the report's language, display
        names."""
        row_type = INDICATORS[self.key].row_schema.model_fields["type"].default
        columns, cells = display_table(row_type, self.rows)
        return {
            "headings": [(str(c.heading), c.kind) for c in columns],
            "rows": cells,
        }


def _tables(scope: Scope, limit: int | None) -> list[ReportTable]:
    tables = []
    for key in card_keys():
        indicator = INDICATORS[key]
        queryset = indicator.listing(scope, {})
        count = queryset.count()
        records = list(queryset if limit is None else queryset[:limit])
        # The report is public: rows are shaped as for an anonymous reader.
        rows = indicator.rows(records, scope, AnonymousUser())
        tables.append(
            ReportTable(
                key, str(indicator.label), count, [row.model_dump(mode="json") for row in rows]
            )
        )
    return tables


Progress = Callable[[int, int], None]
# The report's steps, for the progress its page shows: figures, record tables, the file.
STEPS = 3


def _step(progress: Progress | None, done: int) -> None:
    if progress is not None:
        progress(done, STEPS)


def _tables_step(scope: Scope, limit: int | None, progress: Progress | None) -> list[ReportTable]:
    tables = _tables(scope, limit)
    _step(progress, 2)
    return tables


def report_context(
    scope: Scope, *, limit: int | None = TABLE_LIMIT, progress: Progress | None = None
) -> dict:
    # The dashboard's own figures, counted once per version of the data (a report made after
    # the dashboard was read, or a second report, reads them from the statistics' cache).
    payload = dashboard_cached(scope).model_dump(mode="json")
    _step(progress, 1)
    levels = sorted({level for row in payload["trend"] for level in row["by_level"]})
    level_names = {value: str(label) for value, label in Level.choices}
    trend_svg = svg_bars(
        [str(row["year"]) for row in payload["trend"]],
        [
            (
                level_names.get(level, level),
                [row["by_level"].get(level, 0) for row in payload["trend"]],
            )
            for level in levels
        ]
        or [("", [0 for _ in payload["trend"]])],
        colours=[level_colour(level) for level in levels] or None,
    )
    children_svg = ""
    if payload["by_child"]:
        children_svg = svg_bars(
            [in_language(row["name_zh"], row["name_en"]) for row in payload["by_child"]],
            [("", [row["figures"]["participation"]["value"] for row in payload["by_child"]])],
        )
    ics_svg = svg_bars(
        [row["field"] for row in payload["ics"][:12]],
        [("", [row["count"] for row in payload["ics"][:12]])],
    )
    figures = []
    for figure in payload["figures"]:
        indicator = INDICATORS[figure["key"]]
        total_label = str(indicator.total_label) if figure.get("total") else None
        figures.append({**figure, "label": str(indicator.label), "total_label": total_label})
    child_keys = list(payload["by_child"][0]["figures"]) if payload["by_child"] else []
    return {
        "scope": scope,
        "data": payload,
        "figures": figures,
        "trend_svg": trend_svg,
        "children_svg": children_svg,
        "ics_svg": ics_svg,
        "tables": _tables_step(scope, limit, progress),
        # The sections before the record tables: figures, trend, (districts,) ICS, top.
        "first_table": 6 if payload["by_child"] else 5,
        "limit": limit,
        "generated": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "child_keys": child_keys,
        "child_labels": [(key, str(INDICATORS[key].short_label)) for key in child_keys],
        # Names from the register in the report's language (the other one where none was entered).
        "region_name": in_language(payload["region"]["name_zh"], payload["region"]["name_en"]),
        "children": [
            {**row, "name": in_language(row["name_zh"], row["name_en"])}
            for row in payload["by_child"]
        ],
        "ics": [
            {**row, "title": in_language(row["title_zh"], row["title_en"])}
            for row in payload["ics"]
        ],
        "top_organizations": [
            {**row, "name": in_language(row["name_zh"], row["name_en"])}
            for row in payload["top_organizations"]
        ],
    }


REPORT_LANGUAGES = ("zh-hans", "en")


def report_html(
    scope: Scope, *, language: str = "zh-hans", progress: Progress | None = None
) -> str:
    """The report's page, wholly in `language`: headings, labels, charts and the names from the
    register (in the other language only where the register holds no name in this one)."""
    with translation.override(language), regions_kept():  # one piece of work: the tree read once
        return render_to_string("stats/report.html", report_context(scope, progress=progress))


def report_pdf(
    scope: Scope, out: Path, *, language: str = "zh-hans", progress: Progress | None = None
) -> Path:
    """Print the HTML report with headless Chromium (local, no network)."""
    return html_to_pdf(report_html(scope, language=language, progress=progress), out)


def report_xlsx(
    scope: Scope, *, language: str = "zh-hans", progress: Progress | None = None
) -> bytes:
    with translation.override(language), regions_kept():  # one piece of work: the tree read once
        return _report_xlsx(scope, progress)


def _figures_sheet(sheet, context: dict) -> None:
    payload = context["data"]
    bold = Font(bold=True)
    xlsx_append(sheet, [f"{context['region_name']} · {payload['period']['label']}"])
    sheet["A1"].font = Font(bold=True, size=14)
    if payload["demo_data_present"]:
        xlsx_append(sheet, [str(_("Demo data: these figures include generated demo records."))])
    xlsx_append(
        sheet,
        [str(_("Figure")), str(_("Value")), str(_("Previous year")), str(_("Change")), ""],
        font=bold,
    )

    def number_row(label: str, *numbers, href: str = "") -> None:
        xlsx_append(sheet, [label, *numbers])
        row = sheet.max_row
        for column in range(2, 2 + len(numbers)):
            sheet.cell(row=row, column=column).number_format = NUMBER_FORMAT
        if href:
            cell = sheet.cell(row=row, column=5, value=str(_("Records")) + " →")
            cell.hyperlink = absolute(href)
            cell.font = Font(color="0563C1", underline="single")

    for figure in context["figures"]:
        number_row(
            figure["label"],
            figure["value"],
            figure["previous"],
            figure["change"],
            href=figure["href"],
        )
        if figure.get("amounts"):
            amounts = figure["amounts"]
            number_row(str(_("Amount requested (CNY)")), amounts["requested"])
            number_row(
                str(_("Amount awarded (CNY)")),
                amounts["awarded"],
                amounts["awarded_previous"],
                href=amounts.get("awarded_href", ""),
            )
        if figure.get("total"):
            number_row(figure["total_label"], figure["total"]["value"])
    for column, width in zip("ABCDE", (44, 14, 16, 12, 16), strict=True):
        sheet.column_dimensions[column].width = width


def _report_xlsx(scope: Scope, progress: Progress | None) -> bytes:
    context = report_context(scope, limit=None, progress=progress)
    payload = context["data"]
    book = Workbook()
    sheet = book.active
    taken: set[str] = set()
    sheet.title = sheet_title(str(_("Figures")), taken)
    _figures_sheet(sheet, context)
    labels = {figure["key"]: figure["label"] for figure in context["figures"]}
    level_names = {value: str(label) for value, label in Level.choices}
    bold = Font(bold=True)

    splits = book.create_sheet(sheet_title(str(_("Splits")), taken))
    xlsx_append(
        splits, [str(_("Figure")), str(_("Split")), str(_("Category")), str(_("Count"))], font=bold
    )
    for figure in payload["figures"]:
        indicator = INDICATORS[figure["key"]]
        split_labels = {split.name: str(split.label) for split in indicator.splits}
        for name, values in figure["splits"].items():
            for item in values:
                xlsx_append(
                    splits,
                    [
                        labels[figure["key"]],
                        split_labels.get(name, name),
                        item["label"],
                        item["count"],
                    ],
                )
                splits.cell(row=splits.max_row, column=4).number_format = NUMBER_FORMAT
    for column, width in zip("ABCD", (44, 24, 40, 12), strict=True):
        splits.column_dimensions[column].width = width

    trend = book.create_sheet(sheet_title(str(_("Trend")), taken))
    levels = sorted({level for row in payload["trend"] for level in row["by_level"]})
    xlsx_append(
        trend,
        [str(_("Year")), *[level_names.get(level, level) for level in levels], str(_("Total"))],
        font=bold,
    )
    for row in payload["trend"]:
        xlsx_append(
            trend, [row["year"], *[row["by_level"].get(level, 0) for level in levels], row["total"]]
        )
    if payload["trend"]:
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
        chart.title = str(_("Standards participated in, by year and level"))
        data = Reference(
            trend,
            min_col=2,
            max_col=1 + max(1, len(levels)),
            min_row=1,
            max_row=1 + len(payload["trend"]),
        )
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(
            Reference(trend, min_col=1, min_row=2, max_row=1 + len(payload["trend"]))
        )
        trend.add_chart(chart, "H2")

    if context["children"]:
        children = book.create_sheet(sheet_title(str(_("Districts")), taken))
        keys = context["child_keys"]
        short = dict(context["child_labels"])
        xlsx_append(
            children, [str(_("Code")), str(_("Name")), *[short[k] for k in keys]], font=bold
        )
        for row in context["children"]:
            xlsx_append(
                children, [row["code"], row["name"], *[row["figures"][k]["value"] for k in keys]]
            )
        chart = BarChart()
        chart.title = str(_("Standards participated in, by district"))
        chart.add_data(
            Reference(children, min_col=3, min_row=1, max_row=1 + len(context["children"])),
            titles_from_data=True,
        )
        chart.set_categories(
            Reference(children, min_col=2, min_row=2, max_row=1 + len(context["children"]))
        )
        children.add_chart(chart, "B" + str(len(context["children"]) + 4))

    ics = book.create_sheet(sheet_title("ICS", taken))
    xlsx_append(ics, ["ICS", str(pgettext_lazy("ICS", "Field")), str(_("Editions"))], font=bold)
    for row in context["ics"]:
        xlsx_append(ics, [row["field"], row["title"], row["count"]])

    top = book.create_sheet(sheet_title(str(_("Top organizations")), taken))
    xlsx_append(top, [str(_("Organization")), str(_("Editions"))], font=bold)
    for row in context["top_organizations"]:
        xlsx_append(top, [row["name"], row["count"]])

    for table in context["tables"]:
        indicator = INDICATORS[table.key]
        records = book.create_sheet(sheet_title(str(indicator.short_label), taken))
        xlsx_append(records, [f"{table.title} · {table.count:,}"])
        records["A1"].font = bold
        row_type = indicator.row_schema.model_fields["type"].default
        records_sheet_write(records, row_type, table.rows, first_row=3)
    _step(progress, 3)
    return xlsx_save(book)  # names from the register are data, never formulas
