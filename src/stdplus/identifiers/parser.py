"""Entry point: screening, dispatch by the leading letters, and the cache."""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from .chinese import (
    parse_cecs,
    parse_cn,
    parse_dbj,
    parse_dgj,
    parse_enterprise,
    parse_group,
    parse_local,
)
from .common import check_year
from .isoiec import parse_iso
from .itu import parse_itu
from .model import Identifier, ParseError, Rejection
from .normalize import normalize_text
from .prefixes import FOREIGN_BODIES, INDUSTRY_SECTORS, LOCAL_SPECIAL, NATIONAL_CODES
from .sdo import parse_foreign, parse_ieee, parse_ietf, parse_regional

MAX_LENGTH = 200

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_ALLOWED = re.compile(r"[A-Za-z0-9 ./:\-+()\[\],&]+$")
_LEAD = re.compile(r"[A-Z]+")
_SQL = re.compile(r"[;'\"=`]|--|/\*|\*/")
_MARKUP = re.compile(r"[<>]|&[a-z]+;|&#", re.IGNORECASE)
_IWA_DRAFT = re.compile(r"(?:CD|DIS|FDIS|WD|AWI|NP|PWI) IWA\b")
# An edition version after a partial revision, printed after the year: "(2018年版)", also
# "（2018年版）", "(2015版)", "(2018年修订版)" (brackets are half-width after normalisation).
_VERSION = re.compile(r" ?\((?P<v>\d{4}) ?年? ?(?:修订)?版\)$")
# Dual numbering: the adopted international or European standard after a slash that follows the
# Chinese standard's number ("GB/T 19001-2016/ISO 9001:2015", as printed on covers).
_ADOPTION = re.compile(r"(?<=\d)/(?=(?:ISO|IEC|CISPR|IWA|ITU|IEEE|EN|CEN|CLC|CWA)(?![A-Z]))")
# The same adoption as catalogues and forewords print it, with its degree of correspondence:
# after the number in brackets, "GB/T 19001-2016 (ISO 9001:2015, IDT)", or before the adopted
# standard, as standards before 2001 printed it, "GB/T 19001-2000 idt ISO 9001:2000". Only an
# identical adoption (IDT) carries the dual number (GB/T 1.1); a modified or non-equivalent one
# (MOD, NEQ, the older EQV) is read and checked, and the identifier is the Chinese standard's.
_DEGREES = ("IDT", "MOD", "NEQ", "EQV")
_DEGREE = "|".join(_DEGREES)
_ADOPTION_NOTE = re.compile(
    rf"(?<=\d) ?(?:\((?P<a1>[A-Z][^()]*?) ?, ?(?P<d1>{_DEGREE}) ?\)"
    rf"|(?P<d2>{_DEGREE}) (?P<a2>[A-Z].*))$",
    re.IGNORECASE,
)
# The degree after a dual number's adopted standard: "YY/T 0316-2016/ISO 14971:2007, IDT".
_DEGREE_AFTER = re.compile(rf" ?, ?(?P<d>{_DEGREE})$", re.IGNORECASE)
# The language of an ISO or IEC document printed after its reference number, as on its cover:
# "ISO 13485:2016(E)", "(F)", "(R)", "(E/F)". The identifier is the same in every language.
_LANGUAGE = re.compile(r" ?\((?:[EFR])(?:/[EFR])*\)$")
_CHINESE_LEVELS = frozenset({"national", "industry", "local", "group", "enterprise"})
_ADOPTED_LEVELS = frozenset({"international", "regional"})


def _foreign(text: str, s: str, u: str) -> Identifier:
    return parse_foreign(text, s, u, _delegate)


def _sn(text: str, s: str, u: str) -> Identifier:
    # SN/T 1234-2010 is a Chinese entry-exit inspection standard; SN EN ... is Swiss.
    if u.startswith(("SN/", "SNT", "SNZ")) or (len(u) > 3 and u[2] == " " and u[3].isdigit()):
        return parse_cn(text, s, u)
    return _foreign(text, s, u)


# "Recommendation ITU-T X.509", "Rec. ITU-R BT.709-6": the word before the sector, as ITU prints
# its own titles (after it, "ITU-T Rec. X.509", `itu._NOISE` takes it).
_RECOMMENDATION = re.compile(r"(?:RECOMMENDATION|REC\.?) ?(?=ITU)")


