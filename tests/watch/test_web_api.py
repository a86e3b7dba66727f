import datetime as dt
import json

import pytest
from django.urls import reverse

from stdplus.catalog.models import Standard
from stdplus.catalog.services import standard_update
from stdplus.checks.models import ValidityCheck
from stdplus.watch.alerts import alerts_process
from stdplus.watch.models import WatchItem, WatchList
from stdplus.watch.services import feed_token_for, watch_list_create

pytestmark = pytest.mark.django_db


def api(client, token, method, path, body=None):
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(f"/api/v1{path}", **kwargs)


def test_one_click_from_a_check_to_a_watch_list(curated, alice_client):
    alice_client.post(
        reverse("checks:index"),
        {"text": "GB/T 19001-2000\nGB/T 28001\nGB/T\nGB 1-1900", "mode": "auto"},
    )
    check = ValidityCheck.objects.get()
    response = alice_client.post(reverse("watch:from-check", args=[check.pk]), {"name": "审核"})
    watch_list = WatchList.objects.get()
    assert response.url == watch_list.get_absolute_url()
    assert sorted(watch_list.items.values_list("kind", "value")) == [
        ("edition", "GB/T 19001-2000"),
        ("edition", "GB/T 19001-2016"),  # the standard in force it leads to
        ("edition", "GB/T 45001-2020"),
        ("work", "GB/T 28001"),
    ]
    page = alice_client.get(response.url).content.decode()
    assert "GB/T 45001-2020" in page and watch_list.feed_tokens.get().token in page


def test_the_list_page_keeps_the_input_order_and_shows_each_status(
    curated, alice_client, org_a, alice
):
    watch_list = watch_list_create(organization=org_a, user=alice, name="order")
    url = watch_list.get_absolute_url()
    for kind, value in [
        ("edition", "GB/T 45001-2020"),
        ("edition", "GB/T 19001-2000"),
        ("work", "GB/T 19001"),
        ("body", "GB"),
    ]:
        alice_client.post(url, {"action": "add-item", "item-kind": kind, "item-value": value})
    page = alice_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    table = page[page.index('id="watched"') :]
    positions = [table.index(v) for v in ("GB/T 45001-2020", "GB/T 19001-2000", ">GB/T 19001<")]
    assert positions == sorted(positions)  # as added, not sorted by kind and value
    rows = table.split("<tr>")
    assert "status-current" in rows[2] and "status-superseded" in rows[3]
    assert "status-current" in rows[4] and "GB/T 19001-2016" in rows[4]  # the work's edition
    assert "status-" not in rows[5]  # an issuing body has no status


def test_items_are_validated(curated, alice_client, org_a, alice):
    watch_list = watch_list_create(organization=org_a, user=alice, name="x")
    url = watch_list.get_absolute_url()
    for kind, value, error in [
        ("edition", "not a standard", "is not a standard identifier"),
        ("edition", "GB/T 19001", "names a work, not an edition"),
        ("ics", "99.999", "is not an ICS class"),
        ("body", "NOPE", "no standard in the catalog has the issuing body"),
    ]:
        page = alice_client.post(
            url, {"action": "add-item", "item-kind": kind, "item-value": value}
        )
        assert error in page.content.decode()
    alice_client.post(url, {"action": "add-item", "item-kind": "work", "item-value": "gbt19001"})
    assert list(watch_list.items.values_list("kind", "value")) == [("work", "GB/T 19001")]


def test_webhook_secret_shown_once(curated, alice_client, org_a, alice, dns):
    dns.table["example.com"] = ["93.184.215.14"]
    watch_list = watch_list_create(organization=org_a, user=alice, name="x")
    url = watch_list.get_absolute_url()
    page = alice_client.post(
        url, {"action": "add-webhook", "hook-url": "https://example.com/hook"}
    ).content.decode()
    secret = watch_list.webhooks.get().secret
    assert secret in page
    assert secret not in alice_client.get(url).content.decode()


