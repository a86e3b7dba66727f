"""Benchmark self-declarations at scale: public search through the API, an enterprise's page,
and the re-check after the catalog changes 1,000 standards.

Run against a database of its own (it fills it; PostgreSQL for the real figures):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stdplus_bench_decl \\
        .venv/bin/python bench/bench_declarations.py [--declarations 1000000] [--rounds 200]

Data, by bulk inserts (`core.bulk`, COPY on PostgreSQL): `--standards` catalog standards
through the catalog's import (default 20,000 GB/T editions), `--enterprises` enterprises
(default declarations / 20), `--declarations` public declarations (default 1,000,000) of one
product each, 5 cited standards per declaration and 3 indicators (half of them with a test
method standard). `--declarations 100000` scales everything down by ten. A database already
filled at the same scale is reused (`--rebuild` starts again).

Measured:
- search: p50/p95 of `GET /api/v1/declarations?...` (the API, through Django's test client:
  no network) over a mix of queries (credit code, enterprise name, a cited standard, category,
  district, date range, combinations), first page of 20;
- enterprise page: p50/p95 of `GET /declarations/enterprise/<code>/` (HTML), for `--rounds`
  enterprises viewed once (the page's content rendered and cached), then the same again (the
  content read from the cache);
- re-check: 1,000 standards change (500 withdrawn, 500 superseded by a new edition in force),
  then the hook's listener (`declarations.rechecks.standards_recheck`) re-checks the
  declarations that name them: declarations re-checked per second, findings raised.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import time
import uuid

import django
import proc_cpu


def p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def server_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend so far (a local server; 0 else):
    on a machine loaded by others, CPU time says more than the wall clock."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return proc_cpu.cpu_seconds(pid) or 0.0


def credit(n: int) -> str:
    from stdplus.accounts.credit_code import check_character

    first = f"91440300MB{n:07d}"
    return first + check_character(first)


def fill(args, rng: random.Random) -> None:
    from django.db import connection

    from stdplus.accounts.models import Organization
    from stdplus.catalog.models import Standard
    from stdplus.catalog.services import StandardIn, standards_import
    from stdplus.core.bulk import rows_insert, rows_prepare
    from stdplus.declarations.industries import CLASSES
    from stdplus.declarations.models import CitedStandard, Declaration, Indicator, Product

    started = time.perf_counter()
    have = Standard.objects.filter(source="bench").count()
    if have < args.standards:
        records = [
            StandardIn(
                f"GB/T {60000 + n}-{2010 + n % 14}",
                row=n + 1,
                title_en=f"Bench standard {n}",
                title_zh=f"基准标准 {n}",
                status_word="current",
                published=dt.date(2010 + n % 14, 1 + n % 12, 1),
            )
            for n in range(have, args.standards)
        ]
        standards_import(records=records, source="bench", path="bench.jsonl")
    standard_ids = list(
        Standard.objects.filter(source="bench").order_by("pk").values_list("pk", flat=True)
    )
    print(f"  standards: {len(standard_ids):,} ({time.perf_counter() - started:.0f} s)")

    enterprises = max(1, args.declarations // 20)
    first_org = Organization.objects.count()
    if first_org < enterprises:
        districts = ["440303", "440304", "440305", "440306", "440307", "440308", "440309"]
        rows_insert(
            rows_prepare(
                Organization,
                ["name_zh", "name_en", "kind", "credit_code", "region_code", "is_active"],
                (
                    (
                        f"深圳市基准{n}号电器有限公司",
                        f"Shenzhen Bench Appliances No. {n}",
                        "enterprise",
                        credit(n),
                        districts[n % len(districts)],
                        True,
                    )
                    for n in range(first_org, enterprises)
                ),
            )
        )
    org_ids = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    print(f"  enterprises: {len(org_ids):,}")

    have = Declaration.objects.count()
    categories = [code for code, _zh, _en in CLASSES]
    names = ["电热水壶", "电饭锅", "保温杯", "锂离子电池", "LED 灯", "智能手表", "洗衣液", "饮用水"]
    step = 100_000
    start_day = dt.date(2019, 1, 1)
    for begin in range(have, args.declarations, step):
        end = min(args.declarations, begin + step)
        t0 = time.perf_counter()
        top = Declaration.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        rows_insert(
            rows_prepare(
                Declaration,
                ["enterprise", "series", "version", "state", "declared_on", "state_since"],
                (
                    (
                        org_ids[n % len(org_ids)],
                        uuid.UUID(int=n + 1),
                        1,
                        "declared",
                        start_day + dt.timedelta(days=n % 2500),
                        start_day + dt.timedelta(days=n % 2500),
                    )
                    for n in range(begin, end)
                ),
            )
        )
        ids = list(
            Declaration.objects.filter(pk__gt=top).order_by("pk").values_list("pk", flat=True)
        )
        top_product = Product.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        rows_insert(
            rows_prepare(
                Product,
                ["declaration", "name", "model", "category"],
                (
                    (d, names[d % len(names)], f"M-{d}", categories[d % len(categories)])
                    for d in ids
                ),
            )
        )
        products = list(
            Product.objects.filter(pk__gt=top_product).order_by("pk").values_list("pk", flat=True)
        )
        rows_insert(
            rows_prepare(
                CitedStandard,
                ["product", "standard", "typed"],
                (
                    (product, standard, "")
                    for product in products
                    for standard in rng.sample(standard_ids, 5)
                ),
            )
        )
        rows_insert(
            rows_prepare(
                Indicator,
                ["product", "name", "unit", "direction", "value", "method_standard", "own_method"],
                (
                    (
                        product,
                        f"指标{k}",
                        "W",
                        "lower",
                        100 + k,
                        rng.choice(standard_ids) if k % 2 == 0 else None,
                        "" if k % 2 == 0 else "企业方法",
                    )
                    for product in products
                    for k in range(3)
                ),
            )
        )
        print(f"  declarations {end:,} ({time.perf_counter() - t0:.0f} s for this step)")
    if connection.vendor == "postgresql":
        # What autovacuum does to a database at rest (visibility maps, statistics).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def queries(rng: random.Random, count: int) -> list[dict]:
    from stdplus.accounts.models import Organization
    from stdplus.catalog.models import Standard

    codes = list(Organization.objects.order_by("?").values_list("credit_code", flat=True)[:200])
    standards = list(
        Standard.objects.filter(source="bench")
        .order_by("?")
        .values_list("canonical", flat=True)[:200]
    )
    out = []
    for n in range(count):
        kind = n % 7
        if kind == 0:
            out.append({"enterprise": rng.choice(codes)})
        elif kind == 1:
            out.append({"enterprise": f"基准{rng.randint(1, 40000)}号"})
        elif kind == 2:
            out.append({"standard": rng.choice(standards)})
        elif kind == 3:
            out.append({"category": rng.choice(["3854", "2927", "3841"]), "district": "440305"})
        elif kind == 4:
            day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 2400))
            out.append({"declared_from": day.isoformat(), "declared_to": day.isoformat()})
        elif kind == 5:
            out.append({"standard": rng.choice(standards), "district": "4403"})
        else:
            out.append({"district": "440306", "category": "3841"})
    return out


def measure_search(client, rng, rounds: int) -> dict:
    times: dict[str, list[float]] = {}
    cpu = (time.process_time(), server_cpu())
    for query in queries(rng, rounds):
        key = "+".join(sorted(query))
        start = time.perf_counter()
        response = client.get("/api/v1/declarations", {**query, "limit": 20})
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, response.content[:300]
        times.setdefault(key, []).append(elapsed)
    every = [t for values in times.values() for t in values]
    used = (time.process_time() - cpu[0], server_cpu() - cpu[1])
    return {"all": every, **times, "cpu": used}


def measure_enterprise(client, codes: list[str]) -> tuple[list[float], tuple[float, float]]:
    times = []
    cpu = (time.process_time(), server_cpu())
    for code in codes:
        start = time.perf_counter()
        response = client.get(f"/declarations/enterprise/{code}/")
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return times, (time.process_time() - cpu[0], server_cpu() - cpu[1])


def measure_recheck(rng: random.Random, changed: int) -> dict:
    from django.db import connection, transaction

    from stdplus.catalog.models import Standard
    from stdplus.declarations.rechecks import standards_recheck

    ids = list(
        Standard.objects.filter(source="bench", status="current")
        .order_by("?")
        .values_list("pk", flat=True)[:changed]
    )
    with transaction.atomic():
        half = len(ids) // 2
        Standard.objects.filter(pk__in=ids[:half]).update(
            status="withdrawn", base_status="withdrawn", withdrawn=dt.date(2025, 1, 1)
        )
        Standard.objects.filter(pk__in=ids[half:]).update(
            status="superseded", base_status="superseded", withdrawn=dt.date(2025, 1, 1)
        )
        start, cpu = time.perf_counter(), (time.process_time(), server_cpu())
        result = standards_recheck(ids)
        elapsed = time.perf_counter() - start
        used = (time.process_time() - cpu[0], server_cpu() - cpu[1])
        # The foreign keys of the rows written are checked at commit (deferred); checked here,
        # timed apart, as the run is rolled back.
        checked = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        checked = time.perf_counter() - checked
        transaction.set_rollback(True)  # the next run starts from the same data
    return {
        "standards": len(ids),
        "declarations": result.declarations,
        "raised": result.raised,
        "seconds": elapsed,
        "per_second": result.declarations / elapsed if elapsed else 0,
        "cpu": used,
        "checked": checked,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--declarations", type=int, default=1_000_000)
    parser.add_argument("--standards", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=210)
    parser.add_argument("--changed", type=int, default=1_000)
    parser.add_argument("--skip-fill", action="store_true")
    parser.add_argument(
        "--only",
        default="search,page,recheck",
        help="what to measure, of search,page,recheck (default: all three)",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stdplus.settings")
    os.environ.setdefault("STDPLUS_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("STDPLUS_API_RATE_ANON", "0")  # measured, not rate-limited
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    import logging

    logging.getLogger("stdplus.access").setLevel(logging.WARNING)
    logging.getLogger("django.request").setLevel(logging.ERROR)
    call_command("migrate", verbosity=0)
    rng = random.Random(13)
    print(
        f"{platform.node()} · Python {sys.version.split()[0]} · {connection.vendor} · "
        f"{os.cpu_count()} CPUs (shared, loaded)"
    )
    if not args.skip_fill:
        fill(args, rng)
    from stdplus.declarations.models import CitedStandard, Declaration, Indicator

    counts = (Declaration.objects.count(), CitedStandard.objects.count(), Indicator.objects.count())
    print(f"data: {counts[0]:,} declarations, {counts[1]:,} cited, {counts[2]:,} indicators")
    client = Client()
    only = set(args.only.split(","))
    if "search" in only:
        report_search(client, rng, args.rounds)
    if "page" in only:
        report_pages(client, args.rounds)
    if "recheck" in only:
        report_recheck(rng, args.changed)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


def report_search(client, rng, rounds: int) -> None:
    measure_search(client, rng, 14)  # warm up
    search = measure_search(client, rng, rounds)
    print(
        f"search (API, first page of 20): p50 {statistics.median(search['all']):.1f} ms, "
        f"p95 {p(search['all'], 0.95):.1f} ms over {len(search['all'])} requests"
    )
    n = len(search["all"])
    print(
        f"  CPU per request: client (Django) {search['cpu'][0] / n * 1000:.1f} ms, "
        f"PostgreSQL backend {search['cpu'][1] / n * 1000:.1f} ms"
    )
    for key, values in sorted(search.items()):
        if key not in ("all", "cpu"):
            print(
                f"  {key:<28} p50 {statistics.median(values):6.1f} ms  p95 {p(values, 0.95):6.1f}"
            )


def report_pages(client, rounds: int) -> None:
    """Each of `rounds` enterprises' pages viewed once (its content rendered and cached), then
    the same pages viewed again (the content from the cache, the rest of the page rendered)."""
    from stdplus.accounts.models import Organization

    codes = list(
        Organization.objects.order_by("?").values_list("credit_code", flat=True)[: rounds + 10]
    )
    measure_enterprise(client, codes[:10])  # warm up
    for label, views in (("first view", codes[10:]), ("viewed again", codes[10:])):
        pages, cpu = measure_enterprise(client, views)
        print(
            f"enterprise page (HTML), {label}: p50 {statistics.median(pages):.1f} ms, "
            f"p95 {p(pages, 0.95):.1f} ms over {len(pages)} requests; CPU per request: client "
            f"{cpu[0] / len(pages) * 1000:.1f} ms, PostgreSQL backend "
            f"{cpu[1] / len(pages) * 1000:.1f} ms"
        )


def report_recheck(rng, changed: int) -> None:
    recheck = measure_recheck(rng, changed)
    print(
        f"re-check after {recheck['standards']:,} standards changed: "
        f"{recheck['declarations']:,} declarations in {recheck['seconds']:.2f} s = "
        f"{recheck['per_second']:,.0f} declarations/s, {recheck['raised']:,} findings raised; "
        f"CPU: client {recheck['cpu'][0]:.2f} s, PostgreSQL backend {recheck['cpu'][1]:.2f} s; "
        f"foreign keys checked at commit: {recheck['checked']:.2f} s more"
    )


if __name__ == "__main__":
    sys.exit(main())
