"""The standard detail endpoint in-process: mean time per request, without HTTP.

    DATABASE_URL=sqlite:///$PWD/var/bench/catalog.sqlite3 python bench/bench_detail.py

Takes 400 standards spread evenly over the id range of the catalog in DATABASE_URL (build
var/bench/catalog.sqlite3 with `python bench/bench_search.py --build`), requests each
`GET /api/v1/standards/{id}` once to warm up, then five passes with Django's test client, and
prints the best and the median pass (mean milliseconds per request) and the queries per request.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from urllib.parse import quote

import django


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--standards", type=int, default=400)
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stdplus.settings")
    os.environ.setdefault("STDPLUS_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("STDPLUS_API_RATE_ANON", "0")  # one client asks all: no 429
    os.environ.setdefault("STDPLUS_API_RATE_TOKEN", "0")
    django.setup()
    from django.db import connection
    from django.db.models import Max
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from stdplus.catalog.models import Standard

    top = Standard.objects.aggregate(top=Max("id"))["top"] or 0
    step = max(1, top // args.standards)
    canonicals = list(
        Standard.objects.filter(id__in=range(7, top + 1, step)).values_list("canonical", flat=True)
    )
    paths = ["/api/v1/standards/" + quote(c, safe="") for c in canonicals]
    client = Client()
    for path in paths:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
    queries = 0
    for path in paths:  # (each request empties the query log, so one context per request)
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        queries += len(captured)
    passes = []
    for _ in range(args.passes):
        started = time.perf_counter()
        for path in paths:
            client.get(path)
        passes.append((time.perf_counter() - started) / len(paths) * 1000)
    print(
        f"{Standard.objects.count():,} standards, {len(paths)} details: "
        f"best {min(passes):.3f} ms, median {statistics.median(passes):.3f} ms per request, "
        f"{queries / len(paths):.2f} queries per request"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
