"""Benchmark the validity check on the loaded catalog (10,000 and 100,000 lines).

Run (after `stdplus migrate && stdplus import`):
    .venv/bin/python bench/bench_check.py [--sizes 10000 100000] [--rounds 3]
With DATABASE_URL set, it measures PostgreSQL instead of the SQLite file in var/.

The input mixes what people paste: 80% dated editions in other spellings (em dash, no space,
lower case), 10% works without a year, 5% unknown identifiers (typos) and 5% lines that are no
identifier at all. "engine" is the check alone (what `stdplus check` and the API with
save=false do); "engine + store" also writes the result rows for an organization, in one
transaction that is rolled back afterwards.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time

import django


def inputs(count: int, rng: random.Random) -> list[str]:
    from stdplus.catalog.models import Standard

    rows = list(
        Standard.objects.filter(is_supplement=False, year__isnull=False).values_list(
            "canonical", "work_key", "number"
        )
    )
    out = []
    for _ in range(count):
        roll = rng.random()
        canonical, work, number = rows[rng.randrange(len(rows))]
        if roll < 0.8:
            text = canonical.replace("-20", "—20") if canonical.startswith("GB") else canonical
            out.append(text.lower() if rng.random() < 0.2 else text)
        elif roll < 0.9:
            out.append(work)
        elif roll < 0.95:
            out.append(canonical.replace(number, number[::-1], 1) if number else canonical + "9")
        else:
            out.append(rng.choice(["see annex B", "GB/T", "Quality manual rev 3", "ISO"]))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--engine-only",
        action="store_true",
        help="time the check alone, not the stored check (older code on a newer schema)",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stdplus.settings")
    django.setup()
    from django.db import connection, transaction

    from stdplus.accounts.models import Organization
    from stdplus.catalog.models import Standard
    from stdplus.checks.engine import check_run
    from stdplus.checks.extract import InputLine
    from stdplus.checks.services import validity_check_create
    from stdplus.identifiers.parser import _cached as parse_cache

    total = Standard.objects.count()
    if total < 1000:
        print("load the catalog first: stdplus migrate && stdplus import", file=sys.stderr)
        return 1
    print(
        f"catalog: {total:,} standards on {connection.vendor}; Python "
        f"{platform.python_version()}, {platform.machine()}, load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    rng = random.Random(4)
    for size in args.sizes:
        lines = [InputLine(t) for t in inputs(size, rng)]
        engine, engine_cpu, stored = [], [], []
        for _ in range(args.rounds):
            parse_cache.cache_clear()  # every round parses from scratch
            started, cpu = time.perf_counter(), time.process_time()
            outcome = check_run(lines)
            engine.append(time.perf_counter() - started)
            engine_cpu.append(time.process_time() - cpu)
            parse_cache.cache_clear()
            if args.engine_only:
                continue
            try:
                with transaction.atomic():
                    organization = Organization.objects.create(kind="other", name_en="bench")
                    started = time.perf_counter()
                    validity_check_create(
                        organization=organization, user=None, inputs=lines, source="bench"
                    )
                    stored.append(time.perf_counter() - started)
                    raise RuntimeError("roll back")
            except RuntimeError:
                pass
        summary = ", ".join(f"{k} {v}" for k, v in outcome.summary.items() if v)
        print(
            f"{size:>7,} lines: engine best {min(engine):.2f} s "
            f"({size / min(engine):,.0f} lines/s, CPU {min(engine_cpu):.2f} s), "
            + (f"engine + store best {min(stored):.2f} s; " if stored else "")
            + summary
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
