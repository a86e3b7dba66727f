"""Table-driven tests: real identifiers of every family, their messy variants, rejections."""

from __future__ import annotations

import pytest

from stdplus.identifiers import Identifier, Rejection, normalize_text, parse
from stdplus.identifiers.prefixes import INDUSTRY_SECTORS, LOCAL_REGIONS

# Canonical forms that must print exactly as written.
CANONICAL = [
    "ISO 9001:2015",
    "ISO/IEC 27001:2013/Cor 1:2014",
    "ISO 14001:2015/Amd 1:2024",
    "ISO/TR 10013:2021",
    "IEC 60601-1:2005",
    "ITU-T H.264",
    "ITU-T H.264 (08/2021)",
    "RFC 9110",
    "IEEE 802.3-2022",
    "EN ISO 13485:2016",
    "GB/T 19001-2016",
    "GB 4943.1-2022",
    "GB/T 1.1-2020",
    "YY/T 0287-2017",
    "DB4403/T 30-2019",
    "DB44/T 2179-2019",
    "DB4403/T 298-2022",
    "SZDB/Z 29-2010",
    "T/CECS 10001-2019",
    "T/CAS 290-2017",
    "Q/BYD 001-2018",
    "GB 2760-2014",
    "GB/Z 26822-2011",
    "HJ 2.2-2018",
    "JT/T 808-2019",
    "NB/T 10147-2019",
    "SJ/T 11364-2014",
    "ISO/IEC 27001:2013",
    "IEC 62351-3:2014+AMD1:2018 CSV",
    "BS EN ISO 9001:2015",
    "DIN EN ISO 9001:2015",
    "ISO/IEC Guide 2:2004",
    "IEC 62368-1:2018",
    # drafts and other ISO deliverables as ISO prints them
    "ISO/DIS 12345",
    "ISO/FDIS 115",
    "ISO/CD TS 10303-1806",
    "ISO/AWI TS 19844.2",
    "ISO/IEC 23090-14:2023/DAM 2",
    "ISO 16840-6:2015/CD Amd 1",
    "ISO/IEEE DIS 11073-10700",
    "ISO/IEC DIR 1 ISO SUP:2011",
    "ISO/R 760",
    "ISO/R 101:1959",
    "IWA 1:2005",
    "CD IWA 45",
    "ISO/IEC ISP 10613-19:1998",
    "ISO Guide 10:1977",
    "ISO/DGuide 84",
    "ISO 3758:1991/Suppl:1993",
    "ISO/IEC Guide 98-3:2008/Suppl 1:2008/Cor 1:2009",
    "ISO/IEC/IEEE 8802-1Q:2016/Amd 1:2017",
    # IEC style
    "IEC 60633:1998+AMD1:2009+AMD2:2015 CSV",
    "IEC TR 62432:2006",
    "IEC TS 61233:1994",
    "IEC 60598-2-8:1981/AMD1:1987",
    "IEC 60079-0:1998/ISH1:2008",
    "IEC 60034-11:2020 RLV",
    "IEC 60335-2-101:2024 EXV-CMV",
    "IEC 60601-1:2005+AMD1:2012 CSV/COR1:2012",
    "CISPR 16-1-1:2006/AMD1:2006",
    "CISPR 14-1:2016/AMD1/FRAG5:",
    "IEC White Paper AI:2018",
    "ISO/IEC VIM:1993",
    # ITU
    "ITU-R BS.2054-3",
    "ITU-T O.150 (1996) Cor. 1 (05/2002)",
    "ITU-T Q.1902.3 (2001) Amd. 4 (09/2006)",
    "ITU-T X.520 (2001) Technical Cor. 2 (11/2005)",
    "ITU-T Q Suppl. 30 (12/2000)",
    "ITU-T T.873 (V2) (06/2021)",
    "ITU-T D.1140/X.1261 (08/2020)",
    "ITU-T Z.100 Annex F3 (11/1988)",
    "ITU-R 1-3/8:",
    "ITU-R 01.HDB",
    # IETF, IEEE, regional, foreign
    "STD 66",
    "BCP 14",
    "FYI 1",
    "IEEE 802.11ax-2021",
    "IEEE 1588-2019",
    "EN 12643:2014",
    "EN IEC 62368-1:2020",
    "EN 60601-1:2006/A1:2013",
    "JIS Z 8301:2019",
    "ASTM D638-14",
    "ANSI/ASME B31.3-2020",
    "BS 7671:2018",
    # Chinese
    "GB/T 18384.3-2015",
    "GB 2760-2014/XG1-2017",
    "GB/T 19001",
    "JJF 1059.1-2012",
    "NB/SH/T 0001-2019",
    "DB11/ 1234-2015",
    "DB/T 19-2020",
    "T/GZAEPI 001-2018",
    "Q/GDW 1234-2014",
    "Q/320581 ABC 001-2019",
    "HB/Z 12-2010",
    "JB/T 13368-2018",
]


