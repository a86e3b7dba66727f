"""Watch list writes: lists, items, watchers, webhooks, feed tokens, the inbox."""

from __future__ import annotations

import re
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Membership, Organization
from stdplus.catalog.models import Classification, Standard
from stdplus.core.errors import ApplicationError
from stdplus.core.rejections import rejection_message
from stdplus.identifiers import Identifier, parse

from . import outbound
from .models import (
    Digest,
    FeedToken,
    ItemKind,
    Notification,
    Watcher,
    WatchItem,
    WatchList,
    Webhook,
    reader_language,
)

_ICS = re.compile(r"^\d{2}(\.\d{3}(\.\d{2})?)?$")
MAX_ITEMS = 100_000


def item_value(*, kind: str, value: str) -> str:
    """The stored form of a watched value, or an ApplicationError saying what is wrong."""
    value = value.strip()
    if kind not in ItemKind.values:
        raise ApplicationError(
            _("kind must be one of %(kinds)s"),
            params={"kinds": ", ".join(ItemKind.values)},
            where="kind",
            code="kind",
        )
    if not value:
        raise ApplicationError(_("give a value to watch"), where="value", code="empty")
    if kind in (ItemKind.EDITION, ItemKind.WORK):
        parsed = parse(value)
        if not isinstance(parsed, Identifier):
            raise ApplicationError(
                _("'%(value)s' is not a standard identifier: %(reason)s"),
                params={"value": value, "reason": rejection_message(parsed)},
                where="value",
                code="identifier",
            )
        if kind == ItemKind.WORK:
            return parsed.work
        if parsed.year is None and parsed.canonical == parsed.work:
            raise ApplicationError(
                _("%(identifier)s names a work, not an edition: watch the work, or give the year"),
                params={"identifier": parsed.canonical},
                where="value",
                code="no_year",
            )
        return parsed.canonical
    if kind == ItemKind.ICS:
        if (
            not _ICS.match(value)
            or not Classification.objects.filter(scheme="ics", code=value).exists()
        ):
            raise ApplicationError(
                _("'%(value)s' is not an ICS class (like 03.120.10)"),
                params={"value": value},
                where="value",
                code="ics",
            )
        return value
    body = value.upper()
    if not Standard.objects.filter(body=body).exists():
        raise ApplicationError(
            _("no standard in the catalog has the issuing body '%(body)s' (like GB, ISO, YY)"),
            params={"body": body},
            where="value",
            code="body",
        )
    return body


def _watcher_ensure(*, watch_list: WatchList, user) -> Watcher:
    watcher, _created = Watcher.objects.get_or_create(
        watch_list=watch_list, user=user, defaults={"language": reader_language()}
    )
    return watcher


def watch_list_create(
    *, organization: Organization, user, name: str, items: list[tuple[str, str]] = ()
) -> WatchList:
    name = name.strip()[:200]
    if not name:
        raise ApplicationError(_("give the watch list a name"), where="name", code="no_name")
    if not Membership.objects.filter(user=user, organization=organization).exists():
        raise ApplicationError(_("you are not a member of this organization"), code="forbidden")
    values = []
    for number, (kind, value) in enumerate(items, start=1):
        try:
            values.append((kind, item_value(kind=kind, value=value)))
        except ApplicationError as error:
            where = error.where.but(field=f"items[{number}].{error.where.field}")
            raise ApplicationError(
                error.template, params=error.params, where=where, code=error.code
            ) from None
    with transaction.atomic():
        watch_list = WatchList.objects.create(
            organization=organization,
            name=name,
            created_by=user,
        )
        WatchItem.objects.bulk_create(
            [WatchItem(watch_list=watch_list, kind=k, value=v) for k, v in dict.fromkeys(values)],
            ignore_conflicts=True,
        )
        _watcher_ensure(watch_list=watch_list, user=user)
    return watch_list


def watch_item_add(*, watch_list: WatchList, kind: str, value: str) -> WatchItem:
    stored = item_value(kind=kind, value=value)
    with transaction.atomic():
        if watch_list.items.count() >= MAX_ITEMS:
            raise ApplicationError(
                _("a watch list holds at most %(limit)s items"), params={"limit": f"{MAX_ITEMS:,}"}
            )
        item, _created = WatchItem.objects.get_or_create(
            watch_list=watch_list, kind=kind, value=stored
        )
    return item


def watch_item_remove(*, watch_list: WatchList, item_id: int) -> None:
    with transaction.atomic():
        deleted, _count = WatchItem.objects.filter(watch_list=watch_list, pk=item_id).delete()
    if not deleted:
        raise ApplicationError(_("no such item in this watch list"), code="not_found")


def watch_list_delete(*, watch_list: WatchList) -> None:
    with transaction.atomic():
        watch_list.delete()


