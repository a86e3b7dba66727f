"""Rate limits (django-ninja's throttles), their rates read from settings.

`STDPLUS_RATES` holds one rate per scope ("120/min"): for the JSON API, `anon` counts requests
without a token or session by address, `auth` those of one person; `mail` counts the page
requests that send a mail (sign-up, password reset) by address. The rate is read at each
request, so a deployment (or a test) changes it in settings; an empty rate or "0" means no limit.
A throttled API request answers 429 in the API's error shape (code `throttled`) with a
`Retry-After` header: `stdplus.api.http_error` words it, django-ninja adds the header.
"""

from __future__ import annotations

from django.conf import settings
from ninja.throttling import AnonRateThrottle, AuthRateThrottle, SimpleRateThrottle

from .clientip import client_address


def _rate_of(scope: str | None) -> str:
    rate = (getattr(settings, "STDPLUS_RATES", {}).get(scope or "") or "").strip()
    return "" if rate == "0" else rate


class _SettingsThrottle(SimpleRateThrottle):
    """A throttle whose rate is read from settings at each request, counting by the address
    `client_address` gives (so a forged X-Forwarded-For does not make a new client)."""

    def __init__(self) -> None:
        super().__init__(rate="0/s")  # the real rate is read at each request

    def get_ident(self, request) -> str | None:
        return client_address(request)

    def allow_request(self, request) -> bool:
        rate = _rate_of(self.scope)
        if not rate:
            return True
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)


class AnonymousThrottle(_SettingsThrottle, AnonRateThrottle):
    """Requests without a token or session, counted by address."""


class PersonThrottle(_SettingsThrottle, AuthRateThrottle):
    """Requests with a token or session, counted by person (others by address)."""


class AddressThrottle(_SettingsThrottle):
    """Requests of one kind (the scope) from one address: `AddressThrottle("mail")`."""

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def get_cache_key(self, request) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def api_throttles() -> list:
    return [AnonymousThrottle(), PersonThrottle()]
