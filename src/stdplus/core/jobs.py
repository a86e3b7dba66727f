"""Background jobs that survive a worker killed mid-run and take effect once.

huey takes a message off its queue when a worker starts it, so a worker killed with kill -9 would
lose that message. A job is therefore also a row (`core.Job`), and the queue carries only its id:

- `job_submit(name=, key=, params=)` writes the row once per key (submitting the same key again
  returns the same job) and enqueues its id after the transaction commits.
- A worker claims the row with one conditional UPDATE (queued, or running with its lease ended)
  that counts the attempt, then runs the job's function and marks the row done in one
  transaction: the job's database effects commit together with "done", or not at all. A second
  worker holding an older attempt cannot mark it done, so its effects roll back.
- `jobs_recover()` (at each worker's start and every minute) enqueues again the jobs whose lease
  ended while running (their worker died) and queued jobs the queue never delivered.

A job function takes the Job and its params as keywords; it is registered with `@job("name")` in
an app's `tasks.py` (huey's worker imports every app's `tasks` module).

Jobs started from the web (`job_submit(started_by=...)`) have a page, `/jobs/<id>/`, that shows
their progress and then their result:

- `job_progress(job, done, total, stage)` reports how far a job is. It is kept in the queue's own
  storage (huey's key-value store: the SQLite queue file or Redis), not in the job's row: the job
  runs inside a transaction, and a write to the database from outside it would wait for it on
  SQLite (one write lock) and be invisible until it commits on PostgreSQL.
- `job_file(job, name)` is where a job writes the file it hands back, under
  `STDPLUS_JOB_FILES/<job id>/`; the job returns `{"file": name}` and the page offers it for
  download to the person who started the job (and staff).
- A job registered with `atomic=False` runs outside the transaction: one that commits in steps
  of its own (an import) and is safe to run again after a kill.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from huey import signals
from huey.contrib.djhuey import HUEY, db_task

from stdplus.core import metrics
from stdplus.core.errors import ApplicationError
from stdplus.core.logs import job_context, job_enter, job_leave
from stdplus.core.models import Job
from stdplus.core.replicas import reads_from_primary

log = logging.getLogger(__name__)

JobFunction = Callable[..., Any]
_REGISTRY: dict[str, JobFunction] = {}
_NOT_ATOMIC: set[str] = set()
_LABELS: dict[str, Any] = {}


class _Superseded(Exception):
    """Another attempt took the job over while this one ran: roll this one's effects back."""


def job(name: str, *, label=None, atomic: bool = True) -> Callable[[JobFunction], JobFunction]:
    """Register a job function under a name (`job_submit(name=...)` runs it); `label` is what
    its page calls it (translatable); `atomic=False` runs it outside the job's transaction."""

    def register(fn: JobFunction) -> JobFunction:
        _REGISTRY[name] = fn
        if label is not None:
            _LABELS[name] = label
        if not atomic:
            _NOT_ATOMIC.add(name)
        return fn

    return register


def job_label(name: str) -> str:
    """What a job's page calls it: its label in the reader's language, or its name."""
    return str(_LABELS.get(name, name))


def job_submit(*, name: str, key: str, params: dict | None = None, started_by=None) -> Job:
    """The job of this key, created and enqueued when it is new (an idempotency key)."""
    if name not in _REGISTRY:
        raise ValueError(f"no job is registered as {name!r}")
    user = started_by if getattr(started_by, "is_authenticated", False) else None
    with transaction.atomic():
        row, created = Job.objects.get_or_create(
            key=key, defaults={"name": name, "params": params or {}, "started_by": user}
        )
        if created:
            transaction.on_commit(lambda: job_run(row.pk))
    return row


def web_job_key(name: str) -> str:
    """A fresh key for a job a person starts from a page (each start is a job of its own)."""
    return f"web:{name}:{uuid.uuid4().hex}"


def _progress_key(job_id: int) -> str:
    return f"stdplus-job-progress-{job_id}"


