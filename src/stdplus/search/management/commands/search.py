from django.core.management.base import BaseCommand

from stdplus.search.indexing import index_rebuild
from stdplus.search.models import SearchDocument


class Command(BaseCommand):
    help = (
        "The search index. It follows every import and edit by itself; `stdplus search rebuild` "
        "writes it again from the whole catalog (after restoring a database copied without "
        "it, say), and `stdplus search status` counts its documents."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="write the whole index again from the catalog")
        sub.add_parser("status", help="how many standards the index holds")

    def handle(self, *args, **options):
        if options["action"] == "rebuild":
            written = index_rebuild(
                progress=lambda done, total: self.stderr.write(f"\r{done}/{total}", ending="")
            )
            self.stderr.write("")
            self.stdout.write(f"indexed {written} standards")
        else:
            self.stdout.write(f"{SearchDocument.objects.count()} standards in the search index")
