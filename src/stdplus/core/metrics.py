"""Metrics for a monitoring system (Prometheus text format at /metrics, prometheus_client).

What is counted:

| metric | labels | what |
|---|---|---|
| `stdplus_http_requests_total` | method, route, status | requests answered; route is the URL pattern's name (`unmatched` for an unknown path) |
| `stdplus_http_request_duration_seconds` | route | a histogram of the time to answer |
| `stdplus_jobs_started_total`, `_finished_total`, `_failed_total`, `_skipped_total` | name | background jobs (`core.Job` rows by their name, periodic tasks by theirs); skipped: another worker held the task's lock |
| `stdplus_queue_length` | | messages waiting in the job queue, read when scraped (`stdplus_queue_up` 0 when the queue does not answer) |
| `stdplus_alert_deliveries_total`, `stdplus_alert_delivery_failures_total` | channel | alerts delivered (`webhook`, `email` digest, `inbox`) and failed attempts |

Several processes: with `STDPLUS_METRICS_DIR` set (settings.py turns it into
`PROMETHEUS_MULTIPROC_DIR` before this module is imported) every process of the machine (each
gunicorn worker, `stdplus worker`) writes its figures to files there and /metrics adds them up,
so one scrape of any web process shows the machine. `stdplus serve` removes the files of
processes that are gone when it starts, and tells the library when a worker exits.

Access: `STDPLUS_METRICS_TOKEN` (the scraper sends `Authorization: Bearer <token>`) and/or
`STDPLUS_METRICS_ALLOWED_IPS` (networks of the scrapers); when both are set, both must match.
With neither, /metrics is closed (403) unless `STDPLUS_DEBUG=1`.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric

from stdplus.core.clientip import client_address
from stdplus.core.logs import route_of

log = logging.getLogger(__name__)

HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter(
    "stdplus_http_requests",
    "HTTP requests answered, by method, URL pattern name and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "stdplus_http_request_duration_seconds",
    "Time to answer an HTTP request, by URL pattern name.",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
JOBS_STARTED = Counter("stdplus_jobs_started", "Background jobs started, by name.", ["name"])
JOBS_FINISHED = Counter("stdplus_jobs_finished", "Background jobs that succeeded.", ["name"])
JOBS_FAILED = Counter("stdplus_jobs_failed", "Background jobs that failed.", ["name"])
JOBS_SKIPPED = Counter(
    "stdplus_jobs_skipped", "Periodic tasks not run: another worker was running them.", ["name"]
)
ALERT_DELIVERIES = Counter(
    "stdplus_alert_deliveries", "Alerts delivered, by channel (webhook, email, inbox).", ["channel"]
)
ALERT_FAILURES = Counter(
    "stdplus_alert_delivery_failures",
    "Failed attempts to deliver alerts, by channel (webhook, email).",
    ["channel"],
)


def alert_delivered(channel: str, count: int = 1) -> None:
    if count:
        ALERT_DELIVERIES.labels(channel=channel).inc(count)


def alert_failed(channel: str, count: int = 1) -> None:
    if count:
        ALERT_FAILURES.labels(channel=channel).inc(count)


def job_started(name: str) -> None:
    JOBS_STARTED.labels(name=name).inc()


def job_finished(name: str) -> None:
    JOBS_FINISHED.labels(name=name).inc()


def job_failed(name: str) -> None:
    JOBS_FAILED.labels(name=name).inc()


def job_skipped(name: str) -> None:
    JOBS_SKIPPED.labels(name=name).inc()


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        route = route_of(request)
        method = request.method if request.method in HTTP_METHODS else "other"
        REQUESTS.labels(method=method, route=route, status=str(response.status_code)).inc()
        LATENCY.labels(route=route).observe(time.perf_counter() - started)
        return response


class QueueCollector:
    """The job queue's length, read when scraped (one number for all processes)."""

    def collect(self) -> Iterator[Metric]:
        from huey.contrib.djhuey import HUEY

        up = GaugeMetricFamily("stdplus_queue_up", "1 when the job queue answers, else 0.")
        try:
            length = HUEY.pending_count()
        except Exception as error:  # reported as a figure; the error goes to the log
            log.warning("metrics: the job queue is not reachable: %s", error)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield GaugeMetricFamily(
            "stdplus_queue_length", "Messages waiting in the job queue.", value=length
        )


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def metrics_text() -> bytes:
    """Everything /metrics shows, in Prometheus' text format."""
    registry = CollectorRegistry()
    if multiprocess_dir():
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REGISTRY)  # this process's own figures (and its CPU and memory)
    registry.register(QueueCollector())
    return generate_latest(registry)


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [
        ipaddress.ip_network(entry, strict=False) for entry in settings.STDPLUS_METRICS_ALLOWED_IPS
    ]


def metrics_refusal(request: HttpRequest) -> HttpResponse | None:
    """Why this request may not read /metrics (a 401 or 403 answer), or None when it may."""
    token = settings.STDPLUS_METRICS_TOKEN
    networks = _networks()
    if not token and not networks:
        if settings.DEBUG:
            return None
        return HttpResponse(
            "/metrics is closed: set STDPLUS_METRICS_TOKEN or STDPLUS_METRICS_ALLOWED_IPS.\n",
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    if networks:
        try:
            address = ipaddress.ip_address(client_address(request) or "")
        except ValueError:
            address = None
        if address is None or not any(address in network for network in networks):
            return HttpResponse(
                "/metrics: this address may not read the metrics.\n",
                status=403,
                content_type="text/plain; charset=utf-8",
            )
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(), token.encode()
        ):
            response = HttpResponse(
                "/metrics: send Authorization: Bearer <STDPLUS_METRICS_TOKEN>.\n",
                status=401,
                content_type="text/plain; charset=utf-8",
            )
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
    return None


@never_cache
@require_safe
def metrics_view(request: HttpRequest) -> HttpResponse:
    refusal = metrics_refusal(request)
    if refusal is not None:
        return refusal
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def metrics_dir_prune(folder: str | None = None) -> int:
    """Remove the metric files of processes that no longer run (at `stdplus serve`'s start), so
    the folder does not grow with every restart. Returns how many files were removed."""
    folder = folder or multiprocess_dir()
    if not folder:
        return 0
    removed = 0
    for path in Path(folder).glob("*.db"):
        try:
            pid = int(path.stem.rsplit("_", 1)[1])
        except (IndexError, ValueError):
            continue
        if not _pid_alive(pid):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def worker_exited(pid: int) -> None:
    """gunicorn's child_exit hook: the process's live gauges stop counting."""
    if multiprocess_dir():
        multiprocess.mark_process_dead(pid)
