import hashlib
import hmac
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ..accounts.helpers import (  # noqa: F401
    alice,
    alice_client,
    alice_token,
    bob,
    bob_token,
    curated,
    org_a,
    org_b,
)


class Receiver:
    """A real HTTP server on 127.0.0.1 (ephemeral port) that records what it is sent."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.fail_next = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.fail_next:
                    receiver.fail_next -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                receiver.received.append(
                    {"headers": dict(self.headers), "body": body, "path": self.path}
                )
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def verified(self, secret: str) -> list[dict]:
        """The payloads whose HMAC-SHA256 signature is right."""
        out = []
        for item in self.received:
            headers = {k.lower(): v for k, v in item["headers"].items()}
            signed = headers["x-stdplus-timestamp"].encode() + b"." + item["body"]
            expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
            if hmac.compare_digest(expected, headers["x-stdplus-signature"]):
                out.append(json.loads(item["body"]))
        return out

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    """A local receiver, trusted as an internal one (STDPLUS_WEBHOOK_TRUSTED_RECEIVERS)."""
    settings.STDPLUS_WEBHOOK_TRUSTED_RECEIVERS = ["127.0.0.1/32"]
    server = Receiver()
    yield server
    server.stop()


class FakeDNS:
    """Plays the DNS server: names in `table` resolve to its addresses (a list, or a function
    called on each lookup); IP literals, in any spelling, resolve as the system resolves them;
    any other name is not found. `lookups` records every name asked for."""

    def __init__(self) -> None:
        self.table: dict = {}
        self.lookups: list[str] = []

    def resolve(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        if host in self.table:
            answer = self.table[host]
            return list(answer() if callable(answer) else answer)
        infos = socket.getaddrinfo(host, port, flags=socket.AI_NUMERICHOST)
        return [info[4][0] for info in infos]


@pytest.fixture(autouse=True)
def dns(monkeypatch):
    """No test of watch lists asks the real DNS."""
    fake = FakeDNS()
    monkeypatch.setattr("stdplus.watch.outbound.resolve", fake.resolve)
    return fake
