"""Helpers shared by the family grammars."""

from __future__ import annotations

from .model import ParseError

YEAR_MIN = 1900
YEAR_MAX = 2100


def check_year(y: str | int | None) -> int | None:
    """Return the year as an int, or raise ParseError if it is not plausible."""
    if y is None or y == "":
        return None
    v = int(y)
    if v < YEAR_MIN or v > YEAR_MAX:
        raise ParseError("implausible_year", year=y, min=YEAR_MIN, max=YEAR_MAX)
    return v


def check_month(m: str | int | None) -> int | None:
    if m is None or m == "":
        return None
    v = int(m)
    if v < 1 or v > 12:
        raise ParseError("month_out_of_range", month=m)
    return v


def two_digit_year(y: str) -> int:
    """Expand a two-digit Chinese year (GB 3100-93) to 19xx."""
    return 1900 + int(y)


def bare_or_malformed(family: str, text: str, rest: str) -> ParseError:
    """Pick the clearest error for text that did not match a family grammar."""
    if not any(c.isdigit() for c in rest):
        return ParseError("bare_prefix", text=text)
    if text[:1].isalpha() and rest[:1] in ("-", "/") and family.startswith(("Chinese", "local")):
        return ParseError("no_number_before_year", family=family, text=text)
    return ParseError("malformed", family=family, text=text)
