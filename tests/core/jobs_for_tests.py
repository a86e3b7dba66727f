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


@job("tests.file", label="A test file")
def make_file(*, job: Job, text: str) -> dict:
    """Reports progress and hands back a file, as the report job does."""
    from stdplus.core.jobs import job_file, job_progress

    job_progress(job, 1, 2, "half way")
    out = job_file(job, "result.txt")
    out.write_text(text, encoding="utf-8")
    return {"file": out.name}


@job("tests.refuse")
def refuse(*, job: Job) -> None:
    from django.utils.translation import gettext_lazy as _

    from stdplus.core.errors import ApplicationError

    raise ApplicationError(_("There is no region with the code %(code)s."), params={"code": "99"})