@pytest.mark.parametrize("text", CANONICAL)
def test_canonical_prints_as_written(text):
    r = parse(text)
    assert isinstance(r, Identifier), r
    assert r.canonical == text
    assert parse(r.canonical).canonical == text


# (input, canonical, work, level, body, mandate, year, part)
CASES = [
    (
        "GB/T 19001-2016",
        "GB/T 19001-2016",
        "GB/T 19001",
        "national",
        "GB",
        "recommended",
        2016,
        None,
    ),
    (
        "ＧＢ／Ｔ　１９００１－２０１６",
        "GB/T 19001-2016",
        "GB/T 19001",
        "national",
        "GB",
        "recommended",
        2016,
        None,
    ),
    (
        "GB/T 19001—2016",
        "GB/T 19001-2016",
        "GB/T 19001",
        "national",
        "GB",
        "recommended",
        2016,
        None,
    ),
    (
        "GB/T 19001–2016",
        "GB/T 19001-2016",
        "GB/T 19001",
        "national",
        "GB",
        "recommended",
        2016,
        None,
    ),
    (
        "GB/T 19001\u22122016",
        "GB/T 19001-2016",
        "GB/T 19001",
        "national",
        "GB",
        "recommended",
        2016,
        None,
    ),
    (
        "GB/T 19001\u20102016",
        "GB/T 19001-2016",
        "GB/T 19001",
        "national",
        "GB",
        "recommended",
        2016,
        None,
    ),
    (
        "GB/T19001-2016",
        "GB/T 19001-2016",
        "GB/T 19001",
        "national",
        "GB",
        "recommended",
        2016,
        None,
    ),
    (
        "gb/t 19001-2016",
        "GB/T 19001-2016",
        "GB/T 19001",
        "national",
        "GB",
        "recommended",
        2016,
        None,
    ),
    (
        "GBT 19001—2016",
        "GB/T 19001-2016",
        "GB/T 19001",
        "national",
        "GB",
        "recommended",
        2016,
        None,
    ),
    (
        "GB T 19001-2016",
        "GB/T 19001-2016",
        "GB/T 19001",
        "national",
        "GB",
        "recommended",
        2016,
        None,
    ),
    (
        "GB / T 19001 - 2016",
        "GB/T 19001-2016",
        "GB/T 19001",
        "national",
        "GB",
        "recommended",
        2016,
        None,
    ),
    (
        "  “GB/T 19001-2016”. ",
        "GB/T 19001-2016",
        "GB/T 19001",
        "national",
        "GB",
        "recommended",
        2016,
        None,
    ),
    (
        "《GB/T 19001-2016》",
        "GB/T 19001-2016",
        "GB/T 19001",
        "national",
        "GB",
        "recommended",
        2016,
        None,
    ),
    (
        "GB/T 19001-2016年",
        "GB/T 19001-2016",
        "GB/T 19001",
        "national",
        "GB",
        "recommended",
        2016,
        None,
    ),
    ("gbt19001", "GB/T 19001", "GB/T 19001", "national", "GB", "recommended", None, None),
    ("GB 4943.1—2022", "GB 4943.1-2022", "GB 4943.1", "national", "GB", "mandatory", 2022, "1"),
    ("GB/T 1.1-2020", "GB/T 1.1-2020", "GB/T 1.1", "national", "GB", "recommended", 2020, "1"),
    ("GB 3100-93", "GB 3100-1993", "GB 3100", "national", "GB", "mandatory", 1993, None),
    ("GB/Z 26822—2011", "GB/Z 26822-2011", "GB/Z 26822", "national", "GB", "guidance", 2011, None),
    (
        "GB/T 5606 (all parts)",
        "GB/T 5606",
        "GB/T 5606",
        "national",
        "GB",
        "recommended",
        None,
        None,
    ),
    (
        "GB 2760-2014/XG1-2017",
        "GB 2760-2014/XG1-2017",
        "GB 2760",
        "national",
        "GB",
        "mandatory",
        2014,
        None,
    ),
    ("YYT 0287-2017", "YY/T 0287-2017", "YY/T 0287", "industry", "YY", "recommended", 2017, None),
    ("yy/t0287—2017", "YY/T 0287-2017", "YY/T 0287", "industry", "YY", "recommended", 2017, None),
    ("HJ 2.2—2018", "HJ 2.2-2018", "HJ 2.2", "industry", "HJ", "mandatory", 2018, "2"),
    ("JT/T 808-2019", "JT/T 808-2019", "JT/T 808", "industry", "JT", "recommended", 2019, None),
    ("JJF 1059.1-2012", "JJF 1059.1-2012", "JJF 1059.1", "industry", "JJF", None, 2012, "1"),
    ("DB/T 19-2020", "DB/T 19-2020", "DB/T 19", "industry", "DB", "recommended", 2020, None),
    (
        "DB4403/T30-2019",
        "DB4403/T 30-2019",
        "DB4403/T 30",
        "local",
        "DB4403",
        "recommended",
        2019,
        None,
    ),
    (
        "db44/t 2179—2019",
        "DB44/T 2179-2019",
        "DB44/T 2179",
        "local",
        "DB44",
        "recommended",
        2019,
        None,
    ),
    ("DB44 123-2010", "DB44/ 123-2010", "DB44/ 123", "local", "DB44", "mandatory", 2010, None),
    ("SZDB/Z 29-2010", "SZDB/Z 29-2010", "SZDB/Z 29", "local", "SZDB", "guidance", 2010, None),
    ("T/CECS 10001—2019", "T/CECS 10001-2019", "T/CECS 10001", "group", "T/CECS", None, 2019, None),
    ("t/cas290-2017", "T/CAS 290-2017", "T/CAS 290", "group", "T/CAS", None, 2017, None),
    (
        "T/GZAEPI 001—2018",
        "T/GZAEPI 001-2018",
        "T/GZAEPI 001",
        "group",
        "T/GZAEPI",
        None,
        2018,
        None,
    ),
    ("Q/BYD 001—2018", "Q/BYD 001-2018", "Q/BYD 001", "enterprise", "Q/BYD", None, 2018, None),
    ("ISO9001:2015", "ISO 9001:2015", "ISO 9001", "international", "ISO", None, 2015, None),
    ("iso 9001:2008", "ISO 9001:2008", "ISO 9001", "international", "ISO", None, 2008, None),
    ("ISO 9001：2015", "ISO 9001:2015", "ISO 9001", "international", "ISO", None, 2015, None),
    ("ISO  9001 : 2015", "ISO 9001:2015", "ISO 9001", "international", "ISO", None, 2015, None),
    (
        "ISO 14001:2015/AMD1:2024",
        "ISO 14001:2015/Amd 1:2024",
        "ISO 14001",
        "international",
        "ISO",
        None,
        2015,
        None,
    ),
    (
        "ISO 14001:2015 Amd.1:2024",
        "ISO 14001:2015/Amd 1:2024",
        "ISO 14001",
        "international",
        "ISO",
        None,
        2015,
        None,
    ),
    (
        "ISO 14001:2015/A1:2024",
        "ISO 14001:2015/Amd 1:2024",
        "ISO 14001",
        "international",
        "ISO",
        None,
        2015,
        None,
    ),
    (
        "ISO/IEC 13818-1:2007/COR3:2011",
        "ISO/IEC 13818-1:2007/Cor 3:2011",
        "ISO/IEC 13818-1",
        "international",
        "ISO/IEC",
        None,
        2007,
        "1",
    ),
    (
        "ISO TS 82304-2:2021",
        "ISO/TS 82304-2:2021",
        "ISO/TS 82304-2",
        "international",
        "ISO",
        None,
        2021,
        "2",
    ),
    (
        "IEC 60598-2-8:1981/Amd 1:1987",
        "IEC 60598-2-8:1981/AMD1:1987",
        "IEC 60598-2-8",
        "international",
        "IEC",
        None,
        1981,
        "2-8",
    ),
    (
        "IEC/TR 60601-4-1:2017",
        "IEC TR 60601-4-1:2017",
        "IEC TR 60601-4-1",
        "international",
        "IEC",
        None,
        2017,
        "4-1",
    ),
    ("cispr 11:2015", "CISPR 11:2015", "CISPR 11", "international", "CISPR", None, 2015, None),
    ("ITU-T Rec. H.264", "ITU-T H.264", "ITU-T H.264", "international", "ITU-T", None, None, None),
    # the word before the sector, as ITU titles its own texts
    (
        "Recommendation ITU-T X.509",
        "ITU-T X.509",
        "ITU-T X.509",
        "international",
        "ITU-T",
        None,
        None,
        None,
    ),
    (
        "Rec. ITU-R BT.709-6",
        "ITU-R BT.709-6",
        "ITU-R BT.709",
        "international",
        "ITU-R",
        None,
        None,
        None,
    ),
    # an adoption with its degree, and the language letters of an ISO cover
    (
        "GB/T 19001-2016 (ISO 9001:2015, IDT)",
        "GB/T 19001-2016",
        "GB/T 19001",
        "national",
        "GB",
        "recommended",
        2016,
        None,
    ),
    ("ISO 13485:2016(E)", "ISO 13485:2016", "ISO 13485", "international", "ISO", None, 2016, None),
    ("ITU T H.264", "ITU-T H.264", "ITU-T H.264", "international", "ITU-T", None, None, None),
    (
        "ITU-T  H.264 (8/2021)",
        "ITU-T H.264 (08/2021)",
        "ITU-T H.264",
        "international",
        "ITU-T",
        None,
        2021,
        None,
    ),
    ("itu-t h.264", "ITU-T H.264", "ITU-T H.264", "international", "ITU-T", None, None, None),
    ("rfc9110", "RFC 9110", "RFC 9110", "international", "IETF", None, None, None),
    ("RFC-9110", "RFC 9110", "RFC 9110", "international", "IETF", None, None, None),
    ("IETF RFC 9110", "RFC 9110", "RFC 9110", "international", "IETF", None, None, None),
    (
        "IEEE Std 802.3-2022",
        "IEEE 802.3-2022",
        "IEEE 802.3",
        "international",
        "IEEE",
        None,
        2022,
        None,
    ),
    (
        "IEEE Std. 1588-2019",
        "IEEE 1588-2019",
        "IEEE 1588",
        "international",
        "IEEE",
        None,
        2019,
        None,
    ),
    ("EN 12643:2014", "EN 12643:2014", "EN 12643", "regional", "EN", None, 2014, None),
    ("EN ISO 13485:2016", "EN ISO 13485:2016", "EN ISO 13485", "regional", "EN", None, 2016, None),
    (
        "BS EN ISO 9001:2015",
        "BS EN ISO 9001:2015",
        "BS EN ISO 9001",
        "foreign",
        "BS",
        None,
        2015,
        None,
    ),
    (
        "din en iso 9001:2015",
        "DIN EN ISO 9001:2015",
        "DIN EN ISO 9001",
        "foreign",
        "DIN",
        None,
        2015,
        None,
    ),
]


