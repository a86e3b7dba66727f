"""Request ids in the logs, JSON log lines, and the metrics at /metrics (who may read them, what
they count, and the figures of several processes added up)."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings as django_settings
from huey.contrib.djhuey import HUEY
from huey.storage import SqliteStorage
from prometheus_client import REGISTRY

from stdplus.core.jobs import job_execute, job_submit
from stdplus.core.logs import logging_config

from . import jobs_for_tests  # noqa: F401  (registers the test jobs)
from .test_serve import free_port


def sample(metric: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(metric, labels) or 0.0


def logs_to(buffer: io.StringIO, fmt: str) -> None:
    """The log configuration of STDPLUS_LOG_FORMAT=fmt at INFO, written into `buffer`."""
    config = logging_config(fmt=fmt, level="INFO")
    config["handlers"]["console"]["stream"] = buffer
    logging.config.dictConfig(config)


@pytest.fixture
def json_logs():
    """Logs as with STDPLUS_LOG_FORMAT=json; returns a reader of the records written since."""
    buffer = io.StringIO()
    logs_to(buffer, "json")

    def read() -> list[dict]:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return [json.loads(line) for line in text.splitlines() if line.startswith("{")]

    yield read
    logging.config.dictConfig(django_settings.LOGGING)


# Request ids ---------------------------------------------------------------------------------


def test_a_request_keeps_the_id_it_brings_and_gets_one_otherwise(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.42")
    assert response["X-Request-ID"] == "lb-7f3a.42"
    made = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert made != client.get("/healthz")["X-Request-ID"]
    # Not an id: too long, or characters that would forge log lines; replaced by a new one.
    for bad in ("x" * 129, "a b", 'a"}\n{"level":"ERROR'):
        answered = client.get("/healthz", HTTP_X_REQUEST_ID=bad)["X-Request-ID"]
        assert answered != bad and re.fullmatch(r"[0-9a-f]{32}", answered)


def test_every_log_record_of_a_request_carries_its_id_as_json(client, json_logs):
    response = client.get("/no-such-page-at-all/", HTTP_X_REQUEST_ID="req-404")
    assert response.status_code == 404
    records = json_logs()
    ours = [r for r in records if r.get("request_id") == "req-404"]
    # Django's own warning about the 404 and our access line, both with the id.
    assert {r["logger"] for r in ours} >= {"django.request", "stdplus.access"}
    access = next(r for r in ours if r["logger"] == "stdplus.access")
    assert access["status"] == 404 and access["method"] == "GET"
    assert access["path"] == "/no-such-page-at-all/" and access["route"] == "unmatched"
    assert access["duration_ms"] >= 0 and access["level"] == "INFO" and access["time"]
    assert access["job_id"] is None
    # Outside a request no id is left behind.
    logging.getLogger("stdplus.test").warning("after the request")
    after = [r for r in json_logs() if r["message"] == "after the request"]
    assert after and after[0]["request_id"] is None


def test_plain_text_logs_name_the_request_too(client):
    buffer = io.StringIO()
    logs_to(buffer, "text")
    try:
        client.get("/healthz", HTTP_X_REQUEST_ID="plain-1")
    finally:
        logging.config.dictConfig(django_settings.LOGGING)
    assert re.search(
        r"INFO stdplus\.access \[request_id=plain-1\] GET /healthz 200 [0-9.]+ms", buffer.getvalue()
    )


def test_an_unknown_log_format_is_refused():
    with pytest.raises(ValueError, match="use text or json"):
        logging_config(fmt="xml", level="INFO")
    result = subprocess.run(
        [sys.executable, "-m", "stdplus", "check"],
        env={**os.environ, "STDPLUS_LOG_FORMAT": "xml"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "STDPLUS_LOG_FORMAT='xml'" in result.stderr


@pytest.mark.django_db
def test_a_jobs_log_records_carry_its_id_and_it_is_counted(json_logs):
    before = {
        kind: sample(f"stdplus_jobs_{kind}_total", name="tests.add_group")
        for kind in ("started", "finished", "failed")
    }
    row = job_submit(name="tests.add_group", key="observe-1", params={"name": "observed"})
    assert job_execute(row.pk)
    records = [r for r in json_logs() if r.get("job_id") == str(row.pk)]
    assert records and all(r["job"] == "tests.add_group" for r in records)
    assert any("started" in r["message"] for r in records)
    assert sample("stdplus_jobs_started_total", name="tests.add_group") == before["started"] + 1
    assert sample("stdplus_jobs_finished_total", name="tests.add_group") == before["finished"] + 1
    assert sample("stdplus_jobs_failed_total", name="tests.add_group") == before["failed"]

    failed_before = sample("stdplus_jobs_failed_total", name="tests.fail")
    broken = job_submit(name="tests.fail", key="observe-2", params={"name": "broken"})
    assert not job_execute(broken.pk)
    assert sample("stdplus_jobs_failed_total", name="tests.fail") == failed_before + 1
    errors = [r for r in json_logs() if r.get("job_id") == str(broken.pk)]
    assert any(r["level"] == "ERROR" and "failed" in r["message"] for r in errors)


@HUEY.task()
def observed_task(fail: bool = False) -> None:
    logging.getLogger("stdplus.test").warning("inside the task")
    if fail:
        raise RuntimeError("the task broke")


def test_huey_tasks_log_their_id_and_are_counted(json_logs):
    before = {
        kind: sample(f"stdplus_jobs_{kind}_total", name="observed_task")
        for kind in ("started", "finished", "failed")
    }
    task = observed_task.s()
    HUEY.execute(task)
    inside = [r for r in json_logs() if r["message"] == "inside the task"]
    assert inside and inside[0]["job_id"] == task.id and inside[0]["job"] == "observed_task"
    failing = observed_task.s(fail=True)
    HUEY.execute(failing)
    assert sample("stdplus_jobs_started_total", name="observed_task") == before["started"] + 2
    assert sample("stdplus_jobs_finished_total", name="observed_task") == before["finished"] + 1
    assert sample("stdplus_jobs_failed_total", name="observed_task") == before["failed"] + 1
    # After the task its id is gone from the thread's records.
    logging.getLogger("stdplus.test").warning("between tasks")
    between = [r for r in json_logs() if r["message"] == "between tasks"]
    assert between and between[0]["job_id"] is None


# Who may read /metrics -----------------------------------------------------------------------


def test_metrics_are_closed_by_default_outside_debug(client, settings):
    settings.DEBUG = False
    settings.STDPLUS_METRICS_TOKEN = ""
    settings.STDPLUS_METRICS_ALLOWED_IPS = []
    response = client.get("/metrics")
    assert response.status_code == 403
    assert b"STDPLUS_METRICS_TOKEN" in response.content
    assert b"stdplus_http_requests_total" not in response.content
    settings.DEBUG = True
    assert client.get("/metrics").status_code == 200


def test_metrics_ask_for_the_bearer_token(client, settings):
    settings.STDPLUS_METRICS_TOKEN = "s3cret-scrape-token"
    response = client.get("/metrics")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Basic s3cret-scrape-token").status_code == 401
    ok = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")
    assert ok.status_code == 200
    assert ok["Content-Type"].startswith("text/plain; version=")
    assert b"# TYPE stdplus_http_requests_total counter" in ok.content


def test_metrics_by_address_and_both_rules_together(client, settings):
    settings.STDPLUS_METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    assert client.get("/metrics").status_code == 403  # the test client is 127.0.0.1
    settings.STDPLUS_METRICS_ALLOWED_IPS = ["10.0.0.0/8", "127.0.0.1"]
    assert client.get("/metrics").status_code == 200
    settings.STDPLUS_METRICS_TOKEN = "tok"
    assert client.get("/metrics").status_code == 401  # the address alone is not enough now
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer tok").status_code == 200
    settings.STDPLUS_METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer tok").status_code == 403


def test_a_bad_allowed_address_stops_the_start():
    result = subprocess.run(
        [sys.executable, "-m", "stdplus", "check"],
        env={**os.environ, "STDPLUS_METRICS_ALLOWED_IPS": "127.0.0.1,not-a-net"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "'not-a-net' is not an address" in result.stderr


# What /metrics counts ------------------------------------------------------------------------


def test_requests_are_counted_by_route_and_status_with_their_latency(client, settings):
    settings.DEBUG = True
    ok = {"method": "GET", "route": "healthz", "status": "200"}
    missing = {"method": "GET", "route": "unmatched", "status": "404"}
    before_ok = sample("stdplus_http_requests_total", **ok)
    before_missing = sample("stdplus_http_requests_total", **missing)
    before_latency = sample("stdplus_http_request_duration_seconds_count", route="healthz")
    for _ in range(3):
        client.get("/healthz")
    client.get("/nothing-here/")
    assert sample("stdplus_http_requests_total", **ok) == before_ok + 3
    assert sample("stdplus_http_requests_total", **missing) == before_missing + 1
    latency = sample("stdplus_http_request_duration_seconds_count", route="healthz")
    assert latency == before_latency + 3
    text = client.get("/metrics").content.decode()
    assert re.search(
        r'^stdplus_http_requests_total\{method="GET",route="healthz",status="200"\} \d', text, re.M
    )
    assert 'stdplus_http_request_duration_seconds_bucket{le="0.005",route="healthz"}' in text


def test_post_to_a_named_route_is_counted_under_its_name(client, settings):
    settings.DEBUG = True
    labels = {"method": "POST", "route": "healthz", "status": "405"}
    before = sample("stdplus_http_requests_total", **labels)
    assert client.post("/healthz").status_code == 405
    assert sample("stdplus_http_requests_total", **labels) == before + 1


@pytest.mark.django_db
def test_queue_length_is_read_when_scraped(client, settings, tmp_path, monkeypatch):
    settings.DEBUG = True
    storage = SqliteStorage(name="stdplus", filename=str(tmp_path / "queue.sqlite3"))
    monkeypatch.setattr(HUEY, "storage", storage)
    storage.enqueue(b"one")
    storage.enqueue(b"two")
    text = client.get("/metrics").content.decode()
    assert re.search(r"^stdplus_queue_length 2\.0$", text, re.M)
    assert re.search(r"^stdplus_queue_up 1\.0$", text, re.M)
    missing = tmp_path / "no-such-folder" / "queue.sqlite3"
    monkeypatch.setattr(
        HUEY, "storage", SqliteStorage(name="stdplus", filename=str(missing), create_tables=False)
    )
    text = client.get("/metrics").content.decode()
    assert re.search(r"^stdplus_queue_up 0\.0$", text, re.M)
    assert "stdplus_queue_length" not in text.replace("# HELP", "").split("stdplus_queue_up")[-1]


# Several processes ---------------------------------------------------------------------------


def _get(url: str, token: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _value(text: str, line_start: str) -> float:
    values = [
        float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(line_start)
    ]
    return sum(values)


@pytest.mark.slow
def test_gunicorn_workers_and_the_worker_add_up_in_the_metrics_folder(tmp_path, migrated_sqlite):
    """`stdplus serve` with two processes and a job counted by another process (as `stdplus
    worker` would): one scrape of the web shows the sum of all of them."""
    folder = tmp_path / "metrics"
    env = {
        **os.environ,
        "STDPLUS_HOME": str(tmp_path),
        "STDPLUS_METRICS_DIR": str(folder),
        "STDPLUS_METRICS_TOKEN": "scrape-me",
        "STDPLUS_DEBUG": "0",
        "STDPLUS_LOG_FORMAT": "json",
    }
    env.pop("DATABASE_URL", None)  # its own SQLite file
    migrated_sqlite(tmp_path / "var" / "stdplus.sqlite3")
    # Files of a process that is gone (an earlier run) are removed when serve starts.
    folder.mkdir(exist_ok=True)
    (folder / "counter_999999999.db").write_bytes(b"")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "stdplus", "serve", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(base + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "stdplus serve did not answer"
            time.sleep(0.3)
        assert not (folder / "counter_999999999.db").exists()
        for _ in range(19):
            assert _get(base + "/healthz")[0] == 200
        subprocess.run(
            [sys.executable, "-c",
             "import django; django.setup(); from stdplus.core import metrics; "
             "metrics.job_started('report'); metrics.job_finished('report'); "
             "metrics.alert_delivered('webhook', 3)"],
            env={**env, "DJANGO_SETTINGS_MODULE": "stdplus.settings"},
            check=True,
            timeout=120,
        )  # fmt: skip
        assert _get(base + "/metrics")[0] == 401
        status, text = _get(base + "/metrics", token="scrape-me")
        assert status == 200
        served = 'stdplus_http_requests_total{method="GET",route="healthz",status="200"}'
        assert _value(text, served) == 20
        assert _value(text, 'stdplus_jobs_finished_total{name="report"}') == 1
        assert _value(text, 'stdplus_alert_deliveries_total{channel="webhook"}') == 3
        pids = {path.stem.rsplit("_", 1)[1] for path in folder.glob("*.db")}
        assert len(pids) >= 2  # at least one web process and the job's process wrote there
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    # The access lines are JSON with the request id gunicorn's workers saw.
    access = [
        json.loads(line)
        for line in output.splitlines()
        if line.startswith("{") and '"stdplus.access"' in line
    ]
    assert len([a for a in access if a["path"] == "/healthz"]) >= 20
    assert all(re.fullmatch(r"[0-9a-f]{32}", a["request_id"]) for a in access)
