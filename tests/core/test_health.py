import pytest
from django.db import connection
from django.db.utils import OperationalError
from huey.contrib.djhuey import HUEY
from huey.storage import SqliteStorage

from stdplus.core.jobs import worker_seen


def test_healthz_answers_without_the_database(client):
    # No django_db mark: any database query here would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.fixture
def sqlite_queue(tmp_path, monkeypatch):
    storage = SqliteStorage(name="stdplus", filename=str(tmp_path / "queue.sqlite3"))
    monkeypatch.setattr(HUEY, "storage", storage)
    return storage


@pytest.mark.django_db
def test_readyz_checks_the_database_and_the_queue(client, sqlite_queue):
    sqlite_queue.enqueue(b"a message")
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"status": "ok", "vendor": connection.vendor}
    assert body["queue"] == {
        "status": "ok",
        "backend": "SqliteStorage",
        "length": 1,
        "worker_seen_seconds_ago": None,  # no worker has started yet
    }
    worker_seen()
    assert client.get("/readyz").json()["queue"]["worker_seen_seconds_ago"] in (0, 1)


@pytest.mark.django_db
def test_readyz_is_unavailable_when_the_queue_is_not_reachable(client, tmp_path, monkeypatch):
    missing = tmp_path / "no-such-folder" / "queue.sqlite3"  # a queue file that cannot be opened
    storage = SqliteStorage(name="stdplus", filename=str(missing), create_tables=False)
    monkeypatch.setattr(HUEY, "storage", storage)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"]["status"] == "ok"
    assert body["queue"] == {"status": "unavailable", "error": "OperationalError"}


@pytest.mark.django_db
def test_readyz_is_unavailable_when_the_database_is_not_reachable(
    client, sqlite_queue, monkeypatch
):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == {"status": "unavailable", "error": "OperationalError"}
    assert body["queue"]["status"] == "ok"


def test_health_answers_only_get_and_head(client):
    assert client.post("/healthz").status_code == 405
