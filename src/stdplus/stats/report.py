"""The annual report: the figures, charts and the tables behind them, in Chinese and English.

HTML is self-contained (inline CSS, charts as inline SVG drawn here, no script), so the same file
prints to PDF with Debian's Chromium in headless mode and opens anywhere. XLSX holds the
figures, breakdowns, native Excel charts and every record behind every figure.
"""

from __future__ import annotations

import datetime as dt
import html
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from stdplus.catalog.choices import Level
from stdplus.core.errors import ApplicationError
from stdplus.core.tabular import xlsx_append, xlsx_save

from .colours import level_colour
from .indicators import INDICATORS, Scope
from .labels import CHOICES, column_label, split_label
from .payloads import dashboard_out
from .selectors import card_keys, dashboard

TABLE_LIMIT = 1000  # rows per table in the HTML/PDF report; the XLSX holds every row
PALETTE = ["#0b5cad", "#2e9d5b", "#e3a21a", "#c0392b", "#7d4cc2", "#1aa3a3", "#8a6d3b", "#5d6d7e"]
CHROMIUM = "/usr/bin/chromium"


def both(text) -> tuple[str, str]:
    """A translatable text in Chinese and in English."""
    with translation.override("zh-hans"):
        zh = str(text)
    with translation.override("en"):
        en = str(text)
    return zh, en


def svg_bars(
    labels: list[str],
    series: list[tuple[str, list[int]]],
    *,
    width: int = 640,
    height: int = 260,
    colours: list[str] | None = None,
) -> str:
    """A (stacked) vertical bar chart as an SVG string; escaped labels, no script."""
    left, bottom, top, right = 48, 52, 28, 12
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
        short = html.escape(label if len(label) <= 12 else label[:11] + "…")
        parts.append(
            f'<text transform="translate({x + bar / 2:.1f},{top + plot_h + 12}) rotate(30)" fill="#333">{short}</text>'
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
    title: tuple[str, str]
    count: int
    rows: list[dict]


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
                key, both(indicator.label), count, [row.model_dump(mode="json") for row in rows]
            )
        )
    return tables