def job_progress(job: Job, done: int, total: int, stage: str = "") -> None:
    """How far the job is (shown on its page); kept in the queue's storage, see above."""
    try:
        HUEY.put(_progress_key(job.pk), {"done": done, "total": total, "stage": stage})
    except Exception:  # progress is a courtesy: the job goes on when the storage is away
        log.warning("could not record the progress of job %s", job.pk, exc_info=True)


def _progress_forget(job_id: int) -> None:
    try:
        HUEY.get(_progress_key(job_id))  # reading without peek removes it
    except Exception:
        log.warning("could not remove the progress of job %s", job_id, exc_info=True)


def job_progress_get(job: Job) -> dict | None:
    """The last progress a running job reported ({done, total, stage, percent}), or None."""
    try:
        value = HUEY.get(_progress_key(job.pk), peek=True)
    except Exception:
        return None
    if not value:
        return None
    total = max(0, int(value.get("total") or 0))
    done = min(max(0, int(value.get("done") or 0)), total) if total else 0
    return {
        **value,
        "done": done,
        "total": total,
        "percent": round(100 * done / total) if total else 0,
    }


def job_files_dir(job: Job) -> Path:
    return Path(settings.STDPLUS_JOB_FILES) / str(job.pk)


def job_file(job: Job, name: str) -> Path:
    """Where the job writes the file it hands back (its folder is made); `name` is a plain file
    name, never a path."""
    if not name or Path(name).name != name or name.startswith("."):
        raise ValueError(f"not a plain file name: {name!r}")
    folder = job_files_dir(job)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def job_result_file(job: Job) -> Path | None:
    """The file a finished job handed back, when it did and it is still there."""
    if job.state != Job.DONE or not isinstance(job.result, dict):
        return None
    name = job.result.get("file")
    if not isinstance(name, str) or not name or Path(name).name != name:
        return None
    path = job_files_dir(job) / name
    return path if path.is_file() else None


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.STDPLUS_JOB_LEASE)


def job_execute(job_id: int) -> bool:
    """Claim the job and run it; False when it is done, failed or running elsewhere.

    Its log records carry the job's id and name; it reads the primary database (never a
    replica), and counts in the metrics as started, then finished or failed."""
    with reads_from_primary():
        return _job_execute(job_id)


def _job_execute(job_id: int) -> bool:
    now = timezone.now()
    claimable = Q(state=Job.QUEUED) | Q(state=Job.RUNNING, lease_until__lt=now)
    claimed = Job.objects.filter(claimable, pk=job_id).update(
        state=Job.RUNNING, attempts=F("attempts") + 1, lease_until=now + _lease()
    )
    if not claimed:
        return False
    row = Job.objects.get(pk=job_id)
    with job_context(job_id, row.name):
        metrics.job_started(row.name)
        log.info("job %s (%s) started, attempt %s", job_id, row.name, row.attempts)
        done = _job_run_claimed(job_id, row)
        if done:
            metrics.job_finished(row.name)
            log.info("job %s (%s) done", job_id, row.name)
        return done


