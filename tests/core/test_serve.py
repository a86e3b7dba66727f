"""`stdplus serve` starts gunicorn, answers /healthz and static files, reloads on HUP."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


def answers(url: str) -> bool:
    try:
        return get(url)[0] == 200
    except OSError:
        return False


def wait_for(condition, seconds: float, what: str) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


def worker_pids(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return {int(pid) for pid in children.read_text().split()}


def test_serve_answers_health_and_static_and_reloads_on_hup(tmp_path, migrated_sqlite):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(STDPLUS_HOME=str(tmp_path), STDPLUS_WEB_WORKERS="2", STDPLUS_WEB_THREADS="2")
    migrated_sqlite(tmp_path / "var" / "stdplus.sqlite3")
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "stdplus", "serve", "--bind", f"127.0.0.1:{port}"],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: answers(f"{base}/healthz"), 60, "the server to answer")
        assert json.loads(get(f"{base}/healthz")[1]) == {"status": "ok"}
        ready = json.loads(get(f"{base}/readyz")[1])
        assert ready["database"]["status"] == ready["queue"]["status"] == "ok"
        assert answers(f"{base}/static/stdplus/favicon.svg")  # WhiteNoise
        wait_for(lambda: len(worker_pids(server.pid)) == 2, 30, "two worker processes")
        before = worker_pids(server.pid)
        server.send_signal(signal.SIGHUP)  # graceful reload: new workers, same master
        wait_for(
            lambda: len(worker_pids(server.pid)) == 2 and not worker_pids(server.pid) & before,
            30,
            "the workers to be replaced",
        )
        assert answers(f"{base}/healthz")
        server.send_signal(signal.SIGTERM)
        assert server.wait(30) == 0
    finally:
        if server.poll() is None:
            server.kill()
        log.close()
    text = (tmp_path / "serve.log").read_text()
    assert "2 worker(s) x 2 thread(s)" in text and "gthread" in text


@pytest.mark.parametrize(
    ("command", "option", "message"),
    [
        ("serve", {"workers": 0}, "--workers must be at least 1 (got 0)"),
        ("serve", {"threads": 0}, "--threads must be at least 1 (got 0)"),
        ("worker", {"threads": 0}, "--threads must be at least 1 (got 0)"),
    ],
)
def test_zero_workers_or_threads_are_refused_not_replaced(command, option, message):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match=re.escape(message)):
        call_command(command, **option)
