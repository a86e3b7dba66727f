"""Ending a membership ends what it granted, in its transaction; delivery checks membership
even where a row was left behind; a token reads its own organization only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from stdplus.accounts.admin import MembershipForm
from stdplus.accounts.hooks import MEMBERSHIP_ENDED
from stdplus.accounts.models import ApiToken, Membership, Role
from stdplus.accounts.services import membership_end, token_create
from stdplus.catalog.models import Standard
from stdplus.catalog.services import standard_update
from stdplus.core.errors import ApplicationError
from stdplus.watch.alerts import alerts_process
from stdplus.watch.delivery import digests_send, webhooks_deliver
from stdplus.watch.models import (
    Alert,
    FeedToken,
    Notification,
    Watcher,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)
from stdplus.watch.services import feed_token_for, watch_list_create, webhook_create

from ..accounts.helpers import UserFactory, member

pytestmark = pytest.mark.django_db


def change(canonical: str = "GB 2760-2014", title: str = "changed") -> None:
    standard_update(standard=Standard.objects.get(canonical=canonical), changes={"title_en": title})
    alerts_process()


@pytest.fixture
def lists(curated, org_a, org_b, alice, bob):
    return (
        watch_list_create(
            organization=org_a, user=alice, name="甲清单", items=[("edition", "GB 2760-2014")]
        ),
        watch_list_create(
            organization=org_b, user=bob, name="乙清单", items=[("edition", "GB 2760-2014")]
        ),
    )


def test_ending_a_membership_ends_everything_it_granted_there(lists, org_a, org_b, alice, receiver):
    list_a, list_b = lists
    carol = member(org_a)
    Membership.objects.create(user=carol, organization=org_b)
    hooks = {}
    for watch_list in lists:
        Watcher.objects.create(watch_list=watch_list, user=carol)
        feed_token_for(watch_list=watch_list, user=carol)
        hooks[watch_list.pk], _secret = webhook_create(
            watch_list=watch_list, url=receiver.url, by=carol
        )
    colleague_hook, _secret = webhook_create(watch_list=list_a, url=receiver.url, by=alice)
    token_a, _raw = token_create(user=carol, organization=org_a, name="a")
    token_b, _raw = token_create(user=carol, organization=org_b, name="b")
    change()
    assert Notification.objects.filter(user=carol).count() == 2

    membership_end(membership=Membership.objects.get(user=carol, organization=org_a), by=alice)

    assert list(Watcher.objects.filter(user=carol).values_list("watch_list", flat=True)) == [
        list_b.pk
    ]
    assert list(FeedToken.objects.filter(user=carol).values_list("watch_list", flat=True)) == [
        list_b.pk
    ]
    assert [n.alert.watch_list_id for n in Notification.objects.filter(user=carol)] == [list_b.pk]
    token_a.refresh_from_db()
    token_b.refresh_from_db()
    assert token_a.revoked_at is not None and token_b.revoked_at is None
    active = dict(Webhook.objects.values_list("pk", "is_active"))
    assert active == {
        hooks[list_a.pk].pk: False,
        hooks[list_b.pk].pk: True,
        colleague_hook.pk: True,
    }


def test_the_grants_end_with_the_membership_or_not_at_all(lists, org_a, alice, monkeypatch):
    list_a, _list_b = lists
    carol = member(org_a)
    Watcher.objects.create(watch_list=list_a, user=carol)
    token, _raw = token_create(user=carol, organization=org_a, name="a")

    def broken(**kwargs):
        raise RuntimeError("the watch listener failed")

    monkeypatch.setitem(MEMBERSHIP_ENDED._listeners, "watch.grants", broken)
    with pytest.raises(RuntimeError):
        membership_end(membership=Membership.objects.get(user=carol, organization=org_a), by=carol)
    assert Membership.objects.filter(user=carol, organization=org_a).exists()
    assert Watcher.objects.filter(user=carol).exists()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_who_may_end_a_membership(lists, org_a, alice):
    carol, dave = member(org_a), member(org_a)
    with pytest.raises(ApplicationError) as refused:
        membership_end(membership=Membership.objects.get(user=carol), by=dave)
    assert refused.value.code == "forbidden"
    with pytest.raises(ApplicationError) as refused:
        membership_end(membership=Membership.objects.get(user=alice), by=alice)
    assert refused.value.code == "last_admin"
    membership_end(membership=Membership.objects.get(user=carol), by=carol)  # leaving
    membership_end(membership=Membership.objects.get(user=dave), by=alice)  # removed
    assert list(Membership.objects.filter(organization=org_a).values_list("user", flat=True)) == [
        alice.pk
    ]


def test_the_admin_does_not_move_a_membership_to_another_person(org_a, alice):
    membership = Membership.objects.get(user=alice)
    other = UserFactory()
    form = MembershipForm(
        instance=membership, data={"user": other.pk, "role": Role.MEMBER}, prefix=""
    )
    assert form.is_valid(), form.errors
    assert form.save().user_id == alice.pk


def test_rows_left_behind_deliver_nothing_to_someone_outside(lists, org_a, client, receiver):
    """Delivery does not trust the rows: a watcher, feed address, webhook or inbox entry of a
    person outside the organization (left behind by any path) delivers nothing."""
    list_a, _list_b = lists
    outsider = UserFactory()
    Watcher.objects.create(watch_list=list_a, user=outsider, digest="daily")
    feed = FeedToken.objects.create(watch_list=list_a, user=outsider, token="left-behind")
    hook = Webhook.objects.create(
        watch_list=list_a, url=receiver.url, secret="s" * 64, created_by=outsider
    )
    change()
    assert not Notification.objects.filter(user=outsider).exists()
    Notification.objects.create(user=outsider, alert=Alert.objects.filter(watch_list=list_a)[0])
    WebhookDelivery.objects.create(
        webhook=hook,
        alert=Alert.objects.filter(watch_list=list_a)[0],
        next_attempt_at=timezone.now(),
    )
    client.force_login(outsider)
    assert "甲清单" not in client.get(reverse("watch:inbox")).content.decode()
    assert client.get(reverse("watch:feed", args=[feed.token])).status_code == 404
    digests_send(now=timezone.now() + dt.timedelta(days=1))
    assert not [m for m in mail.outbox if outsider.email in m.to]
    result = webhooks_deliver()
    assert result.failed == 1 and receiver.received == []
    assert WebhookAttempt.objects.get().error == (
        "the person who added the webhook no longer belongs to the organization"
    )


def test_a_token_reads_the_inbox_of_its_own_organization_only(lists, org_a, org_b, client):
    list_a, list_b = lists
    carol = member(org_a)
    Membership.objects.create(user=carol, organization=org_b)
    for watch_list in lists:
        Watcher.objects.create(watch_list=watch_list, user=carol)
    change()
    for organization, expected in ((org_a, list_a.pk), (org_b, list_b.pk)):
        _token, raw = token_create(user=carol, organization=organization, name="script")
        inbox = client.get("/api/v1/watch/inbox", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
        assert {note["watch_list"] for note in inbox["items"]} == {expected}


def test_deleting_a_person_or_an_organization_ends_its_memberships_cleanly(
    lists, org_a, org_b, alice, bob, receiver
):
    list_a, list_b = lists
    carol = member(org_a)
    Membership.objects.create(user=carol, organization=org_b)
    for watch_list in lists:
        Watcher.objects.create(watch_list=watch_list, user=carol)
        feed_token_for(watch_list=watch_list, user=carol)
        webhook_create(watch_list=watch_list, url=receiver.url, by=carol)
    token_b, _raw = token_create(user=bob, organization=org_b, name="b")
    change()
    carol.delete()
    assert not Watcher.objects.filter(watch_list__in=lists, user_id=carol.pk).exists()
    assert list(Webhook.objects.values_list("is_active", flat=True)) == [False, False]
    org_b.delete()
    assert not ApiToken.objects.filter(pk=token_b.pk).exists()
    assert list(Membership.objects.values_list("user", flat=True)) == [alice.pk]
