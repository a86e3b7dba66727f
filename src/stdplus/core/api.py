"""What every part of the JSON API shares: the error shape and how input text is read.

Every answer that is not a success is `{"code", "message", "where"}` (`ErrorOut`): the
handlers in `stdplus/api.py` and the project's 400/404/500 views build it with `error_json`.
`InputParser` reads JSON bodies and query strings, and refuses text that no database can store
(a NUL character, or half of a UTF-16 surrogate pair such as `\\ud800`) with a message naming
where it is.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja.parser import Parser

from .errors import ApplicationError, Where

# A NUL (PostgreSQL refuses it in text) or a lone surrogate (not a character: it cannot be
# encoded as UTF-8, so neither stored nor sent back).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def error_json(
    code: str, message: str, status: int, *, where: Where | None = None, **extra: Any
) -> JsonResponse:
    """An error answer in the API's one shape, outside django-ninja (404, 413 and 500 pages)."""
    body: dict[str, Any] = {"code": code, "message": message}
    if where:
        body["where"] = where.as_dict()
    body.update(extra)
    return JsonResponse(body, status=status)


def text_refused(text: str, where: str) -> ApplicationError | None:
    """The error for text holding a character that cannot be stored, or None."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    char = found.group()
    if char == "\x00":
        message = _("%(where)s contains a NUL character (U+0000), which text cannot hold")
    else:
        message = _(
            "%(where)s contains %(code)s, half of a UTF-16 surrogate pair and not a character: "
            "send text as valid UTF-8"
        )
    return ApplicationError(
        message,
        params={"where": where, "code": f"U+{ord(char):04X}"},
        where=Where(field=where),
        code="invalid_text",
    )


def text_check(value: Any, where: str) -> None:
    """Refuse (ApplicationError) any string in `value`, a JSON value, that cannot be stored;
    `where` names it: `lines[3]`, `items[0].value`, or a query parameter."""
    if isinstance(value, str):
        error = text_refused(value, where or "body")
        if error is not None:
            raise error
    elif isinstance(value, dict):
        for key, item in value.items():
            text_check(key, where or "body")
            text_check(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            text_check(item, f"{where}[{index}]")


def json_refused(error: ValueError) -> ApplicationError:
    """A body that is not JSON, with the place json reports."""
    if isinstance(error, json.JSONDecodeError):
        return ApplicationError(
            _("the body is not valid JSON: %(problem)s (line %(line)s, column %(column)s)"),
            params={"problem": error.msg, "line": error.lineno, "column": error.colno},
            where=Where(field="body", row=error.lineno),
            code="invalid_json",
        )
    return ApplicationError(
        _("the body is not JSON text in UTF-8"), where=Where(field="body"), code="invalid_json"
    )


class InputParser(Parser):
    """django-ninja's parser, refusing text that cannot be stored (see `text_check`)."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            data = json.loads(request.body)
        except ValueError as error:  # JSONDecodeError, UnicodeDecodeError
            raise json_refused(error) from error
        text_check(data, "")
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        for key, value in result.items():
            text_check(key, "query")
            text_check(value, key)
        return result


HTTP_ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "throttled",
}


def http_error_message(status: int, detail: str = "", **params: Any) -> str:
    """The message of an HTTP refusal that no service worded (authentication, CSRF, method,
    throttling), in the reader's language."""
    if status == 401:
        return _(
            "this needs a token (Authorization: Bearer <token>) or a signed-in session of a "
            "member of an organization"
        )
    if status == 403:
        return _("not allowed: %(reason)s") % {"reason": detail}
    if status == 404:
        return detail or _("not found")
    if status == 405:
        return _("%(method)s is not allowed here; allowed: %(allowed)s") % params
    if status == 429:
        return _("too many requests: try again later")
    return detail


def request_too_large_message() -> str:
    return _(
        "The request is larger than the %(limit)s MB this site accepts. A check takes up to "
        "100,000 lines: split a longer list, or upload it as a file."
    ) % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)}


