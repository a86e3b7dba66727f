"""Benchmark the identifier engine on the real data (one core, no cache).

Run: PYTHONPATH=src python bench/bench_identifiers.py [--rounds N]
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
FILES = [
    "iso_deliverables.jsonl.gz",
    "iec_publications.jsonl.gz",
    "itu_recommendations.jsonl.gz",
    "ietf_rfc_index_2009.jsonl",
    "cn_curated.jsonl",
    "cn_samples_relaton_gb.jsonl",
]


def load_ids() -> list[str]:
    ids: list[str] = []
    for name in FILES:
        path = DATA / name
        opener = gzip.open if name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as fh:
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
    args = ap.parse_args()
    ids = load_ids()
    impl = sys.implementation.name
    print(f"Python {platform.python_version()} ({impl}) on {platform.machine()}")
    print(
        f"{len(ids)} identifiers (ids, relation targets, also_identified_as)"
        f" from {len(FILES)} files"
    )
    run("real", ids, args.rounds)
    sample = ids[::4]
    run("messy", messy(sample), args.rounds)


if __name__ == "__main__":
    main()
