"""Property-based run of schemathesis over the whole API, served by a real WSGI server.

pytest-django's `live_server` serves the test database on 127.0.0.1; the schemathesis command
line generates requests for every operation of the OpenAPI document (valid and invalid values,
boundaries such as 2**63 and negative numbers): the public ones without a token, the others
with a token of a member of an organization that has a saved check and a watch list. It fails on any server
error, any status code the document does not declare for the operation, and any answer whose
content type or shape differs from the document.

Bounded for CI: a fixed seed; the coverage phase (every operation's boundaries: 0, -1, the
maximum and one past it, missing and wrong-typed values; some 45 requests an operation whatever
the examples) and a few random examples per operation. Each operation is run once: those that
take a token with a member's token (a run without one only meets the 401, which
`tests/test_api.py` checks for every one), the public ones without. STDPLUS_FUZZ_EXAMPLES widens
a run by hand. `make test` runs both on SQLite; CI runs the one with the token in its
PostgreSQL run and the public one in its SQLite run (the two together, run in each, took some
four minutes of CI's thirty in each run). Both databases meet every operation's boundary values
in path parameters and paging through `tests/test_api.py`
(`test_every_path_parameter_at_its_bounds_answers_as_documented`, the paging rules).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from stdplus.accounts.models import Membership, Organization, Role
from stdplus.accounts.services import token_create
from stdplus.checks.extract import InputLine
from stdplus.checks.services import validity_check_create
from stdplus.watch.services import watch_list_create

from ..accounts.helpers import OrganizationFactory, UserFactory
from ..search.conftest import load_catalog

MAX_EXAMPLES = os.environ.get("STDPLUS_FUZZ_EXAMPLES", "8")
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)


def _member_token() -> str:
    organization: Organization = OrganizationFactory(name_zh="模糊测试公司")
    user = UserFactory(username="fuzzer")
    Membership.objects.create(user=user, organization=organization, role=Role.ADMIN)
    validity_check_create(
        organization=organization,
        user=user,
        inputs=[InputLine("GB/T 19001-2016", "line 1"), InputLine("GB/T 9999", "line 2")],
        source="fuzz",
    )
    watch_list_create(
        organization=organization, user=user, name="fuzz", items=[("work", "GB/T 19001")]
    )
    _token, raw = token_create(user=user, organization=organization, name="fuzz")
    return raw


def _schemathesis(live_server, tmp_path, phases: str, *extra: str) -> subprocess.CompletedProcess:
    command = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert command, "schemathesis is a dev dependency: pip install -e .[dev]"
    return subprocess.run(
        [
            command,
            "run",
            f"{live_server.url}/api/v1/openapi.json",
            "--url",
            live_server.url,
            "--checks",
            CHECKS,
            "--phases",
            phases,
            "--max-examples",
            MAX_EXAMPLES,
            "--seed",
            "2026",
            "--request-timeout",
            "20",
            "--no-color",
            "--output-truncate",
            "false",
            "--generation-database",
            "none",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={**os.environ, "SCHEMATHESIS_HOOKS": ""},
    )


def _secured() -> str:
    """A pattern of the operations that take a token (the others answer anyone)."""
    from stdplus.api import api

    ids = [
        operation["operationId"]
        for methods in api.get_openapi_schema(path_prefix="/api/v1/")["paths"].values()
        for operation in methods.values()
        if operation.get("security")
    ]
    assert len(ids) >= 30
    return "^(" + "|".join(re.escape(i) for i in ids) + ")$"


@pytest.mark.slow
@pytest.mark.sqlite_lane
@pytest.mark.django_db(transaction=True)
def test_no_request_to_a_public_operation_makes_a_server_error_or_an_undocumented_answer(
    live_server, today, write_jsonl, tmp_path
):
    load_catalog(write_jsonl)
    _member_token()  # the same data as the other run: a token exists, it is not sent
    anonymous = _schemathesis(
        live_server, tmp_path, "coverage,fuzzing", "--exclude-operation-id-regex", _secured()
    )
    assert anonymous.returncode == 0, anonymous.stdout[-8000:] + anonymous.stderr[-2000:]


@pytest.mark.slow
@pytest.mark.postgres_lane
@pytest.mark.django_db(transaction=True)
def test_no_request_with_a_members_token_makes_a_server_error_or_an_undocumented_answer(
    live_server, today, write_jsonl, tmp_path
):
    load_catalog(write_jsonl)
    token = _member_token()
    member = _schemathesis(
        live_server,
        tmp_path,
        "coverage,fuzzing",
        "--include-operation-id-regex",
        _secured(),
        "--header",
        f"Authorization: Bearer {token}",
    )
    assert member.returncode == 0, member.stdout[-8000:] + member.stderr[-2000:]
