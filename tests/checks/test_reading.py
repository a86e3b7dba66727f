import io

import pytest
from openpyxl import Workbook

from stdplus.checks import reading
from stdplus.checks.reading import column_letter, read_inputs
from stdplus.core.errors import ApplicationError


def xlsx(rows, sheet="Sheet1") -> bytes:
    book = Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CSV = "序号,标准名称,标准号\n1,质量管理体系 要求,GB/T 19001—2016\n2,食品添加剂,GB 2760-2014\n\n3,?,GB/T\n"


def test_csv_column_found_and_header_skipped():
    inputs, skipped, column = read_inputs(CSV.encode(), "refs.csv")
    assert [(i.text, i.where) for i in inputs] == [
        ("GB/T 19001—2016", "row 2"),
        ("GB 2760-2014", "row 3"),
        ("GB/T", "row 5"),  # the empty row 4 keeps the numbering
    ]
    assert column == "C (标准号)" and skipped == 0


@pytest.mark.parametrize("choice", ["C", "3", "标准号", "c"])
def test_csv_column_chosen_by_letter_number_or_header(choice):
    inputs, _, _ = read_inputs(CSV.encode(), "refs.csv", column=choice)
    assert inputs[0].text == "GB/T 19001—2016"


def test_csv_in_gb18030_and_semicolons():
    data = "名称;编号\n质量;GB/T 19001-2016\n".encode("gb18030")
    inputs, _, _ = read_inputs(data, "list.csv")
    assert [i.text for i in inputs] == ["GB/T 19001-2016"]


def test_xlsx_column_and_sheet():
    data = xlsx([["Standard", "Note"], ["ISO 9001:2015", "x"], ["GB 2760-2014", None]], "refs")
    inputs, _, column = read_inputs(data, "refs.xlsx", sheet="refs")
    assert [i.text for i in inputs] == ["ISO 9001:2015", "GB 2760-2014"]
    assert column == "A (Standard)"
    with pytest.raises(ApplicationError, match="there is no sheet 'nope'; the sheets are: refs"):
        read_inputs(data, "refs.xlsx", sheet="nope")


def test_txt_reference_list():
    text = "参考文献\n[1] GB/T 19001—2016 质量管理体系 要求\n[2] ISO 9001:2008, clause 4\n"
    inputs, skipped, _ = read_inputs(text.encode(), "refs.txt")
    assert [(i.text, i.where) for i in inputs] == [
        ("GB/T 19001-2016", "line 2"),
        ("ISO 9001:2008", "line 3"),
    ]
    assert skipped == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b"PK\x03\x04 not really a zip",
            "refs.xlsx",
            "refs.xlsx: the file is not an XLSX workbook",
        ),
        (b"%PDF-1.4", "refs.pdf", "refs.pdf: the file must be CSV, XLSX or TXT"),
        (b"", "refs.csv", "refs.csv: the file is empty"),
        (
            b"a,b\nx,y\n",
            "refs.csv",
            "refs.csv, field 'column': no column holds standard identifiers",
        ),
        (b"id\nGB/T 1.1-2020\n", "refs.csv", None),
        (b"GB/T 1.1-2020\x00\x00", "refs.csv", "refs.csv, row 1: the file holds NUL bytes"),
    ],
)
def test_malformed_files_say_what_and_where(data, name, message):
    if message is None:
        assert read_inputs(data, name)[0][0].text == "GB/T 1.1-2020"
        return
    with pytest.raises(ApplicationError) as caught:
        read_inputs(data, name)
    assert str(caught.value).startswith(message)


def test_a_column_that_is_not_there():
    with pytest.raises(ApplicationError, match=r"no column 'Z'; the columns are: A \(序号\)"):
        read_inputs(CSV.encode(), "refs.csv", column="Z")


def test_too_many_lines(monkeypatch):
    monkeypatch.setattr(reading, "MAX_LINES", 3)
    data = "\n".join(["GB/T 1.1-2020"] * 4).encode()
    with pytest.raises(
        ApplicationError, match="refs.txt: the file has 4 lines; at most 3 are read"
    ):
        read_inputs(data, "refs.txt")


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701)] == ["A", "Z", "AA", "AB", "ZZ"]


@pytest.mark.parametrize("name", ["refs.txt", "refs.csv"])
def test_a_ten_megabyte_line_is_one_line_too_long_not_625000_lines(name):
    data = ("GB/T 19001-2016 " * 655_360).encode()  # 10 MB without a line end
    with pytest.raises(ApplicationError) as caught:
        read_inputs(data, name)
    error = caught.value
    assert error.code == "line_too_long"
    assert str(error).startswith(f"{name}, row 1: line 1 holds 10,485,760 characters")
    assert "625" not in str(error) and "655,360" not in str(error)


def test_many_identifiers_on_few_lines_are_counted_as_identifiers(monkeypatch):
    monkeypatch.setattr(reading, "MAX_LINES", 3)
    data = b"GB/T 1.1-2020 GB/T 1.2-2020\nGB/T 1.3-2020 GB/T 1.4-2020\n"
    with pytest.raises(ApplicationError) as caught:
        read_inputs(data, "refs.txt")
    assert caught.value.message == "the file names 4 identifiers; a check takes at most 3"


@pytest.mark.parametrize(
    ("encoding", "suspected"),
    [("shift_jis", "Japanese text in Shift-JIS"), ("utf-16-le", "UTF-16LE text without a byte")],
)
@pytest.mark.parametrize("name", ["refs.txt", "refs.csv"])
def test_encodings_that_are_not_read_are_named(encoding, suspected, name):
    text = "規格番号,名称\nJIS Z 8301:2019,規格票の様式及び作成方法\nJIS Q 9001:2015,品質マネジメントシステム\n"
    with pytest.raises(ApplicationError) as caught:
        read_inputs(text.encode(encoding), name)
    assert str(caught.value).startswith(f"{name}: the file looks like {suspected}")
    assert caught.value.code == "bad_encoding"


def test_a_wide_xlsx_is_refused_with_file_and_sheet():
    book = Workbook()
    book.active.title = "refs"
    book.active.append(["GB/T 1.1-2020"])
    book.active.cell(row=2, column=16384, value="x")
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ApplicationError) as caught:
        read_inputs(out.getvalue(), "refs.xlsx")
    assert str(caught.value).startswith("refs.xlsx, sheet refs: the sheet reaches column XFD")


def test_a_pasted_single_huge_line_is_one_line_refused_for_its_length():
    from stdplus.checks.services import inputs_from_paste

    with pytest.raises(ApplicationError) as caught:
        inputs_from_paste("GB/T 19001-2016 " * 5000)
    error = caught.value
    assert (error.code, error.where.field, error.where.row) == ("line_too_long", "text", 1)
    assert error.message.startswith("line 1 holds 80,000 characters")
    # Separators other than LF, CRLF and CR do not make lines.
    inputs, _ = inputs_from_paste("GB/T 1.1-2020\x0bGB/T 1.2-2020\r\nGB/T 1.3-2020")
    assert [i.where for i in inputs] == ["line 1", "line 1", "line 2"]
