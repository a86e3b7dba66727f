"""Who sees an organization's alerts, on every path they leave by.

Two organizations, A and B, each keep one watch list on one standard (`LISTS`). The person
of each row belongs to some of them, watches every list of their organizations (inbox and a
daily digest), saved their own feed address of each, added a webhook to each, and made an API
token for each organization. A first change to both standards is turned into alerts (so
notifications, deliveries and digests are pending); then the row's membership ends the way the
row says; then a second change. Each cell is the set of organizations whose list names or
changes the person (or token) can see on that path: visible where listed, not visible where
not (an ended token or page answers nothing at all).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stdplus.accounts.models import Membership, Role
from stdplus.accounts.services import membership_end, token_create
from stdplus.catalog.models import Standard
from stdplus.catalog.services import standard_update
from stdplus.watch.alerts import alerts_process
from stdplus.watch.delivery import digests_send, webhooks_deliver
from stdplus.watch.models import Watcher
from stdplus.watch.services import feed_token_for, watch_list_create, webhook_create

from ..accounts.helpers import OrganizationFactory, UserFactory, member

pytestmark = pytest.mark.django_db

# organization: (its watch list's name, the standard it watches)
LISTS = {
    "A": ("甲公司供应商标准清单", "GB 2760-2014"),
    "B": ("乙公司出口标准清单", "GB 32100-2015"),
}
NOTHING: set[str] = set()
PERSON_PATHS = ("alerts page", "inbox page", "feed", "digest", "webhook")


def row(person: set[str], **tokens: set[str]) -> dict[str, set[str]]:
    """Every person path shows `person`; each token (for_A=..., for_B=...) its own set on
    both API paths."""
    cells = dict.fromkeys(PERSON_PATHS, person)
    for name, seen in tokens.items():
        organization = name.removeprefix("for_")
        cells[f"API inbox, token for {organization}"] = seen
        cells[f"API lists, token for {organization}"] = seen
    return cells


# name: (organizations at the start, how the membership of A ends, the cells)
MATRIX = {
    "member of A": (["A"], None, row({"A"}, for_A={"A"})),
    "member of A and B": (["A", "B"], None, row({"A", "B"}, for_A={"A"}, for_B={"B"})),
    "removed from A by its administrator, still in B": (
        ["A", "B"],
        "removed",
        row({"B"}, for_A=NOTHING, for_B={"B"}),
    ),
    "left A": (["A"], "left", row(NOTHING, for_A=NOTHING)),
    "removed from A by staff in the admin": (["A"], "admin site", row(NOTHING, for_A=NOTHING)),
    "membership row deleted": (["A"], "row deleted", row(NOTHING, for_A=NOTHING)),
    "person deactivated": (["A"], "deactivated", row(NOTHING, for_A=NOTHING)),
    "organization A deactivated, still in B": (
        ["A", "B"],
        "organization deactivated",
        row({"B"}, for_A=NOTHING, for_B={"B"}),
    ),
}


def seen(text: str) -> set[str]:
    """The organizations whose list name or watched standard appears in `text`."""
    return {org for org, (name, canonical) in LISTS.items() if name in text or canonical in text}


def change_both(title: str) -> None:
    for _name, canonical in LISTS.values():
        standard_update(
            standard=Standard.objects.get(canonical=canonical), changes={"title_en": title}
        )
    alerts_process()


def remove_in_admin(user, organization) -> None:
    """What staff do on the organization's admin page: tick "delete" on the person's row."""
    staff = get_user_model().objects.create_superuser("staff", "staff@example.com", "x")
    browser = Client()
    browser.force_login(staff)
    rows = list(organization.memberships.order_by("pk"))
    data = {
        field: getattr(organization, field)
        for field in ("name_zh", "name_en", "kind", "credit_code", "region_code", "join_code")
    }
    data |= {
        "is_active": "on",
        "memberships-TOTAL_FORMS": len(rows),
        "memberships-INITIAL_FORMS": len(rows),
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
    }
    for number, membership in enumerate(rows):
        prefix = f"memberships-{number}-"
        data |= {
            prefix + "id": membership.pk,
            prefix + "organization": organization.pk,
            prefix + "user": membership.user_id,
            prefix + "role": membership.role,
        }
        if membership.user_id == user.pk:
            data[prefix + "DELETE"] = "on"
    url = reverse("admin:accounts_organization_change", args=[organization.pk])
    response = browser.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def end_membership(how: str, user, organization, administrator) -> None:
    membership = Membership.objects.get(user=user, organization=organization)
    if how == "removed":
        membership_end(membership=membership, by=administrator)
    elif how == "left":
        membership_end(membership=membership, by=user)
    elif how == "admin site":
        remove_in_admin(user, organization)
    elif how == "row deleted":
        Membership.objects.filter(pk=membership.pk).delete()
    elif how == "deactivated":
        user.is_active = False
        user.save(update_fields=["is_active"])
    elif how == "organization deactivated":
        organization.is_active = False
        organization.save(update_fields=["is_active"])
    ended = not Membership.objects.filter(pk=membership.pk).exists()
    assert ended == (how not in ("deactivated", "organization deactivated"))


def observe(user, organizations, lists, feeds, tokens, receiver) -> dict[str, set[str]]:
    """What the person and their tokens can see now, path by path."""
    cells: dict[str, set[str]] = {}
    browser = Client()
    browser.force_login(user)
    pages = []
    for organization in organizations:  # acting for each organization they could choose
        browser.post(reverse("accounts:switch"), {"organization": organization.pk})
        for watch_list in lists.values():
            for url in (reverse("watch:index"), watch_list.get_absolute_url()):
                response = browser.get(url)
                if response.status_code == 200:
                    pages.append(response.content.decode())
    cells["alerts page"] = seen("".join(pages))
    inbox = browser.get(reverse("watch:inbox"))
    cells["inbox page"] = seen(inbox.content.decode()) if inbox.status_code == 200 else NOTHING
    feed_texts = []
    for token in feeds:
        response = Client().get(reverse("watch:feed", args=[token]))
        if response.status_code == 200:
            feed_texts.append(response.content.decode())
    cells["feed"] = seen("".join(feed_texts))
    digests_send(now=timezone.now() + dt.timedelta(days=1))
    cells["digest"] = seen("".join(m.body for m in mail.outbox if user.email in m.to))
    webhooks_deliver()
    bodies = [
        r["body"].decode() for r in receiver.received if r["path"] == f"/hook/{user.username}"
    ]
    cells["webhook"] = seen("".join(bodies))
    for org_label, raw in tokens.items():
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        api = Client()
        texts = []
        response = api.get("/api/v1/watch/inbox", **headers)
        if response.status_code == 200:
            texts.append(json.dumps(response.json(), ensure_ascii=False))
        cells[f"API inbox, token for {org_label}"] = seen("".join(texts))
        texts = []
        for path in ["/api/v1/watch/lists"] + [
            f"/api/v1/watch/lists/{w.pk}" for w in lists.values()
        ]:
            response = api.get(path, **headers)
            if response.status_code == 200:
                texts.append(json.dumps(response.json(), ensure_ascii=False))
        cells[f"API lists, token for {org_label}"] = seen("".join(texts))
    return cells


@pytest.mark.parametrize("case", MATRIX, ids=list(MATRIX))
def test_who_sees_which_organizations_alerts(case, curated, receiver):
    start, how, expected = MATRIX[case]
    orgs = {label: OrganizationFactory(name_zh=f"{label}公司") for label in LISTS}
    admins = {label: member(orgs[label], Role.ADMIN) for label in LISTS}
    lists = {
        label: watch_list_create(
            organization=orgs[label],
            user=admins[label],
            name=LISTS[label][0],
            items=[("edition", LISTS[label][1])],
        )
        for label in LISTS
    }
    person = UserFactory(username="person")
    feeds, tokens = [], {}
    for label in start:
        Membership.objects.create(user=person, organization=orgs[label], role=Role.MEMBER)
        Watcher.objects.create(watch_list=lists[label], user=person, digest="daily")
        feeds.append(feed_token_for(watch_list=lists[label], user=person))
        webhook_create(watch_list=lists[label], url=receiver.url + "/person", by=person)
        tokens[label] = token_create(user=person, organization=orgs[label], name="script")[1]

    change_both("first change")  # pending: inbox entries, deliveries, digests
    if how:
        end_membership(how, person, orgs["A"], admins["A"])
    change_both("second change")

    observed = observe(person, [orgs[label] for label in start], lists, feeds, tokens, receiver)
    assert observed == expected
