"""Chinese national (GB), industry, local (DB), group (T/) and enterprise (Q/) standards, and
the engineering construction series that do not follow the DB pattern (DBJ, DGJ, DG/TJ, SJG)."""

from __future__ import annotations

import re

from .common import bare_or_malformed, check_year, two_digit_year
from .model import Identifier, ParseError, Supplement
from .prefixes import (
    INDUSTRY_SECTORS,
    LOCAL_REGIONS,
    LOCAL_SPECIAL,
    NATIONAL_CODES,
    NO_MANDATE_CODES,
)

_MANDATE = {None: "mandatory", "T": "recommended", "Z": "guidance"}
_YEAR = r"(?:-(?P<year>\d{4}|\d{2}))?"
# A modification sheet after its standard: "/XG1-2017", or after a space as lists print it
# ("GB 4706.1-2005 XG1-2006").
_XG_TAIL = r"(?P<xg>(?:(?: ?/ ?| )XG\d+(?:-\d{4}|-\d{2})?)*)$"
_TAIL = r"(?P<num>\d+)(?P<part>(?:\.\d+)*)" + _YEAR + _XG_TAIL
# National, industry and local numbers as PDFs print them: a stray space inside the number
# ("GB/T 1 9001-2016"), around the dot of a part ("GB/T 16886. 1-2022") or inside the part.
_TAIL_LOOSE = r"(?P<num>\d+(?: \d+)*)(?P<part>(?: ?\. ?\d+(?: \d+)*)*)" + _YEAR + _XG_TAIL
_GENERIC = re.compile(
    r"(?P<code>[A-Z]{1,4}(?:/[A-Z]{2})?)(?:(?: ?/ ?| )?(?P<m>[TZ]))?(?=[ \d]) ?" + _TAIL_LOOSE
)
# Hebei prints its engineering construction standards DB13(J)/T 8422-2021.
# "DB 44/T 1234-2020": a space typed between DB and the region code (Tianjin's "DB 29-205-2024"
# has a hyphen, not a slash, after it).
_LOCAL_SPACED = re.compile(r"DB (?=(?:\d{6}|\d{4}|\d{2})(?:\(J\))?/)")
_LOCAL = re.compile(r"DB(?P<reg>\d{6}|\d{4}|\d{2})(?P<j>\(J\))?(?:/(?P<m>[TZ])?)? ?" + _TAIL_LOOSE)
_GROUP_SP = re.compile(r"T/(?P<g>[A-Z0-9][A-Z0-9-]*) " + _TAIL)
_GROUP_NS = re.compile(r"T/(?P<g>[A-Z][A-Z-]*)" + _TAIL)
_ENT = re.compile(r"Q/(?P<code>[A-Z0-9][A-Z0-9 .-]*?) ?" + _TAIL)
_XG = re.compile(r"XG(?P<n>\d+)(?:-(?P<y>\d{4}|\d{2}))?")
_ALL_PARTS = " (ALL PARTS)"
_KNOWN_CODES = frozenset(NATIONAL_CODES) | frozenset(INDUSTRY_SECTORS) | frozenset(LOCAL_SPECIAL)

# Local engineering construction series: series code, region or series number, number, year.
_SERIES_NUMBER = r"(?P<num>\d+)(?P<part>(?:\.\d+)*)(?:-(?P<year>\d{4}|\d{2}))?$"
_DBJ = re.compile(r"DBJ(?P<m1>/?T)? ?(?P<reg>\d{2})(?:(?P<m2>/T) ?-?|-| )" + _SERIES_NUMBER)
_DGJ = re.compile(r"DG(?P<t>/?T)?J ?(?P<reg>\d{2})(?:/(?P<m>T?J) ?-?|-| )" + _SERIES_NUMBER)
_TIANJIN = re.compile(r"DB(?P<m>/T)? ?29-" + _SERIES_NUMBER)
# Older association standards of the China Association for Engineering Construction
# Standardization, year after a colon (CECS 28:2012); newer ones are group standards T/CECS.
_CECS = re.compile(r"CECS ?(?P<num>\d+)(?P<part>(?:\.\d+)*)(?:[:-](?P<year>\d{4}|\d{2}))?$")
# Highway engineering codes with a letter series: JTG D60-2015, JTG F80/1-2017, JTG/T D31-02-2013.
_JT_LETTER = re.compile(
    r"(?P<code>JTG|JTJ)(?:/(?P<m>T))? ?(?P<num>[A-H]\d{2})(?:(?P<psep>[/-])(?P<part>\d{1,2}))?"
    r"(?:-(?P<year>\d{4}))?$"
)


def _year(y: str | None) -> int | None:
    if y is None:
        return None
    if len(y) == 2:
        return two_digit_year(y)
    return check_year(y)


