"""CPU time of each of bench_search.py's fixed searches through `standards_search`, in one
process: best of three, after a warm-up pass. CPU time (not wall time) so that two versions of
the code can be compared on a machine that other work loads.

    python bench/bench_search_cpu.py after                      # this checkout's code
    python bench/bench_search_cpu.py before /tmp/before/src     # another checkout's src first

Reads var/bench/catalog.sqlite3 (`python bench/bench_search.py --build --total 200000`).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def percentile(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    label = sys.argv[1] if len(sys.argv) > 1 else "this"
    sys.path.insert(0, str(REPO / "bench"))
    if len(sys.argv) > 2:
        sys.path.insert(0, sys.argv[2])
    os.environ["DATABASE_URL"] = f"sqlite:///{REPO / 'var' / 'bench' / 'catalog.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stdplus.settings")
    import django

    django.setup()
    import bench_search

    from stdplus.search.selectors import SearchFilters, standards_search

    def one(query: dict) -> float:
        filters = SearchFilters(
            **{k: [query[k]] for k in ("level", "status", "body") if query.get(k)}
        )
        started = time.process_time()
        standards_search(q=query.get("q", ""), filters=filters)
        return (time.process_time() - started) * 1000

    queries = bench_search.queries()
    for query in queries:
        one(query)
    by_kind: dict[str, list[float]] = {}
    for query in queries:
        by_kind.setdefault(query["kind"], []).append(min(one(query) for _ in range(3)))
    every = [v for values in by_kind.values() for v in values]
    cells = [f"all {percentile(every, 50):.1f} / {percentile(every, 95):.1f}"]
    cells += [
        f"{kind} {percentile(v, 50):.1f} / {percentile(v, 95):.1f}" for kind, v in by_kind.items()
    ]
    print(f"{label} (CPU ms, p50 / p95): " + "; ".join(cells))


if __name__ == "__main__":
    main()
