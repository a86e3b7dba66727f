"""Write docs/cli.md from the `--help` of stdplus's own commands; `--check` fails on drift.

Run: `python docs/gen_cli.py` (or `make docs`). CI runs it with --check.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

COMMANDS = [
    ["id", "normalize"],
    ["import"],
    ["show"],
    ["recompute_status"],
    ["bench", "generate"],
    ["check"],
    ["notify"],
    ["digest"],
    ["programme"],
    ["programme", "demo"],
    ["declarations", "import"],
    ["report"],
    ["search", "rebuild"],
    ["search", "ranges"],
    ["backup"],
    ["restore"],
    ["worker"],
    ["serve"],
]
OUT = Path(__file__).resolve().parent / "cli.md"


def help_text(args: list[str]) -> str:
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    run = subprocess.run(
        [sys.executable, "-m", "stdplus", *args, "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return run.stdout.rstrip()


def render() -> str:
    parts = [
        "# The `stdplus` command line\n",
        "Generated from `--help` by `python docs/gen_cli.py`; do not edit by hand. `stdplus` also "
        "runs every Django management command (`stdplus migrate`, `stdplus createsuperuser`, "
        "`stdplus runserver`); `stdplus help` lists them.\n",
    ]
    for args in COMMANDS:
        parts.append(f"## stdplus {' '.join(args)}\n\n```text\n{help_text(args)}\n```\n")
    return "\n".join(parts)


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        if not OUT.exists() or OUT.read_text() != text:
            print("docs/cli.md is out of date: run `make docs` and commit it", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
