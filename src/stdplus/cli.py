"""The `stdplus` console script.

Every Django management command is a subcommand (`stdplus migrate`, `stdplus createsuperuser`),
and so are stdplus's own: `stdplus id normalize`, `stdplus import`, `stdplus show`,
`stdplus bench generate`. `stdplus --help` lists them all.

Run outside a stdplus folder (no `var/stdplus.sqlite3` here, no `STDPLUS_HOME` or `DATABASE_URL`),
a command that reads the database stops with a message saying so, instead of creating an empty
database file and printing a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Commands that need no database, or that make one.
NO_DATABASE = {
    "help",
    "--help",
    "-h",
    "version",
    "--version",
    "id",
    "migrate",
    "makemigrations",
    "makemessages",
    "compilemessages",
    "collectstatic",
    "findstatic",
    "sendtestemail",
    "restore",  # into a new, empty instance
}


def _needs_database(args: list[str]) -> bool:
    if len(args) < 2 or args[1] in NO_DATABASE:
        return False
    if "--help" in args[2:] or "-h" in args[2:]:
        return False  # a command's help reads no database
    if args[1] == "bench" and args[2:3] == ["generate"]:
        return False  # writes synthetic records to a file
    # `stdplus check` alone is Django's system check; with files it is the validity check.
    return not (args[1] == "check" and not [a for a in args[2:] if not a.startswith("-")])


def _missing_sqlite_file() -> Path | None:
    """The SQLite file the settings point at, when it does not exist yet (None otherwise)."""
    from django.db import connections

    from stdplus.core.sqlite import database_file

    connection = connections["default"]
    name = (
        database_file(connection.settings_dict["NAME"]) if connection.vendor == "sqlite" else None
    )
    if name is None:
        return None
    path = Path(name)
    return None if path.exists() else path


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stdplus.settings")
    import django
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError, ProgrammingError

    args = list(sys.argv if argv is None else ["stdplus", *argv])
    args[0] = "stdplus"
    # Every command speaks the language of the person's terminal (LANGUAGE, LC_ALL, LANG).
    django.setup()
    from django.utils import translation

    from stdplus.core.console import NO_PROJECT, NOT_MIGRATED, OLDER, language_from_environment

    translation.activate(language_from_environment())
    if _needs_database(args):
        missing = _missing_sqlite_file()
        if missing is not None:
            sys.stderr.write(str(NO_PROJECT) % {"path": missing} + "\n")
            raise SystemExit(2)
    try:
        execute_from_command_line(args)
    except (OperationalError, ProgrammingError) as error:
        text = str(error)
        # SQLite says "no such column" when reading and "has no column named" when writing;
        # PostgreSQL says 'column "x" ... does not exist'.
        missing_column = (
            "no such column" in text
            or "has no column named" in text
            or ("column" in text and "does not exist" in text)
        )
        if not missing_column and "no such table" not in text and "does not exist" not in text:
            raise
        from django.db import connections

        name = connections["default"].settings_dict["NAME"]
        template = OLDER if missing_column else NOT_MIGRATED
        sys.stderr.write(str(template) % {"name": name, "error": text.splitlines()[0]} + "\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
