"""Read replicas (stdplus.core.replicas): reads go to a replica, writes to the primary, and a
person who just wrote reads their own write, whatever the replica's lag.

The first tests check the router's choices on any database. The others run against a real
PostgreSQL streaming replica of the test database's server: `.ci/pg_replica start` makes one on
port 5433 and `.ci/run` sets STDPLUS_TEST_REPLICA_URL to it. They stop the replica's replay
(`pg_wal_replay_pause`) to make it lag as much as they need.
"""

from __future__ import annotations

import copy
import os
import time

import dj_database_url
import pytest
from django.db import connections, router, transaction
from django.db.utils import load_backend
from django.test import Client

from stdplus.core import replicas
from stdplus.core.models import Job
from stdplus.core.replicas import COOKIE, reads_from_primary

REPLICA_URL = os.environ.get("STDPLUS_TEST_REPLICA_URL", "").strip()
ALIAS = "replica_test"

pytestmark = pytest.mark.urls("tests.core.replica_urls")


# The rule, on any database (the replica's name is only returned, never connected to) ---------


@pytest.fixture
def one_replica(settings):
    settings.STDPLUS_DATABASE_REPLICAS = ["replica_a"]
    settings.STDPLUS_REPLICA_PIN_SECONDS = 10


def test_a_get_reads_a_replica_and_a_post_the_primary(client, one_replica):
    answer = client.get("/where")
    assert answer.json() == {"reads": "replica_a"}
    assert COOKIE not in answer.cookies
    posted = client.post("/where")
    assert posted.json()["reads"] == "default"
    cookie = posted.cookies[COOKIE]
    assert cookie["max-age"] == 11 and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie.value) >= time.time() + 10
    # Pinned: the next reads of this client go to the primary ...
    assert client.get("/where").json()["reads"] == "default"
    # ... until the time in the cookie has passed; another client was never pinned.
    assert Client().get("/where").json()["reads"] == "replica_a"
    client.cookies[COOKIE] = str(int(time.time()) - 1)
    assert client.get("/where").json()["reads"] == "replica_a"
    client.cookies[COOKIE] = "not a time"
    assert client.get("/where").json()["reads"] == "replica_a"


def test_without_replicas_everything_reads_the_primary_and_nothing_is_pinned(client, settings):
    settings.STDPLUS_DATABASE_REPLICAS = []
    answer = client.get("/where")
    assert answer.json()["reads"] == "default"
    assert COOKIE not in client.post("/where").cookies


def test_outside_a_request_reads_go_to_the_primary(one_replica):
    assert router.db_for_read(Job) == "default"
    assert router.db_for_write(Job) == "default"
    assert router.allow_migrate("replica_a", "core") is False
    assert router.allow_migrate("default", "core") is True


def test_a_job_reads_the_primary_even_when_run_inside_a_request(one_replica):
    token = replicas._reads.set(replicas._Reads(replica="replica_a"))
    try:
        assert router.db_for_read(Job) == "replica_a"
        with reads_from_primary():  # what job_execute does
            assert router.db_for_read(Job) == "default"
        assert router.db_for_read(Job) == "replica_a"
    finally:
        replicas._reads.reset(token)


def test_reads_inside_a_transaction_go_to_the_primary(transactional_db, one_replica):
    token = replicas._reads.set(replicas._Reads(replica="replica_a"))
    try:
        assert router.db_for_read(Job) == "replica_a"
        with transaction.atomic():
            assert router.db_for_read(Job) == "default"
        assert router.db_for_read(Job) == "replica_a"
        router.db_for_write(Job)  # after a write, the request reads what it wrote
        assert router.db_for_read(Job) == "default"
    finally:
        replicas._reads.reset(token)


@pytest.mark.django_db
def test_a_get_that_writes_pins_its_client(client, one_replica):
    answer = client.get("/write", {"key": "get-writes"})
    assert answer.json() == {"seen": True, "db": "default"}
    assert COOKIE in answer.cookies
    assert client.get("/where").json()["reads"] == "default"


