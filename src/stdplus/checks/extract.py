"""Turning pasted text and file cells into the identifiers to check (pure Python).

A line that is a whole identifier is one input. Otherwise the identifiers inside it are picked
out ("…按照GB/T 19001—2016和ISO 9001:2008的要求…" gives both). A line with neither is reported as
rejected when it looks like an attempt at an identifier (short, with Latin letters or digits),
and skipped as prose otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdplus.identifiers import Identifier, normalize_text, parse

MAX_LINES = 100_000
MODES = ("auto", "lines", "extract")
_MAX_TOKENS = 5  # "BS EN ISO 9001:2015" is four tokens, "ISO/IEC 27001:2013/Cor 1:2014" three
_ATTEMPT_LENGTH = 60
# Everything that is not printable ASCII (CJK text, CJK punctuation) ends a candidate, and so
# does list punctuation.
_SEPARATORS = re.compile(r"[^\x20-\x7e]+|[,;\"'\[\]{}<>|]+")
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9]")


@dataclass(slots=True)
class InputLine:
    """One identifier (or failed attempt) to check, and where it came from."""

    text: str
    where: str = ""


def _candidates(tokens: list[str], start: int):
    for end in range(min(len(tokens), start + _MAX_TOKENS), start, -1):
        text = " ".join(tokens[start:end]).rstrip(".:")
        if text.count(")") > text.count("("):
            text = text.rstrip(")").rstrip(".:")
        if any(c.isdigit() for c in text):
            yield end, text


def identifiers_in(text: str) -> list[str]:
    """The identifiers in a piece of running text, in order, as they are written there."""
    found: list[str] = []
    for segment in _SEPARATORS.split(normalize_text(text)):
        tokens = [t.lstrip("([") for t in segment.split()]
        start = 0
        while start < len(tokens):
            if not tokens[start][:1].isalpha():
                start += 1
                continue
            for end, candidate in _candidates(tokens, start):
                if isinstance(parse(candidate), Identifier):
                    found.append(candidate)
                    start = end
                    break
            else:
                start += 1
    return found


def looks_like_an_attempt(text: str) -> bool:
    return len(text) <= _ATTEMPT_LENGTH and bool(_LATIN_OR_DIGIT.search(text))


def inputs_from_text(text: str, *, mode: str = "auto", where: str = "") -> tuple[list[str], bool]:
    """The inputs one line (or cell) gives, and whether it was skipped as prose."""
    text = text.strip()
    if not text:
        return [], False
    if mode == "lines":
        return [text], False
    if mode == "auto" and isinstance(parse(text), Identifier):
        return [text], False
    found = identifiers_in(text)
    if found:
        return found, False
    if mode == "auto" and looks_like_an_attempt(text):
        return [text], False
    return [], True


def inputs_from_lines(
    lines, *, mode: str = "auto", label: str = "line"
) -> tuple[list[InputLine], int]:
    """Inputs from numbered lines: (inputs, lines skipped as prose)."""
    inputs: list[InputLine] = []
    skipped = 0
    for number, line in enumerate(lines, start=1):
        found, prose = inputs_from_text(line, mode=mode)
        skipped += prose
        inputs.extend(InputLine(text, f"{label} {number}") for text in found)
    return inputs, skipped
