"""ISO, IEC, CISPR, IWA and joint ISO/IEC identifiers (ISO-led and IEC-led styles)."""

from __future__ import annotations

import re

from .common import bare_or_malformed, check_year
from .model import Identifier, ParseError, Supplement
from .prefixes import IEC_LEADS, STAGE_TOKENS, SUPPLEMENT_KINDS, TYPE_TOKENS, VARIANTS

_CO = "IEC|IEEE|ASTM|CIE|HL7|SAE|ASME|OECD|UNDP|ISO"
_TOK = "|".join(sorted(set(STAGE_TOKENS) | set(TYPE_TOKENS) - {"IS"}, key=len, reverse=True))
_HEAD = re.compile(
    r"(?:(?P<pre>CD|DIS|FDIS|WD|AWI|NP|PWI) (?=IWA))?"
    r"(?P<org>ISO|IEC|CISPR|IWA)"
    rf"(?P<co>(?:/(?:{_CO}))*)"
    rf"(?P<toks>(?:[/ ]?(?:{_TOK})(?![A-Z]))*)"
    r" ?"
)
_TOKSPLIT = re.compile(r"[/ ]?(" + _TOK + r")")
_NUM = re.compile(
    r"(?:(?P<num>\d+[A-Z]?)(?P<part>(?:-[0-9A-Z]+)*(?:-?/\d+)?)|(?P<word>[A-Z][A-Z-]*[A-Z]\d*))"
    r"(?:\.(?P<iter>\d+))?"
    r"(?::(?P<year>\d{4})|(?P<colon>:)(?![0-9]))?"
)
_KINDS = "|".join(sorted(SUPPLEMENT_KINDS, key=len, reverse=True))
_SUPP = re.compile(
    r"(?:/|(?<=\d) )"
    r"(?:(?P<sst>CD|WD|AWI|PRF|NP|PWI|DIS|FDIS) )?"
    rf"(?P<kind>{_KINDS})\.?"
    r"(?: ?(?P<n>\d+))?(?:\.(?P<it>\d+))?"
    r"(?P<colon>:(?P<y>\d{4})?)?"
    r"(?: ED ?(?P<ed>\d+))?"
)
_CONS = re.compile(r" ?\+ ?(?:AMD|AM|A)\.? ?(?P<n>\d+)(?::(?P<y>\d{4}))?")
_VARIANT = re.compile(r" (?P<v>" + "|".join(VARIANTS) + r")(?![A-Z0-9])")
_DIR = re.compile(
    r"(?P<org>ISO/IEC|ISO|IEC) ?DIR(?: ?(?P<n>\d+))?"
    r"(?: (?P<sfx>ISO SUP|IEC SUP|JTC 1 SUP|ISO|IEC|JTC 1))?(?::(?P<y>\d{4}))?$"
)
_REPORT = re.compile(
    r"IEC (?P<t>WHITE PAPER|TECHNOLOGY REPORT|TREND REPORT|TECHNOLOGY AND MARKET OUTLOOK PAPER)"
    r" (?P<title>[A-Z0-9][A-Z0-9 .:-]*?)(?::(?P<y>\d{4}))?$"
)
_REPORT_TYPES = {
    "WHITE PAPER": "White Paper",
    "TECHNOLOGY REPORT": "Technology Report",
    "TREND REPORT": "Trend Report",
    "TECHNOLOGY AND MARKET OUTLOOK PAPER": "Technology and Market Outlook Paper",
}


