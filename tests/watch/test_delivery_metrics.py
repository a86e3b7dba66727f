# ruff: noqa: F811  (the watched fixture, imported from test_alerts, is a parameter)
"""Alert deliveries and failures are counted by channel in the metrics (/metrics)."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.utils import timezone
from prometheus_client import REGISTRY

from stdplus.catalog.models import Standard
from stdplus.catalog.services import standard_update
from stdplus.watch.alerts import alerts_process
from stdplus.watch.delivery import digests_send, webhooks_deliver
from stdplus.watch.models import Notification, WebhookDelivery
from stdplus.watch.services import webhook_create

from .test_alerts import new_edition, watched  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def delivered(channel: str) -> float:
    return REGISTRY.get_sample_value("stdplus_alert_deliveries_total", {"channel": channel}) or 0.0


def failed(channel: str) -> float:
    value = REGISTRY.get_sample_value("stdplus_alert_delivery_failures_total", {"channel": channel})
    return value or 0.0


def withdraw_gb2760() -> None:
    standard_update(
        standard=Standard.objects.get(canonical="GB 2760-2014"),
        changes={"withdrawn": dt.date(2025, 2, 8)},
    )


def test_webhook_deliveries_and_failed_attempts(watched, receiver, settings, alice):
    settings.STDPLUS_WEBHOOK_BACKOFF = 60
    webhook_create(watch_list=watched, url=receiver.url, by=alice)
    withdraw_gb2760()
    alerts_process()
    ok, bad = delivered("webhook"), failed("webhook")
    receiver.fail_next = 1
    now = timezone.now()
    assert webhooks_deliver(now=now).retried == 1
    assert (delivered("webhook"), failed("webhook")) == (ok, bad + 1)
    assert webhooks_deliver(now=now + dt.timedelta(seconds=61)).delivered == 1
    assert (delivered("webhook"), failed("webhook")) == (ok + 1, bad + 1)
    assert WebhookDelivery.objects.get().state == "delivered"


def test_a_webhook_that_cannot_be_reached_counts_as_failures(watched, settings, alice):
    settings.STDPLUS_WEBHOOK_MAX_ATTEMPTS = 1
    settings.STDPLUS_WEBHOOK_TRUSTED_RECEIVERS = ["127.0.0.1/32"]
    webhook_create(watch_list=watched, url="http://127.0.0.1:9/closed", by=alice)
    new_edition()
    alerts_process()
    attempts = WebhookDelivery.objects.count()
    assert attempts == 1  # one new edition is one alert
    ok, bad = delivered("webhook"), failed("webhook")
    assert webhooks_deliver().failed == attempts
    assert (delivered("webhook"), failed("webhook")) == (ok, bad + attempts)


def test_digest_mails_and_a_mail_server_that_refuses(watched, alice, monkeypatch):
    new_edition()
    alerts_process()
    ok, bad = delivered("email"), failed("email")

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("the mail server went away")

    with monkeypatch.context() as patch:
        patch.setattr(mail.EmailMultiAlternatives, "send", refuse)
        with pytest.raises(smtplib.SMTPServerDisconnected):
            digests_send()
    assert (delivered("email"), failed("email")) == (ok, bad + 1)
    assert digests_send() == 1
    assert len(mail.outbox) == 1
    assert (delivered("email"), failed("email")) == (ok + 1, bad + 1)


def test_inbox_notifications_count_once_committed(
    watched,
    django_capture_on_commit_callbacks,
):
    new_edition()
    before = delivered("inbox")
    with django_capture_on_commit_callbacks(execute=True):
        result = alerts_process()
    assert result.notifications == Notification.objects.count() > 0
    assert delivered("inbox") == before + result.notifications


def test_delivery_counts_show_on_the_metrics_page(client, settings):
    settings.STDPLUS_METRICS_TOKEN = "t"
    text = client.get("/metrics", HTTP_AUTHORIZATION="Bearer t").content.decode()
    assert "# TYPE stdplus_alert_deliveries_total counter" in text
    assert "# TYPE stdplus_alert_delivery_failures_total counter" in text