# pydantic's error types, as messages in the reader's language (the rest keep pydantic's).
_PROBLEMS = {
    "missing": lambda ctx: _("is required"),
    "int_parsing": lambda ctx: _("must be a whole number"),
    "int_type": lambda ctx: _("must be a whole number"),
    "int_from_float": lambda ctx: _("must be a whole number"),
    "float_parsing": lambda ctx: _("must be a number"),
    "bool_parsing": lambda ctx: _("must be true or false"),
    "bool_type": lambda ctx: _("must be true or false"),
    "date_parsing": lambda ctx: _("must be a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": lambda ctx: _("must be a date (YYYY-MM-DD)"),
    "date_type": lambda ctx: _("must be a date (YYYY-MM-DD)"),
    "string_type": lambda ctx: _("must be text"),
    "list_type": lambda ctx: _("must be a list"),
    "dict_type": lambda ctx: _("must be an object"),
    "model_attributes_type": lambda ctx: _("must be an object"),
    "model_type": lambda ctx: _("must be an object"),
    "less_than_equal": lambda ctx: _("must be at most %(limit)s") % {"limit": ctx.get("le")},
    "less_than": lambda ctx: _("must be less than %(limit)s") % {"limit": ctx.get("lt")},
    "greater_than_equal": lambda ctx: _("must be at least %(limit)s") % {"limit": ctx.get("ge")},
    "greater_than": lambda ctx: _("must be more than %(limit)s") % {"limit": ctx.get("gt")},
    "string_too_long": lambda ctx: (
        _("must be at most %(limit)s characters") % {"limit": ctx.get("max_length")}
    ),
    "string_too_short": lambda ctx: (
        _("must be at least %(limit)s characters") % {"limit": ctx.get("min_length")}
    ),
    "literal_error": lambda ctx: _("must be one of %(values)s") % {"values": ctx.get("expected")},
    "string_pattern_mismatch": lambda ctx: _("does not have the expected form"),
}


_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def _plain_loc(loc: list | tuple) -> list:
    """The location without pydantic's tags for the branches of a union (a body that is an
    object or a list: `function-wrap[...]`, `list[str]`), which name no field."""
    return [part for part in loc if isinstance(part, int) or _NAME.match(str(part))]


def field_path(loc: list | tuple) -> str:
    """`["query", "offset"]` -> `offset`; `["body", "payload", "lines", 3]` -> `lines[3]`
    (the body's own parameter name is the server's, not the caller's)."""
    parts = _plain_loc(loc)
    source = parts.pop(0) if parts and parts[0] in ("query", "path", "body", "form") else ""
    if source == "body" and len(parts) > 1:
        parts.pop(0)
    elif source == "query" and len(parts) > 1 and isinstance(parts[1], str):
        parts.pop(0)  # a schema of query parameters (`params: Query[StandardFilter]`)
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part:
            path += f".{part}" if path else str(part)
    return path or source or "body"


def validation_json(errors: list[dict]) -> dict:
    """A 422 body: the first error as message and `where`, every error in `errors`."""
    listed = [
        {
            "loc": [str(p) if not isinstance(p, int) else p for p in _plain_loc(e.get("loc", ()))],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in errors
    ]
    if not errors:
        return {"code": "invalid_request", "message": _("the request is not valid"), "errors": []}
    first = errors[0]
    field = field_path(first.get("loc", ()))
    describe = _PROBLEMS.get(first.get("type", ""))
    problem = describe(first.get("ctx") or {}) if describe else str(first.get("msg", ""))
    message = _("%(field)s: %(problem)s") % {"field": field, "problem": problem}
    if len(errors) > 1:
        message += " " + _("(and %(count)s more errors)") % {"count": len(errors) - 1}
    return {
        "code": "invalid_request",
        "message": message,
        "where": {"field": field},
        "errors": listed,
    }
