"""/healthz and /readyz for load balancers and process supervisors (JSON, no login).

/healthz says the process answers; it touches neither the database nor the queue, so a slow
database does not get web processes restarted. /readyz says whether this process can do its work:
the database answers a query and the job queue (SQLite file or Redis) answers a read of its
length; it also tells how long ago a worker last said it was alive (every minute), and, with read
replicas (DATABASE_REPLICA_URLS), whether each answers and how many seconds it lags behind the
primary. It answers 503 with the part that failed; the error itself goes to the log only.
"""

from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from stdplus.core.replicas import replica_aliases, replica_status

log = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok", "vendor": connection.vendor}


def _queue() -> dict:
    from huey.contrib.djhuey import HUEY

    from stdplus.core.jobs import worker_seen_seconds_ago

    return {
        "status": "ok",
        "backend": type(HUEY.storage).__name__,
        "length": HUEY.pending_count(),
        # Information for monitoring, not a condition of readiness: the web may start first.
        "worker_seen_seconds_ago": worker_seen_seconds_ago(),
    }


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict = {}
    for name, check in (("database", _database), ("queue", _queue)):
        try:
            checks[name] = check()
        except Exception as error:
            log.warning("readyz: the %s is not reachable: %s", name, error)
            checks[name] = {"status": "unavailable", "error": type(error).__name__}
    ready = all(part["status"] == "ok" for part in checks.values())
    replicas = {}
    for alias in replica_aliases():
        try:
            replicas[alias] = replica_status(alias)
        except Exception as error:
            log.warning("readyz: the read replica %s is not reachable: %s", alias, error)
            replicas[alias] = {"status": "unavailable", "error": type(error).__name__}
            ready = False  # this process sends reads there
    if replicas:
        checks["replicas"] = replicas
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503
    )
