"""The one reader and writer of tables: encodings, lines, bounds, formula escaping."""

import csv
import io
import tracemalloc
import zipfile

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook

from stdplus.core import tabular
from stdplus.core.errors import ApplicationError, Where
from stdplus.core.tabular import (
    Limits,
    csv_text,
    line_count,
    table_open,
    text_decode,
    text_lines,
    xlsx_append,
    xlsx_save,
)


def raw_xlsx(rows: int, *, dimension: str | None, last_column: str = "XFD", sheet="Data") -> bytes:
    """A workbook written by hand (as a hostile or careless program would): every row has a value
    in A and one in `last_column`; `dimension` is what the sheet declares (None: nothing)."""
    body = "".join(
        f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="{last_column}{r}"><v>1</v></c></row>'
        for r in range(1, rows + 1)
    )
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet_xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{declared}<sheetData>{body}</sheetData></worksheet>"
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def read_all(data: bytes, file: str, **options) -> list:
    table = table_open(data, file=file, **options)
    return [(row.number, row.cells) for row in table.rows]


# --- bounds -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dimension", "refused_at_row"),
    [
        ("A1:XFD5000", None),  # declared honestly: refused before a row is read
        (None, 1),  # not declared: refused at the first row that reaches past the limit
        ("A1:B2", 1),  # declared falsely: the declaration is not trusted
    ],
)
def test_a_small_workbook_whose_rows_touch_the_last_column(dimension, refused_at_row):
    data = raw_xlsx(5000, dimension=dimension)
    assert len(data) < 50_000  # the size of the file in the report (46 KB)
    # Read naively, openpyxl pads each of these rows to 16,384 values: 5,000 rows x 16,384 x
    # 8 bytes is 655 MB as a list of rows. The bounded reader refuses it in a few MB.
    tracemalloc.start()
    try:
        with pytest.raises(ApplicationError) as caught:
            read_all(data, "wide.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024, f"peak {peak / 1048576:.1f} MB"
    error = caught.value
    assert error.code == "too_many_columns"
    assert (error.where.file, error.where.sheet, error.where.row) == (
        "wide.xlsx",
        "Data",
        refused_at_row,
    )
    assert "column XFD (16,384 columns); at most 256 columns (up to IV)" in error.message
    assert str(error).startswith("wide.xlsx, sheet Data")


def test_rows_and_cells_are_bounded_too():
    data = raw_xlsx(30, dimension=None, last_column="C")
    assert len(read_all(data, "ok.xlsx")) == 30
    with pytest.raises(ApplicationError) as caught:
        read_all(data, "long.xlsx", limits=Limits(rows=20))
    assert caught.value.code == "too_many_rows" and caught.value.where.row == 21
    with pytest.raises(ApplicationError) as caught:
        read_all(raw_xlsx(30, dimension="A1:C30"), "long.xlsx", limits=Limits(rows=20))
    assert caught.value.code == "too_many_rows" and caught.value.where.row is None
    with pytest.raises(ApplicationError) as caught:
        read_all(data, "many.xlsx", limits=Limits(cells=50))
    assert caught.value.code == "too_many_cells"
    with pytest.raises(ApplicationError) as caught:
        read_all(b"a,b,c\n1,2,3\n", "wide.csv", limits=Limits(columns=2))
    assert (caught.value.code, caught.value.where.row) == ("too_many_columns", 1)


def test_an_archive_that_unpacks_to_too_much_is_refused_before_openpyxl_reads_it():
    data = raw_xlsx(2000, dimension=None, last_column="B")
    with pytest.raises(ApplicationError) as caught:
        read_all(data, "bomb.xlsx", limits=Limits(unpacked_bytes=10_000))
    assert caught.value.code == "too_large" and "unpacks to" in caught.value.message


@pytest.mark.parametrize(
    ("data", "code", "text"),
    [
        (b"not a zip", "bad_xlsx", "not an XLSX workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "bad_xlsx", "old Excel (.xls)"),
        (b"PK\x03\x04" + b"\0" * 60, "bad_xlsx", "not an XLSX workbook"),
    ],
)
def test_broken_workbooks_say_so(data, code, text):
    with pytest.raises(ApplicationError) as caught:
        read_all(data, "refs.xlsx")
    assert caught.value.code == code and text in caught.value.message
    assert caught.value.where.file == "refs.xlsx"


def test_a_zip_without_a_workbook_in_it():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ApplicationError) as caught:
        read_all(out.getvalue(), "refs.xlsx")
    assert caught.value.message.startswith("the file is not a readable XLSX workbook")


def test_sheets_by_name():
    book = Workbook()
    book.active.title = "first"
    book.create_sheet("second").append(["x"])
    data = xlsx_save(book)
    assert read_all(data, "b.xlsx", sheet="second") == [(1, ["x"])]
    assert table_open(data, file="b.xlsx", prefer="nope").sheet == "first"
    with pytest.raises(ApplicationError, match="there is no sheet 'third'; the sheets are: first"):
        table_open(data, file="b.xlsx", sheet="third")


# --- encodings and lines ------------------------------------------------------------------------

TEXT = "标准号,名称\nGB/T 19001-2016,质量管理体系 要求\n"


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-32"]
)  # utf-16 and utf-32 write a BOM
def test_the_encodings_read(encoding):
    assert text_decode(TEXT.encode(encoding), file="a.csv") == TEXT
    assert read_all(TEXT.encode(encoding), "a.csv")[1] == (
        2,
        ["GB/T 19001-2016", "质量管理体系 要求"],
    )


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_named(encoding):
    with pytest.raises(ApplicationError) as caught:
        text_decode(TEXT.encode(encoding), file="list.csv")
    message = str(caught.value)
    assert message.startswith("list.csv: the file looks like UTF-16")
    assert encoding.upper().replace("-LE", "LE").replace("-BE", "BE") in message
    assert "without a byte order mark" in message and "UTF-8" in message


