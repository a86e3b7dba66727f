"""Region and series of a Chinese identifier, derived from its body, prefix and number.

They are read when asked for (``Identifier.region``, ``Identifier.series``) rather than stored,
so that parsing, which makes an Identifier for every line of every import, stays as fast as it
was; the grammars make sure the body says it all (``DBJ15``, ``DGJ08``, ``DB29``, ``DB4403``,
``SJG``).
"""

from __future__ import annotations

from .prefixes import (
    CONSTRUCTION_NUMBER_DIGITS,
    CONSTRUCTION_NUMBER_LEAD,
    CONSTRUCTION_SERIES_REGIONS,
    LOCAL_REGIONS,
    LOCAL_SPECIAL,
    NATIONAL_CODES,
    SERIES,
)

CONSTRUCTION = "construction"
# Local series codes of engineering construction printed before the region or series number.
_LOCAL_CONSTRUCTION = ("DBJ", "DGJ")


def local_region(series: str, code: str) -> str | None:
    """The GB/T 2260 region of a local series number (DBJ 15 is Guangdong, 44; DB 29 Tianjin)."""
    region = CONSTRUCTION_SERIES_REGIONS.get(series, {}).get(code)
    if region is None and code in LOCAL_REGIONS:
        region = code
    return region


def region_of(level: str, body: str) -> str | None:
    """The region code of a local standard: DB44 -> 44, DB4403 -> 4403, DBJ15 -> 44, SJG -> 4403."""
    if level != "local":
        return None
    if body in LOCAL_SPECIAL:
        return LOCAL_SPECIAL[body][2]
    for series in _LOCAL_CONSTRUCTION:
        if body.startswith(series):
            return local_region(series, body[len(series) :])
    if body.startswith("DB") and body[2:].isdigit():
        code = body[2:]
        return CONSTRUCTION_SERIES_REGIONS["DB"].get(code, code)
    return None


def series_of(level: str, body: str, prefix: str, number: str) -> str | None:
    """``construction``, ``occupational health``, ``metrology`` or None."""
    if level == "national":
        if body == "GB":
            if len(number) == CONSTRUCTION_NUMBER_DIGITS and number[:1] == CONSTRUCTION_NUMBER_LEAD:
                return CONSTRUCTION
            return None
        entry = NATIONAL_CODES.get(body)
        return entry[2] if entry else None
    if level == "industry":
        return SERIES.get(body)
    if level == "local":
        if body in LOCAL_SPECIAL:
            return LOCAL_SPECIAL[body][3]
        if body.startswith(_LOCAL_CONSTRUCTION):
            return CONSTRUCTION
        if body.startswith("DB") and ("(J)" in prefix or body[2:] in _DB_SERIES):
            return CONSTRUCTION
        return None
    if level == "group" and body == "CECS":
        return CONSTRUCTION
    return None


# DB + a construction series number that is not a region code (Tianjin's DB 29).
_DB_SERIES = frozenset(CONSTRUCTION_SERIES_REGIONS["DB"])