def _tail(m: re.Match[str]) -> tuple[str, str, str | None, int | None, tuple[Supplement, ...], str]:
    num = m.group("num")
    ptxt = m.group("part")
    year = _year(m.group("year"))
    if " " in num or " " in ptxt:
        if year is None:
            raise ParseError("space_in_number", number=f"{num}{ptxt}")
        num, ptxt = num.replace(" ", ""), ptxt.replace(" ", "")
    supps = []
    txt = ""
    for x in _XG.finditer(m.group("xg")):
        y = _year(x.group("y"))
        n = int(x.group("n"))
        supps.append(Supplement("XG", n, y))
        txt += f"/XG{n}" + (f"-{y}" if y else "")
    if supps and year is None:
        raise ParseError("modification_needs_date")
    return num, num + ptxt, (ptxt[1:] or None), year, tuple(supps), txt


def _dated(
    text: str,
    work: str,
    year: int | None,
    *,
    prefix: str,
    body: str,
    level: str,
    number: str,
    part: str | None,
    mandate: str | None = None,
    year_sep: str = "-",
    supplements: tuple[Supplement, ...] = (),
    supplement_text: str = "",
) -> Identifier:
    """The Identifier of a Chinese work and its year (every Chinese grammar ends here)."""
    edition = work + (f"{year_sep}{year}" if year else "")
    return Identifier(
        input=text,
        canonical=edition + supplement_text,
        work=work,
        edition=edition,
        level=level,
        body=body,
        prefix=prefix,
        doctype=None,
        stage=None,
        number=number,
        part=part,
        year=year,
        supplements=supplements,
        mandate=mandate,
    )


def _build(
    text: str,
    prefix: str,
    body: str,
    level: str,
    mandate: str | None,
    m: re.Match[str],
    all_parts: bool = False,
) -> Identifier:
    number, numtext, part, year, supps, xg = _tail(m)
    if all_parts and (year or supps):
        raise ParseError("all_parts_no_year")
    return _dated(
        text,
        f"{prefix} {numtext}",
        year,
        prefix=prefix,
        body=body,
        level=level,
        number=number,
        part=part,
        mandate=mandate,
        supplements=supps,
        supplement_text=xg,
    )


def _strip_all_parts(u: str) -> tuple[str, bool]:
    if u.endswith(_ALL_PARTS):
        return u[: -len(_ALL_PARTS)], True
    if u.endswith("(ALL PARTS)"):
        return u[: -len("(ALL PARTS)")], True
    return u, False


def parse_cn(text: str, s: str, u: str) -> Identifier:
    """GB, GB/T, GB/Z, GBZ, GBJ and industry codes (YY/T, HJ, JJF, NB/SH/T, DB/T seismic), SZDB,
    SJG."""
    u, all_parts = _strip_all_parts(u)
    m = _GENERIC.match(u)
    if m is None:
        if u.startswith("JT") and (j := _JT_LETTER.match(u)):
            return _highway(text, j)
        raise bare_or_malformed("Chinese standard", s, u)
    code = m.group("code")
    mark = m.group("m")
    if mark is None and code not in _KNOWN_CODES and code[-1] in "TZ" and code[:-1] in _KNOWN_CODES:
        # GBT 19001, YYT 0287, GBZT 189: the slash was dropped
        code, mark = code[:-1], code[-1]
    if code in NATIONAL_CODES:
        level, body = "national", code
    elif code in LOCAL_SPECIAL:
        level, body = "local", code
    elif all(c in INDUSTRY_SECTORS for c in code.split("/")):
        level, body = "industry", code
    else:
        raise ParseError("unknown_chinese_prefix", prefix=code, text=s)
    prefix = code + (f"/{mark}" if mark else "")
    if code in NO_MANDATE_CODES:
        if mark:
            raise ParseError("printed_without_mark", code=code, mark=mark)
        mandate = None
    else:
        mandate = _MANDATE[mark]
    return _build(text, prefix, body, level, mandate, m, all_parts)


def _highway(text: str, m: re.Match[str]) -> Identifier:
    """JTG D60-2015: highway engineering codes whose number starts with a letter series."""
    code, mark = m.group("code"), m.group("m")
    prefix = code + (f"/{mark}" if mark else "")
    number = m.group("num")
    part = m.group("part")
    numtext = number + (m.group("psep") + part if part else "")
    return _dated(
        text,
        f"{prefix} {numtext}",
        check_year(m.group("year")),
        prefix=prefix,
        body=code,
        level="industry",
        number=number,
        part=part,
        mandate=_MANDATE[mark],
    )


def _series_build(
    text: str, m: re.Match[str], prefix: str, work_prefix: str, body: str, mandate: str
) -> Identifier:
    number = m.group("num")
    return _dated(
        text,
        f"{work_prefix}{number}{m.group('part')}",
        _year(m.group("year")),
        prefix=prefix,
        body=body,
        level="local",
        number=number,
        part=m.group("part")[1:] or None,
        mandate=mandate,
    )


