"""HTTP details that hold for every page and API route.

`HeadAsGetMiddleware`: a HEAD request is answered exactly like GET, without the body (RFC 9110
section 9.3.2). Views say which methods they take with `require_GET` or
`require_http_methods([...])`; this one rule, in one place, keeps monitors, link checkers and
`curl -I` from getting 405 from pages that answer GET.

`UnstorablePathMiddleware`: an address holding a character no database can store (a NUL, or
half of a UTF-16 surrogate pair: `/declarations/enterprises/%00/`) is refused with a 400 naming
it before any view looks it up; PostgreSQL refuses such text in a query, which would otherwise
be a server error. JSON bodies and query strings are checked by `core.api.InputParser`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from .api import error_json, text_refused
from .views import API_PREFIX, bad_request


class UnstorablePathMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        error = text_refused(request.path, "path")
        if error is None:
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            return error_json(error.code, error.message, 400, where=error.where)
        return bad_request(request)


class HeadAsGetMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        if response.streaming:
            response.streaming_content = []  # type: ignore[attr-defined]
        else:
            length = len(response.content)  # type: ignore[attr-defined]
            response.content = b""  # type: ignore[attr-defined]
            response["Content-Length"] = str(length)
        return response
