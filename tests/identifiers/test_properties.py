"""Property tests: parse never raises, canonical forms are fixed points, work keys are stable."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from stdplus.identifiers import Identifier, Rejection, parse_uncached

# STDPLUS_HYPOTHESIS_EXAMPLES=20000 for a long hunt; the default keeps the suite quick.
SETTINGS = settings(
    max_examples=int(os.environ.get("STDPLUS_HYPOTHESIS_EXAMPLES", "400")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

PREFIXES = [
    "ISO",
    "ISO/IEC",
    "ISO/TR",
    "ISO/TS",
    "ISO/DIS",
    "ISO/IEC/IEEE",
    "IEC",
    "IEC TR",
    "CISPR",
    "IWA",
    "ITU-T",
    "ITU-R",
    "RFC",
    "STD",
    "BCP",
    "IEEE",
    "IEEE Std",
    "EN",
    "EN ISO",
    "BS EN ISO",
    "DIN EN",
    "JIS",
    "ASTM",
    "GB",
    "GB/T",
    "GB/Z",
    "GBT",
    "YY/T",
    "HJ",
    "JJF",
    "NB/SH/T",
    "DB44/T",
    "DB4403/T",
    "DB11/",
    "DB/T",
    "SZDB/Z",
    "T/CECS",
    "Q/BYD",
    "JCGM",
    "WD/ISO",
    "gb/t",
    "iso",
    "itu-t",
    # Chinese series that look alike, engineering construction and local construction series
    "GBZ",
    "GBZ/T",
    "GBJ",
    "JJG",
    "JGJ",
    "CJJ/T",
    "JTG",
    "JTG/T",
    "CECS",
    "DBJ",
    "DBJ/T",
    "DBJ50/T",
    "DG/TJ",
    "DGJ",
    "DGJ32/TJ",
    "SJG",
    "DB/T 29-",
    "DB13(J)/T",
    "GB∕T",
    "ＧＢ／Ｔ",
]
# Printed and pasted typography: look-alike slashes and dashes, full-width and ideographic
# forms, edition versions ("(2018年版)"), and the characters of dual numbering.
ALPHABET = (
    "0123456789 ./:-+()ABCDEHIKLMORSTVXZabdr—－：／　年版（）"
    "\u2215\u2044\u29f8\\\u2043\u2212\u2013０１２９ＧＢＴＩＳＯ"
)


def _assume_ok(r):
    assume(isinstance(r, Identifier))
    return r


@SETTINGS
@given(st.text())
@example("")
@example("\x00\x01")
@example("ISO " * 60)
def test_never_raises_on_any_text(text):
    r = parse_uncached(text)
    assert isinstance(r, (Identifier, Rejection))
    if isinstance(r, Rejection):
        assert r.error and r.input == text


identifier_like = st.builds(
    lambda p, sep, body: p + sep + body,
    st.sampled_from(PREFIXES),
    st.sampled_from(["", " ", "  ", "/", " / "]),
    st.text(alphabet=ALPHABET, max_size=30),
)


@SETTINGS
@given(identifier_like)
def test_never_raises_on_identifier_like_text(text):
    assert isinstance(parse_uncached(text), (Identifier, Rejection))


@SETTINGS
@given(identifier_like)
@example("ISO/IEC 13818-1:2007/COR3:2011")
@example("gbt19001")
@example("ITU-T O.150 (1996) Cor. 1 (05/2002)")
def test_canonical_is_idempotent(text):
    r = parse_uncached(text)
    if isinstance(r, Identifier):
        again = parse_uncached(r.canonical)
        assert isinstance(again, Identifier), (text, r.canonical, again)
        assert again.canonical == r.canonical
        assert again.work == r.work
        w = parse_uncached(r.work)
        assert isinstance(w, Identifier), (text, r.work, w)
        assert w.work == r.work
        e = parse_uncached(r.edition)
        assert isinstance(e, Identifier), (text, r.edition, e)


years = st.integers(min_value=1950, max_value=2030)
numbers = st.integers(min_value=1, max_value=99999)
parts = st.one_of(st.none(), st.integers(min_value=1, max_value=30))


def _iso(prefix, n, p, y, supp):
    text = f"{prefix} {n}" + (f"-{p}" if p else "") + f":{y}"
    return text + (f"/Amd {supp}:{y + 1}" if supp else "")


def _gb(prefix, n, p, y, supp):
    text = f"{prefix} {n}" + (f".{p}" if p else "") + f"-{y}"
    return text + (f"/XG{supp}-{y + 1}" if supp else "")


def _series(prefix, n, p, y, version):
    # Local construction series: the region number is part of the prefix, no XG sheets; an
    # edition version instead of the supplement.
    text = f"{prefix}{n}" + (f".{p}" if p else "") + f"-{y}"
    return text + (f"({y + version}年版)" if version else "")


FAMILIES = [
    (["ISO", "ISO/IEC", "ISO/TR", "IEC", "CISPR", "ISO/IEC/IEEE", "IEC TS"], _iso),
    (
        [
            "GB",
            "GB/T",
            "GB/Z",
            "YY/T",
            "HJ",
            "DB44/T",
            "DB4403/T",
            "T/CECS",
            "Q/BYD",
            "JT/T",
            "GBZ",
            "GBZ/T",
            "JGJ",
            "CJJ/T",
            "DB13(J)/T",
        ],
        _gb,
    ),
    (["DBJ 15-", "DBJ/T 15-", "DBJ/T 50-", "DG/TJ 08-", "DGJ 08-", "DGJ32/TJ ", "SJG "], _series),
]


def _series_work_is_stable(prefix, n, p, y1, y2, version):
    a = parse_uncached(_series(prefix, n, p, y1, None))
    b = parse_uncached(_series(prefix, n, p, y2, version))
    assert isinstance(a, Identifier) and isinstance(b, Identifier), (a, b)
    assert a.work == b.work and (a.year, b.year) == (y1, y2)
    assert b.version == (y2 + version if version else None)
    assert b.edition == _series(prefix, n, p, y2, None)
    assert a.region == b.region and a.level == b.level == "local"
    w = parse_uncached(a.work)
    assert isinstance(w, Identifier) and w.work == a.work and w.year is None


@SETTINGS
@given(
    st.integers(min_value=0, max_value=len(FAMILIES) - 1),
    st.data(),
    numbers,
    parts,
    years,
    years,
    st.one_of(st.none(), st.integers(min_value=1, max_value=5)),
)
def test_work_is_stable_across_editions(fam, data, n, p, y1, y2, supp):
    prefixes, build = FAMILIES[fam]
    if build is _series:
        return _series_work_is_stable(data.draw(st.sampled_from(prefixes)), n, p, y1, y2, supp)
    prefix = data.draw(st.sampled_from(prefixes))
    a = parse_uncached(build(prefix, n, p, y1, None))
    b = parse_uncached(build(prefix, n, p, y2, supp))
    assert isinstance(a, Identifier) and isinstance(b, Identifier), (a, b)
    assert a.work == b.work
    assert a.year == y1 and b.year == y2
    w = parse_uncached(a.work)
    assert isinstance(w, Identifier) and w.work == a.work and w.year is None
    assert b.edition == build(prefix, n, p, y2, None).replace(f"{prefix} ", f"{b.prefix} ", 1)


@SETTINGS
@given(st.sampled_from(["ITU-T H", "ITU-T X", "ITU-T G"]), numbers, st.integers(1, 12), years)
def test_itu_editions_share_the_work(series, n, month, year):
    a = parse_uncached(f"{series}.{n} ({month:02d}/{year})")
    b = parse_uncached(f"{series}.{n}")
    assert isinstance(a, Identifier) and isinstance(b, Identifier)
    assert a.work == b.work == b.canonical
    assert (a.month, a.year) == (month, year)


@SETTINGS
@given(st.one_of(st.text(), identifier_like))
@example("\x80- -0")  # spaces around a dash removed after the dash runs were joined
@example("\u5e74- \u2013 -1")  # "- - -" takes more than one pass
@example("0000\u5e74 ")  # a year in Chinese followed by a space
def test_normalize_text_is_idempotent(text):
    from stdplus.identifiers import normalize_text

    once = normalize_text(text)
    assert normalize_text(once) == once


# Typography: a Chinese identifier printed with look-alike characters reads as the clean one.
SLASH_LOOKALIKES = ["/", "\u2215", "\u2044", "\uff0f", "\u29f8", "\\"]
DASH_LOOKALIKES = [
    "-",
    "\u2014",
    "\u2013",
    "\u2212",
    "\uff0d",
    "\u2043",
    "\u2014\u2014",
    " \u2014 ",
]
SPACES = [" ", "\u3000", "\u00a0", "  ", "\u2009"]


def _fullwidth(text):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@SETTINGS
@given(
    st.sampled_from(["GB/T", "YY/T", "GB/Z", "GBZ/T", "DB44/T", "CJJ/T", "JGJ/T"]),
    numbers,
    parts,
    years,
    st.sampled_from(SLASH_LOOKALIKES),
    st.sampled_from(DASH_LOOKALIKES),
    st.sampled_from(SPACES),
    st.booleans(),
    st.integers(min_value=0, max_value=4),
    st.one_of(st.none(), st.integers(min_value=0, max_value=9)),
    st.sampled_from(["({v}年版)", "（{v}年版）", "({v}版)", " ({v}年版)"]),
)
def test_printed_typography_reads_as_the_clean_identifier(
    prefix, n, p, y, slash, dash, space, full, split_at, version, version_form
):
    clean = f"{prefix} {n}" + (f".{p}" if p else "") + f"-{y}"
    number = str(n)
    cut = min(split_at, len(number) - 1)
    stray = number[:cut] + " " + number[cut:] if cut > 0 else number  # PDF: "GB/T 1 9001-2016"
    printed = f"{prefix.replace('/', slash)}{space}{stray}" + (f".{p}" if p else "") + dash + str(y)
    if full:
        printed = _fullwidth(printed)
    if version is not None:
        clean += f"({y + version}年版)"
        printed += version_form.format(v=y + version)
    want = parse_uncached(clean)
    got = parse_uncached(printed)
    assert isinstance(want, Identifier), (clean, want)
    assert isinstance(got, Identifier), (printed, got)
    assert (got.canonical, got.work, got.version) == (want.canonical, want.work, want.version)
    assert want.canonical == clean


@SETTINGS
@given(
    st.sampled_from(["GB/T", "YY/T", "GB", "YY"]),
    numbers,
    years,
    st.sampled_from(["ISO", "ISO/IEC", "IEC", "ISO/TS"]),
    numbers,
    st.integers(min_value=1990, max_value=2030),
)
def test_dual_numbering_keeps_the_chinese_identifier(prefix, n, y, org, m, iy):
    r = parse_uncached(f"{prefix} {n}-{y}/{org} {m}:{iy}")
    assert isinstance(r, Identifier), r
    assert r.canonical == f"{prefix} {n}-{y}"
    assert r.adopted == f"{org} {m}:{iy}"
    again = parse_uncached(r.canonical)
    assert isinstance(again, Identifier) and again.adopted is None and again.work == r.work