def test_the_replica_settings_are_read_from_the_environment(tmp_path):
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(sorted(s.DATABASES), s.STDPLUS_DATABASE_REPLICAS, s.STDPLUS_REPLICA_PIN_SECONDS, "
        "s.DATABASES['replica2']['PORT'], s.DATABASES['replica1']['TEST']['MIRROR'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stdplus.settings",
        "STDPLUS_HOME": str(tmp_path),
        "DATABASE_URL": "postgres://u@db1:5432/stdplus",
        "DATABASE_REPLICA_URLS": "postgres://u@db2:5432/stdplus, postgres://u@db3:6432/stdplus",
        "STDPLUS_REPLICA_PIN_SECONDS": "30",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == (
        "['default', 'replica1', 'replica2'] ['replica1', 'replica2'] 30 6432 default"
    )
    env["DATABASE_REPLICA_URLS"] = "sqlite:///elsewhere.sqlite3"
    refused = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert refused.returncode != 0
    assert "replica 1 is not the same kind of database" in refused.stderr


# Against a real streaming replica ------------------------------------------------------------


def _lsn_reached(replica) -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    with replica.cursor() as cursor:
        cursor.execute(
            "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s::pg_lsn) >= 0", [target]
        )
        return bool(cursor.fetchone()[0])


def caught_up(replica, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while not _lsn_reached(replica):
        assert time.monotonic() < end, f"the replica did not catch up in {seconds} s"
        time.sleep(0.1)


def pause(replica) -> None:
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
        for _ in range(100):
            cursor.execute("SELECT pg_get_wal_replay_pause_state()")
            if cursor.fetchone()[0] == "paused":
                return
            time.sleep(0.05)
    raise AssertionError("the replica's replay did not pause")


def resume(replica) -> None:
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")


def extra_connection(alias: str, config: dict):
    """A connection under a new alias for this thread (the test client serves requests in it),
    made outside DATABASES: Django's test case allows such connections and neither flushes nor
    checks them."""
    connection = load_backend(config["ENGINE"]).DatabaseWrapper(config, alias)
    connections[alias] = connection
    return connection


@pytest.fixture
def real_replica(transactional_db, settings):
    """The test database as the replica serves it, as one more alias; reads routed to it."""
    if not REPLICA_URL:
        pytest.skip(
            "no read replica: STDPLUS_TEST_REPLICA_URL is not set (`.ci/pg_replica start` makes "
            "one on 127.0.0.1:5433 and .ci/run sets it)"
        )
    if connections["default"].vendor != "postgresql":
        pytest.skip("the read replica tests need PostgreSQL (DATABASE_URL=postgres://...)")
    parsed = dj_database_url.parse(REPLICA_URL)
    config = copy.deepcopy(connections["default"].settings_dict)  # the test database's name
    config.update(HOST=parsed["HOST"], PORT=parsed["PORT"], CONN_MAX_AGE=0)
    config["USER"] = parsed.get("USER") or config["USER"]
    config["PASSWORD"] = parsed.get("PASSWORD") or config["PASSWORD"]
    replica = extra_connection(ALIAS, config)
    settings.STDPLUS_DATABASE_REPLICAS = [ALIAS]
    settings.STDPLUS_REPLICA_PIN_SECONDS = 10
    try:
        with replica.cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            assert cursor.fetchone()[0], f"{REPLICA_URL} is not a replica (not in recovery)"
        caught_up(replica)
        yield replica
    finally:
        try:
            resume(replica)
            caught_up(replica)
        finally:
            replica.close()
            del connections[ALIAS]


def test_reads_go_to_the_replica_and_writes_to_the_primary(real_replica):
    from django.db.utils import InternalError, OperationalError, ProgrammingError

    # It is a real replica: it refuses writes.
    with (
        pytest.raises((InternalError, OperationalError, ProgrammingError), match="read-only"),
        real_replica.cursor() as cursor,
    ):
        cursor.execute("CREATE TABLE refused (id int)")
    writer, reader = Client(), Client()
    assert writer.post("/write?key=before").json() == {"seen": True, "db": "default"}
    caught_up(real_replica)
    assert reader.get("/seen", {"key": "before"}).json() == {"seen": True, "db": ALIAS}

    pause(real_replica)
    # A write while the replica replays nothing: it goes to the primary (the replica would
    # refuse it), and a reader of the replica does not see it yet.
    assert Client().post("/write?key=during").status_code == 200
    assert Job.objects.using("default").filter(key="during").exists()
    assert reader.get("/seen", {"key": "during"}).json() == {"seen": False, "db": ALIAS}
    resume(real_replica)
    caught_up(real_replica)
    assert reader.get("/seen", {"key": "during"}).json() == {"seen": True, "db": ALIAS}


def test_a_person_reads_their_own_write_while_the_replica_lags(real_replica):
    pause(real_replica)
    me, someone = Client(), Client()
    posted = me.post("/write?key=mine")
    assert posted.status_code == 200 and COOKIE in posted.cookies
    # The replica has not replayed the write, yet the writer sees it: their reads are pinned.
    for _ in range(3):
        assert me.get("/seen", {"key": "mine"}).json() == {"seen": True, "db": "default"}
    assert someone.get("/seen", {"key": "mine"}).json() == {"seen": False, "db": ALIAS}
    # A GET that writes pins its client too.
    assert someone.get("/write", {"key": "theirs"}).json() == {"seen": True, "db": "default"}
    assert someone.get("/seen", {"key": "theirs"}).json() == {"seen": True, "db": "default"}

    # /readyz shows the replica answering and behind.
    time.sleep(0.3)
    answer = Client().get("/readyz").json()["replicas"][ALIAS]
    assert answer["status"] == "ok" and answer["replica"] is True
    assert answer["lag_seconds"] is not None and answer["lag_seconds"] > 0

    # Once the pin has ended the writer reads the replica again (still behind, so not seen) ...
    me.cookies[COOKIE] = str(int(time.time()) - 1)
    assert me.get("/seen", {"key": "mine"}).json() == {"seen": False, "db": ALIAS}
    # ... which is why the pin must outlast the usual lag; caught up, the replica has it.
    resume(real_replica)
    caught_up(real_replica)
    assert me.get("/seen", {"key": "mine"}).json() == {"seen": True, "db": ALIAS}
    assert Client().get("/readyz").json()["replicas"][ALIAS]["lag_seconds"] == 0


def test_readyz_reports_an_unreachable_replica(transactional_db, settings, client):
    config = copy.deepcopy(connections["default"].settings_dict)
    if config["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("an unreachable replica is a PostgreSQL server that does not answer")
    config.update(HOST="127.0.0.1", PORT="1", CONN_MAX_AGE=0)
    gone = extra_connection("replica_gone", config)
    settings.STDPLUS_DATABASE_REPLICAS = ["replica_gone"]
    try:
        response = client.get("/readyz")
    finally:
        gone.close()
        del connections["replica_gone"]
    assert response.status_code == 503
    assert response.json()["replicas"] == {
        "replica_gone": {"status": "unavailable", "error": "OperationalError"}
    }
