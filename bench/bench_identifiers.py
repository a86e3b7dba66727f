"""Benchmark the identifier engine on the real data (one core, no cache).

Run: PYTHONPATH=src python bench/bench_identifiers.py [--rounds N] [--every N] [--only SET]

``--every 10 --only real --rounds 1`` parses every tenth identifier once, for counting
instructions with valgrind (``--only none`` loads them and parses nothing, the baseline).

The identifiers are those of every standards file of ../shared/data (a file whose records
carry an ``id``): record ids, relation targets and ``also_identified_as`` values. Three sets
are timed: the real identifiers as published, messy variants of a quarter of them (lower case,
missing and doubled spaces, full-width forms, em dashes, quotes) and the Chinese identifiers
as PDFs and word processors print them (look-alike slashes and dashes, ideographic spaces,
full-width digits, stray spaces in the number, edition versions, dual numbering).
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import sys
import time
from pathlib import Path

from stdplus.identifiers import Identifier, parse_uncached

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SUFFIXES = (".jsonl", ".jsonl.gz")


def _open(path: Path):
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def standards_files(folder: Path = DATA) -> list[Path]:
    """The files of the folder whose records carry an ``id`` (classes and regions have none)."""
    found = []
    for path in sorted(folder.iterdir()):
        if not path.name.endswith(SUFFIXES):
            continue
        with _open(path) as fh:
            first = fh.readline()
        try:
            record = json.loads(first)
        except ValueError:
            continue
        if isinstance(record, dict) and "id" in record and "identifier" not in record:
            found.append(path)
    return found


def load_ids(files: list[Path]) -> list[str]:
    ids: list[str] = []
    for path in files:
        with _open(path) as fh:
            for line in fh:
                rec = json.loads(line)
                ids.append(rec["id"])
                ids.extend(rel["target"] for rel in rec.get("relations") or [])
                ids.extend(rec.get("also_identified_as") or [])
    return ids


def messy(ids: list[str]) -> list[str]:
    """Messy variants: lower case, no spaces, full-width forms, em dashes, quotes."""
    out = []
    for i, t in enumerate(ids):
        k = i % 5
        if k == 0:
            out.append(t.lower())
        elif k == 1:
            out.append(t.replace(" ", "", 1))
        elif k == 2:
            out.append("".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in t))
        elif k == 3:
            out.append(f" “{t.replace('-', '—')}” ")
        else:
            out.append("  " + t.replace(" ", "  ") + ".")
    return out


_SLASHES = ["\u2215", "\u2044", "\uff0f", "/"]


def chinese_print(ids: list[str]) -> list[str]:
    """The Chinese identifiers as PDFs, notices and word processors print them."""
    out = []
    chinese = [t for t in ids if t[:2] in ("GB", "YY", "DB", "T/", "JB", "HJ")]
    for i, t in enumerate(chinese):
        k = i % 6
        slash = _SLASHES[i % len(_SLASHES)]
        if k == 0:
            out.append(t.replace("/", slash).replace("-", "\u2014"))
        elif k == 1:
            full = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in t)
            out.append(full.replace(" ", "\u3000"))
        elif k == 2:
            out.append(t + ("（2025年版）" if i % 2 else "(2025年版)"))
        elif k == 3:
            out.append(t + "/ISO 13485:2016")
        elif k == 4:
            head, _, rest = t.partition(" ")
            out.append(f"{head} {rest[:1]} {rest[1:]}" if len(rest) > 3 else t)
        else:
            out.append(t.replace("/", " / ").replace("-", " \u2014 "))
    return out


def run(label: str, items: list[str], rounds: int) -> None:
    best = float("inf")
    ok = 0
    for _ in range(rounds):
        t0 = time.perf_counter()
        ok = 0
        for t in items:
            if isinstance(parse_uncached(t), Identifier):
                ok += 1
        best = min(best, time.perf_counter() - t0)
    rate = len(items) / best
    print(
        f"{label:>8}: {len(items):>7} ids, {ok:>7} accepted, best of {rounds}: "
        f"{best:.3f} s, {rate:,.0f} parses/s"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--every", type=int, default=1, help="take every Nth identifier")
    ap.add_argument("--only", choices=["real", "messy", "chinese", "none"], default=None)
    args = ap.parse_args()
    files = standards_files()
    ids = load_ids(files)[:: args.every]
    impl = sys.implementation.name
    print(f"Python {platform.python_version()} ({impl}) on {platform.machine()}")
    print(
        f"{len(ids)} identifiers (ids, relation targets, also_identified_as)"
        f" from {len(files)} files: {', '.join(p.name for p in files)}"
    )
    sets = {
        "real": lambda: ids,
        "messy": lambda: messy(ids[::4] if args.every == 1 else ids),
        "chinese": lambda: chinese_print(ids),
    }
    for name, make in sets.items():
        if args.only in (None, name):
            run(name, make(), args.rounds)


if __name__ == "__main__":
    main()
