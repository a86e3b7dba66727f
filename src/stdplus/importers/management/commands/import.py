import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from stdplus.core.commands import BatchCommand
from stdplus.core.errors import ApplicationError
from stdplus.importers.adapters import ADAPTERS
from stdplus.importers.services import catalog_files, file_import

SOURCES = sorted([*ADAPTERS, "ics", "ccs"])
# What the progress bar says an import is doing (the stages the catalog's import reports).
STAGES = {
    "reading": gettext_lazy("reading"),
    "compare": gettext_lazy("comparing with the catalog"),
    "relations": gettext_lazy("relations"),
    "settling": gettext_lazy("statuses and chains"),
}


class Command(BatchCommand):
    help = (
        "Import standards into the catalog from files or folders (default: the bundled data). "
        "Formats: the shared JSON Lines files (ISO, IEC, ITU, IETF, Chinese; .jsonl or "
        ".jsonl.gz), ICS/CCS tables, and a generic table of standards (CSV, XLSX or JSON "
        "Lines; see docs/import.md for its columns). Each file is all or nothing: a bad row "
        "stops the file and nothing from it is written, unless --skip-invalid is given. "
        "Re-importing is safe: unchanged records are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="*", type=Path, help="files or folders; none: the bundled data folder"
        )
        parser.add_argument(
            "--source",
            choices=SOURCES,
            help="the source format (default: from the file name; 'table' for "
            "any other CSV/XLSX/JSONL)",
        )
        parser.add_argument(
            "--name", help="the source name stored on the records (default: the format's name)"
        )
        parser.add_argument(
            "--skip-invalid", action="store_true", help="write the valid rows and report the others"
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=FIELD",
            help="table import: read the column HEADER as FIELD (repeatable)",
        )
        parser.add_argument("--json", action="store_true", help="print the results as JSON")

    def handle(self, *args, **options):
        paths = options["paths"] or [settings.STDPLUS_BUNDLED_DATA]
        mapping = {}
        for item in options["map"]:
            header, sep, field = item.partition("=")
            if not sep or not header.strip() or not field.strip():
                raise CommandError(
                    _("--map %(item)s: expected HEADER=FIELD") % {"item": repr(item)}
                )
            mapping[header.strip()] = field.strip()
        files: list[Path] = []
        console = Console(stderr=True)
        for path in paths:
            if path.is_dir():
                found, skipped = catalog_files(path)
                files.extend(found)
                for skipped_path, reason in skipped.items():
                    console.print(
                        _("skipped %(file)s: %(reason)s")
                        % {"file": skipped_path.name, "reason": reason}
                    )
            elif path.exists():
                files.append(path)
            else:
                raise CommandError(_("%(path)s: no such file or folder") % {"path": path})
        results = []
        started = time.perf_counter()
        for path in files:
            results.append(self.import_one(path, options, mapping, console))
        if files:
            # Fresh planner statistics: after a large import the old ones mislead the planner.
            # On SQLite ANALYZE holds the write lock: reading a sample of each index keeps it
            # to a fraction of a second (a full ANALYZE of 200,000 standards takes seconds).
            with connection.cursor() as cursor:
                if connection.vendor == "sqlite":
                    cursor.execute("PRAGMA analysis_limit = 1000")
                cursor.execute("ANALYZE")
        if options["json"]:
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
        else:
            self.print_table(results, time.perf_counter() - started)

    def import_one(self, path, options, mapping, console):
        source = options["source"]
        if options["name"] and source is None:
            source = "table"
        columns = [
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        ]
        with Progress(
            *columns, console=console, transient=True, disable=not console.is_terminal
        ) as bar:
            task = bar.add_task(f"{path.name}: {STAGES['reading']}", total=None)

            def progress(stage, done, total):
                bar.update(
                    task,
                    description=f"{path.name}: {STAGES.get(stage, stage)}",
                    completed=done,
                    total=total,
                )

            try:
                result = file_import(
                    path,
                    source=options["name"] or source,
                    skip_invalid=options["skip_invalid"],
                    options={"mapping": mapping},
                    progress=progress,
                )
            except ApplicationError as error:
                raise CommandError(str(error)) from None
        if isinstance(result, dict):  # a classification table
            return {"path": str(path), "source": "classes", **result}
        for message in result.errors[:20]:
            console.print(
                f"[yellow]{escape(_('skipped'))}[/yellow] {escape(str(message))}",
                markup=True,
                highlight=False,
            )
        if len(result.errors) > 20:
            console.print(
                _("... and %(count)s more skipped rows") % {"count": len(result.errors) - 20}
            )
        return result.as_dict()

    def print_table(self, results, seconds):
        """A summary that fits an 80-column terminal: one row per file, totals below."""
        table = Table(
            title=_("Import finished in %(seconds)s s") % {"seconds": f"{seconds:.1f}"},
            title_justify="left",
        )
        columns = (
            ("path", _("file")),
            ("read", _("rows")),
            ("created", _("new")),
            ("updated", _("changed")),
            ("unchanged", _("same")),
            ("skipped", _("skipped")),
            ("seconds", _("s")),
        )
        for key, label in columns:
            table.add_column(
                label,
                justify="left" if key == "path" else "right",
                overflow="ellipsis",
                max_width=26 if key == "path" else None,
                no_wrap=True,
            )
        totals = {"merged": 0, "relations_added": 0, "status_changes": 0}
        for row in results:
            values = []
            for key, _label in columns:
                value = row.get(key, "")
                if key == "path":
                    value = Path(value).name
                elif key == "seconds" and value != "":
                    value = f"{value:.1f}"
                elif isinstance(value, int):
                    value = f"{value:,}"
                values.append(str(value))
            table.add_row(*values)
            for key in totals:
                totals[key] += row.get(key, 0) or 0
        console = Console(file=self.stdout._out, width=80)
        console.print(table)
        console.print(
            _(
                "%(relations)s relations added, %(changes)s status changes, %(merged)s rows "
                "merged (a document named twice)"
            )
            % {
                "relations": f"{totals['relations_added']:,}",
                "changes": f"{totals['status_changes']:,}",
                "merged": f"{totals['merged']:,}",
            },
            highlight=False,
        )
