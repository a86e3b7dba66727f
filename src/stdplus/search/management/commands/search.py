from django.core.management.base import CommandError

from stdplus.core.commands import BatchCommand
from stdplus.search.indexing import index_rebuild
from stdplus.search.models import SearchDocument
from stdplus.search.ranges import FIRST, ranges_split


class Command(BatchCommand):
    help = (
        "The search index. It follows every import and edit by itself; `stdplus search rebuild` "
        "writes it again from the whole catalog (after restoring a database copied without "
        "it, say), `stdplus search status` counts its documents, and on PostgreSQL "
        "`stdplus search ranges` cuts the index's ranges of keys into smaller ones where "
        "broad searches stop reading (after the catalog has grown a lot)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="write the whole index again from the catalog")
        sub.add_parser("status", help="how many standards the index holds")
        ranges = sub.add_parser(
            "ranges", help="PostgreSQL: cut the index's ranges that hold too many documents"
        )
        ranges.add_argument(
            "--first",
            type=int,
            default=FIRST,
            help=f"documents in the first range of a status (default {FIRST:,})",
        )

    def handle(self, *args, **options):
        if options["action"] == "rebuild":
            written = index_rebuild(
                progress=lambda done, total: self.stderr.write(f"\r{done}/{total}", ending="")
            )
            self.stderr.write("")
            self.stdout.write(f"indexed {written} standards")
        elif options["action"] == "ranges":
            if options["first"] < 1:
                raise CommandError("--first must be at least 1")
            cut = ranges_split(
                options["first"],
                progress=lambda old, parts: self.stderr.write(
                    f"{old.name}: {old.documents:,} documents into ranges of "
                    + ", ".join(f"{n:,}" for n in parts)
                ),
            )
            self.stdout.write(f"{len(cut)} ranges cut")
        else:
            self.stdout.write(f"{SearchDocument.objects.count()} standards in the search index")
