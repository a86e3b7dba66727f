import os
import subprocess
import sys


def run_check(env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("STDPLUS_")}
    return subprocess.run(
        [sys.executable, "-m", "stdplus", "check"],
        capture_output=True,
        text=True,
        env={**clean, **env},
        timeout=60,
    )


def test_production_without_a_secret_key_fails_fast(tmp_path):
    result = run_check({"STDPLUS_PRODUCTION": "1", "STDPLUS_HOME": str(tmp_path)})
    assert result.returncode != 0
    assert "STDPLUS_SECRET_KEY is not set" in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()


def test_development_key_is_generated_outside_the_repository(tmp_path):
    result = run_check(
        {"STDPLUS_HOME": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    )
    assert result.returncode == 0, result.stderr
    key = tmp_path / "var" / "secret_key"
    assert key.exists() and len(key.read_text()) >= 50
    assert oct(key.stat().st_mode)[-3:] == "600"


def test_worker_and_server_counts_and_the_queue_address_are_checked(tmp_path):
    home = {"STDPLUS_HOME": str(tmp_path)}
    result = run_check({**home, "STDPLUS_WEB_WORKERS": "two"})
    assert result.returncode != 0
    assert "STDPLUS_WEB_WORKERS='two' is not a whole number" in result.stderr
    result = run_check({**home, "STDPLUS_WORKER_THREADS": "0"})
    assert result.returncode != 0
    assert "STDPLUS_WORKER_THREADS=0: give a whole number of at least 1" in result.stderr
    result = run_check({**home, "STDPLUS_QUEUE_URL": "amqp://broker"})
    assert result.returncode != 0
    assert "STDPLUS_QUEUE_URL='amqp://broker'" in result.stderr
