"""Search and detail through the API on a catalog given by URL: 5,000,000 standards on PostgreSQL.

    python bench/bench_scale.py --database-url postgres://postgres@127.0.0.1:5432/scale5m \\
        --total 5000000                      # build what is missing, then measure
    python bench/bench_scale.py --database-url postgres://... --total 5000000 --build
    python bench/bench_scale.py --database-url sqlite:////path/catalog.sqlite3 --measure-only

Build (PostgreSQL; the database is created if missing): `stdplus migrate`, `stdplus import` (the
bundled real data), `stdplus bench generate` for the synthetic records up to --total, cut into
files of --chunk records imported one after the other with `stdplus import` (each file is one
transaction; a stopped build goes on with the files not yet imported), then VACUUM ANALYZE
(without it a server whose autovacuum is off has no statistics). Files and the build's log go
to var/scale/.

Measure (any database; --measure-only neither migrates nor writes): serves the site with
gunicorn (2 workers) on 127.0.0.1 and times, one request at a time after a warm-up pass, the
fixed searches of bench_search.py (`queries()`, all and by kind: identifier, chinese, english,
filter) through GET /api/v1/standards and 200 detail pages GET /api/v1/standards/{id}, p50/p95,
with the load average before and after each. No peer: bench_search.py compares with datasette.
Prints JSON and writes var/scale/results-NAME.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import time
from pathlib import Path
from urllib.parse import quote, urlparse

from bench_search import BIN, REPO, measure, ours_url, queries, run, serve_ours, wait_for

VAR = REPO / "var" / "scale"


def _name(url: str) -> str:
    parsed = urlparse(url)
    return Path(parsed.path).stem if parsed.scheme == "sqlite" else parsed.path.lstrip("/")


def _sqlite(url: str, *, readonly: bool = True) -> sqlite3.Connection:
    path = urlparse(url).path
    path = path[1:] if path.startswith("//") else path  # sqlite:////abs/path
    return sqlite3.connect(f"file:{path}?mode=ro" if readonly else path, uri=readonly)


def fetch(url: str, sql: str) -> list[tuple]:
    if url.startswith("sqlite"):
        return _sqlite(url).execute(sql).fetchall()
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute(sql).fetchall()


def pg_admin(url: str, sql: str) -> None:
    """A statement outside a transaction (CREATE DATABASE, VACUUM)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql)


def pg_create(url: str) -> None:
    import psycopg

    name = _name(url)
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def count(url: str) -> int:
    return fetch(url, "SELECT COUNT(*) FROM catalog_standard")[0][0]


def size(url: str) -> dict:
    if url.startswith("sqlite"):
        path = Path(_sqlite(url).execute("PRAGMA database_list").fetchone()[2])
        return {"database_mb": round(path.stat().st_size / 2**20)}
    rows = fetch(
        url,
        "SELECT pg_database_size(current_database()), "
        "pg_total_relation_size('catalog_standard'), pg_relation_size('catalog_standard')",
    )[0]
    largest = fetch(
        url,
        "SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relkind IN ('r', 'm') "
        "AND relnamespace = 'public'::regnamespace ORDER BY 2 DESC LIMIT 8",
    )
    return {
        "database_mb": round(rows[0] / 2**20),
        "catalog_standard_mb (table, with indexes)": [
            round(rows[2] / 2**20),
            round(rows[1] / 2**20),
        ],
        "largest_tables_mb": {name: round(total / 2**20) for name, total in largest},
    }


