"""The annual report in its three formats; the PDF is turned into an image to prove it renders."""

import io
import shutil
import subprocess

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_html_and_xlsx(world, tmp_path):
    html_path = tmp_path / "report.html"
    call_command(
        "report",
        "--region",
        "4403",
        "--year",
        "2018",
        "--format",
        "html",
        "--out",
        str(html_path),
        stdout=io.StringIO(),
    )
    html = html_path.read_text(encoding="utf-8")
    assert "深圳市" in html and "<svg" in html and "<script" not in html
    assert "年标准化工作统计报告" in html and "Standards+ annual report" not in html
    assert "ISO 91001:2018" in html and "张主席" in html and "example.org" not in html

    xlsx_path = tmp_path / "report.xlsx"
    call_command(
        "report",
        "--region",
        "4403",
        "--year",
        "2018",
        "--format",
        "xlsx",
        "--language",
        "en",
        "--out",
        str(xlsx_path),
        stdout=io.StringIO(),
    )
    book = load_workbook(xlsx_path)
    assert {"Figures", "Trend", "Districts", "ICS", "Top organizations"} <= set(book.sheetnames)
    assert {"Participated", "Experts"} <= set(book.sheetnames)
    figures = {
        row[0]: row[1] for row in book["Figures"].iter_rows(values_only=True) if row and row[0]
    }
    assert (
        figures["Standards participated in"] == 4 and figures["Experts holding key positions"] == 1
    )
    assert book["Trend"]._charts


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_report_is_in_one_language(world, tmp_path, language):
    """`--language` chooses the report's one language: headings, labels, sheet names, charts and
    the register's names; the other language's headings appear nowhere."""
    from tests.i18n.test_one_language import Records, _Text, foreign_text

    records = Records()
    html_path, xlsx_path = tmp_path / "report.html", tmp_path / "report.xlsx"
    for fmt, path in (("html", html_path), ("xlsx", xlsx_path)):
        call_command(
            "report",
            *("--region", "4403", "--year", "2018", "--format", fmt),
            *("--language", language, "--out", str(path)),
            stdout=io.StringIO(),
        )
    parser = _Text(language)
    parser.feed(html_path.read_text(encoding="utf-8"))
    assert parser.nodes and not foreign_text(parser.nodes, language, records)
    book = load_workbook(xlsx_path)
    cells = [*book.sheetnames]
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells += [value for value in row if isinstance(value, str) and value]
        for chart in sheet._charts:
            cells += [text.t for p in chart.title.tx.rich.p for text in p.r or []]
    assert not foreign_text(cells, language, records), foreign_text(cells, language, records)
    title = "年标准化工作统计报告" if language == "zh-hans" else "Standards+ annual report"
    assert title in html_path.read_text(encoding="utf-8")


@pytest.mark.skipif(
    not shutil.which("pdftoppm") or not shutil.which("chromium"),
    reason="needs chromium and poppler-utils",
)
def test_pdf_renders_pages(world, tmp_path):
    pdf = tmp_path / "report.pdf"
    call_command(
        "report",
        "--region",
        "4403",
        "--year",
        "2018",
        "--format",
        "pdf",
        "--language",
        "en",
        "--out",
        str(pdf),
        stdout=io.StringIO(),
    )
    assert pdf.read_bytes()[:5] == b"%PDF-"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    image = next(tmp_path.glob("page*.png"))
    data = image.read_bytes()
    assert (
        data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000
    )  # a page with text and cards, not blank
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = text.split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) > 2
    # Every page is numbered, and the first pages hold a table of contents.
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page, number
    assert "Contents" in pages[0] + pages[1] and "Top organizations" in pages[0] + pages[1]


def test_chart_labels_wrap_instead_of_being_cut():
    from stdplus.stats.report import label_lines, svg_bars

    long = "Nanshan District Science Park Testing Laboratory"
    assert " ".join(label_lines(long)) == long and len(label_lines(long)) > 1
    chinese = "深圳市南山区科技园测试有限公司"
    assert "".join(label_lines(chinese)) == chinese
    svg = svg_bars([long, chinese], [("", [3, 1_000_000])])
    import re

    words = re.sub(r"<[^>]+>", "", svg)
    assert "…" not in svg and "Laboratory" in words and chinese in words
    assert "1,000,000" in svg  # amounts grouped by thousands


def test_printed_tables_show_display_names_and_grouped_amounts(world):
    from stdplus.stats.report import report_html
    from stdplus.stats.selectors import scope_from

    html = report_html(scope_from("4403", 2018), language="en")
    for key in ("participation_led", "national_tc", "vice_chair", "intl_tc"):
        assert f">{key}<" not in html
    assert "td.label" in html and "white-space: nowrap" in html  # states stay on one line


def test_xlsx_writes_names_that_look_like_formulas_as_text(world, tmp_path):
    """Region and organization names come from the register: they are data, never formulas."""
    import zipfile

    from stdplus.accounts.models import Organization
    from stdplus.programme.models import Region

    Region.objects.filter(parent__code="440300").update(name_en='=HYPERLINK("http://x","y")')
    Organization.objects.update(name_en="@SUM(1+1)")
    path = tmp_path / "report.xlsx"
    call_command(
        *["report", "--region", "4403", "--year", "2018", "--format", "xlsx", "--language", "en"],
        *["--out", str(path)],
    )
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any("<f>" in archive.read(name).decode() for name in sheets)
    book = load_workbook(path)
    values = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value[:1] in "=@"
    ]
    assert any(c.value.startswith("=HYPERLINK") for c in values)
    assert all(c.data_type == "s" for c in values)


def test_a_report_reads_the_dashboards_figures_once_per_version(world):
    import re

    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stdplus.stats.payloads import dashboard_cached
    from stdplus.stats.report import report_html
    from stdplus.stats.selectors import scope_from

    scope = scope_from("4403", 2018)

    def made() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            html = report_html(scope, language="en")
        return re.sub(r"Generated [0-9-]+ [0-9:]+", "", html), len(queries)

    made()  # what a process reads once
    caches["stats"].clear()
    counted, counting = made()
    again, reading = made()
    assert again == counted  # the same report, word for word
    assert reading < counting  # without counting the figures again
    dashboard_cached(scope)  # the figures the dashboard page shows are those cached
    assert made() == (again, reading)


def test_a_report_reads_each_region_node_once(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stdplus.programme.models import Region
    from stdplus.stats.report import report_html
    from stdplus.stats.selectors import scope_from

    table = Region._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        report_html(scope_from("4403", 2018), language="en")
    tree_reads = [q["sql"] for q in queries if table in q["sql"] and "LIKE" in q["sql"].upper()]
    assert tree_reads  # the region tree is read...
    assert len(tree_reads) == len(set(tree_reads))  # ...but no node's twice
