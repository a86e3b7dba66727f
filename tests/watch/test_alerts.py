import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from stdplus.catalog.models import ChangeEvent, Standard
from stdplus.catalog.services import RelationIn, StandardIn, standard_update, standards_import
from stdplus.watch.alerts import alerts_process
from stdplus.watch.delivery import digests_send, webhooks_deliver
from stdplus.watch.models import (
    Alert,
    AlertCursor,
    DigestMail,
    Notification,
    Watcher,
    WebhookAttempt,
    WebhookDelivery,
)
from stdplus.watch.services import watch_list_create, webhook_create

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def new_edition():
    """GB/T 19001-2026 replaces GB/T 19001-2016; a new JT standard in ICS 03.120.10."""
    standards_import(
        records=[
            StandardIn(
                "GB/T 19001-2026",
                row=1,
                title_zh="质量管理体系 要求",
                status_word="current",
                published=dt.date(2026, 3, 1),
                effective=dt.date(2026, 6, 1),
                ics=["03.120.10"],
                relations=[RelationIn("replaces", "GB/T 19001-2016")],
            ),
            StandardIn(
                "JT/T 1500-2026",
                row=2,
                title_zh="新的交通标准",
                status_word="current",
                published=dt.date(2026, 1, 1),
                ics=["43.020"],
            ),
        ],
        source="test",
        path="new.jsonl",
    )


@pytest.fixture
def watched(curated, org_a, alice):
    return watch_list_create(
        organization=org_a,
        user=alice,
        name="产品引用标准",
        items=[("work", "GB/T 19001"), ("edition", "GB 2760-2014")],
    )


def kinds(watch_list):
    return sorted(
        (a.event.standard.canonical, a.event.kind)
        for a in Alert.objects.filter(watch_list=watch_list).select_related("event__standard")
    )


def test_history_is_not_news_and_changes_are(watched, alice):
    assert alerts_process().alerts == 0  # the import happened before the list existed
    new_edition()
    standard_update(
        standard=Standard.objects.get(canonical="GB 2760-2014"),
        changes={"withdrawn": dt.date(2025, 2, 8)},
    )
    result = alerts_process()
    found = kinds(watched)
    # A new edition of a watched work is one alert (its events: the new standard, the old
    # one's status, the relation), carried by the new standard's; a withdrawal date another.
    assert found == [("GB 2760-2014", "dates"), ("GB/T 19001-2026", "created")]
    assert Notification.objects.filter(user=alice).count() == result.alerts == len(found)
    again = alerts_process()
    assert again.alerts == 0 and Alert.objects.count() == len(found)


def test_classes_and_bodies(curated, org_a, alice):
    by_class = watch_list_create(
        organization=org_a, user=alice, name="class", items=[("ics", "03.120")]
    )
    by_body = watch_list_create(organization=org_a, user=alice, name="body", items=[("body", "JT")])
    new_edition()
    alerts_process()
    assert ("GB/T 19001-2026", "created") in kinds(by_class)
    assert ("JT/T 1500-2026", "created") not in kinds(by_class)
    assert kinds(by_body) == [("JT/T 1500-2026", "created")]


def test_crash_in_the_middle_of_processing_loses_and_repeats_nothing(watched, alice):
    new_edition()
    standard_update(
        standard=Standard.objects.get(canonical="GB 2760-2014"),
        changes={"withdrawn": dt.date(2025, 2, 8)},
    )
    total = ChangeEvent.objects.filter(pk__gt=0).count()
    calls = {"n": 0}

    def crash(result):
        calls["n"] += 1
        if calls["n"] == 2:
            raise Boom("killed")

    with pytest.raises(Boom):
        alerts_process(batch_size=1, after_batch=crash)
    middle = AlertCursor.objects.get().last_event_id
    assert 0 < middle < ChangeEvent.objects.order_by("-pk").first().pk
    alerts_process(batch_size=1)
    alerts_process()
    pairs = list(Alert.objects.values_list("watch_list_id", "event_id"))
    assert len(pairs) == len(set(pairs)) == len(kinds(watched)) == 2  # one per change
    assert Notification.objects.count() == len(pairs)
    assert total == ChangeEvent.objects.count()


def test_webhook_end_to_end_signed(watched, receiver, alice):
    webhook, secret = webhook_create(watch_list=watched, url=receiver.url, by=alice)
    new_edition()
    alerts_process()
    result = webhooks_deliver()
    alerts = Alert.objects.filter(watch_list=watched).count()
    assert result.delivered == alerts == len(receiver.received)
    payloads = receiver.verified(secret)
    assert len(payloads) == alerts  # every signature checks out
    assert not receiver.verified("another secret")
    created = next(p for p in payloads if p["event"]["kind"] == "created")
    assert created["standard"]["canonical"] == "GB/T 19001-2026"
    assert created["matched"] == {"kind": "work", "value": "GB/T 19001"}
    assert {p["delivery"] for p in payloads} == set(
        WebhookDelivery.objects.values_list("pk", flat=True)
    )
    assert WebhookAttempt.objects.count() == alerts
    assert webhooks_deliver().delivered == 0  # nothing twice


