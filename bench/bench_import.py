"""Import rate: the whole real data set, a re-import, and N synthetic records (default 1,000,000).

Each run uses a fresh database: a SQLite file under var/bench/ (or DATABASE_URL's PostgreSQL
with --postgres URL, whose database is dropped and created again). Runs the real `stdplus`
commands in subprocesses and prints a Markdown table.

    python bench/bench_import.py                      # real data + 1,000,000 synthetic, SQLite
    python bench/bench_import.py --synthetic 100000   # a smaller run
    python bench/bench_import.py --postgres postgres://postgres@127.0.0.1:5432/stdplus_bench
    python bench/bench_import.py --synthetic 100000 --only-synthetic

Below the table: where each run's time went, as `stdplus import --json` reports it
(`phase_seconds`: read, plan, apply, settle; the write transactions together and the pauses).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SHARED = REPO.parent / "shared" / "data"


def stdplus(args, env, capture=True):
    return subprocess.run(
        [str(BIN / "stdplus"), *args], env=env, check=True, text=True, capture_output=capture
    )


def fresh_env(name: str, postgres: str | None) -> dict:
    env = {**os.environ, "STDPLUS_HOME": str(REPO)}
    if postgres:
        base, _, dbname = postgres.rpartition("/")
        dbname = f"{dbname}_{name}"
        admin = f"{base}/postgres"
        for sql in (f"DROP DATABASE IF EXISTS {dbname}", f"CREATE DATABASE {dbname}"):
            subprocess.run(["psql", admin, "-qc", sql], check=True, capture_output=True)
        env["DATABASE_URL"] = f"{base}/{dbname}"
    else:
        folder = REPO / "var" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"import-{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{path}"
    stdplus(["migrate", "-v0"], env)
    return env


def timed_import(paths, env) -> tuple[float, list[dict]]:
    started = time.perf_counter()
    out = stdplus(["import", *map(str, paths), "--json"], env)
    return time.perf_counter() - started, json.loads(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=1_000_000)
    parser.add_argument("--postgres", help="a PostgreSQL URL; its name gets a suffix per run")
    parser.add_argument(
        "--only-synthetic", action="store_true", help="leave out the runs of the real data"
    )
    args = parser.parse_args()
    data = SHARED if SHARED.is_dir() else REPO / "data"
    rows = []

    if not args.only_synthetic:
        env = fresh_env("real", args.postgres)
        seconds, results = timed_import([data], env)
        read = sum(r.get("read", 0) for r in results)
        rows.append((f"all of {data.name}/ (first import)", read, seconds, results))
        seconds, results = timed_import([data], env)
        rows.append((f"all of {data.name}/ again (nothing changes)", read, seconds, results))

    if args.synthetic:
        synthetic = REPO / "var" / "bench" / f"synthetic-{args.synthetic}.jsonl"
        env = fresh_env("synthetic", args.postgres)
        if not synthetic.exists():
            stdplus(["bench", "generate", str(args.synthetic), "--out", str(synthetic)], env)
        seconds, results = timed_import([synthetic], env)
        rows.append(
            (
                f"{args.synthetic:,} synthetic records (first import)",
                args.synthetic,
                seconds,
                results,
            )
        )

    database = "PostgreSQL" if args.postgres else "SQLite (WAL)"
    print(f"Python {platform.python_version()}, {database}, {os.cpu_count()} cores\n")
    print("| run | records | seconds | records/s |")
    print("|---|---:|---:|---:|")
    for label, count, seconds, _results in rows:
        print(f"| {label} | {count:,} | {seconds:.1f} | {count / seconds:,.0f} |")
    print("\nWhere the time went (seconds, all files of the run together):\n")
    names = ("read", "plan", "apply", "settle", "write_steps_held", "paused")
    print("| run | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    for label, _count, _seconds, results in rows:
        phases = [r.get("phase_seconds", {}) for r in results]
        cells = [f"{sum(p.get(name, 0.0) for p in phases):.1f}" for name in names]
        print(f"| {label} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
