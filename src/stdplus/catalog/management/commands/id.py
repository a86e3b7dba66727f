import sys

from django.core.management.base import CommandError

from stdplus.core.commands import BatchCommand


class Command(BatchCommand):
    help = (
        "Work with standard identifiers. `stdplus id normalize [--json] [ID ...]` prints the "
        "canonical form of each identifier given, or of each line of standard input when none "
        "is given; --json prints one JSON object per input line with the keys input, ok, "
        "canonical, level, body, number, part, year, work, error. Exit status 1 when any "
        "line was rejected."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        normalize = sub.add_parser("normalize", help="print canonical identifiers")
        normalize.add_argument("--json", action="store_true", help="one JSON object per line")
        normalize.add_argument("identifiers", nargs="*", metavar="ID")

    def handle(self, *args, **options):
        from stdplus.identifiers.cli import normalize_main

        argv = (["--json"] if options["json"] else []) + list(options["identifiers"])
        code = normalize_main(argv, sys.stdin, sys.stdout)
        sys.stdout.flush()
        if code:
            raise CommandError("some lines were rejected", returncode=code)
