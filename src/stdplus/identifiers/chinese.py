"""Chinese national (GB), industry, local (DB), group (T/) and enterprise (Q/) standards."""

from __future__ import annotations

import re

from .common import bare_or_malformed, check_year, two_digit_year
from .model import Identifier, ParseError, Supplement
from .prefixes import INDUSTRY_SECTORS, LOCAL_REGIONS, LOCAL_SPECIAL, NO_MANDATE_CODES

_MANDATE = {None: "mandatory", "T": "recommended", "Z": "guidance"}
_TAIL = (
    r"(?P<num>\d+)(?P<part>(?:\.\d+)*)(?:-(?P<year>\d{4}|\d{2}))?"
    r"(?P<xg>(?:/XG\d+(?:-\d{4}|-\d{2})?)*)$"
)
_GENERIC = re.compile(
    r"(?P<code>[A-Z]{1,4}(?:/[A-Z]{2})?)(?:(?: ?/ ?| )?(?P<m>[TZ]))?(?=[ \d]) ?" + _TAIL
)
_LOCAL = re.compile(r"DB(?P<reg>\d{6}|\d{4}|\d{2})(?:/(?P<m>[TZ])?)? ?" + _TAIL)
_GROUP_SP = re.compile(r"T/(?P<g>[A-Z0-9][A-Z0-9-]*) " + _TAIL)
_GROUP_NS = re.compile(r"T/(?P<g>[A-Z][A-Z-]*)" + _TAIL)
_ENT = re.compile(r"Q/(?P<code>[A-Z0-9][A-Z0-9 .-]*?) ?" + _TAIL)
_XG = re.compile(r"/XG(?P<n>\d+)(?:-(?P<y>\d{4}|\d{2}))?")
_ALL_PARTS = " (ALL PARTS)"


def _year(y: str | None) -> int | None:
    if y is None:
        return None
    if len(y) == 2:
        return two_digit_year(y)
    return check_year(y)


def _tail(m: re.Match[str]) -> tuple[str, str | None, int | None, tuple[Supplement, ...], str]:
    num = m.group("num")
    ptxt = m.group("part")
    year = _year(m.group("year"))
    supps = []
    txt = ""
    for x in _XG.finditer(m.group("xg")):
        y = _year(x.group("y"))
        n = int(x.group("n"))
        supps.append(Supplement("XG", n, y))
        txt += f"/XG{n}" + (f"-{y}" if y else "")
    if supps and year is None:
        raise ParseError("a modification sheet (XG) needs the dated standard it modifies")
    return num + ptxt, (ptxt[1:] or None), year, tuple(supps), txt


def _build(text, prefix, body, level, mandate, m, all_parts=False) -> Identifier:
    numtext, part, year, supps, xg = _tail(m)
    if all_parts and (year or supps):
        raise ParseError("'(all parts)' refers to the whole work and takes no year")
    work = f"{prefix} {numtext}"
    edition = work + (f"-{year}" if year else "")
    return Identifier(
        input=text,
        canonical=edition + xg,
        work=work,
        edition=edition,
        level=level,
        body=body,
        prefix=prefix,
        doctype=None,
        stage=None,
        number=m.group("num"),
        part=part,
        year=year,
        supplements=supps,
        mandate=mandate,
    )


def _strip_all_parts(u: str) -> tuple[str, bool]:
    if u.endswith(_ALL_PARTS):
        return u[: -len(_ALL_PARTS)], True
    if u.endswith("(ALL PARTS)"):
        return u[: -len("(ALL PARTS)")], True
    return u, False


def parse_cn(text: str, s: str, u: str) -> Identifier:
    """GB, GB/T, GB/Z and industry codes (YY/T, HJ, JJF, NB/SH/T, DB/T seismic), SZDB."""
    u, all_parts = _strip_all_parts(u)
    m = _GENERIC.match(u)
    if m is None:
        raise bare_or_malformed("Chinese standard", s, u)
    code = m.group("code")
    mark = m.group("m")
    if (
        mark is None
        and code not in INDUSTRY_SECTORS
        and code != "GB"
        and code not in LOCAL_SPECIAL
        and code[-1] in "TZ"
        and (code[:-1] == "GB" or code[:-1] in INDUSTRY_SECTORS)
    ):
        # GBT 19001, YYT 0287: the slash was dropped
        code, mark = code[:-1], code[-1]
    if code == "GB":
        level, body = "national", "GB"
    elif code in LOCAL_SPECIAL:
        level, body = "local", code
    elif all(c in INDUSTRY_SECTORS for c in code.split("/")):
        level, body = "industry", code
    else:
        raise ParseError(f"unknown Chinese standard prefix '{code}' in '{s}'")
    prefix = code + (f"/{mark}" if mark else "")
    if code in NO_MANDATE_CODES:
        if mark:
            raise ParseError(f"'{code}' is printed without /{mark}")
        mandate = None
    else:
        mandate = _MANDATE[mark]
    return _build(text, prefix, body, level, mandate, m, all_parts)


def parse_local(text: str, s: str, u: str) -> Identifier:
    """DB + province (2 digits) or city (4 or 6 digits) code; DB/T alone is seismic industry."""
    if not (len(u) > 2 and u[2].isdigit()):
        return parse_cn(text, s, u)
    u, all_parts = _strip_all_parts(u)
    m = _LOCAL.match(u)
    if m is None:
        raise bare_or_malformed("local standard", s, u[4:])
    reg = m.group("reg")
    if reg[:2] not in LOCAL_REGIONS:
        raise ParseError(f"unknown province code '{reg[:2]}' in local standard '{s}'")
    mark = m.group("m")
    prefix = f"DB{reg}/{mark}" if mark else f"DB{reg}/"
    return _build(text, prefix, f"DB{reg}", "local", _MANDATE[mark], m, all_parts)


def parse_group(text: str, s: str, u: str) -> Identifier:
    if not u.startswith("T/"):
        raise ParseError(f"unknown standards body 'T' in '{s}'")
    m = _GROUP_SP.match(u) or _GROUP_NS.match(u)
    if m is None:
        raise bare_or_malformed("group standard", s, u[2:])
    body = "T/" + m.group("g")
    return _build(text, body, body, "group", None, m)


def parse_enterprise(text: str, s: str, u: str) -> Identifier:
    if not u.startswith("Q/"):
        raise ParseError(f"unknown standards body 'Q' in '{s}'")
    m = _ENT.match(u)
    if m is None:
        raise bare_or_malformed("enterprise standard", s, u[2:])
    body = "Q/" + m.group("code").strip()
    return _build(text, body, body, "enterprise", None, m)
