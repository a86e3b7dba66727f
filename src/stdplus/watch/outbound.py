"""Where webhooks may post, and posting only there.

A webhook URL is a request the server makes for a user, so it must not reach the server's own
network (server-side request forgery). The rule, in every mode:

- the host is resolved once; every address it resolves to must be global (`ipaddress`
  `is_global`), and not one of the ranges `is_global` lets through but that reach inside a
  network (shared address space 100.64.0.0/10 with cloud metadata at 100.100.100.200, the
  IETF protocol block 192.0.0.0/24 with 192.0.0.192, benchmarking, multicast, reserved, and
  IPv6 forms that carry an IPv4 address: NAT64, 6to4, Teredo, IPv4-compatible; an IPv4-mapped
  IPv6 address is judged by its IPv4 address);
- unless it is listed in `STDPLUS_WEBHOOK_TRUSTED_RECEIVERS` (networks or host names);
- the connection goes to the address that was checked (the name is not resolved again), with
  the name in the Host header and, for https, in SNI and the certificate check;
- a redirect is not followed: it is a failed attempt, with the reason.

The same check runs when a webhook is created and before every delivery (the name may resolve
elsewhere by then). People see short reasons (`Refusal.reason`, `SendResult.error`); the
details (addresses, OS errors) go to the server's log only.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import socket
import ssl
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Not reachable from outside a network although `is_global` may say so (or, for some, says
# so in some Python versions): refused explicitly.
REFUSED_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches the local host
        "10.0.0.0/8",
        "100.64.0.0/10",  # shared address space (carrier NAT, cloud internals)
        "100.100.100.200/32",  # a cloud metadata service
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, cloud metadata at 169.254.169.254
        "172.16.0.0/12",
        "192.0.0.0/24",  # IETF protocol assignments, 192.0.0.192 among them
        "192.0.2.0/24",
        "192.88.99.0/24",  # 6to4 relays
        "192.168.0.0/16",
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, broadcast
        "::/96",  # unspecified, loopback and IPv4-compatible addresses
        "64:ff9b::/96",  # NAT64: reaches any IPv4 address through a translator
        "64:ff9b:1::/48",
        "100::/64",  # discard
        "2001::/32",  # Teredo
        "2001:db8::/32",
        "2002::/16",  # 6to4
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",  # multicast
    )
)


@dataclass(frozen=True)
class Target:
    """A checked destination: connect to `address`, name `host` in Host and SNI."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


class Refusal(Exception):
    """The URL may not be posted to. `reason` is for people; `detail` for the log."""

    def __init__(self, reason, detail: str = "") -> None:
        super().__init__(str(reason))
        self.reason = reason
        self.detail = detail


@dataclass
class SendResult:
    status: int | None
    error: str  # empty when delivered; a short reason otherwise, never a raw OS error


@lru_cache(maxsize=8)
def _trusted(entries: tuple[str, ...]) -> tuple[tuple, frozenset[str]]:
    networks, hosts = [], set()
    for entry in entries:
        text = entry.strip().lower()
        if not text:
            continue
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
            continue
        except ValueError:
            pass
        if "/" in text or ":" in text or " " in text:
            raise ImproperlyConfigured(
                f"STDPLUS_WEBHOOK_TRUSTED_RECEIVERS: {entry!r} is neither a network (CIDR, "
                "like 10.0.0.0/8) nor a host name"
            )
        hosts.add(text.rstrip("."))
    return tuple(networks), frozenset(hosts)


def trusted_receivers() -> tuple[tuple, frozenset[str]]:
    """(networks, host names) from STDPLUS_WEBHOOK_TRUSTED_RECEIVERS."""
    return _trusted(tuple(getattr(settings, "STDPLUS_WEBHOOK_TRUSTED_RECEIVERS", ()) or ()))


def address_is_public(address: IPAddress) -> bool:
    """Global, and in none of the refused ranges (an IPv4-mapped address as its IPv4)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if any(
        address in network for network in REFUSED_NETWORKS if network.version == address.version
    ):
        return False
    return address.is_global and not address.is_multicast


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (IP literals in any spelling included), in order.
    The one place names are resolved; tests replace it to play a DNS server."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(info[4][0] for info in infos))


def target_for(url: str) -> Target:
    """The checked destination of `url`, or a Refusal saying why not."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise Refusal(_("the webhook URL is not a valid address")) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refusal(_("the webhook URL must be an http(s) address"))
    if parts.username is not None or parts.password is not None:
        raise Refusal(_("the webhook URL must not contain a user name or password"))
    host = parts.hostname.rstrip(".").lower()
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = [ipaddress.ip_address(a.split("%")[0]) for a in resolve(host, port)]
    except (OSError, UnicodeError, ValueError) as error:
        raise Refusal(
            _("the webhook's host name could not be resolved"), f"{host}: {error}"
        ) from None
    if not addresses:
        raise Refusal(_("the webhook's host name could not be resolved"), f"{host}: no address")
    networks, hosts = trusted_receivers()
    if host not in hosts:
        for address in addresses:
            if any(address in network for network in networks):
                continue
            if not address_is_public(address):
                raise Refusal(
                    _(
                        "the webhook URL leads to an internal or reserved address; webhooks go "
                        "only to public addresses"
                    ),
                    f"{host} resolves to {address}",
                )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, host, port, path, str(addresses[0]))


def _connection(target: Target, timeout: float) -> http.client.HTTPConnection:
    if target.scheme == "https":
        connection = http.client.HTTPSConnection(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=timeout)

    def connect_to_checked(address, timeout=None, source_address=None):
        # http.client would resolve target.host again; connect to the checked address instead.
        return socket.create_connection((target.address, target.port), timeout, source_address)

    connection._create_connection = connect_to_checked
    return connection


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> SendResult:
    """POST `body` to `url` if the rule above allows it; never follows a redirect."""
    try:
        target = target_for(url)
    except Refusal as refusal:
        log.warning("webhook refused: %s (%s)", refusal.reason, refusal.detail or url)
        return SendResult(None, str(refusal.reason))
    connection = _connection(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        answer = connection.getresponse()
        answer.read(65536)
        status = answer.status
    except TimeoutError as error:
        log.warning("webhook %s (%s): timed out: %s", url, target.address, error)
        return SendResult(None, str(_("the receiver did not answer in time")))
    except ssl.SSLError as error:
        log.warning("webhook %s (%s): TLS error: %s", url, target.address, error)
        return SendResult(None, str(_("the secure connection to the receiver failed")))
    except (OSError, http.client.HTTPException) as error:
        log.warning("webhook %s (%s): %r", url, target.address, error)
        return SendResult(None, str(_("could not connect to the receiver")))
    finally:
        connection.close()
    if 300 <= status < 400:
        return SendResult(
            status,
            str(
                _(
                    "the receiver answered with a redirect (HTTP %(status)d); redirects are not followed"
                )
                % {"status": status}
            ),
        )
    if not 200 <= status < 300:
        return SendResult(status, f"HTTP {status}")
    return SendResult(status, "")