def watch_list_from_check(*, check, user, name: str = "") -> WatchList:
    """A watch list of what a validity check found: each matched edition (or work) and the
    standard in force that it leads to."""
    from stdplus.checks.selectors import check_lines

    items: dict[tuple[str, str], None] = {}
    for match, canonical, current in check_lines(check=check).values_list(
        "match", "canonical", "current"
    ):
        if match == "edition":
            items[(ItemKind.EDITION, canonical)] = None
        elif match == "work":
            items[(ItemKind.WORK, parse(canonical).work)] = None
        else:
            continue
        if current and current != canonical:
            items[(ItemKind.EDITION, current)] = None
    if not items:
        raise ApplicationError(
            _("the check found no standard to watch (every line unknown or rejected)"),
            code="empty",
        )
    with transaction.atomic():
        watch_list = WatchList.objects.create(
            organization=check.organization,
            name=(name.strip() or str(check))[:200],
            created_by=user,
        )
        WatchItem.objects.bulk_create(
            [WatchItem(watch_list=watch_list, kind=k, value=v) for k, v in items],
            ignore_conflicts=True,
            batch_size=500,
        )
        _watcher_ensure(watch_list=watch_list, user=user)
    return watch_list


def watcher_set(*, watch_list: WatchList, user, digest: str | None) -> Watcher | None:
    """Watch with this digest choice; None stops watching."""
    with transaction.atomic():
        if digest is None:
            Watcher.objects.filter(watch_list=watch_list, user=user).delete()
            return None
        if digest not in Digest.values:
            raise ApplicationError(
                _("digest must be one of %(choices)s"),
                params={"choices": ", ".join(Digest.values)},
                where="digest",
            )
        if not Membership.objects.filter(
            user=user, organization_id=watch_list.organization_id
        ).exists():
            raise ApplicationError(_("you are not a member of this organization"), code="forbidden")
        watcher = _watcher_ensure(watch_list=watch_list, user=user)
        language = reader_language()  # the digest comes in the language they chose it in
        if watcher.digest != digest or watcher.language != language:
            watcher.digest, watcher.language = digest, language
            watcher.save(update_fields=["digest", "language"])
    return watcher


def webhook_create(*, watch_list: WatchList, url: str, by) -> tuple[Webhook, str]:
    """Add a webhook for `by` (a member of the list's organization); return it with its
    signing secret (shown once, never again). Only public addresses, or trusted receivers
    (STDPLUS_WEBHOOK_TRUSTED_RECEIVERS), are accepted; delivery checks again each time."""
    url = url.strip()
    if len(url) > 500:
        raise ApplicationError(_("the webhook URL is longer than 500 characters"), where="url")
    if not Membership.objects.filter(user=by, organization_id=watch_list.organization_id).exists():
        raise ApplicationError(
            _("you are not a member of this organization"), code="forbidden", status=403
        )
    try:
        outbound.target_for(url)
    except outbound.Refusal as refusal:
        raise ApplicationError(refusal.reason, where="url", code="webhook_url") from None
    secret = secrets.token_hex(32)
    with transaction.atomic():
        webhook = Webhook.objects.create(
            watch_list=watch_list,
            url=url,
            secret=secret,
            created_by=by,
            language=reader_language(),
        )
    return webhook, secret


def webhook_delete(*, watch_list: WatchList, webhook_id: int) -> None:
    with transaction.atomic():
        deleted, _count = Webhook.objects.filter(watch_list=watch_list, pk=webhook_id).delete()
    if not deleted:
        raise ApplicationError(_("no such webhook in this watch list"), code="not_found")


def feed_token_for(*, watch_list: WatchList, user) -> str:
    """The person's own secret feed address for this list (made the first time it is asked
    for). Members only."""
    if not Membership.objects.filter(
        user=user, organization_id=watch_list.organization_id
    ).exists():
        raise ApplicationError(
            _("you are not a member of this organization"), code="forbidden", status=403
        )
    with transaction.atomic():
        feed, _created = FeedToken.objects.get_or_create(
            watch_list=watch_list,
            user=user,
            defaults={"token": secrets.token_urlsafe(32), "language": reader_language()},
        )
    return feed.token


def feed_token_rotate(*, watch_list: WatchList, user) -> str:
    """A new feed address for this person and list; their old one stops working."""
    with transaction.atomic():
        FeedToken.objects.filter(watch_list=watch_list, user=user).delete()
        return feed_token_for(watch_list=watch_list, user=user)


def membership_grants_end(*, user_id: int, organization_id: int) -> None:
    """Listener `watch.grants` of accounts' MEMBERSHIP_ENDED, inside the transaction that ends
    the membership: the person stops watching the organization's lists, loses their feed
    addresses and the inbox entries of those lists, and the webhooks they added there are
    turned off (another member can add them again)."""
    lists = WatchList.objects.filter(organization_id=organization_id).values("pk")
    Watcher.objects.filter(user_id=user_id, watch_list__in=lists).delete()
    FeedToken.objects.filter(user_id=user_id, watch_list__in=lists).delete()
    Notification.objects.filter(user_id=user_id, alert__watch_list__in=lists).delete()
    Webhook.objects.filter(created_by_id=user_id, watch_list__in=lists, is_active=True).update(
        is_active=False
    )


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    with transaction.atomic():
        unread = Notification.objects.filter(user=user, read_at__isnull=True)
        if ids is not None:
            unread = unread.filter(pk__in=ids)
        return unread.update(read_at=timezone.now())
