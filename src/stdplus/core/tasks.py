"""The worker's own periodic task: say it is alive (/readyz shows when a worker was last seen)
and take over jobs whose worker died (`stdplus.core.jobs`)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from stdplus.core.jobs import jobs_recover, worker_seen


@db_periodic_task(crontab(minute="*"))
@lock_task("jobs-recover")
def jobs_recover_task() -> None:
    worker_seen()
    jobs_recover()
