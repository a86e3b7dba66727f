"""From the catalog's change events to alerts: the matching and the outbox.

One change of the real world is one alert: the events one import (or one day's hand edits)
writes about one work (a new edition: the new standard, the old one's status, the relation
between them) share a change key, and a watch list gets one alert per key, carried by the
event that says the most (`HEADLINE`). How an alert reads is `phrasing`'s.

`alerts_process()` reads the change events after the cursor, in id order and in batches; for
each batch, in one transaction, it writes the alerts (unique per watch list and event), the
inbox notifications (unique per person and alert) and the webhook deliveries (unique per
webhook and alert), and moves the cursor. A crash rolls the batch back whole; running again
picks up where the last committed batch ended, and the unique keys make a repeated batch
harmless.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from stdplus.accounts.selectors import current_member
from stdplus.catalog.choices import EventKind, RelationType
from stdplus.catalog.models import ChangeEvent, Relation, Standard
from stdplus.core import metrics

from .models import (
    Alert,
    AlertCursor,
    ItemKind,
    Notification,
    Watcher,
    WatchItem,
    Webhook,
    WebhookDelivery,
)

CURSOR = "alerts"
GAP_KEEP = dt.timedelta(days=1)
# Classes and bodies hold many standards: only new ones and status changes are news there.
BROAD_KINDS = {EventKind.CREATED, EventKind.STATUS}


# Which event of one change carries its alert: the one that says the most.
HEADLINE = {
    EventKind.CREATED: 0,
    EventKind.RELATION_ADDED: 1,
    EventKind.STATUS: 2,
    EventKind.DATES: 3,
    EventKind.FIELDS: 4,
    EventKind.RELATION_REMOVED: 5,
}


def change_key(event: ChangeEvent, work: str) -> str:
    """The change an event belongs to: its work (or the work of what replaces it), and the
    import run that wrote it, or the day of a hand edit."""
    when = f"run{event.import_run_id}" if event.import_run_id else f"day{event.created_at.date()}"
    return f"{when}|{work}"[:300]


@dataclass
class ProcessResult:
    events: int = 0
    alerts: int = 0
    notifications: int = 0
    deliveries: int = 0
    batches: int = 0


class Matcher:
    """Every watch item, indexed for matching a batch of events in memory."""

    def __init__(self) -> None:
        self.by_edition: dict[str, list[WatchItem]] = defaultdict(list)
        self.by_work: dict[str, list[WatchItem]] = defaultdict(list)
        self.by_body: dict[str, list[WatchItem]] = defaultdict(list)
        self.by_ics: dict[str, list[WatchItem]] = defaultdict(list)
        index = {
            ItemKind.EDITION: self.by_edition,
            ItemKind.WORK: self.by_work,
            ItemKind.BODY: self.by_body,
            ItemKind.ICS: self.by_ics,
        }
        for item in WatchItem.objects.all().only(
            "pk", "watch_list_id", "kind", "value", "created_at"
        ):
            index[item.kind][item.value].append(item)

    def empty(self) -> bool:
        return not (self.by_edition or self.by_work or self.by_body or self.by_ics)

    def matches(self, event: ChangeEvent, standard: dict, classes: list[str]) -> dict[int, int]:
        """{watch list id: item id} for the lists this event concerns (first reason wins)."""
        found: dict[int, int] = {}
        candidates = [
            *self.by_edition.get(standard["canonical"], ()),
            *(
                self.by_edition.get(standard["edition_key"], ())
                if standard["is_supplement"]
                else ()
            ),
            *self.by_work.get(standard["work_key"], ()),
        ]
        if event.kind in BROAD_KINDS:
            candidates += self.by_body.get(standard["body"], ())
            for code in classes:
                parts = code.split(".")
                for depth in range(1, len(parts) + 1):
                    candidates += self.by_ics.get(".".join(parts[:depth]), ())
        for item in candidates:
            # A list hears of changes made after the item was put on it, not of history.
            if item.created_at <= event.created_at:
                found.setdefault(item.watch_list_id, item.pk)
        return found


def _events_after(cursor: AlertCursor, batch_size: int) -> list[ChangeEvent]:
    query = Q(pk__gt=cursor.last_event_id)
    for start, end, _seen in cursor.gaps:
        query |= Q(pk__gte=start, pk__lte=end)
    return list(ChangeEvent.objects.filter(query).order_by("pk")[:batch_size])


def _gaps_after(cursor: AlertCursor, events: list[ChangeEvent], now: dt.datetime) -> list:
    """Ranges below the new cursor position still missing, kept for a day."""
    got = {e.pk for e in events}
    kept = []
    for start, end, seen in cursor.gaps:
        if now - dt.datetime.fromisoformat(seen) > GAP_KEEP:
            continue
        missing = [i for i in range(start, end + 1) if i not in got]
        kept += _ranges(missing, seen)
    fresh = sorted(i for i in got if i > cursor.last_event_id)
    if fresh:
        expected = cursor.last_event_id + 1
        for pk in fresh:
            if pk > expected:
                kept.append([expected, pk - 1, now.isoformat()])
            expected = pk + 1
    return kept[-1000:]


def _ranges(ids: list[int], seen: str) -> list:
    out: list = []
    for pk in ids:
        if out and out[-1][1] == pk - 1:
            out[-1][1] = pk
        else:
            out.append([pk, pk, seen])
    return out


def _subject_works(events: list[ChangeEvent], standards: dict) -> dict[int, str]:
    """{standard id: the work its events are news of}: its own, or, for a standard replaced
    by one the same events concern (GB/T 28001 by GB/T 45001), the replacing one's."""
    ids = list(standards)
    works = {pk: row["work_key"] for pk, row in standards.items()}
    for old, new in Relation.objects.filter(
        type=RelationType.REPLACES, to_standard_id__in=ids, from_standard_id__in=ids
    ).values_list("to_standard_id", "from_standard_id"):
        if old != new and new in standards:
            works[old] = standards[new]["work_key"]
    return works


