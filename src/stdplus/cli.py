"""The `stdplus` console script.

Every Django management command is a subcommand (`stdplus migrate`, `stdplus createsuperuser`),
and so are stdplus's own: `stdplus id normalize`, `stdplus import`, `stdplus show`,
`stdplus bench generate`. `stdplus --help` lists them all.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stdplus.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["stdplus", *argv])
    args[0] = "stdplus"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
