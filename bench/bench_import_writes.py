"""Web writes during a large import on SQLite: how long a login and a saved check wait.

    python bench/bench_import_writes.py                     # 200,000 synthetic records
    python bench/bench_import_writes.py --records 20000 --json
    python bench/bench_import_writes.py --src /tmp/main/src # another checkout's code (before)

Builds a fresh file-backed SQLite database under var/bench/writes/, a user with an
organization, and N synthetic records (`stdplus bench generate`); starts the site
(`stdplus runserver`, loopback, a port in 8400-8499) and `stdplus import` in subprocesses, and
while the import runs keeps two clients writing over HTTP: one logs in again and again (a new
session and `last_login` each time), the other saves validity checks. Every request is timed;
the import's apply (from taking the catalog to publishing the file; older code: its one write
transaction) is read back, so the figures say how many writes ran while it wrote, and the import
reports the longest of its write transactions (the SQLite write lock held at once).
tests/importers/test_write_lock.py runs this script with a smaller file and holds its figures to
the promise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "import-writes-Pa55"
CHECK_TEXT = "GB/T 19001-2016\nISO 9001:2015\nGB 2760-2014"


def free_port(first: int = 8450, last: int = 8499) -> int:
    for port in range(first, last + 1):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise SystemExit(f"no free port in {first}-{last}")


def stdplus(args, env, **kwargs):
    return subprocess.run([str(BIN / "stdplus"), *args], env=env, check=True, **kwargs)


class Client:
    """A browser-like HTTP client: cookies, CSRF token from the form, no redirects followed."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=120) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def form_token(self, path: str) -> str:
        status, html = self.request(path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status != 200 or not found:
            raise RuntimeError(f"GET {path}: {status}, no form")
        return found.group(1)

    def login(self, username: str) -> int:
        token = self.form_token("/account/login/")
        status, _ = self.request(
            "/account/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        )
        return status


def prepare(folder: Path, records: int, env: dict) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    stdplus(["migrate", "-v0"], env)
    stdplus(
        [
            "shell",
            "-c",
            "from stdplus.accounts.services import user_signup; "
            f"user_signup(username='writer', email='writer@example.org', password={PASSWORD!r}, "
            "organization={'kind': 'association', 'name_en': 'Writes Association'})",
        ],
        env,
    )
    data = REPO / "var" / "bench" / f"synthetic-{records}.jsonl"
    if not data.exists():
        data.parent.mkdir(parents=True, exist_ok=True)
        stdplus(["bench", "generate", str(records), "--out", str(data)], env, capture_output=True)
    return data


def wait_for(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/account/login/", timeout=5).close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server at {base} did not answer")


def write_loop(kind: str, base: str, stop: threading.Event, samples: list) -> None:
    checker = Client(base)
    if kind == "check" and checker.login("writer") != 302:
        raise RuntimeError("the check client could not log in")
    while not stop.is_set():
        started = time.time()
        try:
            if kind == "login":
                ok = Client(base).login("writer") == 302
            else:
                token = checker.form_token("/checks/")
                status, _ = checker.request(
                    "/checks/", {"csrfmiddlewaretoken": token, "text": CHECK_TEXT, "mode": "auto"}
                )
                ok = status == 302
        except OSError:
            ok = False
        samples.append((kind, started, time.time(), ok))
        time.sleep(0.2)


def run(records: int, src: str | None, port: int | None) -> dict:
    folder = REPO / "var" / "bench" / "writes"
    database = folder / "writes.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "STDPLUS_HOME": str(folder)}
    env.pop("STDPLUS_TODAY", None)
    if src:
        env["PYTHONPATH"] = src
    data = prepare(folder, records, env)
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "stdplus"), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    samples: list[tuple[str, float, float, bool]] = []
    try:
        wait_for(base)
        stop = threading.Event()
        threads = [
            threading.Thread(target=write_loop, args=(kind, base, stop, samples), daemon=True)
            for kind in ("login", "check")
        ]
        for thread in threads:
            thread.start()
        time.sleep(5.0)  # writes before the import starts: how long they take without it
        import_began = time.time()
        started = time.perf_counter()
        imported = subprocess.run(
            [str(BIN / "stdplus"), "import", str(data), "--json"],
            env=env,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
        stop.set()
        for thread in threads:
            thread.join(timeout=180)
    finally:
        server.terminate()
        server.wait(timeout=30)
    if imported.returncode != 0:
        raise SystemExit(f"the import failed: {imported.stderr[-2000:]}")
    result = json.loads(imported.stdout)[0]
    if "write_started" in result:  # the import's apply (older code: its one transaction)
        window = (result["write_started"], result["write_started"] + result["write_seconds"])
    else:  # older code: the whole import was one transaction, from its ImportRun on
        with sqlite3.connect(database) as connection:
            begun, finished = connection.execute(
                "SELECT started_at, finished_at FROM catalog_importrun ORDER BY id DESC LIMIT 1"
            ).fetchone()
        window = tuple(
            dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).timestamp()
            for text in (begun, finished)
        )
    during = [s for s in samples if s[1] < window[1] and s[2] > window[0]]
    alone = [end - start for _kind, start, end, _ok in samples if end < import_began]
    waits = [end - start for _kind, start, end, _ok in samples]
    return {
        "records": records,
        "created": result["created"],
        "import_seconds": round(seconds, 1),
        "records_per_second": round(records / seconds),
        "write_transaction_seconds": round(window[1] - window[0], 2),
        # The longest time the import held the write lock at once (older code: the whole
        # transaction above), and how many write transactions it made.
        "longest_lock_hold_seconds": round(
            result.get("longest_write_step_seconds") or window[1] - window[0], 2
        ),
        "longest_lock_hold_step": result.get("longest_write_step", "the whole transaction"),
        "write_steps": result.get("write_steps", 1),
        "writes": len(samples),
        "writes_failed": sum(1 for s in samples if not s[3]),
        "writes_during_write_transaction": len(during),
        "longest_write_seconds": round(max(waits), 2) if waits else None,
        # the same writes before the import began (a login hashes a password: CPU, no lock)
        "longest_write_before_import_seconds": round(max(alone), 2) if alone else None,
        "longest_login_seconds": round(max(e - s for k, s, e, _ in samples if k == "login"), 2),
        "longest_check_seconds": round(max(e - s for k, s, e, _ in samples if k == "check"), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--src", help="run another checkout's src/ (PYTHONPATH)")
    parser.add_argument("--port", type=int, help="default: the first free port in 8450-8499")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = run(args.records, args.src, args.port)
    if args.json:
        print(json.dumps(figures))
    else:
        for name, value in figures.items():
            print(f"{name:34s} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