def _standards(events: list[ChangeEvent], need_classes: bool) -> tuple[dict, dict]:
    ids = {e.standard_id for e in events}
    standards = {
        row["pk"]: row
        for row in Standard.objects.filter(pk__in=ids).values(
            "pk", "canonical", "work_key", "edition_key", "is_supplement", "body"
        )
    }
    classes: dict[int, list[str]] = defaultdict(list)
    if need_classes:
        through = Standard.classifications.through
        for standard_id, code in through.objects.filter(
            standard_id__in=ids, classification__scheme="ics"
        ).values_list("standard_id", "classification__code"):
            classes[standard_id].append(code)
    return standards, classes


def _batch(matcher: Matcher, events: list[ChangeEvent], result: ProcessResult) -> None:
    """Write the alerts, notifications and deliveries of one batch (inside a transaction)."""
    if matcher.empty():
        return
    standards, classes = _standards(events, need_classes=bool(matcher.by_ics))
    works = _subject_works(events, standards)
    # (list, change) -> (headline rank, event id, item id): one alert per change and list.
    wanted: dict[tuple[int, str], tuple[int, int, int]] = {}
    for event in events:
        standard = standards.get(event.standard_id)
        if standard is None:
            continue
        change = change_key(event, works[event.standard_id])
        rank = HEADLINE.get(event.kind, 9)
        for list_id, item_id in matcher.matches(
            event, standard, classes.get(event.standard_id, [])
        ).items():
            candidate = (rank, event.pk, item_id)
            if (list_id, change) not in wanted or candidate < wanted[(list_id, change)]:
                wanted[(list_id, change)] = candidate
    if not wanted:
        return
    # A change already alerted in an earlier batch keeps its alert (the unique key).
    Alert.objects.bulk_create(
        [
            Alert(watch_list_id=w, event_id=e, item_id=i, change=c)
            for (w, c), (_rank, e, i) in wanted.items()
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    list_ids = {w for w, _ in wanted}
    changes = {c for _, c in wanted}
    alerts = [
        a
        for a in Alert.objects.filter(watch_list_id__in=list_ids, change__in=changes)
        if (a.watch_list_id, a.change) in wanted
    ]
    result.alerts += len(alerts)
    alerts_fan_out(alerts, result)


def alerts_fan_out(
    alerts: list[Alert], result: ProcessResult, *, told: set[int] | None = None
) -> None:
    """The inbox notifications (one per watcher) and webhook deliveries (one per webhook) of
    these alerts, inside the caller's transaction; repeated, it adds nothing (unique keys).
    `told`, for alerts that are one piece of news on several lists (a notice): the people
    already told of it; each person is then told once, by the first of these alerts."""
    list_ids = {a.watch_list_id for a in alerts}
    # Only people who belong to the list's organization today hear of it, and only webhooks
    # added by such a person (delivery checks again when it sends).
    watchers: dict[int, list[int]] = defaultdict(list)
    for list_id, user_id in Watcher.objects.filter(
        current_member(user="user", organization="watch_list__organization"),
        watch_list_id__in=list_ids,
    ).values_list("watch_list_id", "user_id"):
        watchers[list_id].append(user_id)
    hooks: dict[int, list[int]] = defaultdict(list)
    for list_id, hook_id in Webhook.objects.filter(
        current_member(user="created_by", organization="watch_list__organization"),
        watch_list_id__in=list_ids,
        is_active=True,
    ).values_list("watch_list_id", "pk"):
        hooks[list_id].append(hook_id)
    now = timezone.now()
    notes = []
    for alert in alerts:
        for user_id in watchers[alert.watch_list_id]:
            if told is not None:
                if user_id in told:
                    continue
                told.add(user_id)
            notes.append(Notification(user_id=user_id, alert=alert))
    deliveries = [
        WebhookDelivery(webhook_id=h, alert=a, next_attempt_at=now)
        for a in alerts
        for h in hooks[a.watch_list_id]
    ]
    Notification.objects.bulk_create(notes, ignore_conflicts=True, batch_size=500)
    WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=500)
    result.notifications += len(notes)
    # In-app notifications are delivered once the batch commits.
    transaction.on_commit(lambda: metrics.alert_delivered("inbox", len(notes)))
    result.deliveries += len(deliveries)


def alerts_process(
    *,
    batch_size: int = 2000,
    after_batch: Callable[[ProcessResult], None] | None = None,
) -> ProcessResult:
    """Turn every change event not yet processed into alerts; safe to run again at any time."""
    result = ProcessResult()
    while True:
        with transaction.atomic():
            AlertCursor.objects.get_or_create(name=CURSOR)
            cursor = AlertCursor.objects.select_for_update().get(name=CURSOR)
            events = _events_after(cursor, batch_size)
            if not events:
                break
            matcher = Matcher()
            _batch(matcher, events, result)
            now = timezone.now()
            cursor.gaps = _gaps_after(cursor, events, now)
            cursor.last_event_id = max(cursor.last_event_id, max(e.pk for e in events))
            cursor.save()
            result.events += len(events)
            result.batches += 1
        if after_batch is not None:
            after_batch(result)
        if len(events) < batch_size:
            break
    return result
