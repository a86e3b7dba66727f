"""Deployment settings, secret keys, security headers and the API's rate limits."""

import os
import re
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.test import Client

from stdplus.settings import secret_key_weakness

from ..accounts.helpers import alice, alice_token, org_a  # noqa: F401
from ..conftest import REPO

STRONG_KEY = "k3Jq9vLx2mPz8RtY6wNc4HbF1sDgA7uE0oIyT5rQ-_Xe9ZpMnBvCa2LkJh"


def documented_production_env() -> dict:
    """The production environment of docs/settings.md, read from its `export` lines (the
    secret key, made by a command there, is a strong one made here)."""
    text = (REPO / "docs" / "settings.md").read_text()
    env = dict(re.findall(r"^export (STDPLUS_[A-Z_]+)=(\S+)", text, re.MULTILINE))
    assert env.pop("STDPLUS_SECRET_KEY").startswith('"$(python')
    return {**env, "STDPLUS_SECRET_KEY": STRONG_KEY}


PRODUCTION_ENV = documented_production_env()


def run_stdplus(env, *args, tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("STDPLUS_")}
    clean.pop("DATABASE_URL", None)
    # A real deployment's process: not the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE (set for
    # Playwright), which the deployment check rightly refuses.
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-m", "stdplus", *args],
        capture_output=True,
        text=True,
        env={**clean, "STDPLUS_HOME": str(tmp_path), **env},
        timeout=120,
    )


def test_check_deploy_with_the_documented_production_environment_is_clean(tmp_path):
    assert PRODUCTION_ENV["STDPLUS_PRODUCTION"] == "1" and len(PRODUCTION_ENV) == 6
    result = run_stdplus(PRODUCTION_ENV, "check", "--deploy", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "WARNINGS" not in result.stderr + result.stdout, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_names_what_a_bare_production_setting_lacks(tmp_path):
    env = {**PRODUCTION_ENV, "STDPLUS_HSTS_PRELOAD": "0", "STDPLUS_SSL_REDIRECT": "0"}
    result = run_stdplus(env, "check", "--deploy", tmp_path=tmp_path)
    assert "security.W008" in result.stderr and "security.W021" in result.stderr


def test_https_settings_come_from_the_environment(tmp_path):
    env = {
        "STDPLUS_SECRET_KEY": STRONG_KEY,
        "STDPLUS_HSTS_SECONDS": "600",
        "STDPLUS_HSTS_INCLUDE_SUBDOMAINS": "1",
        "STDPLUS_HSTS_PRELOAD": "1",
        "STDPLUS_SSL_REDIRECT": "1",
        "STDPLUS_SECURE_COOKIES": "1",
        "STDPLUS_TRUSTED_PROXIES": "1",
    }
    code = (
        "from django.conf import settings as s; import django; django.setup(); "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_PROXY_SSL_HEADER)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("STDPLUS_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "stdplus.settings",
            "STDPLUS_HOME": str(tmp_path),
            **env,
        },
        timeout=60,
    )
    assert result.stdout.split() == [
        "600", "True", "True", "True", "True", "True", "('HTTP_X_FORWARDED_PROTO',", "'https')",
    ], result.stderr  # fmt: skip


@pytest.mark.parametrize(
    "key",
    ["changeme", "CHANGEME", "change-me-please-" + "x" * 40, "secret", "short-but-random-Q7",
     "django-insecure-" + "a1b2c3d4e5" * 5, "ab" * 40],
)  # fmt: skip
def test_weak_secret_keys_are_refused_at_start_up(key, tmp_path):
    assert secret_key_weakness(key)
    result = run_stdplus({"STDPLUS_SECRET_KEY": key}, "check", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "STDPLUS_SECRET_KEY is refused" in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr


def test_a_weak_key_is_allowed_in_debug_mode_only(tmp_path):
    result = run_stdplus(
        {"STDPLUS_SECRET_KEY": "changeme", "STDPLUS_DEBUG": "1"}, "check", tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert secret_key_weakness(STRONG_KEY) == ""


# Headers on every response --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/account/login/", "/api/v1/bodies", "/no-such-page/"])
def test_every_response_has_a_content_security_and_permissions_policy(client, path):
    response = client.get(path)
    # The header's directives come in no fixed order: read them by name.
    directives = dict(
        (part.split()[0], part.split()[1:])
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]  # inline <style> elements refused too
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    policy = response["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


@pytest.mark.django_db
def test_https_redirect_and_hsts_when_set(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    assert client.get("/bodies/").status_code == 301
    response = client.get("/account/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


# The API's rate limits ------------------------------------------------------------------------


@pytest.fixture
def rates(settings):
    cache.clear()
    settings.STDPLUS_RATES = {"anon": "5/min", "auth": "8/min"}
    yield settings.STDPLUS_RATES
    cache.clear()


@pytest.mark.django_db
def test_the_api_answers_429_with_retry_after_past_its_rate(rates):
    client = Client(REMOTE_ADDR="203.0.113.20")
    statuses = [client.get("/api/v1/bodies").status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    response = client.get("/api/v1/bodies")
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "throttled" and "too many requests" in body["message"]
    assert 1 <= int(response["Retry-After"]) <= 60
    # Another address is not affected; a forged X-Forwarded-For does not make a new one.
    assert Client(REMOTE_ADDR="203.0.113.21").get("/api/v1/bodies").status_code == 200
    forged = client.get("/api/v1/bodies", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert forged.status_code == 429


@pytest.mark.django_db
def test_the_throttled_message_is_translated(rates):
    client = Client(REMOTE_ADDR="203.0.113.22", HTTP_ACCEPT_LANGUAGE="zh-hans")
    for _ in range(5):
        client.get("/api/v1/bodies")
    assert "请求过多" in client.get("/api/v1/bodies").json()["message"]


@pytest.mark.django_db
def test_token_holders_are_counted_per_person(rates, alice_token):  # noqa: F811
    client = Client(REMOTE_ADDR="203.0.113.30", HTTP_AUTHORIZATION=f"Bearer {alice_token}")
    statuses = [client.get("/api/v1/checks").status_code for _ in range(9)]
    assert statuses == [200] * 8 + [429]


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_forwarded_address_counts(rates, settings):
    settings.TRUSTED_PROXIES = 1
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    for _ in range(5):
        assert proxy.get("/api/v1/bodies", HTTP_X_FORWARDED_FOR="203.0.113.40").status_code == 200
    assert proxy.get("/api/v1/bodies", HTTP_X_FORWARDED_FOR="203.0.113.40").status_code == 429
    assert proxy.get("/api/v1/bodies", HTTP_X_FORWARDED_FOR="203.0.113.41").status_code == 200


def test_every_test_named_in_the_security_document_exists():
    text = (REPO / "docs" / "security.md").read_text()
    files = set(re.findall(r"\b(tests/[a-z_/]+\.py)\b", text))
    assert files and {f for f in files if not (REPO / f).exists()} == set()
    named = set(re.findall(r"\b(test_[a-z0-9_]+)\b(?!\.py)", text))
    sources = "\n".join(p.read_text() for p in (REPO / "tests").rglob("test_*.py"))
    missing = {name for name in named if f"def {name}(" not in sources}
    assert len(named) > 30 and not missing, missing
