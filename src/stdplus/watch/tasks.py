"""Alert delivery and digests on the background worker (`stdplus worker`), instead of cron.

Each task runs the same services as `stdplus notify` and `stdplus digest`. They are safe to stop
at any point and run again (a cursor over the change events, claimed webhook deliveries, a digest
at most once per period), so a worker killed mid-run loses nothing: the next run goes on. The
lock keeps two workers from running the same task at once (several worker machines).
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from stdplus.watch.alerts import alerts_process
from stdplus.watch.delivery import digests_send, webhooks_deliver


@db_periodic_task(crontab(minute="*"))
@lock_task("watch-notify")
def notify_task() -> None:
    """Every minute: new change events become alerts; due webhooks are posted."""
    alerts_process()
    webhooks_deliver()


@db_periodic_task(crontab(minute="5"))
@lock_task("watch-digest")
def digest_task() -> None:
    """Every hour: the daily and weekly digests that are due are mailed (once per period)."""
    alerts_process()
    digests_send()
