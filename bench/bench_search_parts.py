"""What the relevance model and the cross-language stream cost a word search, in one process.

    DATABASE_URL=sqlite:///$PWD/var/bench/catalog.sqlite3 python bench/bench_search_parts.py

Runs the Chinese and English searches of bench_search.py (50 each) through `standards_search`
four times over the catalog in DATABASE_URL (build var/bench/catalog.sqlite3 with
`python bench/bench_search.py --build`): as the code is; without the English reading of Chinese
words (`search.translate` answers None: no translated stream); without the relevance order (each
stream's page read in key order, as search did before issue 11: `Backend.ranked_keys` replaced
here); and without both. Each search is run once to warm up, then three times; the best of the
three counts. Prints the median and mean milliseconds per kind and variant. The variants are
switched in this process only (nothing is written), to say where a search's time goes: they are
not settings of the product. Run with an older code on PYTHONPATH that has neither feature
(`git archive 07b129e`), it measures that code as it is.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import django

VARIANTS = (
    ("as the code is", True, True),
    ("no translated stream", False, True),
    ("no relevance order", True, False),
    ("neither", False, False),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each search")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stdplus.settings")
    django.setup()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_search

    from stdplus.search import selectors
    from stdplus.search.backends import base

    # (the identifier searches, drawn from `ids`, are left out: they rank nothing)
    every = bench_search.queries(ids=["GB/T 1-2020"] * 50)
    searches = [q for q in every if q["kind"] in ("chinese", "english")]
    translate = getattr(selectors, "translate", None)
    ranked_keys = getattr(base.Backend, "ranked_keys", None)
    variants = VARIANTS if translate and ranked_keys else VARIANTS[:1]

    def key_order(self, match, *, tier, offset, limit, matches=None):
        column = self.key_column(match)
        source, params = self._from(match, tier)
        order = self.key_order(match, column)
        sql = f"SELECT {column} FROM {source} ORDER BY {order} LIMIT %s OFFSET %s"
        return [row[0] for row in self._rows(sql, [*params, limit, offset])]

    print("| variant | Chinese p50 / mean (ms) | English p50 / mean (ms) |")
    print("| --- | --- | --- |")
    for label, translated, ranked in variants:
        if translate and ranked_keys:
            selectors.translate = translate if translated else (lambda term: None)
            base.Backend.ranked_keys = ranked_keys if ranked else key_order
        times: dict[str, list[float]] = {"chinese": [], "english": []}
        for search in searches:
            selectors.standards_search(q=search["q"])
        for search in searches:
            best = float("inf")
            for _ in range(args.runs):
                started = time.perf_counter()
                selectors.standards_search(q=search["q"])
                best = min(best, time.perf_counter() - started)
            times[search["kind"]].append(best * 1000)
        cells = [
            f"{statistics.median(times[kind]):.1f} / {statistics.fmean(times[kind]):.1f}"
            for kind in ("chinese", "english")
        ]
        print(f"| {label} | {cells[0]} | {cells[1]} |", flush=True)
    if translate and ranked_keys:
        selectors.translate, base.Backend.ranked_keys = translate, ranked_keys
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
