"""Structured logs: every record carries the request id of the web request, or the job id of the
background job, that wrote it.

- `RequestIdMiddleware` (first in MIDDLEWARE) takes the `X-Request-ID` a proxy or client sent
  (letters, digits, `.`, `_`, `-`, `:`, at most 128), or makes one; it is on the response's
  `X-Request-ID` and in every log record written while the request runs. It also writes one
  access line per request (logger `stdplus.access`, level INFO) with method, path, route, status
  and duration.
- `job_context(job_id, name)` does the same for a background job (`stdplus.core.jobs`, and every
  huey task through the signals in `stdplus.core.metrics`).
- `ContextFilter` puts `request_id`, `job_id` and `job` on each record (None when absent) and a
  short `context` text for the plain format. `STDPLUS_LOG_FORMAT=json` writes one JSON object a
  line (python-json-logger) with those fields and any `extra=` a call passes.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.core.signals import request_finished

if TYPE_CHECKING:  # settings.py imports this module before Django is set up
    from django.http import HttpRequest, HttpResponseBase

HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "stdplus_request_id", default=None
)
_job: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar(
    "stdplus_job", default=None
)

access_log = logging.getLogger("stdplus.access")


def request_id() -> str | None:
    """The id of the request this thread is serving (None outside a request)."""
    return _request_id.get()


def request_id_from(value: str | None) -> str:
    """The id a request goes by: the one it brought when it is well formed, else a new one."""
    if value and _VALID_ID.match(value):
        return value
    return uuid.uuid4().hex


@contextmanager
def job_context(job_id: object, name: str) -> Iterator[None]:
    """Log records written inside carry this job's id and name."""
    token = _job.set((str(job_id), name))
    try:
        yield
    finally:
        _job.reset(token)


def job_enter(job_id: object, name: str) -> contextvars.Token:
    return _job.set((str(job_id), name))


def job_leave(token: contextvars.Token) -> None:
    try:
        _job.reset(token)
    except ValueError:  # set in another context (a signal from another thread): just clear it
        _job.set(None)


class ContextFilter(logging.Filter):
    """Adds `request_id`, `job_id`, `job` and `context` to every record (never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        rid = _request_id.get()
        job = _job.get()
        record.request_id = rid
        record.job_id = job[0] if job else None
        record.job = job[1] if job else None
        parts = []
        if rid:
            parts.append(f"request_id={rid}")
        if job:
            parts.append(f"job_id={job[0]} job={job[1]}")
        record.context = ("[" + " ".join(parts) + "] ") if parts else ""
        return True


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or match.route or "unnamed"


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        rid = request_id_from(request.headers.get(HEADER))
        request.request_id = rid  # type: ignore[attr-defined]
        # Not reset on the way out: Django logs a 4xx or 5xx answer after the middleware has
        # returned. `request_finished` (the response closed) clears it.
        _request_id.set(rid)
        started = time.perf_counter()
        response = self.get_response(request)
        response[HEADER] = rid
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        access_log.info(
            "%s %s %s %sms",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            extra={
                "method": request.method,
                "path": request.path,
                "route": _route(request),
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response


def _request_done(**kwargs: object) -> None:
    _request_id.set(None)


request_finished.connect(_request_done, dispatch_uid="stdplus.core.logs.request_done")


def route_of(request: HttpRequest) -> str:
    """The URL pattern's name a request resolved to ("unmatched" for a 404 without one)."""
    return _route(request)


JSON_FIELDS = "%(levelname)s %(name)s %(message)s %(request_id)s %(job_id)s %(job)s"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(context)s%(message)s"


def logging_config(*, fmt: str, level: str) -> dict:
    """The LOGGING setting: one console handler, plain text or JSON lines, the context filter."""
    from pythonjsonlogger.core import RESERVED_ATTRS

    if fmt not in {"text", "json"}:
        raise ValueError(f"STDPLUS_LOG_FORMAT={fmt!r}: use text or json")
    formatter = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601 in UTC, e.g. 2026-12-03T06:22:06.200493+00:00
            # `context` is the plain format's summary of the fields JSON has on their own.
            "reserved_attrs": [*RESERVED_ATTRS, "context"],
        }
        if fmt == "json"
        else {"format": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "stdplus.core.logs.ContextFilter"}},
        "formatters": {"stdplus": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["context"],
                "formatter": "stdplus",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # `stdplus worker` says which tasks it runs (huey adds no handler of its own when
            # one is set).
            "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
            # One line per request, with its id, route, status and duration.
            "stdplus.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