def _job_run_claimed(job_id: int, row: Job) -> bool:
    fn = _REGISTRY.get(row.name)
    if fn is None:
        Job.objects.filter(pk=job_id, attempts=row.attempts).update(
            state=Job.FAILED, error=f"no job is registered as {row.name!r}"
        )
        metrics.job_failed(row.name)
        log.error("job %s: no job is registered as %r", job_id, row.name)
        return False
    # A job started from a page runs in that page's language (its messages and files).
    params = dict(row.params)
    language = params.pop("language", None) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            if row.name in _NOT_ATOMIC:
                result = fn(job=row, **params)
                _mark_done(row, result)
            else:
                with transaction.atomic():
                    result = fn(job=row, **params)
                    _mark_done(row, result)
    except _Superseded:
        log.warning("job %s (%s): a later attempt took it over", job_id, row.name)
        return False
    except ApplicationError as error:  # the input's fault: its message is for the person
        log.warning("job %s (%s) refused: %s", job_id, row.name, error)
        metrics.job_failed(row.name)
        with translation.override(language):
            message = error.describe()
        Job.objects.filter(pk=job_id, state=Job.RUNNING, attempts=row.attempts).update(
            state=Job.FAILED, error=message[:2000]
        )
        return False
    except Exception as error:
        log.exception("job %s (%s) failed", job_id, row.name)
        metrics.job_failed(row.name)
        Job.objects.filter(pk=job_id, state=Job.RUNNING, attempts=row.attempts).update(
            state=Job.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        return False
    finally:
        _progress_forget(job_id)
    return True


def _mark_done(row: Job, result: Any) -> None:
    marked = Job.objects.filter(pk=row.pk, state=Job.RUNNING, attempts=row.attempts).update(
        state=Job.DONE, result=result, finished_at=timezone.now(), error=""
    )
    if not marked:
        raise _Superseded


def jobs_recover() -> int:
    """Enqueue again the jobs a dead worker left running and those the queue lost."""
    now = timezone.now()
    lost = Job.objects.filter(
        Q(state=Job.RUNNING, lease_until__lt=now)
        | Q(state=Job.QUEUED, created_at__lt=now - _lease())
    ).values_list("pk", flat=True)
    ids = list(lost[:1000])
    for job_id in ids:
        job_run(job_id)
    if ids:
        log.warning(
            "re-enqueued %d job(s) whose worker stopped or whose message was lost", len(ids)
        )
    return len(ids)


HEARTBEAT = "stdplus-worker-seen"


def worker_seen() -> None:
    """A worker says it is alive (at its start and every minute), in the queue's storage."""
    HUEY.put(HEARTBEAT, time.time())


def worker_seen_seconds_ago() -> int | None:
    """Seconds since a worker last said it was alive; None when none has yet."""
    seen = HUEY.get(HEARTBEAT, peek=True)
    return None if seen is None else max(0, round(time.time() - seen))


@db_task()
def job_run(job_id: int) -> None:
    job_execute(job_id)


@HUEY.on_startup()
def _recover_at_start() -> None:
    try:
        worker_seen()
        jobs_recover()
    except Exception:  # a worker starts even while the database is away; the periodic run retries
        log.exception("recovering jobs at the worker's start failed")


def local_time_is(*, hour: int | None = None, minute: int = 0) -> Callable[[dt.datetime], bool]:
    """A periodic task's schedule in the site's time zone (TIME_ZONE): huey checks its periodic
    tasks each minute with the UTC time, and "daily after midnight" means the site's midnight."""

    def due(utc: dt.datetime) -> bool:
        local = timezone.localtime(utc.replace(tzinfo=dt.UTC))
        return local.minute == minute and (hour is None or local.hour == hour)

    return due


# Every huey task (the periodic ones too): its log records carry the task's id and name, and it
# counts in the metrics. `job_run` is counted by its Job's own name, in `job_execute`.
_ENDED = {
    signals.SIGNAL_COMPLETE: metrics.job_finished,
    signals.SIGNAL_ERROR: metrics.job_failed,
    signals.SIGNAL_TIMEOUT: metrics.job_failed,
    signals.SIGNAL_LOCKED: metrics.job_skipped,
    signals.SIGNAL_CANCELED: metrics.job_skipped,
}
_task_tokens: dict[str, Any] = {}


def _task_label(task: Any) -> str:
    return getattr(task, "name", type(task).__name__).rsplit(".", 1)[-1]


@HUEY.signal()
def _task_signal(signal: str, task: Any, *args: Any) -> None:
    name = _task_label(task)
    if signal == signals.SIGNAL_EXECUTING:
        _task_tokens[task.id] = job_enter(task.id, name)
        if name != "job_run":
            metrics.job_started(name)
        return
    count = _ENDED.get(signal)
    if count is None and signal != signals.SIGNAL_INTERRUPTED:
        return
    if count is not None and name != "job_run":
        count(name)
    token = _task_tokens.pop(task.id, None)
    if token is not None:
        job_leave(token)
