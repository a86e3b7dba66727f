"""Log-in throttling (django-axes): by account name and by address, paused, then open again."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from .helpers import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "accounts:login"


def attempt(client, username, password, address="203.0.113.5", **headers):
    return client.post(
        reverse(LOGIN), {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def test_a_hundred_wrong_passwords_are_stopped_after_the_limit(client, alice, settings):
    statuses = [attempt(client, "alice", f"guess {n}").status_code for n in range(100)]
    limit = settings.AXES_FAILURE_LIMIT
    assert statuses[: limit - 1] == [200] * (limit - 1)  # the form again, "wrong password"
    assert set(statuses[limit:]) == {429}
    # Even the right password is refused during the pause, with a message that says why.
    response = attempt(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    text = response.content.decode()
    assert "log-in is paused for 15 minutes" in text
    assert reverse("accounts:password_reset") in text


def test_the_pause_message_is_in_the_readers_language(client, alice, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "alice", f"guess {n}")
    response = attempt(client, "alice", PASSWORD, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 429
    assert "登录已暂停" in response.content.decode()


def test_the_account_is_paused_from_every_address(client, alice, settings):
    """Guessing one account's password from many addresses is stopped too."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "alice", f"guess {n}", address=f"198.51.100.{n + 1}")
    assert attempt(Client(), "alice", PASSWORD, address="192.0.2.77").status_code == 429


def test_an_address_trying_many_accounts_is_paused(client, alice, bob, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"someone{n}", "guess")
    # The next try from that address is refused, whichever account it names ...
    assert attempt(client, "bob", PASSWORD).status_code == 429
    # ... while the same people log in from elsewhere.
    assert attempt(Client(), "bob", PASSWORD, address="192.0.2.8").status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_pause(client, alice, settings):
    for n in range(settings.AXES_FAILURE_LIMIT + 2):
        response = attempt(client, f"user{n}", "guess", HTTP_X_FORWARDED_FOR=f"10.9.8.{n}")
    assert response.status_code == 429


def test_a_correct_password_works_after_the_pause(client, alice, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "alice", f"guess {n}")
    assert attempt(client, "alice", PASSWORD).status_code == 429
    settings.AXES_COOLOFF_TIME = dt.timedelta(seconds=0)  # as if the pause were over
    assert attempt(client, "alice", PASSWORD).status_code == 302


def test_a_password_reset_lifts_the_pause_for_the_owner(client, alice, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "alice", f"guess {n}", address=f"198.51.100.{n + 1}")
    owner = Client()
    assert attempt(owner, "alice", PASSWORD, address="192.0.2.9").status_code == 429
    owner.post(reverse("accounts:password_reset"), {"email": alice.email})
    link = re.search(r"https?://[^/]+(/account/password-reset/\S+/)", mail.outbox[0].body)
    form = owner.get(link.group(1), follow=True)
    new = "a brand new passphrase 88"
    owner.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert attempt(owner, "alice", new, address="192.0.2.9").status_code == 302
