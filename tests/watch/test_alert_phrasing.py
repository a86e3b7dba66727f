"""Alerts people can read: one new edition of a watched standard is one alert on every channel
(inbox, feed, webhook, digest mail), said as a person would say it, in the recipient's
language, with links at the site's own address."""

import datetime as dt
import json
import re

import pytest
from django.core import mail
from django.utils import timezone, translation

from stdplus.catalog.services import RelationIn, StandardIn, standards_import
from stdplus.watch.alerts import alerts_process
from stdplus.watch.delivery import digests_send, webhooks_deliver
from stdplus.watch.models import Alert, FeedToken, Notification, Watcher, WebhookDelivery
from stdplus.watch.services import (
    feed_token_for,
    watch_list_create,
    watcher_set,
    webhook_create,
)

from ..accounts.helpers import member

pytestmark = pytest.mark.django_db
SITE = "https://stdplus.example.org"
EN = "GB/T 19001-2016 has been replaced by GB/T 19001-2026, in force 2027-01-01."
ZH = "GB/T 19001-2016 已被 GB/T 19001-2026 代替，2027-01-01 实施。"
# What a person must never read: stored values, dicts, field and status codes.
MACHINE_TEXT = re.compile(
    r"\{'|'from'|'type'|relation_added|relation_removed|base_status|old_value|new_value"
    r"|superseded|\bcurrent\b|\bNone\b"
)


def new_edition():
    """GB/T 19001-2026 replaces GB/T 19001-2016, in force 2027-01-01."""
    standards_import(
        records=[
            StandardIn(
                "GB/T 19001-2026",
                row=1,
                title_zh="质量管理体系 要求",
                status_word="current",
                published=dt.date(2026, 6, 1),
                effective=dt.date(2027, 1, 1),
                relations=[RelationIn("replaces", "GB/T 19001-2016")],
            )
        ],
        source="test",
        path="new.jsonl",
    )


@pytest.fixture
def channels(curated, org_a, alice, receiver, settings):
    """One list watching GB/T 19001 (every edition): alice reads English; a colleague reads
    Chinese; an English and a Chinese webhook; each person's own feed."""
    settings.STDPLUS_SITE_URL = SITE
    watch_list = watch_list_create(
        organization=org_a, user=alice, name="产品引用标准", items=[("work", "GB/T 19001")]
    )
    colleague = member(org_a)
    with translation.override("en"):
        watcher_set(watch_list=watch_list, user=alice, digest="daily")
        webhook_create(watch_list=watch_list, url=receiver.url + "/en", by=alice)
        feed_en = feed_token_for(watch_list=watch_list, user=alice)
    with translation.override("zh-hans"):
        watcher_set(watch_list=watch_list, user=colleague, digest="daily")
        webhook_create(watch_list=watch_list, url=receiver.url + "/zh", by=alice)
        feed_zh = feed_token_for(watch_list=watch_list, user=colleague)
    return watch_list, colleague, feed_en, feed_zh


def readable(text: str) -> bool:
    return not MACHINE_TEXT.search(text)


def test_one_new_edition_is_one_alert_per_channel_in_each_language(
    channels, alice, alice_client, receiver, client
):
    watch_list, colleague, feed_en, feed_zh = channels
    assert {w.language for w in Watcher.objects.all()} == {"en", "zh-hans"}
    new_edition()
    alerts_process()
    assert Alert.objects.filter(watch_list=watch_list).count() == 1  # not one per event
    assert Notification.objects.filter(user=alice).count() == 1
    assert Notification.objects.filter(user=colleague).count() == 1

    # Webhooks: one post each, phrased in the webhook's language, links at the site.
    assert WebhookDelivery.objects.count() == 2
    webhooks_deliver()
    posts = {item["path"]: item for item in receiver.received}
    assert len(receiver.received) == 2
    english = json.loads(posts["/hook/en"]["body"])
    chinese = json.loads(posts["/hook/zh"]["body"])
    assert english["summary"] == EN and chinese["summary"] == ZH
    assert english["url"] == SITE + "/standards/GB/T%2019001-2026/"
    assert english["standard"]["url"].startswith(SITE + "/")

    # Digest mails: one each, in the person's language.
    assert digests_send(now=timezone.now()) == 2
    by_person = {m.to[0]: m for m in mail.outbox}
    mail_en, mail_zh = by_person[alice.email], by_person[colleague.email]
    assert EN in mail_en.body and ZH not in mail_en.body and "1 change" in mail_en.subject
    assert ZH in mail_zh.body and EN not in mail_zh.body and "关注清单" in mail_zh.subject
    assert SITE + "/standards/GB/T%2019001-2026/" in mail_en.body
    assert mail_en.body.count(EN) == 1 and mail_zh.body.count(ZH) == 1  # one alert, once
    assert readable(mail_en.body) and readable(mail_zh.body)

    # Feeds: one entry each, in the person's language, links at the site.
    for token, sentence in ((feed_en, EN), (feed_zh, ZH)):
        feed = client.get(f"/watch/feed/{token}/").content.decode()
        assert feed.count("<entry>") == 1 and sentence in feed
        assert f'href="{SITE}/standards/GB/T%2019001-2026/"' in feed
        assert "example.com" not in feed and "testserver" not in feed

    # The inbox, in the page's language, with the unread count in the navigation.
    for language, sentence in (("en", EN), ("zh-hans", ZH)):
        page = alice_client.get("/watch/inbox/", HTTP_ACCEPT_LANGUAGE=language)
        html = page.content.decode()
        assert sentence in html and readable(html.split('id="inbox"')[1])
        assert re.search(r'id="unread-count"[^>]*>1<', html)
    alice_client.post("/watch/inbox/")
    assert 'id="unread-count"' not in alice_client.get("/watch/").content.decode()


def test_send_a_test_posts_a_signed_message_and_says_so(channels, alice_client, receiver):
    watch_list, *_ = channels
    hook = watch_list.webhooks.get(url__endswith="/en")
    response = alice_client.post(
        watch_list.get_absolute_url(),
        {"action": "test-webhook", "webhook": hook.pk},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "The receiver took the test message (HTTP 204)." in response.content.decode()
    assert len(receiver.verified(hook.secret)) == 1
    payload = receiver.verified(hook.secret)[0]
    assert payload["test"] is True and "产品引用标准" in payload["summary"]
    assert payload["url"] == SITE + watch_list.get_absolute_url()
    assert WebhookDelivery.objects.count() == 0  # nothing recorded as an alert
    # Someone else's webhook, or none: a clear message, nothing sent.
    response = alice_client.post(
        watch_list.get_absolute_url(),
        {"action": "test-webhook", "webhook": 999999},
        follow=True,
    )
    assert response.status_code == 200 and len(receiver.received) == 1


def test_feed_language_is_kept_with_the_address(channels):
    _watch_list, _colleague, feed_en, feed_zh = channels
    assert FeedToken.objects.get(token=feed_en).language == "en"
    assert FeedToken.objects.get(token=feed_zh).language == "zh-hans"