@pytest.mark.parametrize(
    ("text", "canonical", "work", "level", "body", "mandate", "year", "part"), CASES
)
def test_table(text, canonical, work, level, body, mandate, year, part):
    r = parse(text)
    assert isinstance(r, Identifier), r
    assert (r.canonical, r.work, r.level, r.body, r.mandate, r.year, r.part) == (
        canonical,
        work,
        level,
        body,
        mandate,
        year,
        part,
    )


def test_fields_of_a_corrigendum():
    r = parse("ISO/IEC 27001:2013/Cor 1:2014")
    assert r.edition == "ISO/IEC 27001:2013"
    assert r.prefix == "ISO/IEC"
    assert r.doctype == "IS"
    assert r.number == "27001"
    assert len(r.supplements) == 1
    s = r.supplements[0]
    assert (s.kind, s.number, s.year) == ("Cor", 1, 2014)


def test_fields_of_drafts_and_types():
    assert parse("ISO/IEC 23090-14:2023/DAM 2").stage == "DAM"
    assert parse("ISO 16840-6:2015/CD Amd 1").stage == "CD Amd"
    r = parse("ISO/CD TS 10303-1806")
    assert (r.stage, r.doctype, r.work, r.prefix) == ("CD", "TS", "ISO/TS 10303-1806", "ISO/CD TS")
    assert parse("ISO/DTS 11353").doctype == "TS"
    assert parse("ISO/TR 10013:2021").doctype == "TR"
    assert parse("IWA 1:2005").doctype == "IWA"
    assert parse("ISO/R 760").doctype == "R"
    assert parse("IEC 60601-2-8:2010").part == "2-8"


