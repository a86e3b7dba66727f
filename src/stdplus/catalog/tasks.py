"""The daily status recompute on the background worker (`stdplus recompute_status`)."""

from __future__ import annotations

from huey.contrib.djhuey import db_periodic_task, lock_task

from stdplus.catalog.services import statuses_recompute
from stdplus.core.jobs import local_time_is


@db_periodic_task(local_time_is(hour=0, minute=10))
@lock_task("catalog-recompute-status")
def recompute_status_task() -> None:
    """Daily, ten minutes after the site's midnight: upcoming standards become current."""
    statuses_recompute(canonicals=None, source="recompute")