def test_webhook_retries_with_backoff_and_logs_attempts(watched, receiver, settings, alice):
    settings.STDPLUS_WEBHOOK_BACKOFF = 60
    webhook_create(watch_list=watched, url=receiver.url, by=alice)
    standard_update(
        standard=Standard.objects.get(canonical="GB 2760-2014"),
        changes={"withdrawn": dt.date(2025, 2, 8)},
    )
    alerts_process()
    receiver.fail_next = 2
    now = timezone.now()
    assert webhooks_deliver(now=now).retried == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "retrying" and delivery.attempts == 1
    assert delivery.next_attempt_at == now + dt.timedelta(seconds=60)
    assert webhooks_deliver(now=now + dt.timedelta(seconds=30)).retried == 0  # not yet due
    later = now + dt.timedelta(seconds=61)
    assert webhooks_deliver(now=later).retried == 1
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == later + dt.timedelta(seconds=120)  # doubled
    assert webhooks_deliver(now=later + dt.timedelta(seconds=121)).delivered == 1
    log = list(WebhookAttempt.objects.values_list("number", "status_code"))
    assert log == [(1, 503), (2, 503), (3, 204)]
    assert len(receiver.received) == 1


def test_webhook_gives_up_after_the_last_attempt(watched, settings, alice):
    settings.STDPLUS_WEBHOOK_MAX_ATTEMPTS = 2
    settings.STDPLUS_WEBHOOK_BACKOFF = 0
    settings.STDPLUS_WEBHOOK_TRUSTED_RECEIVERS = ["127.0.0.1/32"]
    webhook_create(watch_list=watched, url="http://127.0.0.1:9/closed", by=alice)
    new_edition()
    alerts_process()
    webhooks_deliver()
    webhooks_deliver()
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {"failed"}
    # A short reason for people, not the operating system's error (which names ports).
    assert set(WebhookAttempt.objects.values_list("error", flat=True)) == {
        "could not connect to the receiver"
    }


def test_crash_in_the_middle_of_sending_delivers_each_exactly_once(watched, receiver, alice):
    _hook, secret = webhook_create(watch_list=watched, url=receiver.url, by=alice)
    new_edition()
    standard_update(
        standard=Standard.objects.get(canonical="GB 2760-2014"),
        changes={"withdrawn": dt.date(2025, 2, 8)},
    )
    alerts_process()
    expected = WebhookDelivery.objects.count()
    assert expected == 2  # two changes
    sent = {"n": 0}

    def kill(delivery):
        sent["n"] += 1
        if sent["n"] == 1:
            raise Boom("server restarted")

    with pytest.raises(Boom):
        webhooks_deliver(after_each=kill)
    assert len(receiver.received) == 1
    webhooks_deliver()
    ids = [p["delivery"] for p in receiver.verified(secret)]
    assert len(ids) == len(set(ids)) == expected
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {"delivered"}


def test_weekly_digest_by_mail_once(watched, alice):
    new_edition()
    alerts_process()
    now = timezone.now()
    assert digests_send(now=now) == 1
    message = mail.outbox[0]
    assert message.to == [alice.email]
    assert "GB/T 19001-2026" in message.body and "产品引用标准" in message.body
    assert "watch lists" in message.subject  # in the language alice chose it in
    assert digests_send(now=now + dt.timedelta(days=1)) == 0  # weekly: not due yet
    standard_update(
        standard=Standard.objects.get(canonical="GB 2760-2014"),
        changes={"withdrawn": dt.date(2025, 2, 8)},
    )
    alerts_process()
    assert digests_send(now=now + dt.timedelta(days=7)) == 1
    assert "GB 2760-2014" in mail.outbox[1].body and "GB/T 19001-2026" not in mail.outbox[1].body
    assert DigestMail.objects.count() == 2


def test_digest_crash_sends_nothing_twice(watched, alice, org_a, monkeypatch):
    from ..accounts.helpers import member

    colleague = member(org_a)
    Watcher.objects.create(watch_list=watched, user=colleague, digest="daily")
    new_edition()
    alerts_process()

    def kill(user_id):
        raise Boom("killed after the first mail")

    with pytest.raises(Boom):
        digests_send(after_each=kill)
    assert len(mail.outbox) == 1
    digests_send()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, colleague.email])
