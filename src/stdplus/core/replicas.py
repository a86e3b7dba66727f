"""Read replicas: reads go to a replica, writes to the primary, and a person reads their own write.

`DATABASE_REPLICA_URLS` adds the aliases `replica1`, `replica2`, ... (settings.py). The rule:

- Only a web request's reads can go to a replica, and only when `ReplicaPinMiddleware` allows
  it: the request is a GET, HEAD or OPTIONS and its client did not write in the last
  `STDPLUS_REPLICA_PIN_SECONDS` (the `stdplus_primary_until` cookie). One replica, chosen at
  random, serves the whole request, so its reads agree with each other.
- Everything else reads the primary: requests that write (POST, PUT, PATCH, DELETE), requests
  of a client that wrote a moment ago, reads inside a transaction, reads after a write in the
  same request, commands and background jobs (no request: `reads_from_primary` says so too).
- A request that wrote (any method; a GET that saves a session counts) sets the cookie, so
  the client's next requests read the primary until the replicas have caught up. The cookie
  holds a time, nothing secret; forging it only sends that client's reads to the primary.

Why not by lag: the pin does not depend on how far behind a replica is, so a replica that lags
(or has stopped replaying) cannot show a person an older state than the one they just wrote.
/readyz reports each replica's reachability and lag (`replica_status`) for monitoring.
"""

from __future__ import annotations

import contextvars
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connections

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase

PRIMARY = "default"
COOKIE = "stdplus_primary_until"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class _Reads:
    replica: str | None  # the alias this request reads from; None: the primary
    wrote: bool = False


_reads: contextvars.ContextVar[_Reads | None] = contextvars.ContextVar(
    "stdplus_reads", default=None
)


def replica_aliases() -> list[str]:
    return list(getattr(settings, "STDPLUS_DATABASE_REPLICAS", []))


@contextmanager
def reads_from_primary() -> Iterator[None]:
    """Every read inside goes to the primary (background jobs, anything that must see the
    latest state)."""
    token = _reads.set(None)
    try:
        yield
    finally:
        _reads.reset(token)


def read_alias() -> str:
    """The database the current code's reads go to."""
    state = _reads.get()
    if state is None or state.replica is None or state.wrote:
        return PRIMARY
    if connections[PRIMARY].in_atomic_block:
        return PRIMARY  # a transaction reads what it writes
    return state.replica


class ReplicaRouter:
    """Django's database router for the rule above (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return read_alias()

    def db_for_write(self, model: Any, **hints: Any) -> str:
        state = _reads.get()
        if state is not None:
            state.wrote = True  # later reads of this request see the write; the client is pinned
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replicas hold the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY  # replicas follow the primary's schema by replication


def _pinned_until(request: HttpRequest) -> float:
    try:
        return float(request.COOKIES.get(COOKIE, "0"))
    except ValueError:
        return 0.0


class ReplicaPinMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        replicas = replica_aliases()
        if not replicas:
            return self.get_response(request)
        writes = request.method not in SAFE_METHODS
        pinned = writes or _pinned_until(request) > time.time()
        state = _Reads(replica=None if pinned else random.choice(replicas))
        token = _reads.set(state)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if writes or state.wrote:
            seconds = settings.STDPLUS_REPLICA_PIN_SECONDS
            response.set_cookie(
                COOKIE,
                str(int(time.time()) + seconds + 1),
                max_age=seconds + 1,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


def replica_status(alias: str) -> dict:
    """Whether a replica answers, and how many seconds of the primary's changes it has not
    replayed yet (0 when it has replayed all it received; PostgreSQL only)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("SELECT 1")
            cursor.fetchone()
            return {"status": "ok", "lag_seconds": None}
        cursor.execute(
            "SELECT pg_is_in_recovery(), CASE WHEN pg_last_wal_receive_lsn() = "
            "pg_last_wal_replay_lsn() THEN 0 ELSE EXTRACT(EPOCH FROM now() - "
            "pg_last_xact_replay_timestamp()) END"
        )
        in_recovery, lag = cursor.fetchone()
    return {
        "status": "ok",
        "replica": bool(in_recovery),
        "lag_seconds": None if lag is None else round(float(lag), 3),
    }
