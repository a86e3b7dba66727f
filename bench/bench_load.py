"""Load test: a fixed mix of pages on the production server with its worker, on loopback.

Serves the app with gunicorn and production settings (STDPLUS_PRODUCTION=1, DEBUG off, static
files collected, the statistics' cache as configured, emptied first) on 127.0.0.1, starts the
background worker beside it (`stdplus worker`, periodic jobs on, as `make serve` does; not with
`--no-worker`), then runs `--clients` threads for `--seconds`, each asking for pages of a fixed,
weighted mix:

    search (HTML)          /search/?q=...
    detail (HTML)          /standards/<identifier>/
    stats dashboard (HTML) /stats/?region=...&year=...
    stats records (HTML)   /stats/records/<figure>/?region=...&year=...[&split=...]
    home (HTML)            /
    api search             /api/v1/standards?q=...
    api detail             /api/v1/standards/<identifier>
    api stats              /api/v1/stats/indicators?region=...&year=...

Before the timed run every page of the mix is asked for once by one client (each statistics
page is then counted and cached: "first request" below). Reports p50/p95/p99/max and the error
rate (any answer other than 200, or no answer) per kind, as Markdown, and the worker's CPU time.

`--clients 8,16,32,64` runs one step per number of clients, one after the other, and ends with a
table of the steps and the highest rate whose p95 stays under `--p95-limit` (300 ms) without
errors: what this machine holds.

Needs the bundled data and the demo region (the statistics figures):

    .venv/bin/stdplus import && .venv/bin/stdplus programme demo --region 4403 --replace
    .venv/bin/pip install -e ".[bench]"
    .venv/bin/python bench/bench_load.py

Uses the database of the environment (DATABASE_URL, else var/stdplus.sqlite3 under
STDPLUS_HOME or the current folder). Loopback only; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import proc_cpu

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
LOG = REPO / "var" / "bench_load.log"  # the server's and the worker's own lines (access log)

SEARCHES = [
    "质量管理",
    "quality management",
    "gbt19001",
    "iso 9001",
    "信息安全",
    "电动汽车",
    "食品",
]
REGIONS = ["4403", "440305", "440304", "440306", "44"]
YEARS = [2018, 2021, 2023, 2024]
RECORD_PAGES = [
    ("participation", {}),
    ("participation", {"level": "national"}),
    ("participation_led", {}),
    ("local", {}),
    ("group", {}),
    ("enterprise", {}),
    ("bodies", {}),
    ("experts", {}),
    ("pilots", {}),
    ("funding", {}),
]
# Share of the requests of each kind (the mix is fixed; the pages within a kind are drawn).
WEIGHTS = {
    "search": 20,
    "detail": 15,
    "stats dashboard": 15,
    "stats records": 15,
    "home": 5,
    "api search": 10,
    "api detail": 10,
    "api stats": 10,
}


@dataclass
class Kind:
    urls: list[str]
    times: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


def mix(identifiers: list[str]) -> dict[str, Kind]:
    scopes = [{"region": region, "year": year} for region in REGIONS for year in YEARS]
    return {
        "search": Kind([f"/search/?{urlencode({'q': q})}" for q in SEARCHES]),
        "detail": Kind([f"/standards/{quote(i, safe='')}/" for i in identifiers]),
        "stats dashboard": Kind([f"/stats/?{urlencode(scope)}" for scope in scopes]),
        "stats records": Kind(
            [
                f"/stats/records/{key}/?{urlencode({**scope, **split})}"
                for key, split in RECORD_PAGES
                for scope in scopes[:: len(YEARS)] + scopes[: len(YEARS)]
            ]
        ),
        "home": Kind(["/"]),
        "api search": Kind([f"/api/v1/standards?{urlencode({'q': q})}" for q in SEARCHES]),
        "api detail": Kind([f"/api/v1/standards/{quote(i, safe='')}" for i in identifiers]),
        "api stats": Kind([f"/api/v1/stats/indicators?{urlencode(scope)}" for scope in scopes]),
    }


def fetch(port: int, path: str, timeout: float = 60) -> tuple[int, float]:
    """One request on a new connection (gunicorn's sync workers close each one)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        # Behind a TLS proxy in production; says so in case the settings redirect plain HTTP.
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def sample_identifiers(count: int) -> list[str]:
    """Canonical identifiers of `count` standards spread over the catalog (fixed seed)."""
    import django

    django.setup()
    from stdplus.catalog.models import Standard
    from stdplus.programme.models import Participation

    if not Participation.objects.exists():
        raise SystemExit(
            "no programme data: run `stdplus import` and "
            "`stdplus programme demo --region 4403 --replace` first"
        )
    # What the public reads: the demo generator's invented entries are not shown (a 404).
    ids = list(Standard.objects.public().order_by("pk").values_list("pk", flat=True))
    chosen = random.Random(7).sample(ids, min(count, len(ids)))
    return list(Standard.objects.filter(pk__in=chosen).values_list("canonical", flat=True))


def stats_cache_clear() -> None:
    """Start with no statistics cached (the first requests count them)."""
    from django.core.cache import InvalidCacheBackendError, caches

    with contextlib.suppress(InvalidCacheBackendError):  # a version without that cache
        caches["stats"].clear()


def serve(port: int, workers: int) -> tuple[subprocess.Popen, dict]:
    env = {
        **os.environ,
        "STDPLUS_PRODUCTION": "1",
        "STDPLUS_DEBUG": "0",
        "STDPLUS_SECRET_KEY": os.environ.get("STDPLUS_SECRET_KEY") or secrets.token_urlsafe(50),
        "STDPLUS_ALLOWED_HOSTS": HOST,
        # The clients stand for many people but all come from 127.0.0.1: the per-address API
        # limits would measure the throttle, not the server (set them to measure the throttle).
        "STDPLUS_API_RATE_ANON": os.environ.get("STDPLUS_API_RATE_ANON", "0"),
        "STDPLUS_API_RATE_TOKEN": os.environ.get("STDPLUS_API_RATE_TOKEN", "0"),
    }
    subprocess.run(
        [str(BIN / "stdplus"), "collectstatic", "--no-input", "-v0"], env=env, check=True
    )
    gunicorn = shutil.which("gunicorn", path=str(BIN)) or "gunicorn"
    LOG.parent.mkdir(parents=True, exist_ok=True)
    LOG.write_bytes(b"")
    with LOG.open("ab") as log:
        server = subprocess.Popen(
            [
                gunicorn,
                "stdplus.wsgi:application",
                "--workers",
                str(workers),
                "--bind",
                f"{HOST}:{port}",
                "--log-level",
                "warning",
                "--timeout",
                "120",
            ],
            env=env,
            stdout=log,
            stderr=log,
        )
    for _ in range(240):
        try:
            if fetch(port, "/", timeout=5)[0] < 500:
                return server, env
        except OSError:
            pass
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before answering")
        time.sleep(0.25)
    server.terminate()
    raise SystemExit(f"nothing answers on port {port}")


def run(port: int, kinds: dict[str, Kind], clients: int, seconds: float) -> float:
    names = list(kinds)
    weights = [WEIGHTS[name] for name in names]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(number: int) -> None:
        rng = random.Random(number)
        while time.perf_counter() < deadline:
            name = rng.choices(names, weights)[0]
            kind = kinds[name]
            path = rng.choice(kind.urls)
            try:
                status, elapsed = fetch(port, path)
            except OSError:
                status, elapsed = 0, 0.0
            with lock:
                kind.statuses[status] = kind.statuses.get(status, 0) + 1
                if status == 200:
                    kind.times.append(elapsed)
                else:
                    kind.errors += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def ms(value: float) -> str:
    return f"{value * 1000:,.0f}"


def work(env: dict) -> subprocess.Popen:
    """The background worker beside the web server, as `make serve` runs it (periodic jobs on)."""
    with LOG.open("ab") as log:
        return subprocess.Popen([str(BIN / "stdplus"), "worker"], env=env, stdout=log, stderr=log)


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far (0 once it is gone)."""
    return proc_cpu.cpu_seconds(pid) or 0.0


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children (gunicorn's master and its workers)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return cpu_seconds(pid) + sum(cpu_seconds(int(child)) for child in children)


def database_cpu() -> dict[int, float] | None:
    """CPU time so far of each PostgreSQL backend serving this database (the web and worker
    processes keep their connections open), when the server runs on this machine; else None."""
    from django.db import connection

    if connection.vendor != "postgresql" or connection.settings_dict.get("HOST") not in (
        "",
        "127.0.0.1",
        "localhost",
        None,
    ):
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        pids = [row[0] for row in cursor.fetchall()]
    return {pid: cpu_seconds(pid) for pid in pids}


def report(kinds: dict[str, Kind], first: dict[str, list[float]] | None) -> None:
    """The per-kind table of one run."""
    total = sum(len(k.times) + k.errors for k in kinds.values())
    errors = sum(k.errors for k in kinds.values())
    every = [t for k in kinds.values() for t in k.times]
    print(
        "| kind | requests | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | errors | "
        "first request, median / max (ms) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, kind in kinds.items():
        count = len(kind.times) + kind.errors
        rate = f"{kind.errors} ({100 * kind.errors / count:.1f}%)" if count else "0"
        firsts = (first or {}).get(name)
        print(
            f"| {name} | {count:,} | {ms(percentile(kind.times, 0.5))} | "
            f"{ms(percentile(kind.times, 0.95))} | {ms(percentile(kind.times, 0.99))} | "
            f"{ms(max(kind.times, default=0))} | {rate} | "
            + (f"{ms(statistics.median(firsts))} / {ms(max(firsts))} |" if firsts else "|")
        )
    print(
        f"| all | {total:,} | {ms(percentile(every, 0.5))} | {ms(percentile(every, 0.95))} | "
        f"{ms(percentile(every, 0.99))} | {ms(max(every, default=0))} | "
        f"{errors} ({100 * errors / max(1, total):.2f}%) | |"
    )
    for name, kind in kinds.items():
        odd = {status: n for status, n in kind.statuses.items() if status != 200}
        if odd:
            print(f"\n{name}: answers other than 200: {odd}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--clients",
        default="8",
        help="client threads; a list (8,16,32) runs one step per number, one after the other",
    )
    parser.add_argument("--seconds", type=float, default=60, help="length of each step")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=8660)
    parser.add_argument("--details", type=int, default=200, help="standards in the detail mix")
    parser.add_argument(
        "--no-worker", action="store_true", help="without the background worker beside the server"
    )
    parser.add_argument(
        "--p95-limit", type=float, default=300, help="the p95 (ms) a step must stay under"
    )
    args = parser.parse_args()
    steps = [int(n) for n in str(args.clients).split(",") if n.strip()]

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stdplus.settings")
    identifiers = sample_identifiers(args.details)
    stats_cache_clear()
    server, env = serve(args.port, args.workers)
    worker = None if args.no_worker else work(env)
    rows = []
    failed_first: list[tuple[int, str]] = []
    try:
        kinds = mix(identifiers)
        first: dict[str, list[float]] = {}
        for name, kind in kinds.items():
            for path in dict.fromkeys(kind.urls):
                status, elapsed = fetch(args.port, path)
                first.setdefault(name, []).append(elapsed)
                if status != 200:
                    failed_first.append((status, path))
        for number, clients in enumerate(steps):
            kinds = mix(identifiers)
            load = os.getloadavg()[0]
            worker_cpu = cpu_seconds(worker.pid) if worker else 0.0
            server_cpu, own_cpu = tree_cpu_seconds(server.pid), sum(os.times()[:2])
            database_before = database_cpu()
            elapsed = run(args.port, kinds, clients, args.seconds)
            database_after = database_cpu()
            database_used = (
                None
                if database_before is None or database_after is None
                else sum(cpu - database_before.get(pid, 0.0) for pid, cpu in database_after.items())
            )
            worker_cpu = (cpu_seconds(worker.pid) - worker_cpu) if worker else 0.0
            server_cpu = tree_cpu_seconds(server.pid) - server_cpu
            own_cpu = sum(os.times()[:2]) - own_cpu
            every = [t for k in kinds.values() for t in k.times]
            total = sum(len(k.times) + k.errors for k in kinds.values())
            errors = sum(k.errors for k in kinds.values())
            print(
                f"\n{clients} clients, {args.seconds:.0f} s, gunicorn {args.workers} sync workers"
                f"{'' if worker is None else ' and the background worker'}, "
                f"{os.cpu_count()} cores; load average {load:.1f} before, "
                f"{os.getloadavg()[0]:.1f} after; {total:,} requests ({total / elapsed:,.0f}/s), "
                f"{errors} errors"
                + f"; CPU: the server {server_cpu:.1f} s ({1000 * server_cpu / max(1, total):.1f} ms "
                f"a request), the clients {own_cpu:.1f} s"
                + ("" if worker is None else f", the worker {worker_cpu:.1f} s")
                + (
                    ""
                    if database_used is None
                    else f", PostgreSQL's backends {database_used:.1f} s "
                    f"({1000 * database_used / max(1, total):.1f} ms a request)"
                )
                + "\n"
            )
            report(kinds, first if number == 0 else None)
            rows.append((clients, total / elapsed, every, errors, total, server_cpu))
    finally:
        for process in (worker, server):
            if process is not None:
                process.terminate()
                process.wait(timeout=60)

    if len(rows) > 1:
        print(f"\nSteps (p95 limit {args.p95_limit:.0f} ms):\n")
        print(
            "| clients | requests/s | p50 (ms) | p95 (ms) | p99 (ms) | errors | "
            "server CPU a request (ms) | within |"
        )
        print("|---|---|---|---|---|---|---|---|")
        held = None
        for clients, rate, every, errors, total, server_cpu in rows:
            p95 = percentile(every, 0.95) * 1000
            within = p95 < args.p95_limit and not errors
            if within and (held is None or rate > held[1]):
                held = (clients, rate, p95)
            print(
                f"| {clients} | {rate:,.0f} | {ms(percentile(every, 0.5))} | {p95:,.0f} | "
                f"{ms(percentile(every, 0.99))} | {errors} of {total:,} | "
                f"{1000 * server_cpu / max(1, total):.1f} | {'yes' if within else 'no'} |"
            )
        if held:
            print(
                f"\nHolds {held[1]:,.0f} requests/s with p95 {held[2]:,.0f} ms "
                f"(under {args.p95_limit:.0f} ms) at {held[0]} clients."
            )
        else:
            print(f"\nNo step kept its p95 under {args.p95_limit:.0f} ms without errors.")
    for status, path in failed_first[:10]:
        print(f"first request answered {status}: {path}")
    return 1 if failed_first or any(row[3] for row in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
