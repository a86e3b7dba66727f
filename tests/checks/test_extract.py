"""Reading identifiers out of pasted Chinese text: lists, tables, reference lists, PDF typography.

The fixture cn_references.txt is 200 reference lines from construction and medical-device
documents (made by fixtures/make_cn_references.py from the NIFDC catalogue and real construction
numbers); cn_references.expected names the standard each line refers to, written by hand.
"""

from pathlib import Path

import pytest

from stdplus.checks.extract import identifiers_in, inputs_from_lines, inputs_from_text
from stdplus.identifiers import Identifier, parse

FIXTURES = Path(__file__).with_name("fixtures")


def canonicals(texts):
    found = []
    for text in texts:
        result = parse(text)
        if isinstance(result, Identifier):
            found.append(result.canonical)
    return found


def test_a_pasted_list_of_200_chinese_references_loses_at_most_one_percent():
    lines = (FIXTURES / "cn_references.txt").read_text(encoding="utf-8").splitlines()
    expected = (FIXTURES / "cn_references.expected").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(expected) == 200
    inputs, skipped = inputs_from_lines(lines)
    by_line: dict[str, list[str]] = {}
    for item in inputs:
        by_line.setdefault(item.where, []).append(item.text)
    lost = [
        (number, line, want)
        for number, (line, want) in enumerate(zip(lines, expected, strict=True), start=1)
        if want not in canonicals(by_line.get(f"line {number}", []))
    ]
    for number, line, want in lost:
        print(f"line {number}: {line!r} -> {by_line.get(f'line {number}')} (wanted {want})")
    assert len(lost) <= len(lines) // 100, lost
    assert skipped == 0


@pytest.mark.parametrize(
    ("line", "wanted"),
    [
        # edition versions, both brackets, with or without 年, glued to the title
        ("《建筑设计防火规范》GB 50016-2014（2018年版）", ["GB 50016-2014(2018年版)"]),
        ("GB 50016-2014 (2018年版) 建筑设计防火规范", ["GB 50016-2014(2018年版)"]),
        ("(2)GB 50011-2010(2016年版)建筑抗震设计规范", ["GB 50011-2010(2016年版)"]),
        (
            "GB 50010-2010(2015版)混凝土结构设计规范；GB/T 50011-2010（2024年版）",
            ["GB 50010-2010(2015年版)", "GB/T 50011-2010(2024年版)"],
        ),
        # dual numbering: one identifier, the Chinese standard
        ("1.GB/T 19001-2016/ISO 9001:2015 质量管理体系 要求", ["GB/T 19001-2016"]),
        ("[37] GB∕T 16886.5—2017/ISO 10993-5:2009 医疗器械生物学评价", ["GB/T 16886.5-2017"]),
        # an adoption with its degree right after the number is part of it (a comma inside
        # brackets joins, one outside separates)
        ("GB/T 19001-2016 (ISO 9001:2015, IDT) 质量管理体系 要求", ["GB/T 19001-2016"]),
        ("GB 4943.1-2022（IEC 62368-1:2018，MOD） 音视频设备", ["GB 4943.1-2022"]),
        (
            "GB/T 1.1-2020, GB/T 19001-2016 (ISO 9001:2015, IDT), ISO 14001:2015",
            ["GB/T 1.1-2020", "GB/T 19001-2016", "ISO 14001:2015"],
        ),
        # an adoption after the title is a second identifier of its own
        (
            "GB/T 19001—2016 质量管理体系 要求(ISO 9001:2015,IDT)",
            ["GB/T 19001-2016", "ISO 9001:2015"],
        ),
        # list markers, table cells, colons, full-width forms
        ("标准号：ＧＢ／Ｔ　１９００１－２０１６", ["GB/T 19001-2016"]),
        ("| 1 | GB 50016-2014 | 建筑设计防火规范 |", ["GB 50016-2014"]),
        ("3\tDBJ/T 15-92-2021\t高层建筑混凝土结构技术规程\t现行", ["DBJ/T 15-92-2021"]),
        ("5、DG/TJ08-2029-2021《多高层钢结构住宅技术标准》", ["DG/TJ 08-2029-2021"]),
        ("[3]YY/T 0287—2017 医疗器械 质量管理体系", ["YY/T 0287-2017"]),
        # PDF typography: look-alike slashes and dashes, stray spaces in the number
        ("GB/T 1 9001-2016 质量管理体系", ["GB/T 19001-2016"]),
        ("GB / T19001 — 2016 质量管理体系", ["GB/T 19001-2016"]),
        ("产品应符合GB⁄T 42061⁃2022《医疗器械 质量管理体系》的要求。", ["GB/T 42061-2022"]),
        ("按照GBZ 2.1-2019和GB/Z 42217-2022执行", ["GBZ 2.1-2019", "GB/Z 42217-2022"]),
    ],
)
def test_identifiers_in_chinese_text(line, wanted):
    assert canonicals(identifiers_in(line)) == wanted
    found, prose = inputs_from_text(line)
    assert canonicals(found) == wanted and not prose


def test_prose_without_identifiers_is_skipped():
    found, prose = inputs_from_text("本规范适用于新建、扩建和改建的民用建筑（2018年版修订说明）")
    assert (found, prose) == ([], True)
