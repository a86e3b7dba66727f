"""Standards renumbered in place: one document, two numbers that differ only in the mandate mark.

A partial revision can change a standard's mandate without a new edition: GB 50011-2010, a
mandatory national engineering construction standard, became the recommended GB/T 50011-2010
in 2024 (with its 2024 version) and kept its year. Both numbers name one document, so the
catalog must resolve both to one record. The identifier engine gives both the same
*renumbering key*: the edition with the mandate mark taken off ("GB 50011-2010"). Whether two
numbers of one key really are one document is a catalog fact (a renumbering is recorded in a
notice); the key only says which numbers could be, and ``renumbering_alternates`` lists them.
"""

from __future__ import annotations

from .model import Identifier
from .parser import parse

__all__ = ["renumbering_alternates", "renumbering_key"]


def _as_identifier(value: str | Identifier) -> Identifier | None:
    if isinstance(value, Identifier):
        return value
    result = parse(value)
    return result if isinstance(result, Identifier) else None


def _unmarked(identifier: Identifier) -> str:
    """The prefix without its mandate mark: GB/T -> GB, DB44/T -> DB44/, DG/TJ -> DGJ."""
    prefix = identifier.prefix
    if identifier.mandate in (None, "mandatory"):
        return prefix
    if prefix == "DG/TJ":
        return "DGJ"
    if prefix.endswith("/TJ"):
        return prefix[:-2] + "J"  # DGJ32/TJ -> DGJ32/J
    if identifier.level == "local" and prefix.startswith("DB") and prefix[2:3].isdigit():
        return prefix[:-1]  # DB44/T -> DB44/ (a local standard without a mark keeps its slash)
    return prefix[:-2]


def _marked(base: str, identifier: Identifier) -> list[str]:
    """The prefixes the same number takes with a mandate mark."""
    if base == "DGJ":
        return ["DG/TJ"]
    if base.endswith("/J"):
        return [base[:-1] + "TJ"]
    if base.endswith("/"):
        return [base + "T"]
    if identifier.level == "local" or base == "GBZ":
        return [base + "/T"]
    return [base + "/T", base + "/Z"]


def renumbering_key(value: str | Identifier) -> str | None:
    """The key shared by the numbers of a document renumbered in place, or None for text that is
    not an identifier.

    ``renumbering_key("GB 50011-2010") == renumbering_key("GB/T 50011-2010(2024年版)")
    == "GB 50011-2010"``. The key is the edition (no version, no supplement) with the mandate mark
    taken off; works give work keys ("GB/T 50011" -> "GB 50011"). Identifiers that carry no
    mandate mark (ISO, JJF, group and enterprise standards) have their edition as the key.
    """
    identifier = _as_identifier(value)
    if identifier is None:
        return None
    if identifier.mandate is None:
        return identifier.edition
    prefix = identifier.prefix
    return _unmarked(identifier) + identifier.edition[len(prefix) :]


def renumbering_alternates(value: str | Identifier) -> list[str]:
    """The other numbers the same edition would carry after a renumbering in place, canonical
    and in mark order: ``renumbering_alternates("GB 50011-2010") == ["GB/T 50011-2010",
    "GB/Z 50011-2010"]``; empty for identifiers without a mandate mark and for text that is not
    an identifier."""
    identifier = _as_identifier(value)
    if identifier is None or identifier.mandate is None:
        return []
    key = renumbering_key(identifier)
    base = _unmarked(identifier)
    rest = identifier.edition[len(identifier.prefix) :]
    found = []
    for prefix in [base, *_marked(base, identifier)]:
        other = parse(prefix + rest)
        if (
            isinstance(other, Identifier)
            and other.edition != identifier.edition
            and renumbering_key(other) == key
            and other.edition not in found
        ):
            found.append(other.edition)
    return found
