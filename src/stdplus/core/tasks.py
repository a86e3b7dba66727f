"""The worker's own periodic task: take over jobs whose worker died (`stdplus.core.jobs`)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from stdplus.core.jobs import jobs_recover


@db_periodic_task(crontab(minute="*"))
@lock_task("jobs-recover")
def jobs_recover_task() -> None:
    jobs_recover()
