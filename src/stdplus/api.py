"""The one JSON API, at /api/v1 (OpenAPI at /api/v1/openapi.json). A router per app.

Every error answers the one shape `{"code", "message", "where"}` (`stdplus.core.schemas.
ErrorOut`), whoever raises it: a service (`ApplicationError`), a parameter out of its schema
(422, with `errors`), a missing token (401), a refused session (403), a wrong method (405), a
body too large (413) or throttling (429). URLs under /api/ that name no operation answer a JSON
404 (`stdplus.core.views`). See docs/api.md.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpResponseNotAllowed
from django.urls import URLPattern
from ninja import NinjaAPI
from ninja.errors import HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from stdplus.core.api import (
    HTTP_ERROR_CODES,
    InputParser,
    error_json,
    http_error_message,
    request_too_large_message,
    validation_json,
)
from stdplus.core.errors import ApplicationError
from stdplus.core.throttling import api_throttles


def _json_not_allowed(view):
    """django-ninja answers a wrong method with a bare text 405: answer the error shape."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            message = http_error_message(405, method=request.method, allowed=allowed)
            json_response = error_json("method_not_allowed", message, 405)
            json_response["Allow"] = allowed
            return json_response
        return response

    return wrapper


class Api(NinjaAPI):
    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_not_allowed(pattern.callback)
        return urls


api = Api(
    title="stdplus API",
    version="1",
    description=(
        "Public standards information: the catalog, search, checks and statistics. Every "
        'error is {"code", "message", "where"}; lists take limit and offset and answer '
        '{"items", "count"}. See docs/api.md.'
    ),
    urls_namespace="api",
    parser=InputParser(),
    # Rate limits: STDPLUS_API_RATE_ANON / _TOKEN (docs/security.md); 429 via http_error.
    throttle=api_throttles(),
)


def _error(request, status: int, code: str, message: str, **extra):
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(ApplicationError)
def application_error(request, error: ApplicationError):
    status = 404 if error.code == "not_found" else error.status
    return api.create_response(request, error.as_dict(), status=status)


@api.exception_handler(NinjaValidationError)
def validation_error(request, error: NinjaValidationError):
    return api.create_response(request, validation_json(error.errors), status=422)


@api.exception_handler(Http404)
def not_found(request, error: Http404):
    return _error(request, 404, "not_found", http_error_message(404, str(error)))


@api.exception_handler(HttpError)
def http_error(request, error: HttpError):
    cause = error.__cause__
    if isinstance(cause, ApplicationError):  # the body parser's refusal, wrapped by ninja
        return application_error(request, cause)
    if isinstance(cause, RequestDataTooBig):
        return too_large(request, cause)
    status = error.status_code
    message = http_error_message(status, str(error))
    response = _error(request, status, HTTP_ERROR_CODES.get(status, "error"), message)
    if isinstance(error, Throttled) and error.wait:
        response["Retry-After"] = str(int(error.wait))
    return response


@api.exception_handler(RequestDataTooBig)
def too_large(request, error):
    return _error(request, 413, "too_large", request_too_large_message())


# Routers, one per app, are added here:
api.add_router("/standards", "stdplus.search.api.standards")
api.add_router("/classifications", "stdplus.search.api.classifications")
api.add_router("/bodies", "stdplus.search.api.bodies")
api.add_router("/catalog", "stdplus.catalog.api.router")
api.add_router("/checks", "stdplus.checks.api.router")
api.add_router("/watch", "stdplus.watch.api.router")
api.add_router("/stats", "stdplus.stats.api.router")
api.add_router("/programme", "stdplus.programme.api.router")
api.add_router("/declarations", "stdplus.declarations.api_more.router")  # fixed paths first
api.add_router("/declarations", "stdplus.declarations.api.router")
api.add_router("/supervision", "stdplus.supervision.api.router")
api.add_router("/development", "stdplus.development.api.router")
api.add_router("/support", "stdplus.support.api.router")