def test_fields_of_iec_consolidated_and_variants():
    r = parse("IEC 62351-3:2014+AMD1:2018 CSV")
    assert r.consolidated and r.variant == "CSV"
    assert r.edition == "IEC 62351-3:2014"
    assert r.work == "IEC 62351-3"
    assert [(s.kind, s.number, s.year) for s in r.supplements] == [("Amd", 1, 2018)]
    r = parse("IEC 60034-11:2020 RLV")
    assert not r.consolidated and r.variant == "RLV"


def test_fields_of_itu():
    r = parse("ITU-T H.264 (08/2021)")
    assert (r.number, r.year, r.month, r.work) == ("H.264", 2021, 8, "ITU-T H.264")
    r = parse("ITU-R BS.2054-3")
    assert (r.work, r.body) == ("ITU-R BS.2054", "ITU-R")
    r = parse("ITU-T O.150 (1996) Cor. 1 (05/2002)")
    assert r.work == "ITU-T O.150"
    assert r.edition == "ITU-T O.150 (1996)"
    assert [(s.kind, s.number, s.year) for s in r.supplements] == [("Cor", 1, 2002)]


def test_fields_of_chinese_supplement_and_local():
    r = parse("GB 2760-2014/XG1-2017")
    assert [(s.kind, s.number, s.year) for s in r.supplements] == [("XG", 1, 2017)]
    assert r.edition == "GB 2760-2014"
    assert parse("DB4403/T 298-2022").body == "DB4403"
    assert parse("Q/BYD 001-2018").number == "001"


