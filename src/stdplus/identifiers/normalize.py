"""Character-level clean-up shared by all family grammars.

``normalize_text`` knows nothing about standards bodies: it folds full-width
characters (NFKC), turns every dash variant into ``-`` (a run of them, such as the
Chinese double em dash, into one) and every slash look-alike into ``/``, removes
zero-width characters, collapses white space, tightens the space around ``/ : -``
and strips surrounding quotes and sentence punctuation. The family grammars then
work on its result.
"""

from __future__ import annotations

import re
import unicodedata

# Dash variants seen in printed and pasted identifiers (em dash is the Chinese year separator;
# PDFs and word processors also give the hyphen bullet, box-drawing and modifier-letter lines).
_DASHES = (
    "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d\u30fc\u2500"
    "\u2043\u02d7\u2501\u23af\u2796\u2e40\u2e17\u30a0\u2574\u2576"
)
# Slash look-alikes: division slash, fraction slash, big solidus, box-drawing and mathematical
# diagonals, and the reverse solidi (a backslash typed for a slash). The full-width solidus
# becomes "/" through NFKC.
_SLASHES = "\u2215\u2044\u29f8\u2571\u27cb\u29f5\u29f9\\"
_TRANSLATE: dict[int, str | None] = {ord(c): "-" for c in _DASHES}
_TRANSLATE.update({ord(c): "/" for c in _SLASHES})
_TRANSLATE.update(
    {
        0x200B: None,  # zero-width space
        0x200C: None,
        0x200D: None,
        0x2060: None,
        0xFEFF: None,  # byte order mark
        0x00AD: None,  # soft hyphen
        0x3001: ",",  # ideographic comma
        0x3002: ".",  # ideographic full stop
        0x00B7: ".",  # middle dot
        0x2236: ":",  # ratio sign used as a colon
        0x00A0: " ",
        0x3000: " ",
        0x1680: " ",  # ogham space mark (the other spaces become " " through NFKC)
        ord("\t"): " ",
        ord("\n"): " ",
        ord("\r"): " ",
    }
)

_SPACES_AROUND = re.compile(r" ?([/:]) ?| ?(-) (?=\d)| (-)(?=\d)")
_SURROUND = " \"'`\u201c\u201d\u2018\u2019\u300a\u300b\u300c\u300d\u300e\u300f\u3008\u3009"
_TRAILING = ".,;"
_CN_YEAR = re.compile(r"(\d{4}) ?年$")
_DASH_RUN = re.compile(r"-{2,}")


def _tighten(m: re.Match[str]) -> str:
    return m.group(1) or m.group(2) or m.group(3)


def normalize_text(text: str) -> str:
    """Return the character-level normal form of ``text`` (never raises for a str)."""
    s = text
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s.translate(_TRANSLATE))
        s = s.translate(_TRANSLATE)
        if "--" in s:
            s = _DASH_RUN.sub("-", s)
        if s.rstrip().endswith("年"):
            s = _CN_YEAR.sub(r"\1", s.rstrip())
    elif "\t" in s or "\n" in s or "\r" in s or "\\" in s:
        s = s.translate(_TRANSLATE)
    if "  " in s or s[:1] == " " or s[-1:] == " ":
        s = " ".join(s.split(" ")).strip()
        while "  " in s:
            s = s.replace("  ", " ")
    s = s.strip(_SURROUND)
    while s and s[-1] in _TRAILING and not s.endswith(".."):
        s = s[:-1].rstrip(_SURROUND)
    if " /" in s or "/ " in s or " :" in s or ": " in s or " -" in s:
        while True:  # until stable: "- - -" needs more than one pass, "- -" makes a run
            tight = _SPACES_AROUND.sub(_tighten, s)
            if "--" in tight and not tight.isascii():
                tight = _DASH_RUN.sub("-", tight)
            if tight == s:
                break
            s = tight
    return s
