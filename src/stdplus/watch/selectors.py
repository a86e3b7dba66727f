"""Watch list reads, always within one organization (or one person's inbox)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from stdplus.accounts.models import Organization
from stdplus.accounts.selectors import current_member
from stdplus.catalog.models import ChangeEvent, Standard
from stdplus.catalog.selectors import work_landing
from stdplus.catalog.visibility import hide_demo

from .models import Alert, ItemKind, Notification, WatchItem, WatchList, WebhookDelivery


def watch_list_list(*, organization: Organization) -> QuerySet[WatchList]:
    return WatchList.objects.filter(organization=organization).annotate(
        item_count=Count("items", distinct=True),
        watcher_count=Count("watchers", distinct=True),
    )


def watch_list_get(*, organization: Organization, pk: int) -> WatchList | None:
    return WatchList.objects.filter(organization=organization, pk=pk).first()


def alerts_of(*, watch_list: WatchList, limit: int = 50) -> list[Alert]:
    return list(
        Alert.objects.filter(watch_list=watch_list)
        .select_related("event__standard", "notice", "item")
        .order_by("-id")[:limit]
    )


def deliveries_of(*, watch_list: WatchList, limit: int = 20) -> list[WebhookDelivery]:
    return list(
        WebhookDelivery.objects.filter(webhook__watch_list=watch_list)
        .select_related("webhook", "alert__event__standard", "alert__notice")
        .order_by("-id")[:limit]
    )


def inbox(
    *, user, organization_ids: list[int] | None = None, unread_only: bool = False
) -> QuerySet[Notification]:
    """The person's alerts from the organizations they belong to today; only those of
    `organization_ids` when given (a token reads its own organization's only)."""
    notes = (
        Notification.objects.filter(user=user)
        .filter(current_member(user="user", organization="alert__watch_list__organization"))
        .select_related(
            "alert__event__standard", "alert__notice", "alert__watch_list", "alert__item"
        )
    )
    if organization_ids is not None:
        notes = notes.filter(alert__watch_list__organization_id__in=organization_ids)
    if unread_only:
        notes = notes.filter(read_at__isnull=True)
    return notes.order_by("-id")


def catalog_changes(
    *, level: str = "", body: str = "", ics: str = "", kind: str = ""
) -> QuerySet[ChangeEvent]:
    """Every change to the catalog, newest first, filtered by level, body, ICS class, kind."""
    events = hide_demo(ChangeEvent.objects.select_related("standard"), "standard__source")
    events = events.order_by("-id")
    if level:
        events = events.filter(standard__level=level)
    if body:
        events = events.filter(standard__body=body.strip().upper())
    if kind:
        events = events.filter(kind=kind)
    if ics:
        ics = ics.strip()
        events = events.filter(
            Q(standard__classifications__code=ics)
            | Q(standard__classifications__code__startswith=ics + "."),
            standard__classifications__scheme="ics",
        ).distinct()
    return events


@dataclass
class WatchedRow:
    """A watched item as the list page shows it: in the order it was added, with the status
    of the standard it names (an edition: itself; a work: its edition in force, else its
    latest)."""

    item: WatchItem
    standard: Standard | None = None


def watched_rows(*, watch_list: WatchList) -> list[WatchedRow]:
    items = list(watch_list.items.order_by("pk"))  # the order people added them in
    editions = {i.value for i in items if i.kind == ItemKind.EDITION}
    works = {i.value for i in items if i.kind == ItemKind.WORK}
    by_key = {s.canonical: s for s in Standard.objects.filter(canonical__in=editions)}
    by_work: dict[str, list[Standard]] = {}
    for standard in Standard.objects.filter(work_key__in=works, is_supplement=False):
        by_work.setdefault(standard.work_key, []).append(standard)
    rows = []
    for item in items:
        standard = None
        if item.kind == ItemKind.EDITION:
            standard = by_key.get(item.value)
        elif item.kind == ItemKind.WORK and by_work.get(item.value):
            standard = work_landing(by_work[item.value])
        rows.append(WatchedRow(item, standard))
    return rows
