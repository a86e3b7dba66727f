"""Alerts about news other than a catalog change, sent by a higher app (support: a new policy
for an enterprise's region and industry).

The app gives the news once (`key`, its sentence and a short title in each language, its page)
and the watch lists that should hear of it; each list gets one alert (unique per list and
notice), delivered like every alert: the inbox of the list's watchers (each person once, even
on several lists), its feed addresses, its digests and webhooks, each in its reader's language
(`phrasing.phrases`). Sending the same news again adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from .alerts import ProcessResult, alerts_fan_out
from .models import Alert, Notice, Notification, WatchList


def notice_send(
    *,
    key: str,
    texts: dict[str, str],
    titles: dict[str, str],
    path: str,
    watch_lists: Iterable[WatchList],
) -> ProcessResult:
    """One alert per list for this news (made once: running again counts nothing new)."""
    lists = sorted({w.pk for w in watch_lists})
    result = ProcessResult()
    with transaction.atomic():
        notice, _created = Notice.objects.get_or_create(
            key=key[:120], defaults={"texts": texts, "titles": titles, "path": path[:300]}
        )
        known = set(Alert.objects.filter(notice=notice).values_list("watch_list_id", flat=True))
        fresh = [w for w in lists if w not in known]
        Alert.objects.bulk_create(
            [Alert(watch_list_id=w, notice=notice, change=notice.key) for w in fresh],
            ignore_conflicts=True,
            batch_size=500,
        )
        alerts = list(
            Alert.objects.filter(notice=notice, watch_list_id__in=fresh).order_by("watch_list_id")
        )
        result.alerts = len(alerts)
        told = set(
            Notification.objects.filter(alert__notice=notice).values_list("user_id", flat=True)
        )
        before = len(told)
        alerts_fan_out(alerts, result, told=told)
        result.notifications = len(told) - before
    return result
