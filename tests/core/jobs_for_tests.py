"""Jobs registered for the tests of `stdplus.core.jobs` (imported by them and by the worker that
the kill -9 test starts). Each leaves a database row as its effect: a group named after it."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.contrib.auth.models import Group
from django.db.models import F

from stdplus.core.jobs import job
from stdplus.core.models import Job


@job("tests.add_group")
def add_group(*, job: Job, name: str) -> dict:
    Group.objects.create(name=f"{name} attempt {job.attempts}")
    return {"attempt": job.attempts}


@job("tests.fail")
def fail(*, job: Job, name: str) -> None:
    Group.objects.create(name=name)
    raise RuntimeError("the job broke")


@job("tests.taken_over")
def taken_over(*, job: Job, name: str) -> None:
    Group.objects.create(name=name)
    # Meanwhile another worker claims the job (its lease ended): this attempt must not count.
    Job.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1)


@job("tests.slow_first_attempt")
def slow_first_attempt(*, job: Job, name: str, started: str, seconds: float) -> dict:
    """Writes its row, says it started (a file outside the transaction), and on its first
    attempt then waits: long enough to be killed in the middle."""
    Group.objects.create(name=f"{name} attempt {job.attempts}")
    Path(started).write_text(f"{job.attempts} {os.getpid()}\n")
    if job.attempts == 1:
        time.sleep(seconds)
    return {"attempt": job.attempts}
