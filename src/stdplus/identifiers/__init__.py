"""Parse and normalise standard identifiers (pure Python, no Django).

>>> parse("GBT 19001—2016").canonical
'GB/T 19001-2016'
"""

from .model import Identifier, Rejection, Supplement
from .normalize import normalize_text
from .parser import parse, parse_uncached
from .renumber import renumbering_alternates, renumbering_key

__all__ = [
    "Identifier",
    "Rejection",
    "Supplement",
    "normalize_text",
    "parse",
    "parse_uncached",
    "renumbering_alternates",
    "renumbering_key",
]
