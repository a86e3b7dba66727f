import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from stdplus.core.jobs import job_execute, job_submit, jobs_recover, local_time_is
from stdplus.core.models import Job
from tests.core import jobs_for_tests  # noqa: F401 (registers the jobs)

pytestmark = pytest.mark.django_db


def made(prefix: str) -> list[str]:
    """The groups the test jobs made (the migrations make a group of their own)."""
    return list(Group.objects.filter(name__startswith=prefix).values_list("name", flat=True))


def submit(django_capture_on_commit_callbacks, **kwargs) -> Job:
    # The test database never commits: run the enqueue that follows the commit by hand (the
    # queue runs jobs at once in tests).
    with django_capture_on_commit_callbacks(execute=True):
        row = job_submit(**kwargs)
    row.refresh_from_db()
    return row


def test_a_job_runs_once_per_key(django_capture_on_commit_callbacks):
    first = submit(
        django_capture_on_commit_callbacks, name="tests.add_group", key="k1", params={"name": "a"}
    )
    again = submit(
        django_capture_on_commit_callbacks, name="tests.add_group", key="k1", params={"name": "a"}
    )
    assert again.pk == first.pk
    assert (first.state, first.attempts, first.result) == (Job.DONE, 1, {"attempt": 1})
    assert job_execute(first.pk) is False  # a done job is not run again (a duplicate message)
    assert made("a ") == ["a attempt 1"]


def test_a_failed_job_leaves_no_effect_and_says_why(django_capture_on_commit_callbacks):
    row = submit(
        django_capture_on_commit_callbacks, name="tests.fail", key="f", params={"name": "f"}
    )
    assert row.state == Job.FAILED
    assert row.error == "RuntimeError: the job broke"
    assert made("f") == []


def test_an_attempt_taken_over_by_another_worker_rolls_back(django_capture_on_commit_callbacks):
    row = submit(
        django_capture_on_commit_callbacks, name="tests.taken_over", key="t", params={"name": "t"}
    )
    assert row.state == Job.RUNNING  # the other worker's attempt will finish it
    assert made("t") == []


def test_unknown_job_names_are_refused():
    with pytest.raises(ValueError, match="no job is registered as 'nothing'"):
        job_submit(name="nothing", key="x")


def test_recovery_runs_jobs_whose_worker_died_and_leaves_live_ones():
    now = timezone.now()
    dead = Job.objects.create(
        key="dead",
        name="tests.add_group",
        params={"name": "dead"},
        state=Job.RUNNING,
        attempts=1,
        lease_until=now - dt.timedelta(seconds=1),
    )
    alive = Job.objects.create(
        key="alive",
        name="tests.add_group",
        params={"name": "alive"},
        state=Job.RUNNING,
        attempts=1,
        lease_until=now + dt.timedelta(minutes=5),
    )
    assert jobs_recover() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.state, dead.attempts) == (Job.DONE, 2)
    assert (alive.state, alive.attempts) == (Job.RUNNING, 1)
    assert made("dead") == ["dead attempt 2"]
    assert made("alive") == []


def test_local_time_schedule():
    midnight_ten = local_time_is(hour=0, minute=10)
    assert midnight_ten(dt.datetime(2026, 3, 1, 16, 10))  # 00:10 in Asia/Shanghai
    assert not midnight_ten(dt.datetime(2026, 3, 1, 0, 10))
