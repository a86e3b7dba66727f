"""The standard detail endpoint in-process: mean time per request, without HTTP.

    DATABASE_URL=sqlite:///$PWD/var/bench/catalog.sqlite3 python bench/bench_detail.py

Takes 400 standards spread evenly over the id range of the catalog in DATABASE_URL (build
var/bench/catalog.sqlite3 with `python bench/bench_search.py --build`), requests each
`GET /api/v1/standards/{id}` once to warm up, then five passes with Django's test client, and
prints the best and the median pass (mean milliseconds per request) and the queries per request.

`--layers` then times one more pass layer by layer: each middleware of settings.MIDDLEWARE on
its own (its time less the time of the layers inside it) and the API operation (django-ninja's
`Operation.run`: the view and its checks), in microseconds per request; the last middleware's
figure includes resolving the URL.
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
    parser.add_argument("--layers", action="store_true", help="time each middleware and the view")
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
    if args.layers:
        layers_print(client, paths)
    return 0


def layers_print(client, paths: list[str]) -> None:
    """One more pass with each middleware and the API operation timed (see the docstring)."""
    from importlib import import_module

    from django.conf import settings
    from ninja.operation import Operation

    spent: dict[str, float] = {}

    def timed(name: str, call):
        def wrapper(self, *args, **kwargs):
            started = time.perf_counter()
            try:
                return call(self, *args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

        return wrapper

    layers = [*settings.MIDDLEWARE, "view (Operation.run)"]
    originals = []
    for path in settings.MIDDLEWARE:
        module, name = path.rsplit(".", 1)
        cls = getattr(import_module(module), name)
        originals.append((cls, "__call__", cls.__dict__.get("__call__")))
        cls.__call__ = timed(path, cls.__call__)
    originals.append((Operation, "run", Operation.__dict__["run"]))
    Operation.run = timed(layers[-1], Operation.run)
    try:
        for path in paths:
            client.get(path)
    finally:
        for cls, attribute, original in reversed(originals):
            if original is None:
                delattr(cls, attribute)
            else:
                setattr(cls, attribute, original)
    print("| layer | µs per request |\n| --- | --- |")
    for place, name in enumerate(layers):
        inner = spent.get(layers[place + 1], 0.0) if place + 1 < len(layers) else 0.0
        print(f"| {name} | {(spent.get(name, 0.0) - inner) / len(paths) * 1e6:.1f} |")


if __name__ == "__main__":
    raise SystemExit(main())
