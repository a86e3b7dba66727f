"""Command-line functions (the Django ``stdplus id normalize`` command calls these)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from .model import Identifier
from .parser import parse

USAGE = "usage: stdplus id normalize [--json] [ID ...]"
JSON_KEYS = ("input", "ok", "canonical", "level", "body", "number", "part", "year", "work", "error")


def _lines(stdin: TextIO) -> Iterable[str]:
    data = stdin.read()
    data = data.removesuffix("\n").removesuffix("\r")
    if data == "":
        return []
    return [line.rstrip("\r") for line in data.split("\n")]


def _record(text: str) -> dict:
    r = parse(text)
    if isinstance(r, Identifier):
        return {
            "input": text,
            "ok": True,
            "canonical": r.canonical,
            "level": r.level,
            "body": r.body,
            "number": r.number,
            "part": r.part,
            "year": r.year,
            "work": r.work,
            "error": None,
        }
    rec = dict.fromkeys(JSON_KEYS)
    rec.update(input=text, ok=False, error=r.error)
    return rec


def normalize_main(argv: list[str], stdin: TextIO, stdout: TextIO) -> int:
    """``stdplus id normalize [--json] [ID ...]``: print canonical forms; 1 if any is rejected.

    Identifiers come from the arguments or, with none, one per line from stdin (a single
    trailing newline is not a line). Plain output is the canonical form per line or
    ``error: <reason>``; ``--json`` prints one JSON object per input line.
    """
    as_json = False
    ids: list[str] = []
    for a in argv:
        if a == "--json":
            as_json = True
        elif a in ("-h", "--help"):
            stdout.write(USAGE + "\n")
            return 0
        else:
            ids.append(a)
    items = ids if ids else _lines(stdin)
    status = 0
    for text in items:
        rec = _record(text)
        if not rec["ok"]:
            status = 1
        if as_json:
            stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
        elif rec["ok"]:
            stdout.write(rec["canonical"] + "\n")
        else:
            stdout.write(f"error: {rec['error']}\n")
    return status


def main(argv: list[str] | None = None) -> int:
    """``python -m stdplus.identifiers normalize [--json] [ID ...]``."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] != "normalize":
        sys.stderr.write(USAGE.replace("stdplus id", "python -m stdplus.identifiers") + "\n")
        return 2
    return normalize_main(args[1:], sys.stdin, sys.stdout)
