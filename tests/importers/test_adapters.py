import gzip
import json

import pytest
from openpyxl import Workbook

from stdplus.catalog.models import ChangeEvent, ImportRun, Relation, Standard
from stdplus.core.errors import ApplicationError
from stdplus.importers.services import file_import

pytestmark = pytest.mark.django_db

GOOD = {
    "id": "GB/T 19001-2016",
    "title_zh": "质量管理体系 要求",
    "published": "2016-12-30",
    "status": "current",
    "ics": ["03.120.10"],
}


@pytest.mark.parametrize(
    ("bad_line", "where"),
    [
        ('{"id": "GB/T 1.1-2020", "published": "2020-13-45"}', "row 2, field 'published'"),
        ('{"id": "GB/T"}', "row 2, field 'id'"),
        ('{"title_zh": "无编号"}', "row 2, field 'id'"),
        (
            '{"id": "GB/T 1.1-2020", "relations": [{"type": "eats", "target": "X 1"}]}',
            "row 2, field 'relations[0].type'",
        ),
        (
            '{"id": "GB/T 1.1-2020", "relations": [{"type": "adopts", "target": "ISO 1:2000", '
            '"degree": "ABC"}]}',
            "row 2, field 'relations[0].degree'",
        ),
        ('{"id": "GB/T 1.1-2020", "ics": ["3.12"]}', "row 2, field 'ics'"),
        ('{"id": "GB/T 1.1-2020", "title_en": ["a", "list"]}', "row 2, field 'title_en'"),
        ('{"id": "GB/T 1.1-2020"', "row 2, field '(the line)'"),
        ("[1, 2]", "row 2, field '(the line)'"),
    ],
)
def test_a_broken_file_names_the_row_and_field_and_writes_nothing(tmp_path, bad_line, where, today):
    path = tmp_path / "cn_broken.jsonl"
    path.write_text(json.dumps(GOOD, ensure_ascii=False) + "\n" + bad_line + "\n")
    with pytest.raises(ApplicationError) as error:
        file_import(path)
    assert f"{path}, {where}" in str(error.value)
    assert "Nothing from this file was written" in str(error.value)
    assert Standard.objects.count() == 0
    assert ChangeEvent.objects.count() == 0 and ImportRun.objects.count() == 0


def test_skip_invalid_loads_the_rest(tmp_path, today):
    path = tmp_path / "cn_mixed.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + '{"id": "9001"}\n' + '{"id": "GB 2760-2014"}\n')
    result = file_import(path, skip_invalid=True)
    assert (result.created, result.skipped) == (2, 1)
    assert "row 2, field 'id'" in result.errors[0]
    assert ImportRun.objects.get().skipped == 1


def test_gzip_json_lines(tmp_path, today):
    path = tmp_path / "cn_packed.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps(GOOD, ensure_ascii=False) + "\n")
    assert file_import(path).created == 1


def test_iec_succession_is_inferred_and_marked(write_jsonl, today):
    path = write_jsonl(
        [
            {
                "id": "IEC 60601-1:1988",
                "status": "superseded",
                "status_raw": "REVISED",
                "published": "1988-12-15",
            },
            {"id": "IEC 60601-1:1988/AMD1:1991", "status": "superseded", "published": "1991-11-15"},
            {
                "id": "IEC 60601-1:2005",
                "status": "superseded",
                "status_raw": "REVISED",
                "published": "2005-12-15",
            },
            {"id": "IEC 60601-1:2005 RLV", "status": "superseded", "published": "2005-12-15"},
            {
                "id": "IEC 60601-1:2005+AMD1:2012 CSV",
                "status": "current",
                "published": "2012-08-20",
            },
        ],
        name="iec_publications.jsonl",
    )
    file_import(path)
    inferred = set(Relation.objects.filter(inferred=True).values_list("from_key", "to_key"))
    assert inferred == {
        ("IEC 60601-1:2005", "IEC 60601-1:1988"),
        ("IEC 60601-1:2005+AMD1:2012 CSV", "IEC 60601-1:2005"),
    }
    assert Relation.objects.get(type="amends").to_key == "IEC 60601-1:1988"
    statuses = dict(Standard.objects.values_list("canonical", "status"))
    assert statuses["IEC 60601-1:1988"] == "superseded"
    assert statuses["IEC 60601-1:1988/AMD1:1991"] == "superseded"  # with its edition
    assert statuses["IEC 60601-1:2005+AMD1:2012 CSV"] == "current"


def test_itu_twin_text_is_identical(write_jsonl, today):
    path = write_jsonl(
        [
            {
                "id": "ITU-T X.509 (10/2019)",
                "status": "current",
                "also_identified_as": ["ISO/IEC 9594-8"],
            }
        ],
        name="itu_recommendations.jsonl",
    )
    file_import(path)
    relation = Relation.objects.get()
    assert (relation.from_key, relation.type, relation.to_key) == (
        "ITU-T X.509 (10/2019)",
        "identical",
        "ISO/IEC 9594-8",
    )


TABLE = [
    [
        "标准号",
        "标准名称",
        "英文名称",
        "状态",
        "发布日期",
        "实施日期",
        "代替标准",
        "采标情况",
        "ICS",
    ],
    [
        "GB/T 19001—2016",
        "质量管理体系 要求",
        "Quality management systems",
        "现行",
        "2016-12-30",
        "2017-07-01",
        "GB/T 19001-2008",
        "ISO 9001:2015 IDT",
        "03.120.10",
    ],
    ["GB/T 19001-2008", "质量管理体系 要求", "", "废止", "2008-10-29", "2009-03-01", "", "", ""],
]


