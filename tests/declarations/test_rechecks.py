"""A catalog change re-checks only the declarations naming a changed standard, records a
finding, and alerts the enterprise through the watch app (inbox, feed, webhook, digest)."""

import datetime as dt

from django.core import mail
from django.utils import translation

from stdplus.catalog.models import Standard
from stdplus.catalog.services import RelationIn, StandardIn, standards_import
from stdplus.core.lifecycle import transition_apply
from stdplus.declarations.models import RecheckFinding
from stdplus.declarations.rechecks import declaration_watch, standards_recheck
from stdplus.declarations.services import (
    declaration_create,
    indicator_add,
    product_add,
    standard_cite,
)
from stdplus.watch.alerts import alerts_process
from stdplus.watch.delivery import digests_send
from stdplus.watch.models import Notification, Watcher
from stdplus.watch.phrasing import phrases
from stdplus.watch.services import feed_token_for

from .conftest import CURRENT_MANDATORY, CURRENT_RECOMMENDED, METHOD, make_enterprise, make_member


def _declared(enterprise, member, cites, *, method=None):
    declaration = declaration_create(enterprise=enterprise, user=member)
    product = product_add(
        declaration=declaration,
        user=member,
        values={"name": "电热水壶", "model": "K-1", "category": "3854"},
    )
    for text in cites:
        standard_cite(product=product, user=member, text=text)
    if method:
        indicator_add(
            product=product,
            user=member,
            values={
                "name": "热效率",
                "direction": "higher",
                "value": "85",
                "unit": "%",
                "method_standard": method,
            },
        )
    transition_apply(declaration, "declare", actor=member, data={"commitment": "yes"})
    return declaration


def _import(records):
    return standards_import(records=records, source="test", path="change.jsonl")


def test_a_new_edition_raises_a_finding_and_an_alert_only_where_cited(catalog, settings):
    settings.STDPLUS_SITE_URL = "https://stdplus.example"
    citing = make_enterprise()
    alice = make_member(citing, "alice")
    alice.email = "alice@example.com"
    alice.save()
    other = make_enterprise("深圳市其他电器有限公司")
    bob = make_member(other, "bob")
    affected = _declared(citing, alice, [CURRENT_RECOMMENDED], method=METHOD)
    untouched = _declared(other, bob, [CURRENT_MANDATORY])
    watch_list = declaration_watch(citing.pk)
    assert set(watch_list.items.values_list("value", flat=True)) == {
        "GB/T 97100-2018",
        "GB/T 97101-2016",
    }
    Watcher.objects.filter(user=alice).update(digest="daily", language="zh-hans")
    alerts_process()  # the history before the lists existed is not news

    # A real import through the catalog's write path: a new edition replaces the cited one,
    # and the method standard is withdrawn.
    _import(
        [
            StandardIn(
                "GB/T 97100-2025",
                row=1,
                title_en="New edition",
                status_word="current",
                published=dt.date(2025, 3, 1),
                relations=[RelationIn("replaces", CURRENT_RECOMMENDED)],
            ),
            StandardIn(
                METHOD,
                row=2,
                title_en=f"Title of {METHOD}",
                status_word="withdrawn",
                published=dt.date(2016, 8, 31),
                withdrawn=dt.date(2025, 6, 1),
            ),
        ]
    )

    findings = RecheckFinding.objects.filter(closed_at__isnull=True)
    assert {(f.declaration_id, f.code, f.standard) for f in findings} == {
        (affected.pk, "standard_superseded", "GB/T 97100-2018"),
        (affected.pk, "method_outdated", "GB/T 97101-2016"),
    }
    superseded = findings.get(code="standard_superseded")
    assert superseded.severity == "error" and superseded.product == "电热水壶"
    assert "GB/T 97100-2025" in superseded.texts()["en"]
    assert "GB/T 97100-2025" in superseded.texts()["zh-hans"]
    assert superseded.texts()["en"] != superseded.texts()["zh-hans"]
    assert not untouched.recheck_findings.exists()

    # The alert: inbox, phrased in the reader's language.
    alerts_process()
    notes = Notification.objects.filter(user=alice).select_related("alert__event__standard")
    assert notes.count() >= 1 and not Notification.objects.filter(user=bob).exists()
    with translation.override("en"):
        texts = [p.text for p in phrases([n.alert for n in notes]).values()]
    assert any("replaced by GB/T 97100-2025" in text for text in texts)
    # The feed, in its person's language.
    token = feed_token_for(watch_list=watch_list, user=alice)
    from django.test import Client

    feed = Client().get(f"/watch/feed/{token}/").content.decode()
    assert "GB/T 97100-2025" in feed
    # The digest, in the watcher's language.
    digests_send(now=dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    assert any("GB/T 97100-2025" in m.body for m in mail.outbox)

    # Re-checking again changes nothing; the same standards found again raise nothing new.
    ids = list(
        Standard.objects.filter(canonical__in=["GB/T 97100-2018"]).values_list("pk", flat=True)
    )
    again = standards_recheck(ids)
    assert (again.declarations, again.raised, again.closed) == (1, 0, 0)


def test_only_affected_declarations_are_read(catalog):
    enterprise = make_enterprise()
    member = make_member(enterprise)
    for _n in range(5):
        _declared(enterprise, member, [CURRENT_MANDATORY])
    target = _declared(enterprise, member, [CURRENT_RECOMMENDED])
    standard = Standard.objects.get(canonical="GB/T 97100-2018")
    result = standards_recheck([standard.pk])
    assert result.declarations == 1
    assert result.raised == 0  # in force: nothing to say
    # Withdrawn by hand in the catalog: the finding appears, then closes when reinstated.
    Standard.objects.filter(pk=standard.pk).update(
        status="withdrawn", base_status="withdrawn", withdrawn=dt.date(2020, 1, 1)
    )
    assert standards_recheck([standard.pk]).raised == 1
    assert target.recheck_findings.get().code == "standard_withdrawn"
    Standard.objects.filter(pk=standard.pk).update(
        status="current", base_status="current", withdrawn=None
    )
    closed = standards_recheck([standard.pk])
    assert closed.closed == 1
    assert not target.recheck_findings.filter(closed_at__isnull=True).exists()


def test_recheck_findings_show_to_the_enterprise_and_the_regulator_only(catalog, client):
    from django.contrib.auth.models import Group, User

    enterprise = make_enterprise()
    member = make_member(enterprise)
    declaration = _declared(enterprise, member, [CURRENT_RECOMMENDED])
    standard = Standard.objects.get(canonical="GB/T 97100-2018")
    Standard.objects.filter(pk=standard.pk).update(
        status="withdrawn", base_status="withdrawn", withdrawn=dt.date(2020, 1, 1)
    )
    standards_recheck([standard.pk])
    url = declaration.get_absolute_url()
    assert b"data-recheck" not in client.get(url).content  # the public
    outsider = make_member(make_enterprise("别家"))
    client.force_login(outsider)
    assert b"data-recheck" not in client.get(url).content
    client.force_login(member)
    assert b"data-recheck" in client.get(url).content
    regulator = User.objects.create_user("regulator-r")
    regulator.groups.add(Group.objects.get(name="regulator"))
    client.force_login(regulator)
    assert b"data-recheck" in client.get(url).content