def test_feed_behind_its_secret_url(curated, client, org_a, alice):
    watch_list = watch_list_create(
        organization=org_a, user=alice, name="x", items=[("edition", "GB 2760-2014")]
    )
    standard_update(
        standard=Standard.objects.get(canonical="GB 2760-2014"),
        changes={"withdrawn": dt.date(2025, 2, 8)},
    )
    alerts_process()
    token = feed_token_for(watch_list=watch_list, user=alice)
    feed = client.get(reverse("watch:feed", args=[token]))
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "GB 2760-2014" in feed.content.decode()
    assert client.get(reverse("watch:feed", args=["guessed"])).status_code == 404


def test_inbox(curated, alice_client, org_a, alice):
    watch_list_create(organization=org_a, user=alice, name="x", items=[("body", "GB")])
    standard_update(
        standard=Standard.objects.get(canonical="GB 2760-2014"),
        changes={"withdrawn": dt.date(2025, 2, 8)},
    )
    alerts_process()
    page = alice_client.get(reverse("watch:inbox")).content.decode()
    assert "GB 2760-2014" not in page  # a body watch hears of new standards and status only
    standard_update(
        standard=Standard.objects.get(canonical="GB 32100-2015"),
        changes={"source_status": "废止"},
    )
    alerts_process()
    page = alice_client.get(reverse("watch:inbox")).content.decode()
    assert "GB 32100-2015" in page and 'class="unread"' in page
    alice_client.post(reverse("watch:inbox"))
    assert 'class="unread"' not in alice_client.get(reverse("watch:inbox")).content.decode()


def test_public_changes_page_and_feed_filter(curated, client):
    standard_update(
        standard=Standard.objects.get(canonical="GB 2760-2014"),
        changes={"withdrawn": dt.date(2025, 2, 8)},
    )
    page = client.get(reverse("watch:changes"), {"body": "GB", "kind": "dates"}).content.decode()
    assert "GB 2760-2014" in page
    assert (
        "GB 2760-2014" not in client.get(reverse("watch:changes"), {"body": "YY"}).content.decode()
    )
    by_class = client.get(reverse("watch:changes"), {"ics": "67.220", "kind": "dates"})
    assert "GB 2760-2014" in by_class.content.decode()
    feed = client.get(reverse("watch:changes-feed"), {"level": "national", "kind": "dates"})
    assert "GB 2760-2014" in feed.content.decode()
    listed = client.get("/api/v1/watch/changes", {"kind": "dates"}).json()
    assert listed["items"][0]["standard"]["canonical"] == "GB 2760-2014"


def test_another_organization_cannot_read_or_change_lists(
    curated, client, org_a, alice, bob, alice_token, bob_token
):
    watch_list = watch_list_create(
        organization=org_a, user=alice, name="secret list", items=[("work", "GB/T 19001")]
    )
    client.force_login(bob)
    assert client.get(watch_list.get_absolute_url()).status_code == 404
    response = client.post(
        watch_list.get_absolute_url(),
        {"action": "add-item", "item-kind": "work", "item-value": "GB 2760"},
    )
    assert response.status_code == 404
    assert "secret list" not in client.get(reverse("watch:index")).content.decode()
    assert api(client, bob_token, "get", f"/watch/lists/{watch_list.pk}").status_code == 404
    assert api(client, bob_token, "get", "/watch/lists").json()["count"] == 0
    item = watch_list.items.get()
    path = f"/watch/lists/{watch_list.pk}/items/{item.pk}"
    assert api(client, bob_token, "delete", path).status_code == 404
    assert WatchItem.objects.filter(pk=item.pk).exists()
    assert api(client, alice_token, "get", "/watch/lists").json()["count"] == 1


def test_api_lists_and_items(curated, client, alice_token, django_assert_max_num_queries):
    created = api(
        client,
        alice_token,
        "post",
        "/watch/lists",
        {"name": "api list", "items": [{"kind": "edition", "value": "GBT 19001—2016"}]},
    )
    assert created.status_code == 201
    data = created.json()
    assert data["items"][0]["value"] == "GB/T 19001-2016"
    bad = api(
        client,
        alice_token,
        "post",
        f"/watch/lists/{data['id']}/items",
        {"kind": "ics", "value": "x"},
    )
    assert bad.status_code == 400 and bad.json()["where"] == {"field": "value"}
    for n in range(4):
        api(client, alice_token, "post", "/watch/lists", {"name": f"l{n}"})
    with django_assert_max_num_queries(8):
        assert api(client, alice_token, "get", "/watch/lists").json()["count"] == 5
