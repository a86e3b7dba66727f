"""Sending alerts out: signed webhooks with retries, and email digests.

Webhooks: each delivery is claimed (state `sending`) in a short transaction, posted, and its
outcome recorded with a `WebhookAttempt` row in another. A 2xx answer marks it delivered; else
it waits (`retrying`) and is tried again after `STDPLUS_WEBHOOK_BACKOFF` seconds, doubling each
time, until `STDPLUS_WEBHOOK_MAX_ATTEMPTS` (then `failed`). A claim left behind by a crash is
released after the timeout. Every state change is a step of watch.lifecycles.DELIVERY.
The body is signed: `X-Stdplus-Signature: sha256=HMAC(secret, "<timestamp>." + body)` with the
timestamp in `X-Stdplus-Timestamp`; `X-Stdplus-Delivery` is the same on every retry, so a
receiver can drop a repeat.

Digests: one mail per person with the alerts of every list they watch whose digest is due,
sent inside the transaction that moves their digest cursors; a failed send changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stdplus.accounts.selectors import current_member, is_member
from stdplus.core import metrics
from stdplus.core.lifecycle import transition_apply

from . import outbound
from .models import (
    Alert,
    DeliveryState,
    Digest,
    DigestMail,
    Watcher,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)
from .phrasing import phrase, phrases, site_url

# Deliveries the sender takes up: new ones, and those waiting to be tried again.
DUE_STATES = (DeliveryState.PENDING, DeliveryState.RETRYING)
PERIODS = {
    Digest.DAILY: dt.timedelta(days=1),
    Digest.WEEKLY: dt.timedelta(days=7),
}
SLACK = dt.timedelta(minutes=10)  # a daily cron run a little early still sends


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def event_payload(alert: Alert, language: str | None = None) -> dict:
    """What a webhook receives for one alert: `summary`, the change as a person would say it
    (in the webhook's language), with its link at the site's own address, and the change's
    facts for programs."""
    event = alert.event
    with translation.override(language or settings.LANGUAGE_CODE):
        said = phrase(alert)
        kind_label = str(event.get_kind_display()) if event is not None else ""
    said_for_all = {
        "watch_list": {"id": alert.watch_list_id, "name": alert.watch_list.name},
        "matched": (
            {"kind": alert.item.kind, "value": alert.item.value} if alert.item_id else None
        ),
        "summary": said.text,
        "language": language or settings.LANGUAGE_CODE,
        "url": said.url,
    }
    if event is None:  # a notice (a new policy...): no catalog change behind it
        notice = alert.notice
        return {
            **said_for_all,
            "event": None,
            "standard": None,
            "notice": {
                "key": notice.key,
                "title": said.title,
                "recorded_at": notice.created_at.isoformat(),
            },
        }
    standard = event.standard
    return {
        **said_for_all,
        "notice": None,
        "event": {
            "id": event.pk,
            "kind": event.kind,
            "kind_label": kind_label,
            "field": event.field,
            "old_value": event.old_value,
            "new_value": event.new_value,
            "source": event.source,
            "recorded_at": event.created_at.isoformat(),
        },
        "standard": {
            "canonical": standard.canonical,
            "work": standard.work_key,
            "status": standard.status,
            "title_zh": standard.title_zh,
            "title_en": standard.title_en,
            "url": site_url(standard.get_absolute_url()),
        },
    }


@dataclass
class DeliverResult:
    delivered: int = 0
    retried: int = 0
    failed: int = 0


def _post(url: str, secret: str, delivery_id: int, payload: dict) -> tuple[int | None, str]:
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "stdplus-webhooks/1",
        "X-Stdplus-Delivery": str(delivery_id),
        "X-Stdplus-Timestamp": timestamp,
        "X-Stdplus-Signature": sign(secret, timestamp, body),
    }
    # Only to checked public addresses (or trusted receivers), never following a redirect.
    result = outbound.post(url, body, headers, timeout=settings.STDPLUS_WEBHOOK_TIMEOUT)
    return result.status, result.error


def webhook_test_send(webhook: Webhook) -> tuple[bool, str]:
    """Post a signed test message to the webhook now ("send a test" on the list's page), as a
    delivery would be posted; returns (whether the receiver took it, what to tell the person
    in their language). Nothing is recorded: no alert, no delivery."""
    refusal = webhook_refusal(webhook)
    if refusal:
        return False, _("Not sent: %(reason)s.") % {"reason": _(refusal)}
    with translation.override(webhook.language):
        summary = _("A test from stdplus: the webhook of the watch list %(name)s works.") % {
            "name": webhook.watch_list.name
        }
    payload = {
        "test": True,
        "watch_list": {"id": webhook.watch_list_id, "name": webhook.watch_list.name},
        "summary": summary,
        "language": webhook.language,
        "url": site_url(webhook.watch_list.get_absolute_url()),
    }
    with translation.override("en"):  # the reasons are stored and translated in English
        status, error = _post(webhook.url, webhook.secret, 0, payload)
    if status is not None and 200 <= status < 300:
        return True, _("The receiver took the test message (HTTP %(status)d).") % {"status": status}
    if status is not None:
        return False, _("The receiver refused the test message (HTTP %(status)d).") % {
            "status": status
        }
    return False, _("The test message was not delivered: %(reason)s.") % {"reason": _(error)}


def webhook_refusal(webhook: Webhook) -> str:
    """Why this webhook may not receive its list's alerts now ("" when it may): it is turned
    off, its organization is inactive, or the person who added it no longer belongs to it."""
    if not webhook.is_active:
        return str(_("the webhook is turned off"))
    organization_id = webhook.watch_list.organization_id
    if not webhook.watch_list.organization.is_active:
        return str(_("the organization is no longer active"))
    if not is_member(user=webhook.created_by, organization_id=organization_id):
        return str(_("the person who added the webhook no longer belongs to the organization"))
    return ""


def _claim(now: dt.datetime) -> WebhookDelivery | None:
    with transaction.atomic():
        due = WebhookDelivery.objects.filter(
            state__in=DUE_STATES, next_attempt_at__lte=now
        ).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        delivery = due.select_related(
            "webhook__watch_list__organization", "webhook__created_by"
        ).first()
        if delivery is None:
            return None
        transition_apply(delivery, "claim", actor=None, data={"claimed_at": now})
    return delivery


def _release_stale(now: dt.datetime) -> None:
    """Claims older than the timeout belong to a run that died: make them due again."""
    limit = now - dt.timedelta(seconds=settings.STDPLUS_WEBHOOK_TIMEOUT + 60)
    stale = WebhookDelivery.objects.filter(state=DeliveryState.SENDING, claimed_at__lt=limit)
    for delivery in stale:
        transition_apply(delivery, "release", actor=None, data={"next_attempt_at": now})


def webhooks_deliver(
    *,
    now: dt.datetime | None = None,
    limit: int = 1000,
    after_each: Callable[[WebhookDelivery], None] | None = None,
) -> DeliverResult:
    """Post every due webhook delivery once; record each attempt.

    Reasons are stored in English, whatever language the process happens to run in, and
    translated for each reader when shown (`{% translate delivery.last_error %}`)."""
    with translation.override("en"):
        return _webhooks_deliver(now=now, limit=limit, after_each=after_each)


def _webhooks_deliver(
    *,
    now: dt.datetime | None,
    limit: int,
    after_each: Callable[[WebhookDelivery], None] | None,
) -> DeliverResult:
    result = DeliverResult()
    now = now or timezone.now()
    _release_stale(now)
    for _turn in range(limit):
        delivery = _claim(now)
        if delivery is None:
            break
        alert = Alert.objects.select_related("event__standard", "notice", "watch_list", "item").get(
            pk=delivery.alert_id
        )
        payload = {"delivery": delivery.pk, **event_payload(alert, delivery.webhook.language)}
        started = timezone.now()
        clock = time.perf_counter()
        # Checked when it is sent, not only when the alert was made: a webhook of a person who
        # has left, or a turned-off one, sends nothing and is given up at once.
        refusal = webhook_refusal(delivery.webhook)
        if refusal:
            status, error = None, refusal
        else:
            status, error = _post(
                delivery.webhook.url, delivery.webhook.secret, delivery.pk, payload
            )
        duration = int((time.perf_counter() - clock) * 1000)
        ok = status is not None and 200 <= status < 300
        with transaction.atomic():
            number = delivery.attempts + 1
            WebhookAttempt.objects.create(
                delivery=delivery,
                number=number,
                started_at=started,
                duration_ms=duration,
                status_code=status,
                error=error[:500],
            )
            # The outcome is a step of watch.lifecycles.DELIVERY (one event each).
            outcome = {"attempt": number, "status_code": status, "error": error[:500]}
            if ok:
                transition_apply(
                    delivery,
                    "deliver",
                    actor=None,
                    data={"attempt": number, "status_code": status, "delivered_at": timezone.now()},
                )
                result.delivered += 1
            elif refusal or number >= settings.STDPLUS_WEBHOOK_MAX_ATTEMPTS:
                transition_apply(delivery, "give_up", actor=None, data=outcome)
                result.failed += 1
            else:
                backoff = settings.STDPLUS_WEBHOOK_BACKOFF * 2 ** (number - 1)
                outcome["next_attempt_at"] = now + dt.timedelta(seconds=backoff)
                transition_apply(delivery, "retry", actor=None, data=outcome)
                result.retried += 1
        if ok:
            metrics.alert_delivered("webhook")
        else:
            metrics.alert_failed("webhook")
        if after_each is not None:
            after_each(delivery)
    return result


def _due(watcher: Watcher, now: dt.datetime) -> bool:
    period = PERIODS.get(watcher.digest)
    if period is None:
        return False
    return watcher.digest_sent_at is None or now - watcher.digest_sent_at >= period - SLACK


def digests_send(
    *,
    now: dt.datetime | None = None,
    after_each: Callable[[int], None] | None = None,
) -> int:
    """Send every due digest (one mail per person); return how many mails were sent."""
    now = now or timezone.now()
    candidates: dict[int, list[int]] = defaultdict(list)
    entitled = current_member(user="user", organization="watch_list__organization")
    for watcher in (
        Watcher.objects.exclude(digest=Digest.NONE)
        .filter(entitled)
        .only("pk", "user_id", "digest", "digest_sent_at")
    ):
        if _due(watcher, now):
            candidates[watcher.user_id].append(watcher.pk)
    sent = 0
    for user_id, watcher_ids in candidates.items():
        with transaction.atomic():
            watchers = [
                w
                for w in Watcher.objects.select_for_update(of=("self",))
                .filter(entitled, pk__in=watcher_ids)
                .select_related("user", "watch_list")
                .order_by("pk")
                if _due(w, now)
            ]
            sections = []
            alert_ids = []
            for watcher in watchers:
                alerts = list(
                    Alert.objects.filter(
                        watch_list=watcher.watch_list, pk__gt=watcher.digest_through
                    )
                    .select_related("event__standard", "notice", "item")
                    .order_by("pk")[:500]
                )
                if alerts:
                    sections.append((watcher.watch_list, alerts))
                    alert_ids += [a.pk for a in alerts]
                    watcher.digest_through = alerts[-1].pk
                watcher.digest_sent_at = now
            if not watchers:
                continue
            user = watchers[0].user
            if sections and user.email:
                try:
                    _mail(user, sections, now, watchers[0].language)
                except Exception:
                    metrics.alert_failed("email")
                    raise
                metrics.alert_delivered("email")  # the mail is out, whatever follows
                DigestMail.objects.create(
                    user=user, alert_count=len(alert_ids), alert_ids=alert_ids
                )
                sent += 1
            Watcher.objects.bulk_update(watchers, ["digest_through", "digest_sent_at"])
        if after_each is not None:
            after_each(user_id)
    return sent


def _mail(user, sections, now: dt.datetime, language: str) -> None:
    """One mail in the person's language (stored with their watch: the page's language when
    they chose the digest), each alert one sentence."""
    with translation.override(language):
        said = phrases([a for _, alerts in sections for a in alerts])
        context = {
            "user": user,
            "sections": [
                (watch_list, [said[a.pk] for a in alerts]) for watch_list, alerts in sections
            ],
            "site_url": settings.STDPLUS_SITE_URL,
            "day": timezone.localdate(now),
        }
        body = render_to_string("watch/digest_email.txt", context)
        count = sum(len(alerts) for _, alerts in sections)
        subject = ngettext(
            "stdplus: %(count)d change on your watch lists",
            "stdplus: %(count)d changes on your watch lists",
            count,
        ) % {"count": count}
    message = EmailMultiAlternatives(subject=subject, body=body, to=[user.email])
    message.send(fail_silently=False)
