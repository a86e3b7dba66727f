# ruff: noqa: F811  (the accounts fixtures are imported by name)
"""Rules that hold for the whole JSON API, read from its own OpenAPI document so that a new
operation is covered without being named here: bounded paging on every list, one error shape
for every status, text that cannot be stored refused with its place, bodies up to the size a
check of 100,000 lines needs, and one schema per name in the document."""

from __future__ import annotations

import functools
import json
import re

import pytest
from pydantic import BaseModel, create_model
from pydantic.json_schema import models_json_schema

from stdplus.api import api
from stdplus.core.schemas import ErrorOut, ValidationErrorOut

from .accounts.helpers import alice, alice_token, org_a  # noqa: F401

pytestmark = pytest.mark.django_db

HUGE = 2**63


def openapi() -> dict:
    """The document as clients read it (JSON: status codes are strings); a new copy each call
    of the document built once (building it takes about a tenth of a second)."""
    return json.loads(_openapi_text())


@functools.cache
def _openapi_text() -> str:
    return json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"))


def operations():
    for path, methods in openapi()["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


# Lists only the regulator reads (programme.permissions.KEEP_REGISTER).
REGULATOR_LISTS = {"/api/v1/programme/matches", "/api/v1/supervision/roster"}


def list_operations() -> list[str]:
    """GET operations that take `limit` and `offset`: every list, and a check's lines."""
    found = []
    for path, method, operation in operations():
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        if method == "get" and {"limit", "offset"} <= names:
            found.append(path)
    return found


def call(client, method, url, token=None, body=None, **extra):
    if token:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    if body is not None:
        extra.update(data=body if isinstance(body, bytes | str) else json.dumps(body))
        extra["content_type"] = "application/json"
    return getattr(client, method)(url, **extra)


def assert_error_shape(response, status, code=None):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    schema = ValidationErrorOut if status == 422 else ErrorOut
    schema.model_validate(body)  # code, message, and where as an object when present
    assert body["message"]
    if code:
        assert body["code"] == code, body
    return body


@pytest.fixture
def check_id(client, alice_token):  # noqa: F811
    response = call(client, "post", "/api/v1/checks", alice_token, ["GB/T 19001-2016"])
    assert response.status_code == 200
    return response.json()["id"]


def test_every_list_is_found():
    lists = list_operations()
    assert {
        "/api/v1/checks",
        "/api/v1/checks/{check_id}",
        "/api/v1/watch/lists",
        "/api/v1/watch/inbox",
        "/api/v1/watch/changes",
        "/api/v1/programme/experts",
        "/api/v1/programme/bodies",
        "/api/v1/programme/pilots",
    } <= set(lists)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (f"offset={HUGE}", "offset"),
        (f"offset={HUGE * 1000}", "offset"),
        ("offset=-1", "offset"),
        ("limit=-1", "limit"),
        ("limit=0", "limit"),
        (f"limit={HUGE}", "limit"),
        ("offset=abc", "offset"),
    ],
)
def test_paging_out_of_range_is_a_422_naming_the_parameter_on_every_list(
    client, alice_token, check_id, query, field
):
    for path in list_operations():
        url = path.replace("{check_id}", str(check_id)).replace("{pk}", "1")
        url = url.replace("{version}", "1") + "?" + query
        body = assert_error_shape(call(client, "get", url, alice_token), 422, "invalid_request")
        assert body["where"] == {"field": field}, url
        assert field in body["message"], url


def test_every_list_answers_items_and_count(client, alice_token):
    for path in list_operations():
        if "{" in path:
            continue
        response = call(client, "get", path + "?limit=1&offset=0", alice_token)
        if path in REGULATOR_LISTS:  # alice is no regulator: refused, in the error shape
            assert_error_shape(response, 403)
            continue
        # A list whose count is capped says whether the count is exact (`count_exact`).
        assert set(response.json()) - {"count_exact"} == {"items", "count"}, path


