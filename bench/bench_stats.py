"""Benchmark the Standards+ statistics at city scale: the dashboard and the annual report.

Builds (once) a database with the bundled real catalog plus 100,000 organizations,
1,000,000 participations and 20,000 experts spread over Guangdong's cities and Shenzhen's
districts (the demo generator at benchmark size; every row flagged demo), then times:

- the dashboard page (GET /stats/?region=...&year=..., the full HTML with every figure, split,
  previous year, district breakdown, ICS breakdown, top organizations and trend) for several
  region nodes and years: uncounted (the statistics' cache emptied before each run; three runs,
  median and slowest) and then cached (the same page again, median of the runs);
- the annual report for Shenzhen in HTML, XLSX and PDF.

Run: `.venv/bin/python bench/bench_stats.py` (SQLite file var/bench_stats.sqlite3), or with
`DATABASE_URL=postgres://...` for PostgreSQL. `--rebuild` starts from an empty database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NODES = [
    ("44", "Guangdong (province)"),
    ("4403", "Shenzhen (city)"),
    ("440305", "Nanshan (district)"),
    ("4401", "Guangzhou (city)"),
]
YEARS = [2018, 2023]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rebuild", action="store_true", help="delete the benchmark database first"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF report")
    parser.add_argument(
        "--report-only", action="store_true", help="time the annual report alone (no dashboards)"
    )
    args = parser.parse_args()

    database = REPO / "var" / "bench_stats.sqlite3"
    if not os.environ.get("DATABASE_URL"):
        database.parent.mkdir(parents=True, exist_ok=True)
        if args.rebuild and database.exists():
            database.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stdplus.settings")
    os.environ.setdefault("STDPLUS_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from stdplus.catalog.models import Standard
    from stdplus.programme.models import Expert, Participation
    from stdplus.programme.selectors import region_get
    from stdplus.programme.services.demo import DemoSize, demo_generate

    call_command("migrate", verbosity=0)
    if not Standard.objects.exclude(source="demo").exists():
        started = time.perf_counter()
        call_command("import", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(
            f"imported the bundled catalog in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
    if not Participation.objects.exists():
        started = time.perf_counter()
        report = demo_generate(region=region_get("44"), size=DemoSize.bench(), seed=7)
        # The planner's statistics: SQLite has none until ANALYZE. PostgreSQL has none of the
        # new rows either until autovacuum comes round (never, where it is off), nor the
        # visibility map that lets it answer from an index alone: VACUUM ANALYZE.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
        print(
            f"generated the benchmark data in {time.perf_counter() - started:.0f} s: {report}",
            file=sys.stderr,
        )

    from stdplus.accounts.models import Organization

    counts = {
        "organizations": Organization.objects.count(),
        "participations": Participation.objects.count(),
        "experts": Expert.objects.count(),
        "catalog": Standard.objects.count(),
    }
    print(
        f"\n## Data ({connection.vendor}; load average before the runs {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)\n"
    )
    for name, value in counts.items():
        print(f"- {name}: {value:,}")

    from django.core.cache import caches

    client = Client()
    stats_cache = caches["stats"]

    def timed(path: str, params: dict) -> float:
        started = time.perf_counter()
        response = client.get(path, params)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        return elapsed

    if args.report_only:
        report_times(args)
        return 0

    print("\n## Dashboard (GET /stats/, full HTML page)\n")
    print(
        "| region node | year | uncached median (s) | uncached slowest (s) | cached median (ms) |"
    )
    print("|---|---|---|---|---|")
    worst = 0.0
    for code, label in NODES:
        for year in YEARS:
            params = {"region": code, "year": year}
            times, hits = [], []
            for _ in range(args.runs):
                stats_cache.clear()
                times.append(timed("/stats/", params))
                hits.append(timed("/stats/", params))
            worst = max(worst, max(times))
            print(
                f"| {label} | {year} | {statistics.median(times):.2f} | {max(times):.2f} "
                f"| {1000 * statistics.median(hits):.1f} |"
            )
    print(
        "\n## After a change of the data: the slow dashboards counted by the worker first "
        "(stats.warming)\n"
    )
    print(
        "| region node | year | first reader, uncached (s) | the worker's count (s) "
        "| next reader after the change (ms) |"
    )
    print("|---|---|---|---|---|")
    from django.db import transaction

    from stdplus.catalog.services.state import generation_claim
    from stdplus.stats.warming import dashboards_warm

    for code, label in NODES:
        for year in YEARS:
            params = {"region": code, "year": year}
            stats_cache.clear()
            first = timed("/stats/", params)  # remembered if slower than STDPLUS_STATS_WARM_MS
            with transaction.atomic():
                generation_claim(None)  # a change of the catalog: every figure's key is new
            started = time.perf_counter()
            counted = dashboards_warm()  # what the worker's periodic task runs
            worker = time.perf_counter() - started
            after = timed("/stats/", params)
            print(
                f"| {label} | {year} | {first:.2f} | {worker:.2f} ({counted} page) "
                f"| {1000 * after:.1f} |"
            )

    api = {"region": "4403", "year": 2023}
    api_times, api_hits = [], []
    for _ in range(args.runs):
        stats_cache.clear()
        api_times.append(timed("/api/v1/stats/indicators", api))
        api_hits.append(timed("/api/v1/stats/indicators", api))
    print(
        f"\nGET /api/v1/stats/indicators (Shenzhen, 2023): uncached median "
        f"{statistics.median(api_times):.2f} s, cached median {1000 * statistics.median(api_hits):.1f} ms"
    )

    report_times(args)
    print(f"\nslowest uncached dashboard run: {worst:.2f} s")
    return 0


def report_times(args) -> None:
    """The annual report for Shenzhen, 2023 in each format: best of --runs, wall and CPU."""
    from django.core.cache import caches

    from stdplus.stats.report import report_html, report_pdf, report_xlsx
    from stdplus.stats.selectors import scope_from

    print("\n## Annual report (Shenzhen, 2023)\n")
    print("| format | seconds | CPU seconds (this process) | size |")
    print("|---|---|---|---|")
    scope = scope_from("4403", 2023)
    stats_cache = caches["stats"]
    with tempfile.TemporaryDirectory() as folder:
        makers = {
            "html": lambda: len(report_html(scope).encode()),
            "html, the dashboard's figures cached": lambda: len(report_html(scope).encode()),
            "xlsx": lambda: len(report_xlsx(scope)),
        }
        if not args.no_pdf:
            makers["pdf"] = lambda: report_pdf(scope, Path(folder) / "report.pdf").stat().st_size
        for name, make in makers.items():
            walls, cpus = [], []
            for _ in range(args.runs):
                if "cached" in name:
                    make()  # as after a reader opened the dashboard
                else:
                    stats_cache.clear()  # every figure counted
                started, cpu = time.perf_counter(), time.process_time()
                size = make()
                walls.append(time.perf_counter() - started)
                cpus.append(time.process_time() - cpu)
            print(f"| {name} | {min(walls):.1f} | {min(cpus):.2f} | {size // 1024:,} KB |")


if __name__ == "__main__":
    raise SystemExit(main())
