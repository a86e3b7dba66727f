"""Alerts of new policies for an enterprise's region and industry: through the watch app (inbox,
feed, digest mail, webhook), in the reader's language, one per policy and person, and none for
an enterprise elsewhere or in another industry; running again adds nothing."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from stdplus.accounts.models import Membership
from stdplus.programme.models import Region
from stdplus.support.models import Policy, PolicyWatch
from stdplus.support.policy_alerts import policies_alert
from stdplus.support.tasks import policy_alerts_task
from stdplus.watch.delivery import digests_send, event_payload
from stdplus.watch.models import Alert, Digest, FeedToken, Notification, Watcher
from stdplus.watch.services import feed_token_for
from tests.programme.factories import OrganizationFactory

from .conftest import logged_in

pytestmark = pytest.mark.django_db


def policy(region, title_zh, title_en, issued, **fields):
    return Policy.objects.create(
        title_zh=title_zh,
        title_en=title_en,
        issuer_zh="深圳市市场监督管理局",
        issuer_en="Shenzhen Administration for Market Regulation",
        region=Region.objects.get(code=region),
        issued_on=dt.date.fromisoformat(issued),
        **fields,
    )


@pytest.fixture
def enterprises(firm, today):
    """The Futian firm (electronics: it names 3974), a Nanshan one (the stranger's, no stated
    industry) and a Futian one in textiles."""
    today("2026-06-01")
    PolicyWatch.objects.create(organization=firm.organization, industries=["3974"])
    textile = OrganizationFactory(region_code="440304")
    weaver = User.objects.create_user("weaver")
    Membership.objects.create(user=weaver, organization=textile)
    PolicyWatch.objects.create(organization=textile, industries=["1751"])
    return firm, textile, weaver


def notes(user):
    return list(Notification.objects.filter(user=user).select_related("alert__notice"))


def test_a_matching_enterprise_gets_one_alert_and_the_others_none(enterprises):
    firm, textile, weaver = enterprises
    electronics = policy(
        "440300",
        "深圳市电子信息产业标准化资助办法",
        "Shenzhen funding for electronics standardization",
        "2026-05-20",
        document_number="深市监规〔2026〕3号",
        industries=["39"],
    )
    done = policies_alert()
    assert (done.policies, done.organizations, done.alerts, done.people) == (1, 1, 1, 1)
    (note,) = notes(firm.member)
    assert note.alert.notice.key == f"support.policy:{electronics.pk}"
    assert notes(weaver) == [] and notes(firm.stranger) == []  # textiles; Nanshan
    # Running again (the task, or the same service) adds nothing.
    policy_alerts_task.call_local()
    electronics.alerted_at = None
    electronics.save()
    assert policies_alert().alerts == 0
    assert len(notes(firm.member)) == 1 and Alert.objects.count() == 1


def test_region_and_above_and_every_industry(enterprises):
    firm, textile, weaver = enterprises
    national = policy(
        "CN", "国家标准化发展纲要实施方案", "Standardization outline plan", "2026-05-01"
    )
    nanshan = policy(
        "440305", "南山区标准化扶持办法", "Nanshan standardization support", "2026-05-02"
    )
    old = policy("440300", "深圳市标准化旧办法", "An old Shenzhen rule", "2025-01-01")
    expired = policy(
        "440300", "已失效办法", "Expired rule", "2026-04-01", expires_on=dt.date(2026, 5, 1)
    )
    policies_alert()
    keys = lambda user: {n.alert.notice.key for n in notes(user)}  # noqa: E731
    assert keys(firm.member) == {f"support.policy:{national.pk}"}
    assert keys(weaver) == {f"support.policy:{national.pk}"}
    assert keys(firm.stranger) == {
        f"support.policy:{national.pk}",
        f"support.policy:{nanshan.pk}",
    }
    assert not Alert.objects.filter(
        notice__key__in=[f"support.policy:{p.pk}" for p in (old, expired)]
    )


def test_declared_product_categories_count_as_the_enterprises_industry(enterprises):
    from stdplus.declarations.models import Declaration, Product

    firm, textile, weaver = enterprises
    declaration = Declaration.objects.create(enterprise=textile, state="declared")
    Product.objects.create(declaration=declaration, name="Cable", category="3831")
    cables = policy(
        "440304", "福田区线缆标准化措施", "Futian cables measures", "2026-05-25", industries=["383"]
    )
    policies_alert()
    assert [n.alert.notice.key for n in notes(weaver)] == [f"support.policy:{cables.pk}"]
    assert notes(firm.member) == []


def test_one_alert_per_person_even_in_two_matching_organizations(enterprises):
    firm, textile, weaver = enterprises
    Membership.objects.create(user=firm.member, organization=textile)
    national = policy("CN", "全国政策", "A national policy", "2026-05-01")
    done = policies_alert()
    assert done.alerts == 3  # each organization's list (the firm, textiles, Nanshan)
    assert [n.alert.notice.key for n in notes(firm.member)] == [f"support.policy:{national.pk}"]


def test_phrased_in_each_readers_language_through_every_channel(enterprises, client, settings):
    firm, textile, weaver = enterprises
    settings.STDPLUS_SITE_URL = "https://std.example.gov.cn"
    electronics = policy(
        "440300",
        "深圳市电子信息产业标准化资助办法",
        "Shenzhen funding for electronics standardization",
        "2026-05-20",
        document_number="深市监规〔2026〕3号",
        industries=["39"],
    )
    policies_alert()
    watch = PolicyWatch.objects.get(organization=firm.organization)
    member = logged_in(firm.member)
    english = member.get(reverse("watch:inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "A new policy for your region and industry: Shenzhen funding for electronics "
        "standardization (深市监规〔2026〕3号), issued by Shenzhen Administration for Market "
        "Regulation (Shenzhen) on 2026-05-20."
    ) in english
    assert electronics.get_absolute_url() in english
    chinese = member.get(reverse("watch:inbox"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "适用于本机构所在地区和行业的新政策：深圳市电子信息产业标准化资助办法" in chinese
    api = member.get("/api/v1/watch/inbox").json()["items"][0]
    assert api["change"] is None and api["notice"]["path"] == electronics.get_absolute_url()
    # The feed, in the language of its address.
    with translation.override("zh-hans"):
        token = feed_token_for(watch_list=watch.watch_list, user=firm.member)
    feed = client.get(reverse("watch:feed", args=[token])).content.decode()
    assert "深圳市电子信息产业标准化资助办法" in feed
    assert f"https://std.example.gov.cn{electronics.get_absolute_url()}" in feed
    assert FeedToken.objects.filter(user=firm.member).count() == 1
    # A webhook's summary in its language.
    alert = Alert.objects.select_related("notice", "watch_list").get(watch_list=watch.watch_list)
    payload = event_payload(alert, "en")
    assert payload["summary"].startswith("A new policy for your region and industry")
    assert payload["url"] == f"https://std.example.gov.cn{electronics.get_absolute_url()}"
    assert (
        payload["event"] is None and payload["notice"]["key"] == f"support.policy:{electronics.pk}"
    )
    # The digest mail, for a member who chose it (in the language they chose it in).
    firm.member.email = "member@example.org"
    firm.member.save()
    Watcher.objects.filter(watch_list=watch.watch_list, user=firm.member).update(
        digest=Digest.DAILY, language="zh-hans"
    )
    assert digests_send(now=timezone.now()) == 1
    assert "深圳市电子信息产业标准化资助办法" in mail.outbox[0].body


def test_a_member_who_leaves_the_list_is_not_put_back(enterprises):
    firm, textile, weaver = enterprises
    policy("CN", "全国政策一", "National policy one", "2026-05-01")
    policies_alert()
    watch = PolicyWatch.objects.get(organization=firm.organization)
    Watcher.objects.filter(watch_list=watch.watch_list, user=firm.member).delete()
    newcomer = User.objects.create_user("newcomer")
    Membership.objects.create(user=newcomer, organization=firm.organization)
    second = policy("CN", "全国政策二", "National policy two", "2026-05-02")
    policies_alert()
    assert [n.alert.notice_id for n in notes(firm.member)] != [] and all(
        n.alert.notice.key != f"support.policy:{second.pk}" for n in notes(firm.member)
    )
    assert [n.alert.notice.key for n in notes(newcomer)] == [f"support.policy:{second.pk}"]