def build(url: str, total: int, chunk: int) -> dict:
    """Build the catalog up to `total` standards; the log (file: seconds, records) is kept in
    var/scale/NAME-build.json so that a second run goes on where the first stopped."""
    VAR.mkdir(parents=True, exist_ok=True)
    log_path = VAR / f"{_name(url)}-build.json"
    log: dict = json.loads(log_path.read_text()) if log_path.exists() else {"steps": {}}

    def save() -> None:
        log_path.write_text(json.dumps(log, indent=2))

    env = {"DATABASE_URL": url}
    stdplus = str(BIN / "stdplus")
    if not url.startswith("sqlite"):
        pg_create(url)
    log["steps"]["migrate"] = {"seconds": round(run([stdplus, "migrate", "-v0"], env), 1)}
    if count(url) == 0:
        seconds = run([stdplus, "import"], env)
        log["steps"]["import bundled"] = {"seconds": round(seconds, 1), "records": count(url)}
        log["bundled"] = count(url)
        save()
    bundled = log.get("bundled") or count(url)
    wanted = total - bundled
    folder = VAR / f"synthetic-{wanted}"
    files = sorted(folder.glob("synthetic-*.jsonl")) if folder.exists() else []
    if wanted > 0 and not files:
        folder.mkdir(parents=True, exist_ok=True)
        whole = folder / "all.jsonl.tmp"
        seconds = run([stdplus, "bench", "generate", str(wanted), "--out", str(whole)], env)
        log["steps"]["generate"] = {"seconds": round(seconds, 1), "records": wanted}
        started = time.perf_counter()
        with whole.open(encoding="utf-8") as source:
            number, out, lines = 0, None, 0
            for line in source:
                if out is None or lines == chunk:
                    if out:
                        out.close()
                    out = (folder / f"synthetic-{number:02d}.jsonl").open("w", encoding="utf-8")
                    number, lines = number + 1, 0
                out.write(line)
                lines += 1
            if out:
                out.close()
        whole.unlink()
        log["steps"]["split"] = {"seconds": round(time.perf_counter() - started, 1)}
        save()
        files = sorted(folder.glob("synthetic-*.jsonl"))
    for path in files:
        step = f"import {path.name}"
        if step in log["steps"]:
            continue
        before = count(url)
        seconds = run([stdplus, "import", str(path)], env)
        added = count(url) - before
        log["steps"][step] = {
            "seconds": round(seconds, 1),
            "records": added,
            "per_second": round(added / seconds),
            "catalog_after": before + added,
            "load_average_after": round(os.getloadavg()[0], 2),
        }
        save()
    if not url.startswith("sqlite"):
        # The search table's first ranges cut small now that the catalog is large, as
        # docs/deploy.md asks after a catalog has grown (`search.ranges`).
        if "search ranges" not in log["steps"]:
            seconds = run([stdplus, "search", "ranges"], env)
            log["steps"]["search ranges"] = {"seconds": round(seconds, 1)}
            save()
        started = time.perf_counter()
        pg_admin(url, "VACUUM ANALYZE")
        log["steps"]["vacuum analyze"] = {"seconds": round(time.perf_counter() - started, 1)}
    log["standards"] = count(url)
    log["size"] = size(url)
    save()
    return log


def timed(port: int, paths: list[str]) -> dict:
    before = os.getloadavg()[0]
    stats, codes = measure(port, paths)
    stats["errors"] = sum(c != 200 for c in codes)
    stats["load_average"] = [round(before, 2), round(os.getloadavg()[0], 2)]
    return stats


def measure_all(url: str, port: int, details: int) -> dict:
    started = time.perf_counter()
    ids = [r[0] for r in fetch(url, "SELECT canonical FROM catalog_standard ORDER BY id")]
    fixed = queries(ids=ids)
    detail_paths = [
        "/api/v1/standards/" + quote(c, safe="") for c in random.Random(15).sample(ids, details)
    ]
    report: dict = {
        "database": url.split("://")[0],
        "name": _name(url),
        "standards": len(ids),
        "queries": len(fixed),
        "read_ids_seconds": round(time.perf_counter() - started, 1),
        "cores": os.cpu_count(),
    }
    server = serve_ours(port, url)
    try:
        wait_for(port, "/api/v1/standards?q=x")
        latency = {"search": timed(port, [ours_url(q) for q in fixed])}
        for kind in ("identifier", "chinese", "english", "filter"):
            latency[f"search {kind}"] = timed(
                port, [ours_url(q) for q in fixed if q["kind"] == kind]
            )
        latency["detail"] = timed(port, detail_paths)
        report["latency_ms"] = latency
    finally:
        server.terminate()
        server.wait(timeout=30)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="postgres://... or sqlite:///...")
    parser.add_argument("--total", type=int, default=5_000_000, help="standards to build up to")
    parser.add_argument("--chunk", type=int, default=500_000, help="records per imported file")
    parser.add_argument("--build", action="store_true", help="only build")
    parser.add_argument(
        "--measure-only", action="store_true", help="only measure: no migrate, no import"
    )
    parser.add_argument("--port", type=int, default=8160, help="port of our server")
    parser.add_argument("--details", type=int, default=200, help="detail pages to request")
    args = parser.parse_args()
    url = args.database_url
    report: dict = {}
    if not args.measure_only:
        report["build"] = build(url, args.total, args.chunk)
        print(json.dumps(report["build"], indent=2), flush=True)
        if args.build:
            return 0
    report.update(measure_all(url, args.port, args.details))
    report["size"] = size(url)
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / f"results-{_name(url)}.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
