"""Write every answer of the validity check, one JSON line per input line, to compare two codes.

Run with one code, then the other, and compare the files (they must be equal line for line):
    PYTHONPATH=/tmp/old/src .venv/bin/python bench/check_dump.py /tmp/old.jsonl
    PYTHONPATH=src .venv/bin/python bench/check_dump.py /tmp/new.jsonl
    cmp /tmp/old.jsonl /tmp/new.jsonl

The inputs: the benchmark's (bench_check.py: 10,000 and 100,000 lines drawn with its seed), then
every standard of the loaded catalog by its identifier and by its work, answered today and as of
1 January 2015 (the past derives statuses from dates and successors).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--bench-only",
        action="store_true",
        help="only the benchmark's lines, not every standard (a catalog of millions)",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stdplus.settings")
    django.setup()
    from bench_check import inputs

    from stdplus.catalog.models import Standard
    from stdplus.checks.engine import check_run
    from stdplus.checks.extract import InputLine

    rng = random.Random(4)
    runs: list[tuple[str, list[str], dt.date | None]] = [
        (f"bench {size}", inputs(size, rng), None) for size in args.sizes
    ]
    if not args.bench_only:
        catalog = Standard.objects.order_by("canonical").values_list("canonical", "work_key")
        every = [c for c, _ in catalog] + sorted({w for _, w in catalog})
        runs.append(("catalog today", every, None))
        runs.append(("catalog 2015", every, dt.date(2015, 1, 1)))
    with args.output.open("w") as out:
        for name, texts, day in runs:
            outcome = check_run([InputLine(t) for t in texts], day=day)
            out.write(json.dumps({"run": name, "summary": outcome.summary}) + "\n")
            for result in outcome.results:
                out.write(json.dumps(result.as_dict(), ensure_ascii=False, default=str) + "\n")
            print(name, len(texts), outcome.summary, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