def report_context(scope: Scope, *, limit: int | None = TABLE_LIMIT) -> dict:
    payload = dashboard_out(dashboard(scope)).model_dump(mode="json")
    levels = sorted({level for row in payload["trend"] for level in row["by_level"]})
    level_names = {value: both(label) for value, label in Level.choices}
    trend_svg = svg_bars(
        [str(row["year"]) for row in payload["trend"]],
        [
            (
                level_names.get(level, (level, level))[1],
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
            [row["name_en"] for row in payload["by_child"]],
            [("", [row["figures"]["participation"]["value"] for row in payload["by_child"]])],
        )
    ics_svg = svg_bars(
        [row["field"] for row in payload["ics"][:12]],
        [("", [row["count"] for row in payload["ics"][:12]])],
    )
    figures = []
    for figure in payload["figures"]:
        figures.append({**figure, "label_pair": both(INDICATORS[figure["key"]].label)})
    return {
        "scope": scope,
        "data": payload,
        "figures": figures,
        "trend_svg": trend_svg,
        "children_svg": children_svg,
        "ics_svg": ics_svg,
        "tables": _tables(scope, limit),
        "limit": limit,
        "generated": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "child_keys": list(payload["by_child"][0]["figures"]) if payload["by_child"] else [],
        "child_label_pairs": [
            (key, both(INDICATORS[key].short_label))
            for key in (list(payload["by_child"][0]["figures"]) if payload["by_child"] else [])
        ],
    }


def report_html(scope: Scope) -> str:
    with translation.override("zh-hans"):
        return render_to_string("stats/report.html", report_context(scope))


def report_pdf(scope: Scope, out: Path) -> Path:
    """Print the HTML report with headless Chromium (local, no network)."""
    browser = shutil.which("chromium") or CHROMIUM
    if not Path(browser).exists():
        raise ApplicationError(
            _("Chromium is needed for PDF output: apt-get install chromium"), code="no_chromium"
        )
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.html"
        source.write_text(report_html(scope), encoding="utf-8")
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--user-data-dir={folder}/profile",
            f"--print-to-pdf={out.resolve()}",
            source.as_uri(),
        ]
        run = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        if run.returncode != 0 or not out.exists() or out.stat().st_size == 0:
            raise ApplicationError(
                _("Chromium could not print the report: %(error)s"),
                params={"error": run.stderr[-500:]},
                code="pdf",
            )
    return out


def report_xlsx(scope: Scope) -> bytes:
    context = report_context(scope, limit=None)
    payload = context["data"]
    book = Workbook()
    sheet = book.active
    sheet.title = "Figures 指标"
    bold = Font(bold=True)
    xlsx_append(
        sheet,
        [
            f"{payload['region']['name_zh']} {payload['region']['name_en']} · {payload['period']['label']}"
        ],
    )
    sheet["A1"].font = Font(bold=True, size=14)
    if payload["demo_data_present"]:
        xlsx_append(sheet, ["示例数据 DEMO DATA: these figures include generated demo records."])
    xlsx_append(
        sheet,
        [
            "指标",
            "Figure",
            "value 数值",
            "previous year 上年",
            "change 变化",
            "records 明细",
        ],
    )
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for figure in context["figures"]:
        xlsx_append(
            sheet,
            [
                figure["label_pair"][0],
                figure["label_pair"][1],
                figure["value"],
                figure["previous"],
                figure["change"],
                figure["href"],
            ],
        )
        if figure.get("amounts"):
            xlsx_append(
                sheet,
                [
                    "申请金额（元）",
                    "Amount requested (CNY)",
                    figure["amounts"]["requested"],
                ],
            )
            xlsx_append(
                sheet,
                [
                    "资助金额（元）",
                    "Amount awarded (CNY)",
                    figure["amounts"]["awarded"],
                    figure["amounts"]["awarded_previous"],
                ],
            )
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 40

    splits = book.create_sheet("Splits 分类")
    xlsx_append(splits, ["指标 Figure", "分类 Split", "类别 Category", "数量 Count"])
    for figure in payload["figures"]:
        for name, values in figure["splits"].items():
            for item in values:
                xlsx_append(
                    splits,
                    [
                        " / ".join(both(INDICATORS[figure["key"]].label)),
                        " / ".join(both(split_label(name))),
                        item["label"],
                        item["count"],
                    ],
                )

    trend = book.create_sheet("Trend 趋势")
    levels = sorted({level for row in payload["trend"] for level in row["by_level"]})
    level_names = dict(Level.choices)
    xlsx_append(
        trend,
        [
            "year 年份",
            *[" / ".join(both(level_names.get(level, level))) for level in levels],
            "total 合计",
        ],
    )
    for row in payload["trend"]:
        xlsx_append(
            trend, [row["year"], *[row["by_level"].get(level, 0) for level in levels], row["total"]]
        )
    if payload["trend"]:
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
        chart.title = "Standards participated in 参与标准"
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

    if payload["by_child"]:
        children = book.create_sheet("Districts 分区")
        keys = context["child_keys"]
        xlsx_append(
            children,
            ["code", "名称", "name", *[" / ".join(both(INDICATORS[k].short_label)) for k in keys]],
        )
        for row in payload["by_child"]:
            xlsx_append(
                children,
                [
                    row["code"],
                    row["name_zh"],
                    row["name_en"],
                    *[row["figures"][k]["value"] for k in keys],
                ],
            )
        chart = BarChart()
        chart.title = "Standards participated in, by district 分区参与标准"
        chart.add_data(
            Reference(children, min_col=4, min_row=1, max_row=1 + len(payload["by_child"])),
            titles_from_data=True,
        )
        chart.set_categories(
            Reference(children, min_col=3, min_row=2, max_row=1 + len(payload["by_child"]))
        )
        children.add_chart(chart, "B" + str(len(payload["by_child"]) + 4))

    ics = book.create_sheet("ICS")
    xlsx_append(ics, ["field", "名称", "title", "editions"])
    for row in payload["ics"]:
        xlsx_append(ics, [row["field"], row["title_zh"], row["title_en"], row["count"]])

    top = book.create_sheet("Top organizations 机构")
    xlsx_append(top, ["名称", "name", "editions"])
    for row in payload["top_organizations"]:
        xlsx_append(top, [row["name_zh"], row["name_en"], row["count"]])

    used: set[str] = set(book.sheetnames)
    for table in context["tables"]:
        records = book.create_sheet(_sheet_name(table.title[0], used))
        xlsx_append(records, [f"{table.title[0]} / {table.title[1]}", f"{table.count} 条 records"])
        if table.rows:
            kind = table.rows[0].get("type", "")
            columns = [c for c in table.rows[0] if c not in ("type", "href", "host_href")]
            xlsx_append(records, [" / ".join(both(column_label(c))) for c in columns])
            for row in table.rows:
                xlsx_append(records, [_cell(_shown(kind, c, row.get(c))) for c in columns])
    return xlsx_save(book)  # names from the register are data, never formulas


# Which codes a record row holds, by its type and column: shown by their display names.
CODED = {
    ("standard", "level"): "standard_level",
    ("body", "kind"): "body_kind",
    ("pilot", "level"): "pilot_level",
    ("pilot", "state"): "pilot_state",
    ("pilot", "state_now"): "pilot_state",
    ("funding", "state"): "application_state",
}


def _shown(kind: str, column: str, value):
    """A record's cell with its codes by their names, in Chinese and English."""
    if column == "positions" and isinstance(value, list):
        return [
            {**p, "role": " / ".join(both(CHOICES["position_role"].get(p.get("role"), "")))}
            if p.get("role") in CHOICES["position_role"]
            else p
            for p in value
        ]
    choices = CODED.get((kind, column))
    if choices and value in CHOICES[choices]:
        return " / ".join(both(CHOICES[choices][value]))
    return value


def _sheet_name(title: str, used: set[str]) -> str:
    """A sheet's name from a figure's title: at most 31 characters, none of []:*?/\\, unique."""
    name = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "records"
    base, number = name, 2
    while name in used:
        name = f"{base[:28]} {number}"
        number += 1
    used.add(name)
    return name


def _cell(value):
    if isinstance(value, list):
        return "; ".join(
            _cell(v) if not isinstance(v, dict) else ", ".join(str(x) for x in v.values() if x)
            for v in value
        )
    return value
