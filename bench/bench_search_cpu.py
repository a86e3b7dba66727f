"""CPU time of each of bench_search.py's fixed searches through `standards_search`, in one
process: best of three, after a warm-up pass. CPU time (not wall time) so that two versions of
the code can be compared on a machine that other work loads.

    python bench/bench_search_cpu.py after                      # this checkout's code
    python bench/bench_search_cpu.py before /tmp/before/src     # another checkout's src first
    python bench/bench_search_cpu.py after "" 1                 # best of 1 round, not 3

Reads var/bench/catalog.sqlite3 (`python bench/bench_search.py --build --total 200000`, or the
1,000,000 of a plain `--build`). Prints CPU ms and, after "wall", wall-clock ms (the best of
the rounds of each search, as --direct of bench_search.py but without its separate passes).
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
    if len(sys.argv) > 2 and sys.argv[2]:
        sys.path.insert(0, sys.argv[2])
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{REPO / 'var' / 'bench' / 'catalog.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stdplus.settings")
    import django

    django.setup()
    import bench_search

    from stdplus.search.selectors import SearchFilters, standards_search

    def one(query: dict, clock=time.process_time) -> float:
        filters = SearchFilters(
            **{k: [query[k]] for k in ("level", "status", "body") if query.get(k)}
        )
        started = clock()
        standards_search(q=query.get("q", ""), filters=filters)
        return (clock() - started) * 1000

    queries = bench_search.queries()
    for query in queries:
        one(query)
    by_kind: dict[str, list[float]] = {}
    wall: dict[str, list[float]] = {}
    for query in queries:
        by_kind.setdefault(query["kind"], []).append(min(one(query) for _ in range(rounds)))
        wall.setdefault(query["kind"], []).append(
            min(one(query, time.perf_counter) for _ in range(rounds))
        )

    def cells(found: dict[str, list[float]]) -> str:
        every = [v for values in found.values() for v in values]
        out = [f"all {percentile(every, 50):.1f} / {percentile(every, 95):.1f}"]
        out += [f"{k} {percentile(v, 50):.1f} / {percentile(v, 95):.1f}" for k, v in found.items()]
        return "; ".join(out)

    load = os.getloadavg()[0]
    print(f"{label} (CPU ms, p50 / p95): {cells(by_kind)}")
    print(f"{label} wall (ms, p50 / p95, load average {load:.1f}): {cells(wall)}")


if __name__ == "__main__":
    main()