def check_table_loaded():
    new = Standard.objects.get(canonical="GB/T 19001-2016")
    assert new.title_zh == "质量管理体系 要求" and str(new.effective) == "2017-07-01"
    assert new.status == "current"
    assert new.classifications.get().code == "03.120.10"
    assert Standard.objects.get(canonical="GB/T 19001-2008").status == "superseded"
    adopts = Relation.objects.get(type="adopts")
    assert (adopts.to_key, adopts.degree) == ("ISO 9001:2015", "IDT")


def test_csv_with_chinese_headers_in_gb18030(tmp_path, today):
    path = tmp_path / "national.csv"
    path.write_bytes("\n".join(",".join(row) for row in TABLE).encode("gb18030"))
    result = file_import(path)
    assert result.created == 2 and result.source == "table"
    check_table_loaded()


def test_xlsx_with_chinese_headers(tmp_path, today):
    workbook = Workbook()
    for row in TABLE:
        workbook.active.append(row)
    path = tmp_path / "national.xlsx"
    workbook.save(path)
    assert file_import(path).created == 2
    check_table_loaded()


def test_column_mapping_and_missing_identifier_column(tmp_path, today):
    path = tmp_path / "list.csv"
    path.write_text("Std No.;Name\nGB 2760-2014;食品添加剂使用标准\n", encoding="utf-8")
    with pytest.raises(ApplicationError) as error:
        file_import(path)
    assert "row 1, field '(the header row)'" in str(error.value)
    result = file_import(path, options={"mapping": {"Std No.": "id", "Name": "title_zh"}})
    assert result.created == 1
    assert Standard.objects.get().title_zh == "食品添加剂使用标准"


def test_table_errors_name_the_row(tmp_path, today):
    path = tmp_path / "list.csv"
    path.write_text("id,published\nGB 2760-2014,2014-12-24\nGB 2760-2011,yesterday\n")
    with pytest.raises(ApplicationError) as error:
        file_import(path)
    assert f"{path}, row 3, field 'published'" in str(error.value)
    assert Standard.objects.count() == 0


def test_unreadable_xlsx(tmp_path, today):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip file")
    with pytest.raises(ApplicationError) as error:
        file_import(path)
    assert str(error.value).startswith(f"{path}: the file is not an XLSX workbook")
    # A broken file is not a bad row: --skip-invalid does not turn it into an empty import.
    with pytest.raises(ApplicationError):
        file_import(path, skip_invalid=True)


def test_a_workbook_reaching_the_last_column_is_refused_naming_file_and_sheet(tmp_path, today):
    workbook = Workbook()
    workbook.active.title = "标准"
    workbook.active.append(["标准号", "标准名称"])
    workbook.active.append(["GB 2760-2014", "食品添加剂使用标准"])
    workbook.active.cell(row=3, column=16384, value="x")
    path = tmp_path / "wide.xlsx"
    workbook.save(path)
    with pytest.raises(ApplicationError) as error:
        file_import(path)
    where = error.value.where
    assert (where.file, where.sheet) == (str(path), "标准")
    assert "reaches column XFD" in error.value.message
    assert Standard.objects.count() == 0


@pytest.mark.parametrize(
    ("encoding", "named"), [("shift_jis", "Shift-JIS"), ("utf-16-le", "UTF-16LE")]
)
def test_a_table_in_an_encoding_that_is_not_read_is_named(tmp_path, today, encoding, named):
    path = tmp_path / "jis.csv"
    path.write_bytes("id,title_zh\nJIS Z 8301:2019,規格票の様式及び作成方法\n".encode(encoding))
    with pytest.raises(ApplicationError) as error:
        file_import(path, source="table")
    assert str(error.value).startswith(f"{path}: the file looks like")
    assert named in error.value.message


def test_json_lines_that_are_not_utf8_name_the_line(tmp_path, today):
    path = tmp_path / "cn_latin1.jsonl"
    path.write_bytes(
        json.dumps(GOOD).encode()
        + b"\n"
        + '{"id": "GB 1-2000", "title_zh": "é"}'.encode("latin-1")
        + b"\n"
    )
    with pytest.raises(ApplicationError) as error:
        file_import(path)
    assert (error.value.where.file, error.value.where.row) == (str(path), 2)
    assert "not UTF-8" in error.value.message


def test_nmpa_in_force_together_with_another_standard(write_jsonl, today):
    """The NIFDC catalogue's "与GB9706.1-2020同步实施" takes the date of the standard it names,
    and keeps the sentence and the catalogue's categories."""
    path = write_jsonl(
        [
            {
                "id": "GB 9706.1-2020",
                "title_zh": "医用电气设备 第1部分",
                "published": "2020-04-09",
                "effective": "2023-05-01",
                "status": "current",
                "category": ["通用技术领域"],
            },
            {
                "id": "YY 9706.102-2021",
                "title_zh": "医用电气设备 第1-2部分",
                "published": "2021-03-09",
                "effective": "与GB9706.1-2020同步实施",
                "status": "current",
            },
            {
                "id": "YY 0001-2020",
                "title_zh": "示例",
                "published": "2020-01-01",
                "effective": "与GB 1-2099同步实施",
                "status": "current",
            },
        ],
        name="cn_nmpa_medical_devices.jsonl",
    )
    result = file_import(path)
    assert result.source == "nmpa" and result.created == 3
    follower = Standard.objects.get(canonical="YY 9706.102-2021")
    assert str(follower.effective) == "2023-05-01"
    assert follower.extra["effective_text"] == "与GB9706.1-2020同步实施"
    unknown = Standard.objects.get(canonical="YY 0001-2020")
    assert unknown.effective is None and unknown.extra["effective_with"] == "GB 1-2099"
    assert Standard.objects.get(canonical="GB 9706.1-2020").extra["category"] == ["通用技术领域"]
