"""Support's work on the background worker (`stdplus worker`): new policies become alerts for
the organizations of their region and industry (`policy_alerts.policies_alert`; safe to run
again at any time: a policy is alerted once, each list and person once)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from stdplus.support.policy_alerts import policies_alert


@db_periodic_task(crontab(minute="*/10"))
@lock_task("support-policy-alerts")
def policy_alerts_task() -> None:
    """Every ten minutes: policies added to the library since become alerts."""
    policies_alert()
