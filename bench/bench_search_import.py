"""How much the search index adds to an import of the bundled data.

    DATABASE_URL=sqlite:///$PWD/var/bench/import.sqlite3 stdplus migrate -v0
    DATABASE_URL=sqlite:///$PWD/var/bench/import.sqlite3 python bench/bench_search_import.py

Imports every bundled file into an empty catalog (the database in DATABASE_URL), timing the
search index's listener separately; prints the total, the index's share and the rest.
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stdplus.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from stdplus.catalog.models import Standard  # noqa: E402
from stdplus.catalog.services.hooks import STANDARDS_CHANGED  # noqa: E402
from stdplus.importers.services import catalog_files, file_import  # noqa: E402


def main() -> int:
    if Standard.objects.exists():
        print("the catalog is not empty: use a new database (see the docstring)")
        return 1
    spent = [0.0]

    def timed(listener):
        def run(ids):
            started = time.perf_counter()
            listener(ids)
            spent[0] += time.perf_counter() - started

        return run

    for name, listener in STANDARDS_CHANGED.listeners().items():
        STANDARDS_CHANGED.connect(name, timed(listener))
    files, _ = catalog_files(settings.STDPLUS_BUNDLED_DATA)
    started = time.perf_counter()
    for path in files:
        file_import(path)
    total = time.perf_counter() - started
    print(
        f"{Standard.objects.count()} standards imported in {total:.1f} s, of which the search "
        f"index {spent[0]:.1f} s ({spent[0] / (total - spent[0]):.0%} on top of "
        f"{total - spent[0]:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
