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
]
ALPHABET = "0123456789 ./:-+()ABCDEHIKLMORSTVXZabdr—－：／　年"


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


FAMILIES = [
    (["ISO", "ISO/IEC", "ISO/TR", "IEC", "CISPR", "ISO/IEC/IEEE", "IEC TS"], _iso),
    (["GB", "GB/T", "GB/Z", "YY/T", "HJ", "DB44/T", "DB4403/T", "T/CECS", "Q/BYD", "JT/T"], _gb),
]


@SETTINGS
@given(
    st.integers(min_value=0, max_value=1),
    st.data(),
    numbers,
    parts,
    years,
    years,
    st.one_of(st.none(), st.integers(min_value=1, max_value=5)),
)
def test_work_is_stable_across_editions(fam, data, n, p, y1, y2, supp):
    prefixes, build = FAMILIES[fam]
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
def test_normalize_text_is_idempotent(text):
    from stdplus.identifiers import normalize_text

    once = normalize_text(text)
    assert normalize_text(once) == once