def test_a_checks_lines_page_through_limit_and_offset(client, alice_token):
    lines = ["GB/T 19001-2016", "GB/T 19001-2008", "nonsense"]
    created = call(client, "post", "/api/v1/checks", alice_token, lines).json()
    url = f"/api/v1/checks/{created['id']}?offset=1&limit=1"
    page = call(client, "get", url, alice_token).json()
    assert [line["input"] for line in page["results"]] == ["GB/T 19001-2008"]


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("post", "/api/v1/checks", '["GB/T 19001-2016", "\\ud800"]', "[1]"),
        ("post", "/api/v1/checks", '{"lines": ["ok", "a\\udfffb"]}', "lines[1]"),
        ("post", "/api/v1/checks", '{"lines": ["ok"], "name": "\\u0000"}', "name"),
        ("post", "/api/v1/watch/lists", '{"name": "\\ud800"}', "name"),
        (
            "post",
            "/api/v1/watch/lists",
            '{"name": "x", "items": [{"kind": "work", "value": "\\ud83d"}]}',
            "items[0].value",
        ),
        (
            "post",
            "/api/v1/watch/lists/{list}/items",
            '{"kind": "work", "value": "\\udc00"}',
            "value",
        ),
        ("post", "/api/v1/watch/lists/from-check/{check}", '{"name": "\\ud800"}', "name"),
    ],
)
def test_text_that_cannot_be_stored_is_refused_naming_where(
    client, alice_token, check_id, method, path, body, field
):
    listed = call(client, "post", "/api/v1/watch/lists", alice_token, {"name": "mine"}).json()
    url = path.replace("{list}", str(listed["id"])).replace("{check}", str(check_id))
    answer = assert_error_shape(call(client, method, url, alice_token, body), 400, "invalid_text")
    assert answer["where"] == {"field": field}
    assert field in answer["message"]


def test_a_nul_in_a_query_parameter_is_refused_naming_it(client):
    answer = assert_error_shape(
        client.get("/api/v1/watch/changes?level=national%00"), 400, "invalid_text"
    )
    assert answer["where"] == {"field": "level"}


def test_a_body_that_is_not_json_says_where(client, alice_token):
    answer = assert_error_shape(
        call(client, "post", "/api/v1/checks", alice_token, '{"lines": ["a",'), 400
    )
    assert answer["code"] == "invalid_json" and "line 1" in answer["message"]
    latin1 = call(client, "post", "/api/v1/checks", alice_token, '["\xe9"]'.encode("latin-1"))
    assert_error_shape(latin1, 400, "invalid_json")


def _url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_without_a_token_every_protected_operation_is_a_401_in_the_error_shape(client):
    protected = [
        (path, method)
        for path, method, operation in operations()
        if operation.get("security") and "401" in operation["responses"]
    ]
    assert len(protected) >= 10
    for path, method in protected:
        body = {} if method in ("post", "put", "patch") else None
        answer = assert_error_shape(call(client, method, _url(path), body=body), 401)
        assert answer["code"] == "unauthorized"
        assert "401" in openapi()["paths"][path][method]["responses"]


@pytest.mark.parametrize("value", [HUGE, HUGE * 1000, -1, 0, "abc", "%00"])
def test_every_path_parameter_at_its_bounds_answers_as_documented(client, alice_token, value):
    """Each operation with a member's token, every path parameter given the same boundary or
    wrong value (what schemathesis's coverage phase sends first): an answer the document
    declares, in the error shape, never a server error. Integers past 64 bits reach neither
    database (SQLite cannot bind them, PostgreSQL's bigint overflows)."""
    seen = 0
    for path, method, operation in operations():
        if "{" not in path:
            continue
        url = re.sub(r"\{[^}]+\}", str(value), path)
        body = {} if method in ("post", "put", "patch") else None
        response = call(client, method, url, alice_token, body=body)
        status = str(response.status_code)
        assert response.status_code < 500, (method, url, response.content[:300])
        assert status in operation["responses"], (method, url, status)
        if response.status_code >= 400:
            assert_error_shape(response, response.status_code)
        seen += 1
    assert seen >= 30


def test_every_operation_documents_the_errors_it_can_answer():
    for path, method, operation in operations():
        statuses = set(operation["responses"])
        assert {"400", "422", "429"} <= statuses, (method, path)
        if "{" in path:
            assert "404" in statuses, (method, path)
        if operation.get("security"):
            assert {"401", "403"} <= statuses, (method, path)
        if "requestBody" in operation:
            assert "413" in statuses, (method, path)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/checks/999999",
        "/api/v1/watch/lists/999999",
        "/api/v1/watch/lists/999999/items/1",
        f"/api/v1/checks/{HUGE}",
        "/api/v1/programme/experts/999999",
        "/api/v1/programme/pilots/999999",
        "/api/v1/stats/records/no-such-figure",
        "/api/v1/classifications/xyz",
        "/api/v1/standards/GB%2FT%2099999-2020",
        "/api/v1/no/such/route",
    ],
)
def test_not_found_is_a_404_in_the_error_shape(client, alice_token, url):
    method = "delete" if url.endswith("/items/1") else "get"
    body = assert_error_shape(call(client, method, url, alice_token), 404)
    assert body["code"] in ("not_found", "figure")  # the statistics name what was not found


