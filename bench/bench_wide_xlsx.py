"""Memory of reading a small workbook whose rows touch the last column (XFD).

openpyxl in read-only mode pads every row to the sheet's last column: a 39 KB file of 5,000
such rows becomes 5,000 x 16,384 values. This script builds that file (without a declared
dimension, as a hostile program would), reads 500 of its rows the naive way, and the whole file
through `stdplus.core.tabular`, and prints the peak memory of each (tracemalloc).

Run: `.venv/bin/python bench/bench_wide_xlsx.py` (a second or two; about 70 MB at peak).
"""

from __future__ import annotations

import io
import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stdplus.settings")

import django  # noqa: E402

django.setup()

from openpyxl import load_workbook  # noqa: E402

from stdplus.core.errors import ApplicationError  # noqa: E402
from stdplus.core.tabular import table_open  # noqa: E402
from tests.core.test_tabular import raw_xlsx  # noqa: E402


def measure(label: str, work) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    outcome = work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label}: peak {peak / 1048576:.1f} MB, {time.perf_counter() - started:.2f} s; {outcome}"
    )


def naive(data: bytes) -> str:
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return f"{len(rows)} rows of {len(rows[0])} values kept"


def bounded(data: bytes) -> str:
    try:
        rows = list(table_open(data, file="wide.xlsx").rows)
    except ApplicationError as error:
        return f"refused: {str(error)[:60]}..."
    return f"{len(rows)} rows read"


def main() -> None:
    small, full = raw_xlsx(500, dimension=None), raw_xlsx(5000, dimension=None)
    print(f"files: 500 rows {len(small) / 1024:.0f} KB, 5,000 rows {len(full) / 1024:.0f} KB")
    measure("openpyxl read-only, 500 rows", lambda: naive(small))
    measure("stdplus.core.tabular, 5,000 rows", lambda: bounded(full))


if __name__ == "__main__":
    main()
