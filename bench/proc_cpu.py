"""CPU time a process has used so far, read from /proc (Linux), for the benchmarks that count
another process's CPU (gunicorn and its workers, the background worker, a PostgreSQL backend on
this machine)."""

from __future__ import annotations

import os
from pathlib import Path


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of process `pid`; None when it cannot be read (gone, or on
    another machine)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
