"""HTTP details that hold for every page and API route.

`HeadAsGetMiddleware`: a HEAD request is answered exactly like GET, without the body (RFC 9110
section 9.3.2). Views say which methods they take with `require_GET` or
`require_http_methods([...])`; this one rule, in one place, keeps monitors, link checkers and
`curl -I` from getting 405 from pages that answer GET.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase


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