def parse_dbj(text: str, s: str, u: str) -> Identifier:
    """Local engineering construction standards DBJ: DBJ 15-92-2013, DBJ/T 15-101-2014 (Guangdong),
    DBJ50/T-047-2024 (Chongqing), DBJ33/T 1318-2024 (Zhejiang), all printed DBJ[/T] nn-number-year.
    """
    m = _DBJ.match(u)
    if m is None:
        raise bare_or_malformed("local engineering construction standard", s, u[3:])
    if m.group("m1") and m.group("m2"):
        raise ParseError("two_t_marks", text=s)
    mark = "T" if (m.group("m1") or m.group("m2")) else None
    reg = m.group("reg")
    prefix = "DBJ/T" if mark else "DBJ"
    return _series_build(text, m, prefix, f"{prefix} {reg}-", f"DBJ{reg}", _MANDATE[mark])


def parse_dgj(text: str, s: str, u: str) -> Identifier:
    """Shanghai DGJ 08-9-2013 (mandatory) and DG/TJ 08-2029-2021 (recommended); Jiangsu
    DGJ32/J 189-2015 (mandatory) and DGJ32/TJ 186-2015 (recommended)."""
    m = _DGJ.match(u)
    if m is None:
        raise bare_or_malformed("local engineering construction standard", s, u[3:])
    reg = m.group("reg")
    after = m.group("m")
    if after:
        if m.group("t"):
            raise ParseError("two_t_marks", text=s)
        prefix = f"DGJ{reg}/{after}"
        mandate = _MANDATE["T" if after == "TJ" else None]
        return _series_build(text, m, prefix, f"{prefix} ", f"DGJ{reg}", mandate)
    prefix = "DG/TJ" if m.group("t") else "DGJ"
    mandate = _MANDATE["T" if m.group("t") else None]
    return _series_build(text, m, prefix, f"{prefix} {reg}-", f"DGJ{reg}", mandate)


def _tianjin(text: str, m: re.Match[str]) -> Identifier:
    """Tianjin's engineering construction standards DB 29-205-2024 and DB/T 29-272-2019."""
    mark = "T" if m.group("m") else None
    prefix = "DB/T" if mark else "DB"
    return _series_build(text, m, prefix, f"{prefix} 29-", "DB29", _MANDATE[mark])


def parse_cecs(text: str, s: str, u: str) -> Identifier:
    m = _CECS.match(u)
    if m is None:
        raise bare_or_malformed("CECS association standard", s, u[4:])
    number = m.group("num")
    return _dated(
        text,
        f"CECS {number}{m.group('part')}",
        _year(m.group("year")),
        prefix="CECS",
        body="CECS",
        level="group",
        number=number,
        part=m.group("part")[1:] or None,
        year_sep=":",
    )


def parse_local(text: str, s: str, u: str) -> Identifier:
    """DB + province (2 digits) or city (4 or 6 digits) code; DB/T alone is seismic industry;
    DB 29- and DB/T 29- are Tianjin's engineering construction standards."""
    t = _TIANJIN.match(u) if "29-" in u[:9] else None
    if t and (t.group("year") or len(t.group("num")) < 4):  # DB/T 29-2008 would be seismic
        return _tianjin(text, t)
    u = _LOCAL_SPACED.sub("DB", u, count=1) if u.startswith("DB ") else u
    if not (len(u) > 2 and u[2].isdigit()):
        return parse_cn(text, s, u)
    u, all_parts = _strip_all_parts(u)
    m = _LOCAL.match(u)
    if m is None:
        raise bare_or_malformed("local standard", s, u[4:])
    reg = m.group("reg")
    if reg[:2] not in LOCAL_REGIONS:
        raise ParseError("unknown_province", code=reg[:2], text=s)
    mark = m.group("m")
    j = "(J)" if m.group("j") else ""
    prefix = f"DB{reg}{j}/{mark}" if mark else f"DB{reg}{j}/"
    return _build(text, prefix, f"DB{reg}", "local", _MANDATE[mark], m, all_parts)


def parse_group(text: str, s: str, u: str) -> Identifier:
    if not u.startswith("T/"):
        raise ParseError("unknown_body", body="T", text=s)
    m = _GROUP_SP.match(u) or _GROUP_NS.match(u)
    if m is None:
        raise bare_or_malformed("group standard", s, u[2:])
    body = "T/" + m.group("g")
    return _build(text, body, body, "group", None, m)


def parse_enterprise(text: str, s: str, u: str) -> Identifier:
    if not u.startswith("Q/"):
        raise ParseError("unknown_body", body="Q", text=s)
    m = _ENT.match(u)
    if m is None:
        raise bare_or_malformed("enterprise standard", s, u[2:])
    body = "Q/" + m.group("code").strip()
    return _build(text, body, body, "enterprise", None, m)
