"""Property-based run of schemathesis against the API served by a real WSGI server.

pytest-django's `live_server` serves the test database on 127.0.0.1; the schemathesis command
line generates requests from the OpenAPI schema (valid and invalid values) and fails on any
server error. Bounded: a few dozen examples per operation, well under two minutes.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..search.conftest import load_catalog

MAX_EXAMPLES = os.environ.get("STDPLUS_FUZZ_EXAMPLES", "40")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_no_request_makes_a_server_error(live_server, today, write_jsonl, tmp_path):
    load_catalog(write_jsonl)
    command = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert command, "schemathesis is a dev dependency: pip install -e .[dev]"
    run = subprocess.run(
        [
            command,
            "run",
            f"{live_server.url}/api/v1/openapi.json",
            "--url",
            live_server.url,
            "--checks",
            "not_a_server_error,content_type_conformance",
            "--max-examples",
            MAX_EXAMPLES,
            "--seed",
            "2026",
            "--request-timeout",
            "20",
            "--no-color",
            "--generation-database",
            "none",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={**os.environ, "SCHEMATHESIS_HOOKS": ""},
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
