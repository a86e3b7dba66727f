"""Benchmark a leader ranking run for a category of 100,000 declared products.

Builds (once) a database with a small catalog (a mandatory product standard, a test method, a
withdrawn standard) and, by bulk inserts (`stdplus.core.bulk.insert_rows`), 20,000 enterprises
declaring 100,000 kettles (GB/T 4754 class 3854): one product each, one cited standard, two
indicators (thermal efficiency in %, noise in dB) with their test method, every tenth product
also with its own Q/ standard. Among them 1 % cite the withdrawn standard (excluded: they fail
the automatic checks), 0.5 % leave out the noise figure, 0.5 % give efficiency in another unit
and some fall below the floor. Then times `supervision.leaders.ranking_run` end to end: the
automatic findings of the declarations that may have changed since declared (`facts.suspects`,
then the validity check engine and `findings_for` for those), the rule run by the database over
the declared values (`ranking.statement`: tiers, places, ties, the record's JSON lines), and
storing the run (the record zipped, its digest).

Run: `.venv/bin/python bench/bench_ranking.py` (SQLite file var/bench_ranking.sqlite3), or
with `DATABASE_URL=postgres://...` for PostgreSQL. `--rebuild` starts from an empty database.
`--only-run` times `ranking_run` alone and prints the digest and the record's SHA-256, so that
two versions can be timed in turns on one database (`PYTHONPATH=../main/src` for the other).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

import proc_cpu

REPO = Path(__file__).resolve().parent.parent
PRODUCTS = 100_000
ENTERPRISES = 20_000


def build(size: int) -> None:
    started = time.perf_counter()
    from django.contrib.auth.models import User
    from django.db import connection, transaction
    from django.utils import timezone

    from stdplus.accounts.credit_code import check_character
    from stdplus.accounts.models import Organization
    from stdplus.catalog.models import Standard
    from stdplus.catalog.services import StandardIn, standards_import
    from stdplus.core.bulk import insert_rows
    from stdplus.declarations.models import (
        CitedStandard,
        Declaration,
        EnterpriseStandard,
        Indicator,
        Product,
    )
    from stdplus.declarations.ranking_inputs import ranking_inputs_write

    standards_import(
        records=[
            StandardIn(
                "GB 97800-2020",
                row=1,
                title_en="Kettles",
                status_word="current",
                published=dt.date(2020, 1, 1),
            ),
            StandardIn(
                "GB/T 97801-2019",
                row=2,
                title_en="Test method",
                status_word="current",
                published=dt.date(2019, 1, 1),
            ),
            StandardIn(
                "GB/T 97802-2005",
                row=3,
                title_en="Old kettles",
                status_word="withdrawn",
                published=dt.date(2005, 1, 1),
                withdrawn=dt.date(2015, 1, 1),
            ),
        ],
        source="bench",
        path="bench.jsonl",
    )
    ids = dict(Standard.objects.values_list("canonical", "pk"))
    current, method, withdrawn = (
        ids["GB 97800-2020"],
        ids["GB/T 97801-2019"],
        ids["GB/T 97802-2005"],
    )
    User.objects.create_user("bench-regulator")
    now = timezone.now()
    today = dt.date(2026, 6, 1)
    enterprises = []
    for n in range(1, ENTERPRISES + 1):
        first = f"91440300MA5{n:06d}"
        enterprises.append(
            (
                n,
                f"基准电器{n}",
                f"Bench Appliances {n}",
                "enterprise",
                first + check_character(first),
                "440305",
                "",
                "",
                True,
                now,
                now,
            )
        )
    declarations, products, cited, indicators, qstandards = [], [], [], [], []
    for n in range(1, size + 1):
        enterprise = (n - 1) % ENTERPRISES + 1
        declarations.append(
            (n, enterprise, uuid.uuid4().hex, 1, "declared", today, today, False, now, now)
        )
        products.append((n, n, f"电水壶 K-{n}", "", "", "", "", "", "3854"))
        cited.append((n, n, withdrawn if n % 100 == 7 else current, ""))
        efficiency = round(
            80 + (n * 7919) % 180 / 10, 1
        )  # 80.0 to 97.9 %: some below the floor (82)
        noise = round(35 + (n * 104729) % 200 / 10, 1)  # 35.0 to 54.9 dB
        indicators.append(
            (2 * n - 1, n, "热效率", "W" if n % 200 == 3 else "%", "higher", efficiency, method, "")
        )
        if n % 200 != 5:
            indicators.append((2 * n, n, "噪声", "dB", "lower", noise, method, ""))
        if n % 10 == 0:
            qstandards.append(
                (
                    n,
                    n,
                    enterprise,
                    f"Q/BENCH{enterprise} {n:04d}-2024",
                    f"BENCH{enterprise}",
                    n,
                    2024,
                    f"电水壶企业标准 {n}",
                    "",
                    "",
                    None,
                    "",
                )
            )
    with transaction.atomic():
        insert_rows(
            Organization,
            [
                "id",
                "name_zh",
                "name_en",
                "kind",
                "credit_code",
                "region_code",
                "website",
                "join_code",
                "is_active",
                "created_at",
                "updated_at",
            ],
            enterprises,
        )
        insert_rows(
            Declaration,
            [
                "id",
                "enterprise_id",
                "series",
                "version",
                "state",
                "state_since",
                "declared_on",
                "demo",
                "created_at",
                "updated_at",
            ],
            declarations,
        )
        insert_rows(
            Product,
            [
                "id",
                "declaration_id",
                "name",
                "common_name",
                "brand",
                "model",
                "specification",
                "barcode",
                "category",
            ],
            products,
        )
        insert_rows(CitedStandard, ["id", "product_id", "standard_id", "typed"], cited)
        insert_rows(
            Indicator,
            [
                "id",
                "product_id",
                "name",
                "unit",
                "direction",
                "value",
                "method_standard_id",
                "own_method",
            ],
            indicators,
        )
        insert_rows(
            EnterpriseStandard,
            [
                "id",
                "product_id",
                "enterprise_id",
                "number",
                "code",
                "sequence",
                "year",
                "title",
                "text_name",
                "text_type",
                "text_size",
                "text_sha256",
            ],
            qstandards,
        )
    print(f"inserted the rows in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    with connection.cursor() as cursor:
        # Statistics first. (On PostgreSQL writing the stored inputs right after the copy
        # still takes minutes at 100,000 products, 4 s on the same rows later: not understood.)
        cursor.execute("ANALYZE")
    with transaction.atomic():
        # What a ranking reads of each product, as the lifecycle writes it when a version
        # becomes public (these versions are inserted public).
        ranking_inputs_write()
    print(f"wrote the stored inputs by {time.perf_counter() - started:.0f} s", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # statistics for the planner, as a live database has


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rebuild", action="store_true", help="delete the benchmark database first"
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", type=int, default=PRODUCTS)
    parser.add_argument(
        "--only-run",
        action="store_true",
        help="time ranking_run alone and print the run's digest and the record's SHA-256 "
        "(the parts apart use this version's functions: leave them out to time another "
        "version, PYTHONPATH=../main/src, on the same database)",
    )
    args = parser.parse_args()
    database = REPO / "var" / "bench_ranking.sqlite3"
    if not os.environ.get("DATABASE_URL"):
        database.parent.mkdir(parents=True, exist_ok=True)
        if args.rebuild and database.exists():
            database.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stdplus.settings")
    os.environ.setdefault("STDPLUS_TODAY", "2026-06-01")
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection, transaction

    from stdplus.core.lifecycle import transition_apply
    from stdplus.declarations.models import Declaration
    from stdplus.supervision import facts, leaders
    from stdplus.supervision.models import LeaderCategory, Scheme

    call_command("migrate", verbosity=0)
    if not Declaration.objects.exists():
        started = time.perf_counter()
        build(args.size)
        print(f"built the data in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    regulator = User.objects.get(username="bench-regulator")
    regulator.groups.add(Group.objects.get(name="regulator"))
    regulator = User.objects.get(pk=regulator.pk)
    scheme = Scheme.objects.filter(state="in_effect").first()
    if scheme is None:
        area = leaders.area_create(
            actor=regulator, values={"year": "2026", "code": "HA", "name_zh": "家用电器"}
        )
        category = leaders.category_create(
            actor=regulator,
            area=area,
            values={"code": "KETTLE", "name_zh": "电水壶", "product_category": "3854"},
        )
        scheme = leaders.scheme_create(
            actor=regulator,
            category=category,
            indicators=[
                {
                    "name_zh": "热效率",
                    "direction": "higher",
                    "unit": "%",
                    "floor": "82",
                    "tiers": ["95", "90", "86"],
                },
                {
                    "name_zh": "噪声",
                    "direction": "lower",
                    "unit": "dB",
                    "floor": "55",
                    "tiers": ["38", "45", "50"],
                },
            ],
        )
        transition_apply(scheme, "announce", actor=regulator, on=dt.date(2026, 6, 1))
        transition_apply(scheme, "take_effect", actor=regulator, on=dt.date(2026, 6, 15))
    from django.conf import settings

    settings.STDPLUS_TODAY = "2026-06-15"
    assert LeaderCategory.objects.count() == 1

    print(
        f"\n## Data ({connection.vendor}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)\n"
    )
    print(
        f"- declarations in force of class 3854: {leaders.category_declarations('3854').count():,}"
    )

    def server_cpu() -> float | None:
        """CPU time of this connection's PostgreSQL server process (same machine), if readable."""
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        return proc_cpu.cpu_seconds(pid)

    totals, cpu, served, parts = [], [], [], []
    for _ in range(args.runs):
        started_server = server_cpu()
        started, started_cpu = time.perf_counter(), time.process_time()
        run = leaders.ranking_run(actor=regulator, scheme=scheme, year=2026)
        totals.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        if started_server is not None:
            served.append(server_cpu() - started_server)
        if args.only_run:
            continue
        # The same steps, apart, to see where the time goes (CPU time of this process).
        from stdplus.supervision.ranking import answer, shape_map
        from stdplus.supervision.records import pack, scheme_json

        with transaction.atomic():
            t0 = time.process_time()
            errors = facts.errors_by_declaration(leaders.category_declarations("3854"))
            t1 = time.process_time()
            specs = leaders.specs_of(scheme)
            products, params = leaders.live_products("3854")
            shapes = shape_map(specs, leaders.declared_shapes("3854"))
            record = answer(
                specs,
                products=products,
                params=params,
                shapes=shapes,
                errors=errors,
                leader_tiers=scheme.leader_tiers,
            )
            t2 = time.process_time()
            header = scheme_json(specs, scheme.leader_tiers)
            leaders.run_digest(header, record)
            blob = pack(header, record)
            t3 = time.process_time()
        parts.append((t1 - t0, t2 - t1, t3 - t2))
        assert sum(1 for codes in errors.values() if codes) == args.size // 100
    if args.only_run:
        import hashlib

        import stdplus

        print(
            f"- {Path(stdplus.__file__).parent.parent}: runs {args.runs}; median "
            f"{statistics.median(totals):.3f} s; best {min(totals):.3f} s; CPU median "
            f"{statistics.median(cpu):.3f} s"
            + (f"; server CPU median {statistics.median(served):.3f} s" if served else "")
            + f"; load {os.getloadavg()[0]:.1f}"
        )
        print(
            f"  digest {run.inputs_digest[:16]}; record sha256 "
            f"{hashlib.sha256(bytes(run.record)).hexdigest()[:16]}"
        )
        return 0
    reasons: dict[str, int] = {}
    for row in run.exclusions:
        reasons[row[1]] = reasons.get(row[1], 0) + 1
    print(f"- ranked: {len(run.result):,}; excluded: {len(run.exclusions):,} {reasons}")
    print(
        f"- leaders: {sum(1 for r in run.result if r[11]):,}; ties: {sum(1 for r in run.result if r[10]):,}"
    )
    print(f"- record: {len(blob):,} bytes (inputs {len(record.inputs):,} bytes before zipping)")
    print("\n## Ranking run (ranking_run, end to end, stored)\n")
    print(
        f"- runs: {args.runs}; median {statistics.median(totals):.3f} s; best {min(totals):.3f} s; "
        f"slowest {max(totals):.3f} s"
    )
    print(
        f"- CPU time of this process (the machine is shared): median "
        f"{statistics.median(cpu):.3f} s; best {min(cpu):.3f} s"
    )
    if served:
        print(
            f"- CPU time of its PostgreSQL server process: median "
            f"{statistics.median(served):.3f} s; best {min(served):.3f} s"
        )
    findings = statistics.median(p[0] for p in parts)
    statement = statistics.median(p[1] for p in parts)
    stored = statistics.median(p[2] for p in parts)
    print(
        f"- of which (CPU medians of this process, measured apart): automatic findings "
        f"{findings:.3f} s; the ranking statement {statement:.3f} s; digest and zip {stored:.3f} s"
    )
    if connection.vendor == "postgresql":
        print("  (on PostgreSQL the statement runs in the server: its time is in the wall time)")
    return 0 if statistics.median(totals) < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
