"""Turning pasted text and file cells into the identifiers to check (pure Python).

A line that is a whole identifier is one input. Otherwise the identifiers inside it are picked
out ("…按照GB/T 19001—2016和ISO 9001:2008的要求…" gives both), also where Chinese text, list
markers or table cells touch them ("《建筑设计防火规范》GB 50016-2014（2018年版）",
"1.GB/T 19001-2016/ISO 9001:2015", full-width forms). A line with neither is reported as
rejected when it looks like an attempt at an identifier (short, with Latin letters, or with
digits and no Chinese text), and skipped as prose otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdplus.identifiers import Identifier, normalize_text, parse

MAX_LINES = 100_000
MODES = ("auto", "lines", "extract")
_MAX_TOKENS = 5  # "BS EN ISO 9001:2015" is four tokens, "ISO/IEC 27001:2013/Cor 1:2014" three
_ATTEMPT_LENGTH = 60
# Table cells: a tab or a pipe ends a candidate before the text is normalised (which would turn
# the tab into a space and join the cells).
_CELLS = re.compile(r"[\t|]+")
# An edition version after the year, as printed: "GB 50016-2014（2018年版）", "(2015版)",
# "(2018年修订版)"; written back in one spelling, attached to the number it follows.
_VERSION = re.compile(r" ?\( ?(\d{4}) ?年? ?(?:修订)?版 ?\)")
# Runs of printable ASCII (after normalisation full-width forms are ASCII) and edition versions:
# everything else (CJK text and punctuation) ends a candidate.
_CHUNKS = re.compile(r"(?:\(\d{4}年版\)|[\x20-\x7e])+")
# (A comma inside brackets stays: an adoption printed with its degree is part of the identifier
# it follows, "GB/T 19001-2016 (ISO 9001:2015, IDT)".)
_SEPARATORS = re.compile(r"(?:[;\"'\[\]{}<>]|,(?![^()]*\)))+")
# List markers glued to the identifier ("1.GB 50016", "(2)GB/T", "[3]YY/T", "：GB").
_LEADING = re.compile(r"^(?:[(\[]?\d{1,3}[)\].:](?=[A-Za-z])|[(\[{:*#])+")
_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
_DIGIT = re.compile(r"[0-9０-９]")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(slots=True)
class InputLine:
    """One identifier (or failed attempt) to check, and where it came from."""

    text: str
    where: str = ""


def _candidates(tokens: list[str], start: int, first: str):
    """Candidates from `tokens[start]`, longest first; `first`: that token without its list
    marker or bracket. Only the first token loses it: a bracket further on may belong to the
    identifier ("GB/T 19001-2016 (ISO 9001:2015, IDT)")."""
    for end in range(min(len(tokens), start + _MAX_TOKENS), start, -1):
        text = " ".join([first, *tokens[start + 1 : end]]).rstrip(".:,")
        while text.endswith(")") and text.count(")") > text.count("("):
            text = text[:-1].rstrip(".:")
        if any(c.isdigit() for c in text):
            yield end, text
            if "," in text:  # a comma kept inside brackets: "ISO 9001:2015,IDT)" alone
                yield end, text.split(",", 1)[0].rstrip(".: ")


def _segments(text: str):
    """The stretches of a line that may hold identifiers, as lists of tokens."""
    for cell in _CELLS.split(text):
        normal = normalize_text(cell)
        if "版" in normal:
            normal = _VERSION.sub(r"(\1年版)", normal)
        for chunk in _CHUNKS.findall(normal):
            for segment in _SEPARATORS.split(chunk):
                tokens = segment.split()
                if tokens:
                    yield tokens


def identifiers_in(text: str) -> list[str]:
    """The identifiers in a piece of running text, in order, as they are written there."""
    found: list[str] = []
    for tokens in _segments(text):
        start = 0
        while start < len(tokens):
            first = _LEADING.sub("", tokens[start])
            if not first[:1].isalpha():
                start += 1
                continue
            for end, candidate in _candidates(tokens, start, first):
                if isinstance(parse(candidate), Identifier):
                    found.append(candidate)
                    start = end
                    break
            else:
                start += 1
    return found


def looks_like_an_attempt(text: str) -> bool:
    """Short, with a Latin letter ("GB/T", "gbt 1.1—2020"), or with digits and no Chinese text
    ("19001-2016"); a Chinese sentence that only mentions a year is prose."""
    if len(text) > _ATTEMPT_LENGTH:
        return False
    return bool(_LATIN.search(text)) or (bool(_DIGIT.search(text)) and not _CJK.search(text))


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
