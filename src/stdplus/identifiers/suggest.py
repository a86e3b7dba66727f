"""Did you mean: the identifiers to suggest for one the catalog does not have.

One rule for the search, the standard's page and JSON when the identifier is not found, and
the validity check. Pure: the caller reads the catalog (the works whose number is one of
`numbers_near`, the editions of a work) and hands the rows in.

The rule:
1. A work typed without a year that the catalog has is found: nothing to suggest.
2. The work is in the catalog, the edition typed is not (a wrong year, an amendment not
   recorded): its editions, newest first.
3. Otherwise the closest works, each as the edition a lookup with the year typed lands on:
   first the same number and prefix under another part (GB/T 4943.9 -> GB/T 4943.1), then the
   same number under another prefix of the same family (`family`: GB 19001 -> GB/T 19001,
   ISO 62304 -> IEC 62304; not DB44/T 1234 -> ISO 1234, a work of its own), then the same prefix
   with the number one keystroke away (a character dropped or two swapped, a digit mistyped or
   added: GB/T 19010 -> GB/T 19001). Ties go by the work's identifier.
At most MAX_SUGGESTIONS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from .model import Identifier
from .parser import parse

MAX_SUGGESTIONS = 5
# Numbers shorter than this are one keystroke from too many others to suggest any of them;
# longer ones are not typed by hand.
MIN_NEAR, MAX_NEAR = 4, 12
_DIGITS = "0123456789"

# (number, prefix, work) of a work in the catalog; the number as `Identifier.number` gives it.
Nearby = tuple[str, str, str]


def number_key(number: str) -> str:
    """How numbers are compared: case does not matter (X.509 and x.509)."""
    return number.upper()


def one_keystroke(number: str) -> frozenset[str]:
    """Numbers one keystroke from this one (a character dropped, two neighbours swapped, a
    digit mistyped or added), upper case; none for numbers shorter than MIN_NEAR or longer than
    MAX_NEAR characters."""
    return _one_keystroke(number_key(number))


@lru_cache(maxsize=4096)  # a check asks again for every line with the same number
def _one_keystroke(number: str) -> frozenset[str]:
    if not MIN_NEAR <= len(number) <= MAX_NEAR:
        return frozenset()
    out = set()
    for i in range(len(number)):
        out.add(number[:i] + number[i + 1 :])
        if number[i].isdigit():
            out.update(number[:i] + d + number[i + 1 :] for d in _DIGITS)
        if i + 1 < len(number):
            out.add(number[:i] + number[i + 1] + number[i] + number[i + 2 :])
    for i in range(len(number) + 1):
        out.update(number[:i] + d + number[i:] for d in _DIGITS)
    out.discard(number)
    return frozenset(out)


def numbers_near(identifier: Identifier) -> frozenset[str]:
    """The numbers (upper case) whose works may be suggested for this identifier: its own and
    those one keystroke away. Read the works with these numbers and pass them to `works_near`."""
    number = number_key(identifier.number or "")
    if not number:
        return frozenset()
    return _one_keystroke(number) | {number}


def nearby_wanted(identifier: Identifier) -> tuple[str, frozenset[str]]:
    """Which catalog rows `works_near` can take for this identifier: those of its own number
    under any prefix, and those of its prefix with a number one keystroke away. Returns (its
    number, the numbers one keystroke away): a reader asks for `number = own OR (prefix =
    identifier.prefix AND number IN near)` rather than every prefix of `numbers_near`, most of
    whose rows the rule leaves out."""
    number = number_key(identifier.number or "")
    if not number:
        return "", frozenset()
    return number, _one_keystroke(number)


def family(identifier: Identifier) -> str:
    """The prefixes whose works share a number when one is typed for another: one body's
    (GB, GB/T and GB/Z; YY and YY/T; DB44 and DB44/T), and the international and European
    ones together (ISO, IEC, ISO/IEC, ISO/TR, IEC TR, EN ISO: IEC 62304 typed as ISO 62304).
    A Chinese standard and an international one with the same number are unrelated works."""
    if identifier.level in ("international", "regional"):
        return "international"
    return identifier.body


def _family_of(work: str) -> str | None:
    found = parse(work)
    return family(found) if isinstance(found, Identifier) else None


def works_near(identifier: Identifier, nearby: Iterable[Nearby]) -> list[str]:
    """The works of `nearby` worth suggesting, closest first (the tiers of the module's rule 3)."""
    number = number_key(identifier.number or "")
    if not number:
        return []
    close = one_keystroke(number)
    own_family = family(identifier)
    ranked: dict[str, tuple[int, str]] = {}
    for other_number, prefix, work in nearby:
        if work == identifier.work:
            continue
        other_number = number_key(other_number)
        same_prefix = prefix == identifier.prefix
        if other_number == number:
            if not same_prefix and _family_of(work) != own_family:
                continue
            tier = 0 if same_prefix else 1
        elif same_prefix and other_number in close:
            tier = 2
        else:
            continue
        if work not in ranked or (tier, work) < ranked[work]:
            ranked[work] = (tier, work)
    return [work for work, _ in sorted(ranked.items(), key=lambda item: item[1])]


def _by_year(canonical: str) -> tuple[int, str]:
    found = parse(canonical)
    return ((found.year or 0) if isinstance(found, Identifier) else 0, canonical)


def did_you_mean(
    identifier: Identifier,
    *,
    own_editions: Sequence[str],
    nearby: Iterable[Nearby],
    landing: Callable[[str], str | None],
) -> list[str]:
    """The identifiers to suggest for `identifier`, which the catalog does not have.

    own_editions: the editions (not supplements) the catalog has of its work, in any order
    (they are sorted here by year, then identifier); nearby: works with a number of `numbers_near(identifier)`, read only
    when the work has no edition; landing(work): the edition of that work a lookup with the
    year typed lands on.
    """
    if identifier.canonical == identifier.work and own_editions:
        return []  # a work typed without a year: it is found, nothing to suggest
    if own_editions:
        others = sorted((e for e in own_editions if e != identifier.canonical), key=_by_year)
        return others[::-1][:MAX_SUGGESTIONS]
    out: list[str] = []
    for work in works_near(identifier, nearby):
        edition = landing(work)
        if edition is not None and edition not in out:
            out.append(edition)
            if len(out) == MAX_SUGGESTIONS:
                break
    return out
