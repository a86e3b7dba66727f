"""Webhooks reach only public addresses (or trusted receivers): at creation, at every delivery,
on the address that was checked, and never through a redirect."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured

from stdplus.core.errors import ApplicationError
from stdplus.watch import outbound
from stdplus.watch.alerts import alerts_process
from stdplus.watch.delivery import webhooks_deliver
from stdplus.watch.models import Alert, Webhook, WebhookAttempt, WebhookDelivery
from stdplus.watch.services import watch_list_create, webhook_create

pytestmark = pytest.mark.django_db

PUBLIC = "93.184.215.14"
REFUSED = "the webhook URL leads to an internal or reserved address"

# (what it is, the URL, what the name resolves to when it is a name)
INTERNAL = [
    ("loopback IPv4", "http://127.0.0.1:8080/hook", None),
    ("loopback IPv4, short form", "http://127.1/hook", None),
    ("loopback IPv6", "http://[::1]/hook", None),
    ("private 10/8", "http://10.0.0.5/hook", None),
    ("private 172.16/12", "http://172.16.3.4/hook", None),
    ("private 192.168/16", "https://192.168.1.1/hook", None),
    ("link-local IPv4", "http://169.254.1.1/hook", None),
    ("cloud metadata 169.254.169.254", "http://169.254.169.254/latest/meta-data/", None),
    ("link-local IPv6", "http://[fe80::1]/hook", None),
    ("unique local IPv6", "http://[fd12:3456::1]/hook", None),
    ("shared address space 100.64/10", "http://100.64.0.1/hook", None),
    ("cloud metadata 100.100.100.200", "http://100.100.100.200/latest/meta-data/", None),
    ("cloud metadata 192.0.0.192", "http://192.0.0.192/opc/v1/instance/", None),
    ("this host 0.0.0.0", "http://0.0.0.0:8000/", None),
    ("unspecified IPv6", "http://[::]/hook", None),
    ("IPv4-mapped IPv6 of loopback", "http://[::ffff:127.0.0.1]/hook", None),
    ("IPv4-mapped IPv6 of metadata", "http://[::ffff:a9fe:a9fe]/hook", None),
    ("NAT64 of metadata", "http://[64:ff9b::a9fe:a9fe]/hook", None),
    ("decimal IPv4", "http://2130706433/hook", None),
    ("octal IPv4", "http://0177.0.0.1/hook", None),
    ("hexadecimal IPv4", "http://0x7f.0.0.1/hook", None),
    ("hexadecimal IPv4, one number", "http://0x7f000001/hook", None),
    ("benchmarking 198.18/15", "http://198.18.0.1/hook", None),
    ("a name resolving to a private address", "https://hooks.example.com/x", ["10.1.2.3"]),
    ("a name resolving to loopback, trailing dot", "http://localhost./x", ["127.0.0.1"]),
    (
        "a name with one internal address among public ones",
        "http://mixed.example/",
        [PUBLIC, "10.0.0.1"],
    ),
]


@pytest.fixture
def watched(curated, org_a, alice):
    return watch_list_create(
        organization=org_a, user=alice, name="x", items=[("edition", "GB 2760-2014")]
    )


def an_alert(watch_list) -> Alert:
    from stdplus.catalog.models import Standard
    from stdplus.catalog.services import standard_update

    standard_update(
        standard=Standard.objects.get(canonical="GB 2760-2014"), changes={"title_en": "changed"}
    )
    alerts_process()
    return Alert.objects.get(watch_list=watch_list)


@pytest.fixture
def connections(monkeypatch):
    """Every connection the sender opens, recorded and refused (nothing leaves the test)."""
    opened = []

    def record(address, *args, **kwargs):
        opened.append(address)
        raise ConnectionRefusedError("refused by the test")

    monkeypatch.setattr(outbound.socket, "create_connection", record)
    return opened


@pytest.mark.parametrize(("kind", "url", "answer"), INTERNAL, ids=[k for k, _u, _a in INTERNAL])
def test_internal_addresses_are_refused_at_creation(kind, url, answer, watched, alice, dns):
    host = url.split("//")[1].split("/")[0].split(":")[0].rstrip(".")
    if answer:
        dns.table[host] = answer
    with pytest.raises(ApplicationError) as refused:
        webhook_create(watch_list=watched, url=url, by=alice)
    assert refused.value.where.field == "url"
    assert refused.value.message.startswith(REFUSED)
    assert not Webhook.objects.exists()


@pytest.mark.parametrize(("kind", "url", "answer"), INTERNAL, ids=[k for k, _u, _a in INTERNAL])
def test_internal_addresses_are_refused_at_delivery(
    kind, url, answer, watched, alice, dns, connections
):
    """A webhook stored before the rule (or whose name now resolves inside) sends nothing."""
    host = url.split("//")[1].split("/")[0].split(":")[0].rstrip(".")
    if answer:
        dns.table[host] = answer
    Webhook.objects.create(watch_list=watched, url=url, secret="s" * 64, created_by=alice)
    an_alert(watched)
    webhooks_deliver()
    assert connections == []
    attempt = WebhookAttempt.objects.get()
    assert attempt.error.startswith(REFUSED) and attempt.status_code is None


def test_the_same_addresses_are_allowed_when_trusted(watched, alice, settings, dns):
    settings.STDPLUS_WEBHOOK_TRUSTED_RECEIVERS = ["10.0.0.0/8", "hooks.intranet"]
    dns.table["hooks.intranet"] = ["192.168.7.7"]
    webhook_create(watch_list=watched, url="http://10.2.3.4/hook", by=alice)
    webhook_create(watch_list=watched, url="http://hooks.intranet/hook", by=alice)
    with pytest.raises(ApplicationError):
        webhook_create(watch_list=watched, url="http://192.168.7.7/hook", by=alice)
    settings.STDPLUS_WEBHOOK_TRUSTED_RECEIVERS = ["not a network/8"]
    with pytest.raises(ImproperlyConfigured):
        webhook_create(watch_list=watched, url="http://10.2.3.4/hook", by=alice)


def test_public_addresses_are_accepted(watched, alice, dns):
    dns.table["hooks.example.com"] = [PUBLIC, "2606:2800:220:1:248:1893:25c8:1946"]
    for url in (
        "https://hooks.example.com/x",
        f"http://{PUBLIC}:8443/x",
        "http://[::ffff:8.8.8.8]/",
    ):
        webhook_create(watch_list=watched, url=url, by=alice)
    assert Webhook.objects.count() == 3


def test_a_name_that_does_not_resolve_is_refused_with_a_reason(watched, alice):
    with pytest.raises(ApplicationError) as refused:
        webhook_create(watch_list=watched, url="https://no-such-host.example/x", by=alice)
    assert refused.value.message == "the webhook's host name could not be resolved"


class Server:
    """A local HTTP server answering every POST with `status` (and `location`)."""

    def __init__(self, status: int = 204, location: str = "") -> None:
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                server.requests.append({"path": self.path, "host": self.headers["Host"]})
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST  # noqa: N815

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_port
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def servers():
    started = []

    def start(**kwargs) -> Server:
        started.append(Server(**kwargs))
        return started[-1]

    yield start
    for server in started:
        server.stop()


def test_a_redirect_to_an_internal_address_is_not_followed(watched, alice, settings, dns, servers):
    internal = servers()
    redirecting = servers(status=302, location=f"http://127.0.0.1:{internal.port}/admin")
    # The receiver is trusted by its name only; 127.0.0.1 itself is not trusted.
    settings.STDPLUS_WEBHOOK_TRUSTED_RECEIVERS = ["receiver.test"]
    dns.table["receiver.test"] = ["127.0.0.1"]
    webhook_create(
        watch_list=watched, url=f"http://receiver.test:{redirecting.port}/hook", by=alice
    )
    an_alert(watched)
    result = webhooks_deliver()
    assert result.retried == 1 and result.delivered == 0
    assert len(redirecting.requests) == 1 and internal.requests == []
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code == 302
    assert attempt.error == (
        "the receiver answered with a redirect (HTTP 302); redirects are not followed"
    )
    # The name went in the Host header, although the connection went to the checked address.
    assert redirecting.requests[0]["host"] == f"receiver.test:{redirecting.port}"


def test_dns_rebinding_after_creation_is_refused_at_delivery(watched, alice, dns, connections):
    dns.table["rebind.example"] = [PUBLIC]
    webhook_create(watch_list=watched, url="http://rebind.example/hook", by=alice)
    dns.table["rebind.example"] = ["127.0.0.1"]
    an_alert(watched)
    webhooks_deliver()
    assert connections == []
    assert WebhookAttempt.objects.get().error.startswith(REFUSED)


def test_dns_rebinding_between_check_and_connection_cannot_reach_inside(
    watched, alice, dns, connections, servers
):
    """The name answers a public address to the check and loopback afterwards: the sender
    resolves once and connects to the checked address, so the local server hears nothing."""
    local = servers()
    answers = iter([[PUBLIC]] * 2)
    dns.table["rebind.example"] = lambda: next(answers, ["127.0.0.1"])
    webhook_create(watch_list=watched, url=f"http://rebind.example:{local.port}/hook", by=alice)
    an_alert(watched)
    lookups_before = len(dns.lookups)
    webhooks_deliver()
    assert len(dns.lookups) == lookups_before + 1  # one resolution per delivery
    assert connections == [(PUBLIC, local.port)]
    assert local.requests == []
    assert WebhookAttempt.objects.get().error == "could not connect to the receiver"


def test_connection_errors_are_shown_as_short_reasons_and_logged(watched, alice, settings, caplog):
    settings.STDPLUS_WEBHOOK_TRUSTED_RECEIVERS = ["127.0.0.1/32"]
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    webhook_create(watch_list=watched, url=f"http://127.0.0.1:{port}/hook", by=alice)
    an_alert(watched)
    webhooks_deliver()
    delivery = WebhookDelivery.objects.get()
    assert delivery.last_error == "could not connect to the receiver"
    assert str(port) not in delivery.last_error
    assert "ConnectionRefusedError" in caplog.text  # the details are for the server's log


def test_the_form_names_the_field_and_the_reason(watched, alice_client):
    page = alice_client.post(
        watched.get_absolute_url(),
        {"action": "add-webhook", "hook-url": "http://169.254.169.254/latest/meta-data/"},
    ).content.decode()
    assert REFUSED in page and not Webhook.objects.exists()
