"""stdplus digest: send the daily and weekly email digests that are due."""

from __future__ import annotations

from stdplus.core.commands import BatchCommand
from stdplus.watch.alerts import alerts_process
from stdplus.watch.delivery import digests_send


class Command(BatchCommand):
    help = (
        "Send each person one mail with the alerts of the watch lists whose digest (daily or "
        "weekly, chosen per list) is due. New change events are matched first. `stdplus "
        "worker` runs it hourly on its own; a digest is sent at most once per period."
    )

    def handle(self, *args, **options):
        alerts_process()
        sent = digests_send()
        self.stdout.write(f"{sent} digest mail(s) sent")
