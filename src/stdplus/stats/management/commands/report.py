from pathlib import Path

from django.core.management.base import CommandError

from stdplus.core.commands import BatchCommand
from stdplus.core.errors import ApplicationError
from stdplus.stats.report import REPORT_LANGUAGES, report_html, report_pdf, report_xlsx
from stdplus.stats.selectors import scope_from
from stdplus.stats.tasks import report_file_name


class Command(BatchCommand):
    help = (
        "Write the Standards+ annual report for a region node and a year, in one language: the "
        "figures, charts and the tables behind them. HTML is self-contained; PDF is printed "
        "locally by headless Chromium; XLSX holds every record and native charts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", default="4403", help="region code or short code (4403)")
        parser.add_argument("--year", type=int, required=True, help="the year reported on")
        parser.add_argument("--format", choices=["html", "pdf", "xlsx"], default="html")
        parser.add_argument("--out", type=Path, help="the file to write (default: var/reports/...)")
        parser.add_argument(
            "--language",
            choices=REPORT_LANGUAGES,
            default="zh-hans",
            help="the report's language (default zh-hans)",
        )
        parser.add_argument("--real-only", action="store_true", help="leave demo rows out")

    def handle(self, *args, **options):
        language = options["language"]
        try:
            scope = scope_from(options["region"], options["year"], real_only=options["real_only"])
            out = options["out"] or Path("var/reports") / (
                report_file_name(scope.region.code, options["year"], options["format"], language)
            )
            out.parent.mkdir(parents=True, exist_ok=True)
            if options["format"] == "html":
                out.write_text(report_html(scope, language=language), encoding="utf-8")
            elif options["format"] == "xlsx":
                out.write_bytes(report_xlsx(scope, language=language))
            else:
                report_pdf(scope, out, language=language)
        except ApplicationError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(out))