def _recommendation(text: str, s: str, u: str) -> Identifier:
    lead = _RECOMMENDATION.match(u)
    if lead is None:
        raise ParseError("unknown_body", body=u.split(" ")[0].split("/")[0], text=s)
    return parse_itu(text, s[lead.end() :], u[lead.end() :])


def _cd(text: str, s: str, u: str) -> Identifier:
    if _IWA_DRAFT.match(u):
        return parse_iso(text, s, u)
    raise ParseError("unknown_body", body=u.split(" ")[0].split("/")[0], text=s)


_DISPATCH = {
    "ISO": parse_iso,
    "IEC": parse_iso,
    "CISPR": parse_iso,
    "IWA": parse_iso,
    "ITU": parse_itu,
    "ITUT": parse_itu,
    "ITUR": parse_itu,
    "IETF": parse_ietf,
    "IEEE": parse_ieee,
    "EN": parse_regional,
    "CEN": parse_regional,
    "CLC": parse_regional,
    "CENELEC": parse_regional,
    "CWA": parse_regional,
    "GB": parse_cn,
    "GBT": parse_cn,
    "GBZ": parse_cn,
    "DB": parse_local,
    "DBT": parse_cn,
    "T": parse_group,
    "Q": parse_enterprise,
    "DBJ": parse_dbj,
    "DBJT": parse_dbj,
    "DG": parse_dgj,
    "DGJ": parse_dgj,
    "DGTJ": parse_dgj,
    "CECS": parse_cecs,
}
for _k in ("RFC", "STD", "BCP", "FYI", "RTR", "NIC", "IEN"):
    _DISPATCH[_k] = parse_ietf
for _k in ("CD", "DIS", "FDIS", "WD", "AWI", "NP", "PWI"):
    _DISPATCH[_k] = _cd
for _k in FOREIGN_BODIES:
    _DISPATCH.setdefault(_k, _foreign)
for _k in list(INDUSTRY_SECTORS) + list(LOCAL_SPECIAL) + list(NATIONAL_CODES):
    if _k in ("DB",):
        continue
    _DISPATCH[_k] = parse_cn
    _DISPATCH.setdefault(_k + "T", parse_cn)
    _DISPATCH.setdefault(_k + "Z", parse_cn)
_DISPATCH["SN"] = _sn
_DISPATCH.setdefault("RECOMMENDATION", _recommendation)
_DISPATCH.setdefault("REC", _recommendation)
_DISPATCH["SNT"] = parse_cn
# Grammars of Chinese identifiers (which may carry an edition version or an adopted standard).
_CHINESE = frozenset(
    {parse_cn, parse_local, parse_group, parse_enterprise, parse_dbj, parse_dgj, parse_cecs, _sn}
)


def _delegate(text: str, s: str, u: str) -> Identifier:
    """Parse the adopted identifier inside a foreign one (BS EN ISO 9001:2015)."""
    lead = _LEAD.match(u)
    fn = _DISPATCH.get(lead.group(0)) if lead else None
    if fn not in (parse_iso, parse_regional):
        raise ParseError("malformed_adopted", text=s)
    return fn(text, s, u)


def _screen(text: str) -> tuple[str, int | None]:
    """Return the normalised text and the edition version printed after it ("(2018年版)"),
    or raise ParseError for text that is no identifier."""
    if len(text) > MAX_LENGTH:
        raise ParseError("too_long", length=len(text), limit=MAX_LENGTH)
    if _CONTROL.search(text):
        raise ParseError("control_characters")
    s = normalize_text(text)
    if not s:
        raise ParseError("empty")
    if _ALLOWED.match(s):
        if _SQL.search(s):
            raise ParseError("sql")
        return s, None
    if s[-2:] == "版)" and (v := _VERSION.search(s)):
        rest, version = _screen(s[: v.start()]) if v.start() else ("", None)
        if not rest or version is not None:
            raise ParseError("version_without_standard", version=v.group(0).strip())
        return rest, int(v.group("v"))
    if _MARKUP.search(s):
        raise ParseError("markup")
    if _SQL.search(s):
        raise ParseError("sql")
    if not s[:1].isascii() or not s[:1].isalnum():
        if s[:1].isascii():
            raise ParseError("no_prefix_start", text=s)
        raise ParseError("no_known_prefix", text=s)
    bad = "".join(sorted({c for c in s if not _ALLOWED.match(c)}))
    raise ParseError("bad_characters", characters=bad)