def test_to_dict_is_json_ready():
    import json

    d = parse("ISO/IEC 27001:2013/Cor 1:2014").to_dict()
    for key in (
        "input",
        "canonical",
        "work",
        "edition",
        "level",
        "body",
        "prefix",
        "doctype",
        "stage",
        "number",
        "part",
        "year",
        "month",
        "supplements",
        "consolidated",
        "variant",
        "mandate",
        "version",
        "adopted",
        "region",
        "series",
    ):
        assert key in d
    assert json.loads(json.dumps(d)) == d


REJECTED = [
    ("", "empty"),
    ("   ", "empty"),
    ("quality management", "no known standards body prefix in 'quality management'"),
    ("质量管理体系", "no known standards body prefix"),
    ("9001", "bare number"),
    ("19001-2016", "bare number"),
    ("GB/T", "a bare prefix 'GB/T' without a number"),
    ("ISO", "a bare prefix 'ISO' without a number"),
    ("GB", "bare prefix"),
    ("T/", "bare prefix"),
    ("GB/-2010", "malformed"),
    ("GB/T -2006", "malformed"),
    ("/foo 1-2020", "malformed"),
    ("WD/ISO 10360-2", "unknown standards body 'WD'"),
    ("WD/ISO 10360-5:2000", "unknown standards body 'WD'"),
    ("JCGM 200:2007(F)", "unknown standards body 'JCGM'"),
    ("<script>alert(1)</script>", "looks like markup, not an identifier"),
    ("GB/T 19001'; DROP TABLE x;--", "SQL"),
    ("' OR 1=1 --", "SQL"),
    ("ISO 9001:2015" + " " * 190 + "x", "too long"),
    ("GB/T\x0019001-2016", "control characters"),
    ("ISO\x1b[31m 9001", "control characters"),
    ("ISO 9001:1850", "implausible year 1850"),
    ("GB/T 19001-2200", "implausible year"),
    ("ITU-T H.264 (13/2021)", "month 13"),
    ("DB99/T 1-2019", "unknown province code '99'"),
    ("ISO 9001:20150", "malformed"),
]


