from stdplus.catalog.services import statuses_recompute
from stdplus.core.commands import BatchCommand


class Command(BatchCommand):
    help = (
        "Derive every standard's status again for today (an upcoming standard becomes current "
        "on its effective date; `stdplus worker` runs this daily after midnight). Changes are "
        "recorded as change events."
    )

    def handle(self, *args, **options):
        changed = statuses_recompute(canonicals=None, source="recompute")
        self.stdout.write(f"{changed} standards changed status")
