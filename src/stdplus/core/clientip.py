"""The address a request comes from, the one rule for log-in and API throttling.

Without a trusted proxy (`STDPLUS_TRUSTED_PROXIES=0`, the default) it is the connection's own
address: an `X-Forwarded-For` header is anybody's to write, so it is ignored. Behind N proxies
it is the address the outermost trusted proxy saw: the N-th entry from the right.
"""

from __future__ import annotations

from django.conf import settings


def client_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]
