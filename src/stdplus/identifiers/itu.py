"""ITU-T and ITU-R Recommendations (and the other ITU documents in the catalogue)."""

from __future__ import annotations

import re

from .common import bare_or_malformed, check_month, check_year
from .model import Identifier, ParseError, Supplement

_HEAD = re.compile(r"ITU[- ]?(?P<sec>[TRD]) ?", re.IGNORECASE)
_NOISE = re.compile(r"(?:REC\.|REC|RECOMMENDATION) ?(?=[A-Z0-9])", re.IGNORECASE)
_T_SIMPLE = re.compile(
    r"(?P<ser>[A-Z]{1,3})\.(?P<num>\d+(?:\.\d+)*)(?: \((?P<mm>\d{1,2})/(?P<yy>\d{4})\))?$",
    re.IGNORECASE,
)
_R_SIMPLE = re.compile(r"(?P<ser>[A-Z]{1,3})\.(?P<num>\d+)(?:-(?P<rev>\d+))?$", re.IGNORECASE)
_ALLOWED = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .\-/:()\[\]+,]*$")
_NAMED = re.compile(r"[A-Z][A-Z.-]{0,11}(?: \(|$)")
_LOWER_V = re.compile(r" V\.(\d)")
_DATE = re.compile(r" ?\((?P<mm>\d{1,2})/(?P<yy>\d{4})\)$")
_SUPP = re.compile(
    r"^(?P<base>.+?) (?P<sup>(?:(?:Technical )?Cor|Amd|Add|Err|Corr)\. ?\d+"
    r"(?: (?:(?:Technical )?Cor|Amd|Add|Err|Corr)\. ?\d+)*)$",
    re.IGNORECASE,
)
_SUPP_ITEM = re.compile(r"(?:Technical )?(?P<k>Cor|Amd|Add|Err|Corr)\. ?(?P<n>\d+)", re.IGNORECASE)
_TRAIL = re.compile(r" \((?:V\d+|\d{4})\)$", re.IGNORECASE)
_BASE_YEAR = re.compile(r" \((?P<y>\d{4})\)$")
_KIND = {"COR": "Cor", "CORR": "Cor", "AMD": "Amd", "ADD": "Add", "ERR": "Err"}
_WORDS = re.compile(
    r"\b(suppl|amd|cor|add|err|annex|app|technical|series|bis|ter|attachment)\b", re.IGNORECASE
)
_WORD_CASE = {
    "suppl": "Suppl",
    "amd": "Amd",
    "cor": "Cor",
    "add": "Add",
    "err": "Err",
    "annex": "Annex",
    "app": "App",
    "technical": "Technical",
    "series": "series",
    "bis": "bis",
    "ter": "ter",
    "attachment": "attachment",
}


def _word(m: re.Match[str]) -> str:
    return _WORD_CASE[m.group(1).lower()]


def parse_itu(text: str, s: str, u: str) -> Identifier:
    h = _HEAD.match(s)
    if h is None:
        raise bare_or_malformed("ITU", s, s)
    body = "ITU-" + h.group("sec").upper()
    rest = s[h.end() :]
    while (n := _NOISE.match(rest)) is not None:
        rest = rest[n.end() :]
    if not rest:
        raise ParseError("bare_prefix", text=s)
    if body == "ITU-T":
        m = _T_SIMPLE.match(rest)
        if m:
            number = f"{m.group('ser').upper()}.{m.group('num')}"
            work = f"{body} {number}"
            month = check_month(m.group("mm"))
            year = check_year(m.group("yy"))
            canonical = work if month is None else f"{work} ({month:02d}/{year})"
            return _ident(text, canonical, work, canonical, body, number, year, month, ())
    elif body == "ITU-R":
        m = _R_SIMPLE.match(rest)
        if m:
            number = f"{m.group('ser').upper()}.{m.group('num')}"
            work = f"{body} {number}"
            rev = m.group("rev")
            canonical = work if rev is None else f"{work}-{int(rev)}"
            return _ident(text, canonical, work, canonical, body, number, None, None, ())
    return _fallback(text, s, body, rest)


def _fallback(text: str, s: str, body: str, rest: str) -> Identifier:
    """Other ITU documents: body + cleaned rest, with the date, base and supplements read."""
    if not _ALLOWED.match(rest):
        raise ParseError("malformed", family="ITU", text=s)
    if not any(c.isdigit() for c in rest) and not _NAMED.match(rest):
        raise ParseError("bare_prefix_followed", body=body, rest=rest)
    if rest.islower():
        # All lower case (typed, not copied): restore ITU's capitals, keep its lower-case words.
        rest = _LOWER_V.sub(r" v.\1", rest.upper())
    rest = _WORDS.sub(_word, rest)
    month = year = None
    d = _DATE.search(rest)
    core = rest
    if d is not None:
        month = check_month(d.group("mm"))
        year = check_year(d.group("yy"))
        core = rest[: d.start()]
        rest = f"{core} ({month:02d}/{year})"
    supps: tuple[Supplement, ...] = ()
    base = core
    sm = _SUPP.match(core)
    if sm is not None:
        base = sm.group("base")
        items = _SUPP_ITEM.findall(sm.group("sup"))
        supps = tuple(
            Supplement(_KIND[k.upper()], int(n), year if i == len(items) - 1 else None)
            for i, (k, n) in enumerate(items)
        )
    edition_base = base
    if year is None and (by := _BASE_YEAR.search(base)) is not None:
        year = check_year(by.group("y"))
    elif (by := _BASE_YEAR.search(base)) is not None:
        check_year(by.group("y"))
    while (t := _TRAIL.search(base)) is not None:
        base = base[: t.start()]
    if not base:
        raise ParseError("malformed", family="ITU", text=s)
    work = f"{body} {base}"
    canonical = f"{body} {rest}"
    edition = f"{body} {edition_base}" if supps else canonical
    return _ident(text, canonical, work, edition, body, base, year, month, supps)


def _ident(text, canonical, work, edition, body, number, year, month, supps) -> Identifier:
    return Identifier(
        input=text,
        canonical=canonical,
        work=work,
        edition=edition,
        level="international",
        body=body,
        prefix=body,
        doctype=None,
        stage=None,
        number=number,
        part=None,
        year=year,
        month=month,
        supplements=supps,
    )
