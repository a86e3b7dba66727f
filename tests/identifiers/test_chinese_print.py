"""Chinese identifiers as catalogues, notices and PDFs print them (real examples of each family).

Sources of the examples: the NIFDC medical-device catalogue (../shared/data), the national
engineering construction standards (GB 50016-2014 in its 2018 version, GB 50011-2010 renumbered
GB/T 50011-2010 with its 2024 version), and the provinces' construction standards as their
housing and construction departments list them (Guangdong DBJ/T 15-92-2021, Shanghai
DG/TJ08-2029-2021, Chongqing DBJ50/T-047-2024, Tianjin DB/T29-20-2017, Shenzhen SJG 157-2024).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stdplus.checks.extract import identifiers_in
from stdplus.identifiers import (
    Identifier,
    Rejection,
    parse,
    renumbering_alternates,
    renumbering_key,
)
from stdplus.identifiers.normalize import _DASHES, _SLASHES

NMPA = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cn_nmpa_medical_devices.jsonl"
)


def ok(text: str) -> Identifier:
    r = parse(text)
    assert isinstance(r, Identifier), (text, r)
    again = parse(r.canonical)
    assert isinstance(again, Identifier) and again.canonical == r.canonical, (text, again)
    return r


# -- edition versions after a partial revision -------------------------------------------------

VERSIONS = [
    # printed, canonical, work, year, version
    ("GB 50016-2014(2018年版)", "GB 50016-2014(2018年版)", "GB 50016", 2014, 2018),
    ("GB 50016—2014（2018年版）", "GB 50016-2014(2018年版)", "GB 50016", 2014, 2018),
    ("GB 50011-2010（2016年版）", "GB 50011-2010(2016年版)", "GB 50011", 2010, 2016),
    ("GB/T 50011-2010（2024年版）", "GB/T 50011-2010(2024年版)", "GB/T 50011", 2010, 2024),
    ("GB 50010-2010(2015版)", "GB 50010-2010(2015年版)", "GB 50010", 2010, 2015),
    ("CJJ 37-2012 (2016年版)", "CJJ 37-2012(2016年版)", "CJJ 37", 2012, 2016),
    ("DBJ11-501-2009（2016年版）", "DBJ 11-501-2009(2016年版)", "DBJ 11-501", 2009, 2016),
    ("GBJ 16-87（2001年版）", "GBJ 16-1987(2001年版)", "GBJ 16", 1987, 2001),
    ("ＧＢ５００１６－２０１４（２０１８年版）", "GB 50016-2014(2018年版)", "GB 50016", 2014, 2018),
]


@pytest.mark.parametrize(("printed", "canonical", "work", "year", "version"), VERSIONS)
def test_edition_version_is_kept_and_shown(printed, canonical, work, year, version):
    r = ok(printed)
    assert (r.canonical, r.work, r.year, r.version) == (canonical, work, year, version)
    # the same work and year: the edition is the dated standard without its version
    assert r.edition == canonical.split("(")[0]
    assert r.to_dict()["version"] == version


# -- dual numbering ---------------------------------------------------------------------------


def nmpa_adoptions() -> list[tuple[str, str]]:
    pairs = []
    with NMPA.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            for rel in rec.get("relations") or []:
                if rel["type"] == "adopts" and rel.get("degree") == "IDT":
                    pairs.append((rec["id"], rel["target"]))
    return pairs


@pytest.mark.skipif(not NMPA.exists(), reason="needs ../shared/data")
def test_dual_numbers_of_the_medical_device_catalogue():
    """Every identical adoption of the NIFDC catalogue, printed as on its cover."""
    pairs = nmpa_adoptions()
    assert len(pairs) >= 10
    for chinese, adopted in pairs:
        for sep in ("/", " / ", "∕", "／"):
            r = ok(f"{chinese.replace('-', '—')}{sep}{adopted}")
            assert r.canonical == parse(chinese).canonical, (chinese, r)
            assert r.adopted == parse(adopted).canonical
            assert r.work == parse(chinese).work


@pytest.mark.parametrize(
    ("printed", "canonical", "adopted"),
    [
        ("GB/T 19001-2016/ISO 9001:2015", "GB/T 19001-2016", "ISO 9001:2015"),
        ("YY/T 0287-2017/ISO 13485:2016", "YY/T 0287-2017", "ISO 13485:2016"),
        ("GB/T 42061—2022/ISO 13485:2016", "GB/T 42061-2022", "ISO 13485:2016"),
        ("GB/T 22080-2016/ISO/IEC 27001:2013", "GB/T 22080-2016", "ISO/IEC 27001:2013"),
        ("GB/T 16886.1-2022/ISO 10993-1:2018", "GB/T 16886.1-2022", "ISO 10993-1:2018"),
        ("gb/t 19001-2016/iso 9001:2015", "GB/T 19001-2016", "ISO 9001:2015"),
    ],
)
def test_dual_numbering(printed, canonical, adopted):
    r = ok(printed)
    assert (r.canonical, r.adopted, r.level) == (canonical, adopted, parse(canonical).level)
    assert parse(canonical).adopted is None


@pytest.mark.parametrize(
    ("printed", "canonical", "adopted"),
    [
        # catalogues and forewords: the adoption in brackets with its degree
        ("GB/T 19001-2016 (ISO 9001:2015, IDT)", "GB/T 19001-2016", "ISO 9001:2015"),
        ("GB/T 19001-2016（ISO 9001:2015，IDT）", "GB/T 19001-2016", "ISO 9001:2015"),
        ("YY/T 0287-2017(ISO 13485:2016,IDT)", "YY/T 0287-2017", "ISO 13485:2016"),
        ("T/CAS 1-2020 (ISO 9001:2015, idt)", "T/CAS 1-2020", "ISO 9001:2015"),
        # before 2001 the degree came first
        ("GB/T 19001-2000 idt ISO 9001:2000", "GB/T 19001-2000", "ISO 9001:2000"),
        # modified and non-equivalent adoptions carry no dual number
        ("GB 4943.1-2022 (IEC 62368-1:2018, MOD)", "GB 4943.1-2022", None),
        ("GB/T 20000.1-2014 (ISO/IEC Guide 2:2004, NEQ)", "GB/T 20000.1-2014", None),
        ("GB/T 19001-1994 eqv ISO 9001:1994", "GB/T 19001-1994", None),
        # the degree after a dual number
        ("YY/T 0316-2016/ISO 14971:2007,IDT", "YY/T 0316-2016", "ISO 14971:2007"),
        ("GB/T 1-2020/ISO 1:2016, MOD", "GB/T 1-2020", None),
    ],
)
def test_adoption_printed_with_its_degree(printed, canonical, adopted):
    r = ok(printed)
    assert (r.canonical, r.adopted) == (canonical, adopted)


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("ISO 13485:2016(E)", "ISO 13485:2016"),
        ("ISO 9001:2015 (F)", "ISO 9001:2015"),
        ("IEC 60601-1:2005(E)", "IEC 60601-1:2005"),
        ("ISO/IEC 27001:2022(E/F)", "ISO/IEC 27001:2022"),
    ],
)
def test_language_of_an_iso_or_iec_document_is_left_out(printed, canonical):
    assert ok(printed).canonical == canonical


# -- look-alike series ------------------------------------------------------------------------

SERIES = [
    # printed, canonical, level, body, mandate, series, region
    ("GBZ 2.1-2019", "GBZ 2.1-2019", "national", "GBZ", "mandatory", "occupational health", None),
    (
        "GBZ/T 229.1-2010",
        "GBZ/T 229.1-2010",
        "national",
        "GBZ",
        "recommended",
        "occupational health",
        None,
    ),
    (
        "GBZT 189.1-2007",
        "GBZ/T 189.1-2007",
        "national",
        "GBZ",
        "recommended",
        "occupational health",
        None,
    ),
    ("GB/Z 42217-2022", "GB/Z 42217-2022", "national", "GB", "guidance", None, None),
    ("GB Z 26822-2011", "GB/Z 26822-2011", "national", "GB", "guidance", None, None),
    ("JJF 1059.1-2012", "JJF 1059.1-2012", "industry", "JJF", None, "metrology", None),
    ("JJG 1036-2008", "JJG 1036-2008", "industry", "JJG", None, "metrology", None),
    ("GB 50016-2014", "GB 50016-2014", "national", "GB", "mandatory", "construction", None),
    ("GB/T 50378-2019", "GB/T 50378-2019", "national", "GB", "recommended", "construction", None),
    ("GB 55037-2022", "GB 55037-2022", "national", "GB", "mandatory", "construction", None),
    ("GB 5009.3-2016", "GB 5009.3-2016", "national", "GB", "mandatory", None, None),
    ("JGJ 3-2010", "JGJ 3-2010", "industry", "JGJ", "mandatory", "construction", None),
    ("JGJ/T 23-2011", "JGJ/T 23-2011", "industry", "JGJ", "recommended", "construction", None),
    ("CJJ 1-2008", "CJJ 1-2008", "industry", "CJJ", "mandatory", "construction", None),
    ("JTG D60-2015", "JTG D60-2015", "industry", "JTG", "mandatory", "construction", None),
    ("JTG F80/1-2017", "JTG F80/1-2017", "industry", "JTG", "mandatory", "construction", None),
    ("JTG/T 3650-2020", "JTG/T 3650-2020", "industry", "JTG", "recommended", "construction", None),
    ("CECS 28:2012", "CECS 28:2012", "group", "CECS", None, "construction", None),
    # local engineering construction standards outside the DB pattern
    ("DBJ 15-92-2013", "DBJ 15-92-2013", "local", "DBJ15", "mandatory", "construction", "44"),
    ("DBJ/T 15-92-2021", "DBJ/T 15-92-2021", "local", "DBJ15", "recommended", "construction", "44"),
    ("DBJ/T15-20-97", "DBJ/T 15-20-1997", "local", "DBJ15", "recommended", "construction", "44"),
    (
        "DBJ/T 13-428-2023",
        "DBJ/T 13-428-2023",
        "local",
        "DBJ13",
        "recommended",
        "construction",
        "35",
    ),
    (
        "DBJ50/T-047-2024",
        "DBJ/T 50-047-2024",
        "local",
        "DBJ50",
        "recommended",
        "construction",
        "50",
    ),
    ("DBJ50-200-2014", "DBJ 50-200-2014", "local", "DBJ50", "mandatory", "construction", "50"),
    ("DBJ 53/T-83-2017", "DBJ/T 53-83-2017", "local", "DBJ53", "recommended", "construction", "53"),
    ("DBJ04/T389-2026", "DBJ/T 04-389-2026", "local", "DBJ04", "recommended", "construction", "14"),
    (
        "DBJ33/T 1318-2024",
        "DBJ/T 33-1318-2024",
        "local",
        "DBJ33",
        "recommended",
        "construction",
        "33",
    ),
    (
        "DG/TJ 08-2029-2021",
        "DG/TJ 08-2029-2021",
        "local",
        "DGJ08",
        "recommended",
        "construction",
        "31",
    ),
    (
        "DG/TJ08-015-2018",
        "DG/TJ 08-015-2018",
        "local",
        "DGJ08",
        "recommended",
        "construction",
        "31",
    ),
    (
        "DGTJ08-2154-2014",
        "DG/TJ 08-2154-2014",
        "local",
        "DGJ08",
        "recommended",
        "construction",
        "31",
    ),
    ("DGJ 08-9-2013", "DGJ 08-9-2013", "local", "DGJ08", "mandatory", "construction", "31"),
    ("DGJ08-11-2018", "DGJ 08-11-2018", "local", "DGJ08", "mandatory", "construction", "31"),
    (
        "DGJ32/TJ186-2015",
        "DGJ32/TJ 186-2015",
        "local",
        "DGJ32",
        "recommended",
        "construction",
        "32",
    ),
    ("DGJ32/J189-2015", "DGJ32/J 189-2015", "local", "DGJ32", "mandatory", "construction", "32"),
    ("SJG 157-2024", "SJG 157-2024", "local", "SJG", None, "construction", "4403"),
    ("DB/T29-20-2017", "DB/T 29-20-2017", "local", "DB29", "recommended", "construction", "12"),
    ("DB29-205-2024", "DB 29-205-2024", "local", "DB29", "mandatory", "construction", "12"),
    (
        "DB13(J)/T 8422-2021",
        "DB13(J)/T 8422-2021",
        "local",
        "DB13",
        "recommended",
        "construction",
        "13",
    ),
    # the DB pattern keeps working, now with its region
    ("DB44/T 2179-2019", "DB44/T 2179-2019", "local", "DB44", "recommended", None, "44"),
    ("DB4403/T 298-2022", "DB4403/T 298-2022", "local", "DB4403", "recommended", None, "4403"),
    ("SZDB/Z 29-2010", "SZDB/Z 29-2010", "local", "SZDB", "guidance", None, "4403"),
    ("DB/T 19-2020", "DB/T 19-2020", "industry", "DB", "recommended", None, None),
]


@pytest.mark.parametrize(
    ("printed", "canonical", "level", "body", "mandate", "series", "region"), SERIES
)
def test_series_level_and_region(printed, canonical, level, body, mandate, series, region):
    r = ok(printed)
    assert (r.canonical, r.level, r.body, r.mandate, r.series, r.region) == (
        canonical,
        level,
        body,
        mandate,
        series,
        region,
    )
    w = ok(r.work)
    assert w.work == r.work and w.year is None and w.region == r.region


def test_gbz_is_not_gb_z():
    assert ok("GBZ 2.1-2019").work != ok("GB/Z 2.1-2019").work
    assert ok("GBZ 130-2020").canonical == "GBZ 130-2020"
    assert ok("GB/Z 130-2025").canonical == "GB/Z 130-2025"  # a guidance document of the NIFDC list


# -- typography from PDFs and word processors ----------------------------------------------


@pytest.mark.parametrize("slash", list(_SLASHES) + ["\uff0f", " / "])
def test_every_slash_lookalike(slash):
    assert ok(f"GB{slash}T 19001-2016").canonical == "GB/T 19001-2016"
    assert ok(f"DG{slash}TJ 08-2029-2021").canonical == "DG/TJ 08-2029-2021"


@pytest.mark.parametrize("dash", list(_DASHES) + ["\uff0d", "——", " — "])
def test_every_dash_lookalike(dash):
    assert ok(f"GB/T 19001{dash}2016").canonical == "GB/T 19001-2016"
    assert ok(f"DBJ/T 15{dash}92{dash}2021").canonical == "DBJ/T 15-92-2021"


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("ＧＢ／Ｔ　１９００１－２０１６", "GB/T 19001-2016"),
        ("ＹＹ／Ｔ　０２８７—２０１７", "YY/T 0287-2017"),
        ("GB/T\u300019001-2016", "GB/T 19001-2016"),
        ("GB/T\u200919001\u202f-\u20092016", "GB/T 19001-2016"),
        ("GB/T 1 9001-2016", "GB/T 19001-2016"),
        ("GB / T19001 — 2016", "GB/T 19001-2016"),
        ("GB/T 16886. 1-2022", "GB/T 16886.1-2022"),
        ("YY 9706.1 02-2021", "YY 9706.102-2021"),
        ("GB/T 19001——2016", "GB/T 19001-2016"),
        # a space between DB and the region code (Tianjin's "DB 29-" series keeps its own)
        ("DB 44/T 1234—2020", "DB44/T 1234-2020"),
        ("DB 4403/T 1-2019", "DB4403/T 1-2019"),
        ("DB 13(J)/T 8422-2021", "DB13(J)/T 8422-2021"),
        ("DB 29-205-2024", "DB 29-205-2024"),
        # a modification sheet after a space or a spaced slash, as lists print it
        ("GB 4706.1-2005 XG1-2006", "GB 4706.1-2005/XG1-2006"),
        ("GB 2760-2014 / XG1-2017", "GB 2760-2014/XG1-2017"),
        ("GB 2760-2014 XG1-2017 XG2-2019", "GB 2760-2014/XG1-2017/XG2-2019"),
    ],
)
def test_full_width_ideographic_and_stray_spaces(printed, canonical):
    assert ok(printed).canonical == canonical


def test_spaced_forms_are_found_in_lines_of_text():
    """A validity check reads identifiers out of free text: the spaced forms above are found
    whole there too, and check against the same standard."""
    found = identifiers_in("DB 44/T 1234—2020 广东地方标准；GB 4706.1-2005 XG1-2006 家用电器")
    assert [parse(text).canonical for text in found] == [
        "DB44/T 1234-2020",
        "GB 4706.1-2005/XG1-2006",
    ]


# -- what is rejected -------------------------------------------------------------------------

REJECTED = [
    # edition versions
    ("GB 50016-2014(2010年版)", "older than the standard 'GB 50016-2014'"),
    ("GB 50016(2018年版)", "needs the dated standard"),
    ("ISO 9001:2015(2018年版)", "belongs to Chinese standards"),
    ("(2018年版)", "without a standard"),
    ("GB 50016-2014(2318年版)", "implausible year 2318"),
    # dual numbering
    ("GB/T 19001-2016/ISO", "cannot read the adopted standard 'ISO'"),
    ("GB/T 19001-2016/RFC 9110", "malformed"),
    ("GB/T 19001-2016/GB/T 19001-2008", "malformed"),
    # "GB/T 19001 2016" could be a number and a year: not guessed
    ("GB/T 19001 2016", "a space inside the number '19001 2016'"),
    # an adoption note must name an international or European standard
    ("GB/T 19001-2016 (GB/T 19001-2008, IDT)", "'GB/T 19001-2008' is not an international"),
    ("GB/T 19001-2016 (FOO 1:2015, IDT)", "cannot read the adopted standard 'FOO 1:2015'"),
    # only ISO's and IEC's language letters
    ("ISO 13485:2016(X)", "cannot read '(X)'"),
    ("GB/T 19001-2016(E)", "malformed"),
    # a modification sheet of an undated standard, after a space as after a slash
    ("GB 2760 XG1-2017", "needs the dated standard it modifies"),
    # look-alike series
    ("JJF/T 1059.1-2012", "'JJF' is printed without /T"),
    ("SJG/T 157-2024", "'SJG' is printed without /T"),
    ("DBJ/T 15/T-92-2021", "two /T marks"),
    ("DBJ 15", "malformed local engineering construction standard"),
    ("DG/TJ08", "malformed local engineering construction standard"),
]


@pytest.mark.parametrize(("text", "reason"), REJECTED)
def test_rejections_say_what_is_wrong(text, reason):
    r = parse(text)
    assert isinstance(r, Rejection) and reason in r.error, r


# -- renumbered in place ------------------------------------------------------------------------


def test_renumbered_in_place_shares_the_key():
    # GB 50011-2010 became GB/T 50011-2010 in 2024 (with its 2024 version), keeping its year
    mandatory = ok("GB 50011-2010(2016年版)")
    recommended = ok("GB/T 50011—2010（2024年版）")
    assert renumbering_key(mandatory) == renumbering_key(recommended) == "GB 50011-2010"
    assert renumbering_key("GB 50011-2010") == "GB 50011-2010"
    assert renumbering_key("GB/T 50011") == renumbering_key("GB 50011") == "GB 50011"
    assert "GB/T 50011-2010" in renumbering_alternates("GB 50011-2010")
    assert renumbering_alternates("GB/T 50011-2010(2024年版)") == [
        "GB 50011-2010",
        "GB/Z 50011-2010",
    ]
    # a different year is a different edition, not a renumbering
    assert renumbering_key("GB/T 50011-2024") != renumbering_key("GB 50011-2010")


@pytest.mark.parametrize(
    ("one", "other", "key"),
    [
        ("DB44/ 123-2010", "DB44/T 123-2010", "DB44/ 123-2010"),
        ("DBJ 15-92-2013", "DBJ/T 15-92-2013", "DBJ 15-92-2013"),
        ("DGJ 08-9-2013", "DG/TJ 08-9-2013", "DGJ 08-9-2013"),
        ("DGJ32/J 189-2015", "DGJ32/TJ 189-2015", "DGJ32/J 189-2015"),
        ("GBZ 188-2014", "GBZ/T 188-2014", "GBZ 188-2014"),
        ("YY 0505-2012", "YY/T 0505-2012", "YY 0505-2012"),
    ],
)
def test_renumbering_keys_of_other_series(one, other, key):
    assert renumbering_key(one) == renumbering_key(other) == key
    assert parse(other).canonical in renumbering_alternates(one)
    assert parse(one).canonical in renumbering_alternates(other)


def test_renumbering_key_outside_the_marked_series():
    assert renumbering_key("ISO 9001:2015") == "ISO 9001:2015"
    assert renumbering_key("JJF 1059.1-2012") == "JJF 1059.1-2012"
    assert renumbering_alternates("ISO 9001:2015") == []
    assert renumbering_key("not a standard") is None
    assert renumbering_alternates("not a standard") == []
    # different series never share a key
    assert renumbering_key("GBZ 2.1-2019") != renumbering_key("GB/Z 2.1-2019")
