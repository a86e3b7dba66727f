"""The annual report in its three formats; the PDF is turned into an image to prove it renders."""

import io
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import load_workbook

from stdplus.stats.indicators import INDICATORS

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
    assert "深圳市" in html and "Shenzhen" in html and "<svg" in html and "<script" not in html
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
        "--out",
        str(xlsx_path),
        stdout=io.StringIO(),
    )
    book = load_workbook(xlsx_path)
    assert {"Figures 指标", "Trend 趋势", "Districts 分区"} <= set(book.sheetnames)
    # Sheets and cells name figures and codes by their display names, never by internal keys.
    assert "participation" not in book.sheetnames and "participation_led" not in book.sheetnames
    cells = {
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str)
    }
    keys = {"participation_led", "national_tc", "vice_chair", "international"}
    assert not cells & keys, [
        (sheet.title, row)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        if set(map(str, row)) & keys
    ]
    figures = {
        row[1]: row[2] for row in book["Figures 指标"].iter_rows(values_only=True) if row and row[1]
    }
    with translation.override("en"):
        label = {key: str(INDICATORS[key].label) for key in ("participation", "local", "experts")}
    assert figures[label["participation"]] == 4 and figures[label["local"]] == 1
    assert figures[label["experts"]] == 1
    assert book["Trend 趋势"]._charts


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


def test_xlsx_writes_names_that_look_like_formulas_as_text(world, tmp_path):
    """Region and organization names come from the register: they are data, never formulas."""
    import zipfile

    from stdplus.accounts.models import Organization
    from stdplus.programme.models import Region

    Region.objects.filter(parent__code="440300").update(name_en='=HYPERLINK("http://x","y")')
    Organization.objects.update(name_en="@SUM(1+1)")
    path = tmp_path / "report.xlsx"
    call_command(
        *["report", "--region", "4403", "--year", "2018", "--format", "xlsx", "--out"], str(path)
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
