"""The worker's periodic tasks deliver alerts and digests on their own (no cron line)."""

import datetime as dt

import pytest
from django.core import mail
from huey.contrib.djhuey import HUEY

import stdplus.catalog.tasks  # noqa: F401 (registers the daily recompute)
import stdplus.core.tasks  # noqa: F401 (registers the recovery)
from stdplus.watch.models import Alert, Notification
from stdplus.watch.tasks import digest_task, notify_task
from tests.watch.test_alerts import new_edition, watched  # noqa: F401 (a fixture)


def due_at(when: dt.datetime) -> set[str]:
    return {task.name for task in HUEY.read_periodic(when)}


def test_the_schedule():
    every_minute = {"jobs_recover_task", "notify_task", "dashboards_warm_task"}
    assert due_at(dt.datetime(2026, 3, 2, 9, 17)) == every_minute
    assert due_at(dt.datetime(2026, 3, 2, 9, 5)) == every_minute | {"digest_task"}
    # Ten minutes after midnight in the site's time zone (Asia/Shanghai: 16:10 UTC).
    assert "recompute_status_task" in due_at(dt.datetime(2026, 3, 2, 16, 10))
    assert "recompute_status_task" not in due_at(dt.datetime(2026, 3, 2, 0, 10))


@pytest.mark.django_db
def test_the_worker_turns_changes_into_alerts_and_mails_the_digest(watched, alice):  # noqa: F811
    new_edition()
    notify_task.call_local()
    assert Alert.objects.filter(watch_list=watched).exists()
    assert Notification.objects.filter(user=alice).exists()
    assert mail.outbox == []
    digest_task.call_local()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [alice.email]
    digest_task.call_local()
    assert len(mail.outbox) == 1  # once per period
