"""stdplus check FILE: the validity check of a CSV, XLSX or TXT list, as CSV, XLSX or JSON."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.core.management.commands.check import Command as SystemCheckCommand
from django.utils.translation import gettext_lazy as _

from stdplus.checks.engine import check_run
from stdplus.checks.exports import csv_text, xlsx_bytes
from stdplus.checks.extract import MAX_LINES, MODES, inputs_from_lines
from stdplus.checks.reading import LIMITS_OF_A_LIST, read_inputs
from stdplus.core.errors import ApplicationError, Where
from stdplus.core.tabular import LIMITS, file_read, text_lines


def _is_list_file(name: str) -> bool:
    return name == "-" or Path(name).suffix.lower() in (".csv", ".xlsx", ".txt")


class Command(SystemCheckCommand):
    help = (
        "Check the validity of the standards listed in FILE (CSV, XLSX or TXT; - reads text "
        "from standard input): status, replacement chain and the standard in force, one "
        "result per identifier, in input order. Nothing is stored. Without a file (or with "
        "app labels) it runs Django's system checks, as `manage.py check` does."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        for action in parser._actions:
            if action.dest == "args":
                action.metavar = "FILE"
                action.help = (
                    "CSV, XLSX or TXT list of standards (- reads standard input); "
                    "app labels instead run Django's system checks"
                )
        parser.add_argument(
            "--format",
            choices=("csv", "xlsx", "json"),
            default=None,
            help="output format (default: from --out's ending, else csv)",
        )
        parser.add_argument("--out", "-o", help="write here instead of standard output")
        parser.add_argument(
            "--column",
            default="",
            help="column holding the identifiers: letter, number or header (default: found)",
        )
        parser.add_argument("--sheet", default="", help="XLSX sheet (default: the first)")
        parser.add_argument(
            "--mode",
            choices=MODES,
            default="auto",
            help="auto: whole identifiers, else picked out of the text; lines: one identifier "
            "per line or cell; extract: only identifiers found in running text",
        )
        parser.add_argument(
            "--as-of", default="", help="status on this day, YYYY-MM-DD (default: today)"
        )

    def handle(self, *args, **options):
        if not args or not _is_list_file(args[0]):
            return super().handle(*args, **options)
        if len(args) > 1:
            raise CommandError("check one file at a time")
        options["file"] = args[0]
        as_of = None
        if options["as_of"]:
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(
                    f"--as-of: {options['as_of']!r} is not a date like 2024-06-30"
                ) from None
        out = options["out"]
        fmt = options["format"] or (Path(out).suffix.lstrip(".").lower() if out else "csv")
        if fmt not in ("csv", "xlsx", "json"):
            raise CommandError(f"unknown output format {fmt!r}: use csv, xlsx or json")
        if fmt == "xlsx" and not out:
            raise CommandError("XLSX output needs --out FILE.xlsx")
        try:
            if options["file"] == "-":
                lines = text_lines(sys.stdin.read(), file="-", limits=LIMITS.but(rows=MAX_LINES))
                inputs, _skipped = inputs_from_lines(lines, mode=options["mode"])
                if not inputs:
                    raise ApplicationError(
                        _("no identifiers on standard input"), where=Where(file="-")
                    )
            else:
                path = Path(options["file"])
                if not path.is_file():
                    raise CommandError(f"{path}: no such file")
                inputs, _skipped, _sheet = read_inputs(
                    file_read(path, file=path.name, limits=LIMITS_OF_A_LIST),
                    path.name,
                    column=options["column"],
                    mode=options["mode"],
                    sheet=options["sheet"],
                )
            outcome = self._run(inputs, as_of)
        except ApplicationError as error:
            raise CommandError(str(error)) from None
        lines = [r.as_dict() for r in outcome.results]
        if fmt == "json":
            text = json.dumps(lines, ensure_ascii=False, indent=1)
            self._write(out, text + "\n")
        elif fmt == "csv":
            self._write(out, csv_text(lines))
        else:
            title = f"{options['file']} · {outcome.day.isoformat()}"
            Path(out).write_bytes(xlsx_bytes(lines, title=title, summary=outcome.summary))
        summary = ", ".join(f"{k} {v}" for k, v in outcome.summary.items() if v)
        self.stderr.write(f"{len(lines)} lines checked, status on {outcome.day}: {summary}")

    def _write(self, out: str | None, text: str) -> None:
        if out:
            Path(out).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")

    def _run(self, inputs, as_of):
        if not sys.stderr.isatty():
            return check_run(inputs, day=as_of)
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("checking", total=None)

            def progress(stage: str, done: int, total: int) -> None:
                bar.update(task, description=stage, completed=done, total=total)

            return check_run(inputs, day=as_of, progress=progress)
