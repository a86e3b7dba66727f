"""A job survives its worker killed with kill -9 in the middle: not lost, not done twice.

Real processes on a real queue: a fresh stdplus folder and database (SQLite in its var/, or a new
PostgreSQL database beside DATABASE_URL's in the PostgreSQL run), the embedded huey queue in var/
or the Redis server at STDPLUS_TEST_REDIS_URL (which `.ci/run` starts),
`stdplus worker` started as a process, killed with SIGKILL while the job runs, and a second worker
that takes the job over once its lease has ended.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LEASE = 3  # seconds

SETUP = "import django; django.setup(); import tests.core.jobs_for_tests; "
WORKER = SETUP + "from stdplus.cli import main; main(['worker', '--threads', '1'])"
SUBMIT = (
    SETUP + "import sys, json; from stdplus.core.jobs import job_submit; "
    "print(job_submit(name='tests.slow_first_attempt', key=sys.argv[1], "
    "params=json.loads(sys.argv[2])).pk)"
)

pytestmark = [pytest.mark.slow, pytest.mark.database]


def wait_for(condition, seconds: float, what: str):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"waited {seconds} s for {what}")


REDIS_URL = os.environ.get("STDPLUS_TEST_REDIS_URL", "")


@pytest.fixture(params=["sqlite", "redis"])
def queue_url(request) -> str:
    if request.param == "sqlite":
        return ""
    if not REDIS_URL:
        pytest.skip("STDPLUS_TEST_REDIS_URL is not set (.ci/run sets it and starts Redis)")
    from huey import RedisHuey

    RedisHuey("stdplus", url=REDIS_URL).flush()  # this queue's keys only
    return REDIS_URL


POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
DATABASES: dict[Path, str] = {}  # folder -> PostgreSQL database URL (SQLite: var/ of the folder)


@pytest.fixture
def database(tmp_path):
    """A new, empty PostgreSQL database for the worker processes (None on SQLite)."""
    if not POSTGRES:
        yield None
        return
    import psycopg

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    name = f"stdplus_worker_kill_{os.getpid()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    DATABASES[tmp_path] = f"{base}/{name}"
    yield DATABASES[tmp_path]
    del DATABASES[tmp_path]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def home(tmp_path, queue_url, database, migrated_sqlite):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "STDPLUS_QUEUE_URL"}
    }
    env.update(
        STDPLUS_HOME=str(tmp_path),
        DJANGO_SETTINGS_MODULE="stdplus.settings",
        STDPLUS_JOB_LEASE=str(LEASE),
        STDPLUS_EMAIL_BACKEND="locmem",
        PYTHONPATH=str(REPO),
    )
    if queue_url:
        env["STDPLUS_QUEUE_URL"] = queue_url
    if database:
        env["DATABASE_URL"] = database
        subprocess.run(
            [sys.executable, "-m", "stdplus", "migrate", "-v0"], env=env, cwd=tmp_path, check=True
        )
    else:
        migrated_sqlite(tmp_path / "var" / "stdplus.sqlite3")
    return tmp_path, env


def rows(path: Path, sql: str) -> list[tuple]:
    if path in DATABASES:
        import psycopg

        with psycopg.connect(DATABASES[path], autocommit=True) as db:
            return db.execute(sql).fetchall()
    with sqlite3.connect(path / "var" / "stdplus.sqlite3") as db:
        return db.execute(sql).fetchall()


def job_row(path: Path, job_id: int) -> tuple:
    return rows(path, f"select state, attempts from core_job where id = {job_id}")[0]


def made(path: Path) -> list[str]:
    return [name for (name,) in rows(path, "select name from auth_group where name like 'k %'")]


def start_worker(path: Path, env: dict, log: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER],
        env=env,
        cwd=path,
        stdout=(path / log).open("w"),
        stderr=subprocess.STDOUT,
    )


def test_a_job_survives_kill_9_of_its_worker_and_runs_once(home):
    path, env = home
    started = path / "started.txt"
    submitted = subprocess.run(
        [
            sys.executable,
            "-c",
            SUBMIT,
            "k-1",
            f'{{"name": "k", "started": "{started}", "seconds": 120}}',
        ],
        env=env,
        cwd=path,
        check=True,
        capture_output=True,
        text=True,
    )
    job_id = int(submitted.stdout.strip())
    assert job_row(path, job_id) == ("queued", 0)

    first = start_worker(path, env, "worker-1.log")
    try:
        wait_for(started.exists, 60, "the first worker to start the job")
        first.send_signal(signal.SIGKILL)  # kill -9 in the middle of the job
        first.wait(10)
    finally:
        first.kill()
    assert started.read_text().split()[0] == "1"
    queue = "queue Redis" if env.get("STDPLUS_QUEUE_URL") else "queue.sqlite3"
    assert queue in (path / "worker-1.log").read_text()
    assert job_row(path, job_id) == ("running", 1)  # its message has left the queue
    assert made(path) == []  # the killed attempt's effects never committed

    time.sleep(LEASE + 0.5)  # the dead worker's lease ends
    second = start_worker(path, env, "worker-2.log")
    try:
        wait_for(lambda: job_row(path, job_id)[0] == "done", 60, "the second worker to finish it")
        time.sleep(1.5)  # a further recovery or a duplicate message would run it again now
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(15)
        except subprocess.TimeoutExpired:
            second.kill()
    assert job_row(path, job_id) == ("done", 2)
    assert made(path) == ["k attempt 2"]  # done exactly once

    # Submitting the same key again is the same job: nothing new runs.
    again = subprocess.run(
        [sys.executable, "-c", SUBMIT, "k-1", '{"name": "k", "started": "-", "seconds": 0}'],
        env=env,
        cwd=path,
        check=True,
        capture_output=True,
        text=True,
    )
    assert int(again.stdout.strip()) == job_id
    assert rows(path, "select count(*) from core_job") == [(1,)]
    # The PostgreSQL run used PostgreSQL: no SQLite database was made.
    assert (path / "var" / "stdplus.sqlite3").exists() is (path not in DATABASES)