def test_shift_jis_is_named_not_read_as_chinese():
    japanese = "規格番号,名称\nJIS Z 8301:2019,規格票の様式及び作成方法\nJIS Q 9001:2015,品質マネジメントシステム−要求事項\n"
    data = japanese.encode("shift_jis")
    data.decode("gb18030")  # GB18030 would have read it, as nonsense
    with pytest.raises(ApplicationError) as caught:
        read_all(data, "jis.csv")
    assert str(caught.value).startswith("jis.csv: the file looks like Japanese text in Shift-JIS")
    # Chinese in GB18030 is not taken for Shift-JIS.
    chinese = "标准号,名称\nGB/T 1.1-2020,标准化工作导则 第1部分：标准化文件的结构和起草规则\n"
    assert text_decode(chinese.encode("gb18030"), file="gb.csv") == chinese


def test_other_bytes_name_the_line():
    data = b"GB/T 1.1-2020\n" + b"\x81\x20\xff\n"
    with pytest.raises(ApplicationError) as caught:
        text_decode(data, file="x.txt")
    assert caught.value.where.row == 2 and "neither UTF-8 nor GB18030" in caught.value.message


def test_workbooks_handed_in_as_text():
    with pytest.raises(ApplicationError, match="XLSX workbook .* not text; name it .xlsx"):
        text_decode(xlsx_save(Workbook()), file="x.csv")


def test_lines_are_counted_as_people_count_them():
    assert line_count("") == 0
    assert line_count("a") == line_count("a\n") == 1
    assert line_count("a\r\nb\rc\n") == 3
    assert line_count("a\x0bb\x1cc\u2028d") == 1  # str.splitlines would say 4
    assert text_lines("a\r\nb\n\nc") == ["a", "b", "", "c"]


def test_a_ten_megabyte_line_is_one_line_refused_for_its_length():
    text = "GB/T 19001-2016 " * 655_360  # 10 MB, one line, 655,360 identifiers
    with pytest.raises(ApplicationError) as caught:
        text_lines(text, file="refs.txt")
    error = caught.value
    assert error.code == "line_too_long" and error.where.row == 1
    assert error.message.startswith("line 1 holds 10,485,760 characters; a line may hold at most")
    assert "lines" not in error.message.split(";")[0]
    with pytest.raises(ApplicationError) as caught:
        read_all(text.encode(), "refs.csv")
    assert caught.value.code == "line_too_long"


def test_too_many_lines():
    with pytest.raises(ApplicationError) as caught:
        text_lines("a\n" * 11, file="x.txt", limits=Limits(rows=10))
    assert caught.value.message == "the file has 11 lines; at most 10 are read"
    with pytest.raises(ApplicationError, match="^the text has 11 lines"):
        text_lines("a\n" * 11, limits=Limits(rows=10))