def parse_iso(text: str, s: str, u: str) -> Identifier:
    """Parse an ISO/IEC-family identifier. ``s`` is normalised text, ``u`` its upper case."""
    if "DIR" in u:
        m = _DIR.match(u)
        if m:
            return _directive(text, m)
    if u.startswith("IEC ") and (m := _REPORT.match(u)):
        return _report(text, s, m)
    h = _HEAD.match(u)
    if h is None:  # pragma: no cover - dispatch guarantees a lead
        raise bare_or_malformed("ISO/IEC", s, u)
    pos = h.end()
    m = _NUM.match(u, pos)
    if m is None:
        raise bare_or_malformed("ISO/IEC", s, u[pos:])
    org = h.group("org")
    co = h.group("co")
    iec_led = org in IEC_LEADS
    stage = None
    dtype = None
    pre = h.group("pre")
    if pre:
        stage = pre
    for tok in _TOKSPLIT.findall(h.group("toks")):
        if tok in STAGE_TOKENS:
            if stage is not None:
                raise ParseError("two_stages", text=s)
            stage, implied = STAGE_TOKENS[tok]
            if implied:
                dtype = implied
        else:
            if dtype is not None:
                raise ParseError("two_doctypes", text=s)
            dtype = TYPE_TOKENS[tok]
    base_stage = stage
    word = m.group("word")
    if word is not None:
        # Named publications (ISO/IEC VIM:1993, IEC GIORGI:2001): IEC or ISO/IEC, in capitals.
        if (org + co) not in ("IEC", "ISO/IEC") or s[m.start() : m.end()] != u[m.start() : m.end()]:
            raise bare_or_malformed("ISO/IEC", s, u[pos:])
        number, part = word, None
        numtext = word
    else:
        number = m.group("num")
        ptxt = m.group("part")
        part = ptxt.lstrip("-") if ptxt else None
        numtext = number + ptxt
    it = m.group("iter")
    year = check_year(m.group("year"))

    # Rest: consolidated amendments, variant, supplements, in that order (supplements may
    # also follow a variant: "IEC 60079-10-1:2020 CMV/COR1:2021").
    pos = m.end()
    cons: list[Supplement] = []
    cons_txt = []
    while (c := _CONS.match(u, pos)) is not None:
        amd_number = int(c.group("n"))
        y = check_year(c.group("y"))
        cons.append(Supplement("Amd", amd_number, y))
        cons_txt.append(f"+AMD{amd_number}" + (f":{y}" if y else ""))
        pos = c.end()
    variant = None
    v = _VARIANT.match(u, pos)
    if v is not None:
        variant = v.group("v")
        pos = v.end()
    supps: list[Supplement] = []
    raw_supps = []
    while (sp := _SUPP.match(u, pos)) is not None:
        raw_supps.append(sp)
        pos = sp.end()
    if pos != len(u):
        v = _VARIANT.match(u, pos)
        if v is not None and variant is None and not raw_supps:
            variant = v.group("v")
            pos = v.end()
    if pos != len(u):
        raise ParseError("malformed_unread", family="ISO/IEC", text=s, rest=s[pos:])
    consolidated = bool(cons) or variant == "CSV"
    iec_style = iec_led or consolidated or variant is not None
    supp_txt = []
    for sp in raw_supps:
        kind, sstage, iso_sp, iec_sp = SUPPLEMENT_KINDS[sp.group("kind")]
        n = sp.group("n")
        y = check_year(sp.group("y"))
        if kind == "FRAG" and n is None:
            raise ParseError("fragment_without_number", text=s)
        sst = sp.group("sst")
        if sst:
            if sstage:
                raise ParseError("two_supplement_stages", text=s)
            sstage = f"{sst} {iso_sp}"
        sit = sp.group("it")
        if sstage or sit:
            t = "/" + (f"{sst} {iso_sp}" if sst else iso_sp) + (f" {int(n)}" if n else "")
        elif kind == "FRAG":
            t = f"/FRAG{int(n)}"
        elif iec_style:
            t = "/" + iec_sp + (str(int(n)) if n else "")
        else:
            t = "/" + iso_sp + (f" {int(n)}" if n else "")
        if sit:
            t += f".{sit}"
        if y:
            t += f":{y}"
        elif sp.group("colon"):
            t += ":"
        if sp.group("ed"):
            t += f" ED{int(sp.group('ed'))}"
        supp_txt.append(t)
        supps.append(Supplement(kind, int(n) if n else None, y, sstage))
        if sstage:
            stage = sstage

    orgstr = org + co
    if base_stage and org != "IWA":
        implied = STAGE_TOKENS[base_stage.upper()][1]
        tokens = [base_stage] if implied else [base_stage] + ([dtype] if dtype else [])
    else:
        tokens = [dtype] if dtype else []
    prefix = _render_prefix(org, orgstr, co, tokens, pre, iec_led)
    work_prefix = _render_prefix(org, orgstr, co, [dtype] if dtype else [], None, iec_led)
    work = f"{work_prefix} {numtext}"
    edition = f"{prefix} {numtext}"
    if it:
        edition += f".{it}"
    if year:
        edition += f":{year}"
    elif m.group("colon"):
        edition += ":"
    canonical = edition + "".join(cons_txt) + (f" {variant}" if variant else "")
    canonical += "".join(supp_txt)
    if not dtype:
        dtype = "IWA" if org == "IWA" else "IS"
    return Identifier(
        input=text,
        canonical=canonical,
        work=work,
        edition=edition,
        level="international",
        body="ISO" if org == "IWA" else orgstr,
        prefix=prefix,
        doctype=dtype,
        stage=stage,
        number=number,
        part=part,
        year=year,
        supplements=tuple(cons + supps),
        consolidated=consolidated,
        variant=variant,
    )


def _render_prefix(
    org: str, orgstr: str, co: str, tokens: list[str], pre: str | None, iec_led: bool
) -> str:
    if org == "IWA":
        return f"{pre} IWA" if pre else "IWA"
    if not tokens:
        return orgstr
    if iec_led or co or tokens[0] == "Guide":
        return orgstr + " " + " ".join(tokens)
    return orgstr + "/" + " ".join(tokens)


def _directive(text: str, m: re.Match[str]) -> Identifier:
    org = m.group("org")
    n = m.group("n")
    sfx = m.group("sfx")
    if not n and not sfx:
        raise ParseError("bare_prefix", text=f"{org} DIR")
    year = check_year(m.group("y"))
    work = f"{org} DIR" + (f" {n}" if n else "") + (f" {sfx}" if sfx else "")
    canonical = work + (f":{year}" if year else "")
    return Identifier(
        input=text,
        canonical=canonical,
        work=work,
        edition=canonical,
        level="international",
        body=org,
        prefix=f"{org} DIR",
        doctype="DIR",
        stage=None,
        number=n or sfx,
        part=sfx if n and sfx else None,
        year=year,
    )


def _report(text: str, s: str, m: re.Match[str]) -> Identifier:
    dtype = _REPORT_TYPES[m.group("t")]
    title = s[m.start("title") : m.end("title")]
    year = check_year(m.group("y"))
    work = f"IEC {dtype} {title}"
    canonical = work + (f":{year}" if year else "")
    return Identifier(
        input=text,
        canonical=canonical,
        work=work,
        edition=canonical,
        level="international",
        body="IEC",
        prefix=f"IEC {dtype}",
        doctype=dtype,
        stage=None,
        number=title,
        part=None,
        year=year,
    )