def test_a_wrong_method_is_a_405_in_the_error_shape(client, alice_token):
    answer = assert_error_shape(call(client, "put", "/api/v1/checks", alice_token, {}), 405)
    assert answer["code"] == "method_not_allowed"


def test_a_session_without_its_csrf_token_is_a_403_in_the_error_shape(alice):  # noqa: F811
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    answer = assert_error_shape(
        call(browser, "post", "/api/v1/watch/lists", body={"name": "x"}), 403
    )
    assert answer["code"] == "forbidden"


def test_a_body_too_large_is_a_json_413(client, alice_token, settings):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert limit >= 16 * 1024 * 1024
    lines = ["GB/T 19001-2016 " + "x" * 1000] * (limit // 1000 + 1)
    answer = assert_error_shape(call(client, "post", "/api/v1/checks", alice_token, lines), 413)
    assert answer["code"] == "too_large" and "16 MB" in answer["message"]


def _annotations(models):
    """The types an operation's param or response models wrap (django-ninja makes one wrapper
    class per operation, all with the same few names, around the schemas it documents)."""
    for model in models:
        if isinstance(model, type) and issubclass(model, BaseModel):
            yield from (field.annotation for field in model.model_fields.values())


def test_no_two_schemas_share_a_name_in_the_openapi_document():
    """Schemas go into the document by class name: two classes with one name leave only one
    (two `BodyOut` documented /bodies with the register's bodies). pydantic, given all models
    at once, gives clashing names their module path: there must be none."""
    inputs, outputs = [], []
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                inputs.extend(_annotations(operation.models))
                outputs.extend(_annotations(operation.response_models.values()))
    every_input = create_model("EveryInput", **{f"f{i}": (t, ...) for i, t in enumerate(inputs)})
    every_output = create_model("EveryOutput", **{f"f{i}": (t, ...) for i, t in enumerate(outputs)})
    _, schema = models_json_schema(
        [(every_input, "validation"), (every_output, "serialization")],
        ref_template="#/components/schemas/{model}",
    )
    names = schema.get("$defs", {})
    assert "IssuingBodyOut" in names and "StandardsBodyOut" in names
    qualified = sorted(name for name in names if "__" in name)
    assert qualified == [], f"schemas sharing a name: {qualified}"


def test_issuing_bodies_are_documented_with_their_own_schema():
    document = openapi()
    response = document["paths"]["/api/v1/bodies"]["get"]["responses"]["200"]
    ref = response["content"]["application/json"]["schema"]["items"]["$ref"]
    fields = document["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert set(fields) == {"body", "level", "count", "current", "search_url"}


def test_a_parameter_error_is_in_the_readers_language(client):
    answer = client.get("/api/v1/watch/changes?offset=-1", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert answer["message"] == "offset：不得小于 0"


def test_an_unknown_region_of_the_statistics_is_a_404(client):
    answer = assert_error_shape(client.get("/api/v1/stats/indicators?region=nowhere"), 404)
    assert answer["where"] == {"field": "region"} and "nowhere" in answer["message"]


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ({"lines": "abc"}, "lines", "must be a list"),
        ({"lines": [1]}, "lines[0]", "must be text"),
        ({"lines": ["a"], "as_of": "2020-13-01"}, "as_of", "must be a date"),
    ],
)
def test_a_body_field_in_error_is_named_as_the_caller_wrote_it(
    client, alice_token, body, field, problem
):
    answer = assert_error_shape(
        call(client, "post", "/api/v1/checks", alice_token, body), 422, "invalid_request"
    )
    assert answer["where"] == {"field": field}
    assert answer["message"].startswith(f"{field}: {problem}")
    assert all("[" not in str(part) for e in answer["errors"] for part in e["loc"])


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/v1/programme/experts/999999", "没有该专家"),
        ("/api/v1/classifications/xyz", "xyz 不是分类体系"),
        ("/api/v1/standards/GB%2FT%2099999-2020", "目录中没有 GB/T 99999-2020"),
        ("/api/v1/checks/999999", "您的组织中没有该查新"),
    ],
)
def test_not_found_says_so_in_the_readers_language(client, alice_token, url, message):
    answer = call(client, "get", url, alice_token, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert answer["message"].startswith(message)


def test_throttling_answers_the_error_shape_with_retry_after(rf):
    from ninja.errors import Throttled

    response = api.on_exception(rf.get("/api/v1/standards"), Throttled(wait=30))
    assert response.status_code == 429 and response["Retry-After"] == "30"
    body = ErrorOut.model_validate(json.loads(response.content))
    assert body.code == "throttled" and body.message
