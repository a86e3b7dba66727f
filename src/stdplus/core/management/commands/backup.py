"""stdplus backup: one archive of the database and the files worth keeping, taken online."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from stdplus.core.backup import backup_create
from stdplus.core.commands import BatchCommand
from stdplus.core.console import terminal_language
from stdplus.core.errors import ApplicationError


class Command(BatchCommand):
    help = (
        "Write a backup of this instance into one archive (tar): the database, copied while "
        "the site runs (SQLite through its backup API, PostgreSQL through pg_dump), the "
        "generated secret key and uploaded files, and a manifest (stdplus version, database, "
        "migrations, row counts, time). `stdplus restore ARCHIVE` brings it back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out",
            default="",
            help="folder for the archive (default: var/backups under STDPLUS_HOME)",
        )

    def handle(self, *args, **options):
        with terminal_language():
            self._handle(options)

    def _handle(self, options):
        out = Path(options["out"]) if options["out"] else Path(settings.VAR_DIR) / "backups"
        try:
            path, manifest = backup_create(out)
        except ApplicationError as error:
            raise CommandError(error.describe()) from None
        self.stdout.write(
            _(
                "Backup written: %(path)s (%(engine)s, %(tables)s tables, %(rows)s rows, %(files)s files)"
            )
            % {
                "path": path,
                "engine": manifest.engine,
                "tables": len(manifest.counts),
                "rows": sum(manifest.counts.values()),
                "files": len(manifest.files),
            }
        )
