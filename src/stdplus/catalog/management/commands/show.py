import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from rich.console import Console
from rich.table import Table

from stdplus.catalog.choices import REVERSE_LABELS, RelationType
from stdplus.catalog.selectors import (
    standard_chain,
    standard_relations,
    standard_resolve,
)
from stdplus.core.commands import BatchCommand

STATUS_STYLE = {
    "current": "green",
    "upcoming": "cyan",
    "superseded": "yellow",
    "withdrawn": "red",
    "development": "magenta",
    "cancelled": "dim",
}


class Command(BatchCommand):
    help = (
        'Show one standard, typed in any accepted spelling (`stdplus show "GBT 19001—2016"`): '
        "its status, dates, titles, the editions of its work, its relations in both directions "
        "and the replacement chain to the standard in force. With a work (no year), shows its "
        "editions and which one is current."
    )

    def add_arguments(self, parser):
        parser.add_argument("identifier", help="a standard identifier, e.g. 'iso 9001:2008'")
        parser.add_argument("--json", action="store_true", help="print JSON instead of text")

    def handle(self, *args, **options):
        lookup = standard_resolve(options["identifier"])
        if lookup.match == "rejected":
            raise CommandError(
                _("%(text)s is not a standard identifier: %(reason)s")
                % {"text": repr(options["identifier"]), "reason": lookup.error}
            )
        standard = lookup.edition
        if standard is None:
            near = ", ".join(s.canonical for s in lookup.suggestions)
            message = _("%(identifier)s is not in the catalog (no edition of %(work)s either)") % {
                "identifier": lookup.identifier.canonical,
                "work": lookup.identifier.work,
            }
            if near:
                message += _("; did you mean: %(suggestions)s?") % {"suggestions": near}
            raise CommandError(message)
        outgoing, incoming = standard_relations(standard)
        found = standard_chain(standard)
        chain, upcoming = found.nodes, found.upcoming
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    self.as_json(lookup, standard, outgoing, incoming, chain, upcoming),
                    ensure_ascii=False,
                    indent=2,
                    default=str,
                )
            )
            return
        self.print_text(lookup, standard, outgoing, incoming, chain, upcoming)

    def as_json(self, lookup, standard, outgoing, incoming, chain, upcoming):
        return {
            "input": lookup.text,
            "match": lookup.match,
            "canonical": standard.canonical,
            "work": standard.work_key,
            "level": standard.level,
            "body": standard.body,
            "status": standard.status,
            "source_status": standard.source_status,
            "stage_code": standard.stage_code,
            "title_en": standard.title_en,
            "title_zh": standard.title_zh,
            "published": standard.published,
            "effective": standard.effective,
            "withdrawn": standard.withdrawn,
            "current_edition": lookup.current.canonical if lookup.current else None,
            "editions": [{"canonical": e.canonical, "status": e.status} for e in lookup.editions],
            "relations_out": [
                {"type": r.type, "to": r.to_key, "degree": r.degree, "inferred": r.inferred}
                for r in outgoing
            ],
            "relations_in": [
                {"type": r.type, "from": r.from_key, "degree": r.degree, "inferred": r.inferred}
                for r in incoming
            ],
            "chain": [s.canonical for s in chain],
            "upcoming": upcoming.canonical if upcoming else None,
        }

    def print_text(self, lookup, standard, outgoing, incoming, chain, upcoming):
        console = Console(file=self.stdout._out, highlight=False, soft_wrap=True)
        style = STATUS_STYLE.get(standard.status, "")
        if lookup.match == "work":
            console.print(
                f"{lookup.identifier.canonical}: the work {standard.work_key} "
                f"(no such edition given; showing {standard.canonical})"
            )
        console.print(
            f"[bold]{standard.canonical}[/bold]  [{style}]{standard.get_status_display()}"
            f"[/{style}]  ({standard.get_level_display()}, {standard.body})"
        )
        for label, value in (
            ("Chinese title", standard.title_zh),
            ("English title", standard.title_en),
            (
                "Source status",
                " ".join(filter(None, [standard.source_status, standard.stage_code])),
            ),
            ("Published", standard.published),
            ("Effective", standard.effective),
            ("Withdrawn", standard.withdrawn),
            ("Confirmed", standard.confirmed),
            ("Committee", standard.committee),
            ("Source", standard.source),
        ):
            if value:
                console.print(f"  {label}: {value}")
        if len(chain) > 1:
            console.print(
                "  Replacement chain: "
                + " → ".join(s.canonical for s in chain)
                + f"  ({chain[-1].get_status_display()})"
            )
        elif standard.status in ("superseded", "withdrawn"):
            console.print("  No successor is known in the catalog.")
        if upcoming is not None:
            console.print(
                f"  To be replaced by {upcoming.canonical}"
                f" (in force from {upcoming.effective or upcoming.published})"
            )
        table = Table(title=f"Editions of {standard.work_key}", show_lines=False)
        for column in ("identifier", "status", "published", "effective"):
            table.add_column(column)
        for edition in lookup.editions:
            mark = "▶ " if edition.pk == standard.pk else "  "
            table.add_row(
                mark + edition.canonical,
                edition.get_status_display(),
                str(edition.published or ""),
                str(edition.effective or ""),
            )
        console.print(table)
        if outgoing or incoming:
            console.print("Relations:")
        for relation in outgoing:
            degree = f" ({relation.degree})" if relation.degree else ""
            note = " [inferred]" if relation.inferred else ""
            missing = "" if relation.to_standard_id else " (not in the catalog)"
            console.print(
                f"  {RelationType(relation.type).label} {relation.to_key}{degree}{missing}{note}",
                markup=False,
            )
        for relation in incoming:
            degree = f" ({relation.degree})" if relation.degree else ""
            note = " [inferred]" if relation.inferred else ""
            console.print(
                f"  {REVERSE_LABELS[relation.type]} {relation.from_key}{degree}{note}", markup=False
            )
