"""stdplus notify: turn new catalog changes into alerts and post the due webhooks."""

from __future__ import annotations

from stdplus.core.commands import BatchCommand
from stdplus.watch.alerts import alerts_process
from stdplus.watch.delivery import webhooks_deliver


class Command(BatchCommand):
    help = (
        "Match the catalog's new change events against every watch list (inbox alerts, "
        "feed entries, webhook deliveries), then post the webhooks that are due, retrying "
        "failed ones with exponential backoff. Safe to stop and run again at any time: "
        "nothing is lost and nothing is sent twice. `stdplus worker` runs it every minute "
        "on its own; run it by hand after an import to send at once. `stdplus digest` sends the "
        "email digests."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-webhooks", action="store_true", help="only match events, post nothing"
        )
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="events per transaction (2000)"
        )

    def handle(self, *args, **options):
        processed = alerts_process(batch_size=options["batch_size"])
        self.stdout.write(
            f"{processed.events} events read: {processed.alerts} alerts, "
            f"{processed.notifications} inbox notifications, "
            f"{processed.deliveries} webhook deliveries queued"
        )
        if not options["no_webhooks"]:
            sent = webhooks_deliver()
            self.stdout.write(
                f"webhooks: {sent.delivered} delivered, {sent.retried} to retry, "
                f"{sent.failed} given up"
            )
