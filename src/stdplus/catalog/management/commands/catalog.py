"""`stdplus catalog audit`: where the sources disagree, relations point nowhere, standards
replace each other in a ring, or a status is stale (stdplus.catalog.audit)."""

import json

from django.core.management.base import CommandError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from stdplus.catalog.audit import NEEDS_PERSON, RULES, catalog_audit
from stdplus.core.commands import BatchCommand
from stdplus.core.dates import today


class Command(BatchCommand):
    help = (
        "The catalog's data quality. `audit` lists contradictions between sources, stale "
        "statuses, replacement cycles, relations to unknown identifiers, statuses two sources "
        "disagree on and records one source lists twice, each with the "
        "sources involved and the rule that decided; it exits with status 1 when a finding "
        "needs a person."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        audit = sub.add_parser("audit", help="report the catalog's data quality")
        audit.add_argument("--json", action="store_true", help="print the report as JSON")
        audit.add_argument(
            "--examples", type=int, default=20, help="findings listed per rule (default 20)"
        )

    def handle(self, *args, **options):
        if options["action"] != "audit":
            raise CommandError("unknown action")
        report = catalog_audit(today(), examples=max(0, options["examples"]))
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            console = Console(file=self.stdout, width=100, highlight=False)
            summary = Table(title=f"Catalog audit, {report.day.isoformat()}")
            summary.add_column("rule")
            summary.add_column("findings", justify="right")
            summary.add_column("needs a person")
            for rule in RULES:
                summary.add_row(
                    rule, f"{report.counts.get(rule, 0):,}", "yes" if rule in NEEDS_PERSON else ""
                )
            console.print(summary)
            for rule, explanation in RULES.items():
                findings = report.findings.get(rule, [])
                if not findings:
                    continue
                console.print(f"\n[bold]{rule}[/bold]: {escape(str(explanation))}")
                for finding in findings:
                    line = f"  {' / '.join(finding.identifiers)}  [{', '.join(finding.sources)}]"
                    if finding.detail:
                        line += f"  {finding.detail}"
                    console.print(escape(line))
            if report.unknown_targets:
                console.print("\n[bold]unknown targets by source and relation[/bold]")
                for key, n in report.unknown_targets.items():
                    console.print(f"  {key}: {n:,}")
        if report.needs_person:
            raise SystemExit(1)
