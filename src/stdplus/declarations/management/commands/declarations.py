"""stdplus declarations import FILE: record existing self-declarations from a spreadsheet."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from stdplus.core.commands import BatchCommand
from stdplus.core.errors import ApplicationError
from stdplus.core.tabular import file_read

from ...imports import declarations_import
from ...services import IMPORTER
from ...sheets import SheetErrors


class Command(BatchCommand):
    help = (
        "Record existing self-declarations from an XLSX or CSV file (the columns are those of "
        "the import page, /declarations/import/). All or nothing: any bad row is reported with "
        "its row and column and nothing is written. Importing the same file again changes "
        "nothing; changed rows for a reference already imported make a new version."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="import a file of existing declarations")
        load.add_argument("path", type=Path)

    def handle(self, *args, **options):
        path: Path = options["path"]
        try:
            content = file_read(path, file=path.name)
            done = declarations_import(content=content, filename=path.name, user=IMPORTER)
        except SheetErrors as errors:
            for error in errors.errors:
                self.stderr.write(error.describe())
            raise CommandError(f"{len(errors.errors)} error(s): nothing was written") from None
        except ApplicationError as error:
            raise CommandError(error.describe()) from None
        self.stdout.write(
            f"{done.declarations} declaration(s) in {done.rows} row(s): {done.created} new, "
            f"{done.versions} new version(s), {done.unchanged} unchanged"
        )
