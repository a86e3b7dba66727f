"""Every answer of a fixed set of searches, as JSON, to compare two versions of the code.

    python bench/search_dump.py > new.json
    PYTHONPATH=/tmp/start/src python bench/search_dump.py > old.json && cmp old.json new.json

Reads var/bench/catalog.sqlite3 (`bench_search.py --build`): the benchmark's 205 searches, long
prefixes, every status filter alone and beside words, each on pages 1 and 3; writes the count,
whether it is exact, the standards of the page and every facet's values and counts.
DATABASE_URL, when set, names another database (the demo database, say); with
SEARCH_DUMP_DEMO=1 the demo generator's entries are shown (hidden by default, as to the public).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    sys.path.insert(0, str(REPO / "bench"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{REPO / 'var' / 'bench' / 'catalog.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stdplus.settings")
    import django

    django.setup()
    import bench_search

    from stdplus.catalog.models import Standard
    from stdplus.search.selectors import SearchFilters, standards_search

    # (The identifiers searched are drawn from the database searched.)
    ids = list(Standard.objects.order_by("pk").values_list("canonical", flat=True))
    queries = bench_search.queries(ids=ids)
    statuses = ["current", "superseded", "withdrawn", "upcoming", "cancelled", "development"]
    queries += [
        {"q": q, "status": status} for q in ["", "要求", "steel", "食品安全"] for status in statuses
    ]
    prefixes = ["manage", "requir", "quality manag", "test meth", "electri", "safe", "技术 requir"]
    prefixes += ["管理", "iso 9001 requir", "café", "cafe", "stee", "vocabul"]
    queries += [{"q": q} for q in prefixes] + [{"q": q, "level": "national"} for q in prefixes]
    from stdplus.catalog.visibility import DemoShown

    out = []
    with DemoShown(os.environ.get("SEARCH_DUMP_DEMO") == "1"):
        for query in queries:
            filters = SearchFilters(
                **{k: [query[k]] for k in ("level", "status", "body") if query.get(k)}
            )
            for page in (1, 3):
                result = standards_search(q=query.get("q", ""), filters=filters, page=page)
                facets = {k: [(v.value, v.count) for v in vs] for k, vs in result.facets.items()}
                out.append(
                    [
                        query,
                        page,
                        result.count,
                        result.count_exact,
                        result.facets_exact,
                        [s.pk for s in result.standards],
                        facets,
                    ]
                )
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
