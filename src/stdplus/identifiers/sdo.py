"""IETF, IEEE, European (EN, CEN, CENELEC) and foreign national identifiers."""

from __future__ import annotations

import re
from collections.abc import Callable

from .common import bare_or_malformed, check_year
from .model import Identifier, ParseError, Supplement
from .prefixes import FOREIGN_BODIES

# IETF ---------------------------------------------------------------------------
_IETF = re.compile(r"(?:IETF )?(?P<ser>RFC|STD|BCP|FYI|RTR|NIC|IEN)(?: ?- ?| )?0*(?P<num>\d+)$")


def parse_ietf(text: str, s: str, u: str) -> Identifier:
    m = _IETF.match(u)
    if m is None:
        raise bare_or_malformed("IETF", s, u)
    ser = m.group("ser")
    num = m.group("num")
    canonical = f"{ser} {num}"
    return Identifier(
        input=text,
        canonical=canonical,
        work=canonical,
        edition=canonical,
        level="international",
        body="IETF",
        prefix=ser,
        doctype=None,
        stage=None,
        number=num,
        part=None,
        year=None,
    )


# IEEE ---------------------------------------------------------------------------
_IEEE = re.compile(
    r"IEEE (?:STD\.? ?)?(?P<num>[A-Z]?\d+(?:\.\d+)*[A-Z]*(?:[.-]\d+[A-Z]*)*?)"
    r"(?:-(?P<year>\d{4}))?$",
    re.IGNORECASE,
)
_IEEE_LETTERS = re.compile(r"(?<=\d)[A-Z]+", re.IGNORECASE)


def parse_ieee(text: str, s: str, u: str) -> Identifier:
    if u.startswith("IEEE") and not u.startswith("IEEE "):
        s = ("IEEE " + s[4:]).rstrip()
    m = _IEEE.match(s)
    if m is None:
        raise bare_or_malformed("IEEE", s, s[4:])
    num = m.group("num")
    num = num[0].upper() + _IEEE_LETTERS.sub(lambda x: x.group(0).lower(), num[1:])
    year = check_year(m.group("year"))
    work = f"IEEE {num}"
    canonical = work + (f"-{year}" if year else "")
    return Identifier(
        input=text,
        canonical=canonical,
        work=work,
        edition=canonical,
        level="international",
        body="IEEE",
        prefix="IEEE",
        doctype=None,
        stage=None,
        number=num,
        part=None,
        year=year,
    )


# European -----------------------------------------------------------------------
_EN = re.compile(
    r"(?P<org>EN|CEN/TS|CEN/TR|CLC/TS|CLC/TR|CEN ISO/TS|CEN ISO/TR|CWA|CEN|CLC|CENELEC)"
    r"(?: ?(?P<adopt>ISO/IEC|ISO|IEC)(?P<atype>/TS|/TR| TS| TR)?)? ?"
    r"(?P<num>\d+)(?P<part>(?:-\d+)*)(?::(?P<year>\d{4}))?"
)
_EN_SUPP = re.compile(r"(?P<sep>[/+]) ?(?P<k>AC|AMD|A)\.? ?(?P<n>\d+)?(?::(?P<y>\d{4}))?")


def parse_regional(text: str, s: str, u: str) -> Identifier:
    m = _EN.match(u)
    if m is None:
        raise bare_or_malformed("European", s, u)
    org = m.group("org")
    if org in ("CEN", "CLC", "CENELEC"):
        raise bare_or_malformed("European", s, "")
    adopt = m.group("adopt")
    atype = m.group("atype")
    pre = org
    if adopt:
        pre += " " + adopt + ("/" + atype.strip(" /") if atype else "")
    num = m.group("num")
    ptxt = m.group("part")
    year = check_year(m.group("year"))
    pos = m.end()
    supps = []
    stxt = []
    while (sp := _EN_SUPP.match(u, pos)) is not None:
        k = "AC" if sp.group("k") == "AC" else "A"
        n = sp.group("n")
        if k == "A" and n is None:
            break
        y = check_year(sp.group("y"))
        supps.append(Supplement(k, int(n) if n else None, y))
        stxt.append(sp.group("sep") + k + (str(int(n)) if n else "") + (f":{y}" if y else ""))
        pos = sp.end()
    if pos != len(u):
        raise ParseError("malformed_unread", family="European", text=s, rest=s[pos:])
    work = f"{pre} {num}{ptxt}"
    edition = work + (f":{year}" if year else "")
    body = "CEN" if org == "CWA" else org.split("/")[0].split(" ")[0]
    return Identifier(
        input=text,
        canonical=edition + "".join(stxt),
        work=work,
        edition=edition,
        level="regional",
        body=body,
        prefix=pre,
        doctype=None,
        stage=None,
        number=num,
        part=ptxt.lstrip("-") or None,
        year=year,
        supplements=tuple(supps),
    )


