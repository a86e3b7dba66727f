"""stdplus restore ARCHIVE: a backup back into an empty instance."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from stdplus.core.backup import restore
from stdplus.core.commands import BatchCommand
from stdplus.core.console import terminal_language
from stdplus.core.errors import ApplicationError


class Command(BatchCommand):
    help = (
        "Restore a backup made by `stdplus backup` into this instance's database (which must "
        "be empty unless --force) and var/, check the row counts against the archive's "
        "manifest, and run the migrations an older backup lacks. Stop the web and worker "
        "processes first and start them again after."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the backup archive (.tar or .tar.gz)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace what a non-empty database holds",
        )

    def handle(self, *args, **options):
        with terminal_language():
            self._handle(options)

    def _handle(self, options):
        try:
            result = restore(Path(options["archive"]), force=options["force"])
        except ApplicationError as error:
            raise CommandError(error.describe()) from None
        manifest = result.manifest
        self.stdout.write(
            _(
                "Restored the backup of %(created)s (stdplus %(version)s, %(engine)s): "
                "%(tables)s tables, %(rows)s rows, %(files)s files."
            )
            % {
                "created": manifest.created,
                "version": manifest.stdplus_version,
                "engine": manifest.engine,
                "tables": len(manifest.counts),
                "rows": sum(manifest.counts.values()),
                "files": len(result.files),
            }
        )
        if result.migrated:
            self.stdout.write(
                _("Migrations applied after the restore: %(migrations)s")
                % {"migrations": ", ".join(result.migrated)}
            )
