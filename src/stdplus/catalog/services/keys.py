"""Turning identifiers from sources into catalog keys."""

from __future__ import annotations

import re
from functools import lru_cache

from stdplus.identifiers import Identifier, parse

_SPACES = re.compile(r"\s+")

SUPPLEMENT_RELATION = {"amd": "amends", "a": "amends", "xg": "amends", "cor": "corrects"}


@lru_cache(maxsize=262_144)
def parse_cached(text: str):
    """Imports parse every id and every relation target; one ISO file holds more distinct texts
    than the identifier engine's own cache (65,536), and this larger one, kept to imports, saves
    about a quarter of the ISO import's time."""
    return parse(text)


def catalog_key(text: str) -> str:
    """The canonical form of a relation target, or its cleaned text when it does not parse.

    Unparseable targets are kept (as unresolved references), never dropped.
    """
    result = parse_cached(text)
    if isinstance(result, Identifier):
        return result.canonical
    return _SPACES.sub(" ", text).strip()[:200]


def supplement_relation(identifier: Identifier) -> str | None:
    """`amends` or `corrects` for a supplement to an edition (from the identifier's own shape)."""
    if not identifier.supplements or identifier.edition == identifier.canonical:
        return None
    if identifier.consolidated:
        return None
    return SUPPLEMENT_RELATION.get(identifier.supplements[-1].kind.lower())