# Foreign national ---------------------------------------------------------------
_FOREIGN_HEAD = re.compile(r"(?P<body>[A-Z]+(?:/[A-Z]+)*) ?")
_FOREIGN_REST = re.compile(r"[A-Z0-9][A-Z0-9 .:\-/]*$")
_YEAR_COLON = re.compile(r":(?P<y>\d{4})$")
_YEAR_DASH4 = re.compile(r"-(?P<y>\d{4})$")
_YEAR_DASH2 = re.compile(r"-(?P<y>\d{2})(?P<l>[A-Z]?)$")
_TWO_DIGIT_YEAR_BODIES = frozenset({"ASTM", "GOST", "CSA"})
_KNOWN_CO = frozenset({"ISO", "IEC", "IEEE", "EN", "NZS"})


def parse_foreign(
    text: str, s: str, u: str, delegate: Callable[[str, str, str], Identifier]
) -> Identifier:
    h = _FOREIGN_HEAD.match(u)
    if h is None:  # pragma: no cover - dispatch guarantees a lead
        raise bare_or_malformed("foreign", s, u)
    body = h.group("body")
    parts = body.split("/")
    if parts[0] not in FOREIGN_BODIES or any(
        p not in FOREIGN_BODIES and p not in _KNOWN_CO for p in parts[1:]
    ):
        raise ParseError("unknown_body", body=body, text=s)
    rest_u = u[h.end() :]
    rest_s = s[h.end() :]
    if not rest_u:
        raise ParseError("bare_prefix", text=s)
    if rest_u.startswith(("EN", "ISO", "IEC", "CISPR")) and not rest_u[:3].isdigit():
        inner = delegate(text, rest_s, rest_u)
        return Identifier(
            input=text,
            canonical=f"{body} {inner.canonical}",
            work=f"{body} {inner.work}",
            edition=f"{body} {inner.edition}",
            level="foreign",
            body=body,
            prefix=f"{body} {inner.prefix}",
            doctype=inner.doctype,
            stage=inner.stage,
            number=inner.number,
            part=inner.part,
            year=inner.year,
            supplements=inner.supplements,
            consolidated=inner.consolidated,
            variant=inner.variant,
        )
    if not _FOREIGN_REST.match(rest_u) or not any(c.isdigit() for c in rest_u):
        raise bare_or_malformed(f"{body}", s, rest_u)
    year = None
    designation = rest_u
    if (y := _YEAR_COLON.search(rest_u)) is not None or (y := _YEAR_DASH4.search(rest_u)):
        year = check_year(y.group("y"))
        designation = rest_u[: y.start()]
    elif parts[0] in _TWO_DIGIT_YEAR_BODIES and (y := _YEAR_DASH2.search(rest_u)):
        yy = int(y.group("y"))
        year = 1900 + yy if yy >= 50 else 2000 + yy
        designation = rest_u[: y.start()]
    if not designation or not any(c.isdigit() for c in designation):
        raise ParseError("malformed", family=body, text=s)
    return Identifier(
        input=text,
        canonical=f"{body} {rest_u}",
        work=f"{body} {designation}",
        edition=f"{body} {rest_u}",
        level="foreign",
        body=body,
        prefix=body,
        doctype=None,
        stage=None,
        number=designation,
        part=None,
        year=year,
    )