def test_csv_dialects_and_broken_csv():
    assert read_all(b"a;b\n1;2\n", "x.csv")[1] == (2, ["1", "2"])
    assert read_all(b"a\tb\n1\t2\n", "x.tsv")[1] == (2, ["1", "2"])
    assert read_all(b'a,"b\nc",d\n', "x.csv") == [(1, ["a", "b\nc", "d"])]
    with pytest.raises(ApplicationError) as caught:
        read_all(b"GB/T 1.1-2020\x00", "x.csv")
    assert "NUL bytes" in caught.value.message


# --- writing ------------------------------------------------------------------------------------

DANGEROUS = ["=1+2", "+SUM(A1)", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']


def test_csv_cells_starting_like_formulas_are_text():
    text = csv_text([["name", *DANGEROUS, "plain", 5, -5, None]])
    row = next(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert row[1:8] == ["'" + value for value in DANGEROUS]
    assert row[8:] == ["plain", "5", "-5", ""]


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsx_cells_starting_like_formulas_are_text(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("s") if write_only else book.active
    xlsx_append(sheet, [*DANGEROUS, "#REF!", "ok\x01", 5])
    if not write_only:
        sheet.append(["=2*3"])  # written past the helper: the save sweeps it
    data = xlsx_save(book)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = "".join(
            archive.read(name).decode() for name in archive.namelist() if "worksheets" in name
        )
    assert "<f>" not in xml and 't="e"' not in xml
    cells = list(load_workbook(io.BytesIO(data)).worksheets[0].iter_rows())
    first = cells[0]
    assert [c.value for c in first[: len(DANGEROUS)]][:4] == DANGEROUS[:4]
    assert all(c.data_type == "s" for c in first[: len(DANGEROUS) + 1])
    assert first[len(DANGEROUS)].value == "#REF!" and first[len(DANGEROUS) + 1].value == "ok"
    assert first[0].quotePrefix and first[0].value == "=1+2"
    if not write_only:
        assert cells[1][0].data_type == "s" and cells[1][0].value == "=2*3"


def test_limits_are_what_the_docs_say():
    assert tabular.LIMITS.columns == 256 and tabular.LIMITS.line_length == 32_767


def test_messages_are_in_the_readers_language():
    from django.utils import translation

    with translation.override("zh-hans"):
        with pytest.raises(ApplicationError) as caught:
            text_lines("x" * 40_000, file="refs.txt")
        assert "第 1 行有 40,000 个字符；每行最多 32,767 个字符" in str(caught.value)
        with pytest.raises(ApplicationError) as caught:
            text_decode("規格票の様式及び作成方法\n".encode("shift_jis"), file="jis.csv")
        assert "Shift-JIS 编码的日文文本" in caught.value.message


def test_a_file_is_refused_by_its_size_before_it_is_read(tmp_path):
    from stdplus.core.tabular import file_read

    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 2048)
    assert file_read(path, limits=Limits(file_bytes=4096)) == b"x" * 2048
    with pytest.raises(ApplicationError) as caught:
        file_read(path, file="big.csv", limits=Limits(file_bytes=1024))
    assert (caught.value.code, caught.value.where.file) == ("too_large", "big.csv")


def test_a_files_errors_are_one_error_with_one_wording_in_each_language():
    """Registers and self-declaration files refuse a file with the same error (once two
    classes with two Chinese wordings)."""
    from stdplus.core.tabular import SheetErrors
    from stdplus.declarations.sheets import SheetErrors as declarations_errors
    from stdplus.programme.services.sheets import SheetErrors as register_errors

    assert declarations_errors is SheetErrors and register_errors is SheetErrors
    rows = [
        ApplicationError(_("this required column is missing"), where=Where(file="a.xlsx", row=n))
        for n in range(2, 25)
    ]
    few, many = SheetErrors(rows[:2]), SheetErrors(rows)
    assert few.code == "sheet_errors" and many.errors == rows
    with translation.override("en"):
        assert few.message.startswith("nothing was written: a.xlsx, row 2: ")
        assert many.message.endswith("(and 3 more)")
    with translation.override("zh-hans"):
        assert few.message.startswith("未写入任何数据：")
        assert many.message.endswith("（另有 3 个问题）")