def _parse(text: str) -> Identifier:
    s, version = _screen(text)
    u = s.upper()
    lead = _LEAD.match(u)
    if lead is None:
        if s[0].isdigit():
            raise ParseError("bare_number", text=s)
        raise ParseError("no_prefix_start", text=s)
    fn = _DISPATCH.get(lead.group(0))
    if fn is None and lead.group(0).startswith(("ISO", "IEC", "CISPR")):
        fn = parse_iso  # a missing space: "ISOGuide 80:2014", "IECTR 60083"
    if fn is None:
        if not any(c.isdigit() for c in s):
            raise ParseError("no_known_prefix", text=s)
        head = u.split(" ")[0].split("/")[0].rstrip("0123456789.:-")
        raise ParseError("unknown_body", body=head or lead.group(0), text=s)
    adopted = None
    # (A note ends in a bracket or has its degree before a word: read only then, as the
    # slash of a dual number is; most identifiers have neither.)
    noted = u.endswith(")") or any(degree + " " in u for degree in _DEGREES)
    if fn in _CHINESE and noted and (note := _ADOPTION_NOTE.search(s)):
        adopted = _adoption(
            note.group("a1") or note.group("a2"), note.group("d1") or note.group("d2")
        )
        s, u = s[: note.start()], u[: note.start()]
    elif fn in _CHINESE and ("/I" in u or "/E" in u or "/C" in u) and (a := _ADOPTION.search(u)):
        named_text, degree = s[a.end() :], "IDT"
        if (after := _DEGREE_AFTER.search(named_text)) is not None:  # ".../ISO 14971:2007,IDT"
            named_text, degree = named_text[: after.start()], after.group("d")
        adopted = _adoption(named_text, degree)
        s, u = s[: a.start()], u[: a.start()]
    elif fn is parse_iso and u.endswith(")") and (language := _LANGUAGE.search(u)):
        s, u = s[: language.start()], u[: language.start()]
    result = fn(text, s, u)
    if version is not None or adopted is not None:
        return _with_version_and_adoption(result, version, adopted)
    return result


def _adopted(text: str) -> Identifier:
    """The adopted standard of a dual number: an international or European identifier."""
    try:
        adopted = _parse(text)
    except ParseError as e:
        raise ParseError("adopted_unreadable", text=text, reason=e.as_reason()) from e
    if adopted.level not in _ADOPTED_LEVELS:
        raise ParseError("adopted_not_international", text=text)
    return adopted


def _adoption(text: str, degree: str) -> Identifier | None:
    """The standard an adoption names, read and checked (`_adopted`), kept as the dual number
    for an identical adoption only (GB/T 1.1); None for MOD, NEQ and EQV."""
    named = _adopted(text)
    return named if degree.upper() == "IDT" else None


def _with_version_and_adoption(
    result: Identifier, version: int | None, adopted: Identifier | None
) -> Identifier:
    if result.level not in _CHINESE_LEVELS:
        if version:
            raise ParseError("version_not_chinese", version=version, standard=str(result))
        raise ParseError("dual_numbering_not_chinese", standard=str(result))
    canonical = result.canonical
    if version is not None:
        check_year(version)
        if result.year is None:
            raise ParseError("version_needs_date", version=version)
        if version < result.year:
            raise ParseError("version_older", version=version, standard=result.edition)
        canonical += f"({version}年版)"
    return dataclasses.replace(
        result,
        canonical=canonical,
        version=version,
        adopted=adopted.canonical if adopted is not None else result.adopted,
    )


def _rejection(text: str, error: ParseError) -> Rejection:
    return Rejection(text, str(error), error.code, error.params)


def parse_uncached(text: str) -> Identifier | Rejection:
    """Parse ``text`` without the cache (used by the benchmark)."""
    if not isinstance(text, str):
        return _rejection(repr(text), ParseError("not_text", type=type(text).__name__))
    try:
        return _parse(text)
    except ParseError as e:
        return _rejection(text, e)
    except Exception as e:  # noqa: BLE001 - a grammar bug must never escape to callers
        return _rejection(text, ParseError("unreadable", type=type(e).__name__))


_cached = lru_cache(maxsize=65536)(parse_uncached)


def parse(text: str) -> Identifier | Rejection:
    """Parse a standard identifier. Never raises: returns an Identifier or a Rejection."""
    if not isinstance(text, str):
        return parse_uncached(text)
    return _cached(text)
