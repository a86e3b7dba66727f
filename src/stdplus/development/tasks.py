"""The daily development run on the background worker (`stdplus worker`): comment periods that
are over close, periodic reviews falling due open, reminders go out. Safe to run again: steps
are taken only from the state they start from, and reminders are kept once a day."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from .services import development_daily


@db_periodic_task(crontab(hour="6", minute="10"))
@lock_task("development-daily")
def development_daily_task() -> None:
    development_daily()