@pytest.mark.parametrize(("text", "reason"), REJECTED)
def test_rejections(text, reason):
    r = parse(text)
    assert isinstance(r, Rejection), r
    assert r.input == text
    assert reason in r.error
    assert r.error[0].isalpha()


def test_normalize_text_is_character_level():
    assert normalize_text("ＧＢ／Ｔ　１９００１－２０１６") == "GB/T 19001-2016"
    assert normalize_text("GB/T 19001—2016") == "GB/T 19001-2016"
    assert normalize_text("  iso  9001 ") == "iso  9001".replace("  ", " ")
    assert normalize_text("\u200bRFC\u00a09110") == "RFC 9110"


def test_tables():
    assert len(INDUSTRY_SECTORS) >= 62
    for code in ("AQ", "DB", "GM", "HJ", "JJF", "JJG", "YY", "ZY", "YD", "SJ", "JR"):
        assert code in INDUSTRY_SECTORS
        zh, en = INDUSTRY_SECTORS[code]
        assert zh and en
    for code in ("11", "31", "44", "65", "71", "81", "82", "4403", "4401"):
        assert code in LOCAL_REGIONS
    assert LOCAL_REGIONS["44"][1] == "Guangdong"


def test_never_raises_on_odd_input():
    for text in ["\x00", "\ud800", "/" * 199, "ISO " + "9" * 190, "(((", "ITU-T " + "(" * 50]:
        assert isinstance(parse(text), (Identifier, Rejection))
    assert isinstance(parse(None), Rejection)  # type: ignore[arg-type]
    assert isinstance(parse("x" * 100_000), Rejection)


def test_the_written_out_init_matches_the_fields():
    import dataclasses
    import inspect

    params = inspect.signature(Identifier).parameters.values()
    fields = dataclasses.fields(Identifier)
    assert [p.name for p in params] == [f.name for f in fields]
    for p, f in zip(params, fields, strict=True):
        default = inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default
        assert p.default == default, f.name
    r = parse("GB 50016-2014(2018年版)")
    assert dataclasses.replace(r, adopted="ISO 1:2000").adopted == "ISO 1:2000"
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.canonical = "x"  # type: ignore[misc]
