"""Alerts of new policies for an enterprise's region and industry, delivered by the watch app.

A policy matches an organization when it was issued for the organization's region or a region
above it (a Futian enterprise hears of national, Guangdong, Shenzhen and Futian policies), and
when it names no industry or one of the organization's: the GB/T 4754 codes the organization
states (`PolicyWatch.industries`) and the product categories of its public self-declarations (a
policy for "26" matches an enterprise declaring products of class "2682"). An organization
without a region hears only of the policies of the whole tree's root (national ones).
Government bodies and the regulator are not alerted.

Each matching organization's alerts arrive on its policy watch list (made on first use, with
its members as watchers: inbox, and whatever else each chooses on the list's page: mail digest,
feed, webhook); `watch.notices.notice_send` makes one alert per list and tells each person once,
in their language. A policy is alerted once (`Policy.alerted_at`), when it is new: issued in the
last `NEW_POLICY_DAYS` days and not expired. The worker runs `policies_alert` every ten minutes
(`support/tasks.py`); running it again adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from stdplus.accounts.models import Membership, Organization, OrganizationKind
from stdplus.core.dates import today
from stdplus.core.display import in_language
from stdplus.declarations.choices import DeclarationState
from stdplus.declarations.models import Product
from stdplus.programme.selectors import region_codes
from stdplus.watch.models import Digest, Watcher, WatchList
from stdplus.watch.notices import notice_send

from .models import Policy, PolicyStatus, PolicyWatch

NEW_POLICY_DAYS = 90
NOT_ALERTED = (OrganizationKind.GOVERNMENT, OrganizationKind.REGULATOR)
LANGUAGES = ("en", "zh-hans")


@dataclass
class PolicyAlerted:
    policies: int = 0
    organizations: int = 0
    alerts: int = 0
    people: int = 0


def organization_industries(organization_ids: list[int]) -> dict[int, set[str]]:
    """{organization id: its GB/T 4754 codes}: those it states and its declared products'."""
    found: dict[int, set[str]] = defaultdict(set)
    for organization_id, codes in PolicyWatch.objects.filter(
        organization_id__in=organization_ids
    ).values_list("organization_id", "industries"):
        found[organization_id].update(str(code) for code in codes or [] if code)
    for organization_id, category in (
        Product.objects.filter(
            declaration__enterprise_id__in=organization_ids,
            declaration__state=DeclarationState.DECLARED,
        )
        .values_list("declaration__enterprise_id", "category")
        .distinct()
    ):
        if category:
            found[organization_id].add(category)
    return found


def industry_matches(policy_codes: list, organization_codes: set[str]) -> bool:
    """A policy for every industry, or naming a code one of the organization's starts with."""
    if not policy_codes:
        return True
    return any(mine.startswith(str(code)) for code in policy_codes for mine in organization_codes)


def organizations_for(policy: Policy) -> list[Organization]:
    """The active organizations (with members) a policy concerns, by region and industry."""
    queryset = (
        Organization.objects.filter(is_active=True, memberships__isnull=False)
        .exclude(kind__in=NOT_ALERTED)
        .distinct()
    )
    if policy.region.parent_id is not None:
        queryset = queryset.filter(region_code__in=sorted(region_codes(policy.region)))
    # else the whole tree's: every organization, one without a region given too
    candidates = list(queryset.order_by("pk"))
    if not policy.industries:
        return candidates
    industries = organization_industries([o.pk for o in candidates])
    return [o for o in candidates if industry_matches(policy.industries, industries[o.pk])]


def policy_watch_list(organization: Organization, now: dt.datetime) -> WatchList:
    """The organization's policy watch list (made on first use), with the members who joined
    since the last look put on it as watchers (inbox only until they choose more)."""
    watch, _created = PolicyWatch.objects.get_or_create(organization=organization)
    if watch.watch_list is None:
        with translation.override(settings.LANGUAGE_CODE):
            name = gettext("New standardization policies for our region and industry")
        watch.watch_list = WatchList.objects.create(organization=organization, name=name)
    joined = Membership.objects.filter(organization=organization, user__is_active=True)
    if watch.members_through is not None:
        joined = joined.filter(created_at__gt=watch.members_through)
    Watcher.objects.bulk_create(
        [
            Watcher(
                watch_list=watch.watch_list,
                user_id=user_id,
                digest=Digest.NONE,
                language=settings.LANGUAGE_CODE,
            )
            for user_id in joined.values_list("user_id", flat=True)
        ],
        ignore_conflicts=True,
    )
    watch.members_through = now
    watch.save(update_fields=["watch_list", "members_through"])
    return watch.watch_list


def industries_read(text: str) -> list[str]:
    """GB/T 4754 codes typed in a form (2 to 4 digits, separated by commas or spaces); a clear
    error naming the first that is not one."""
    import re

    from django.utils.translation import gettext_lazy as _

    from stdplus.core.errors import ApplicationError, Where

    codes = []
    for code in re.split(r"[\s,，;；、]+", text or ""):
        if not code:
            continue
        if not re.fullmatch(r"\d{2,4}", code):
            raise ApplicationError(
                _("%(code)s is not a GB/T 4754 code (2 to 4 digits, such as 39 or 3974)."),
                params={"code": code[:20]},
                where=Where(field="industries"),
                code="industry",
            )
        if code not in codes:
            codes.append(code)
    if len(codes) > 50:
        raise ApplicationError(
            _("Name at most 50 industries."), where=Where(field="industries"), code="too_many"
        )
    return codes


def policy_watch_set(*, organization: Organization, industries: str) -> PolicyWatch:
    """The industries an organization names for its policy alerts, and its list made ready
    (its members on it), so that each can choose how to hear before the first policy."""
    codes = industries_read(industries)
    with transaction.atomic():
        policy_watch_list(organization, timezone.now())
        watch = PolicyWatch.objects.select_related("watch_list").get(organization=organization)
        watch.industries = codes
        watch.save(update_fields=["industries"])
    return watch


def policy_texts(policy: Policy) -> tuple[dict[str, str], dict[str, str]]:
    """The alert's sentence and title in each language."""
    texts, titles = {}, {}
    for language in LANGUAGES:
        with translation.override(language):
            title = in_language(policy.title_zh, policy.title_en, language=language)
            issuer = in_language(policy.issuer_zh, policy.issuer_en, language=language)
            region = in_language(policy.region.name_zh, policy.region.name_en, language=language)
            named = (
                gettext("%(title)s (%(number)s)")
                % {"title": title, "number": policy.document_number}
                if policy.document_number
                else title
            )
            texts[language] = gettext(
                "A new policy for your region and industry: %(policy)s, issued by %(issuer)s "
                "(%(region)s) on %(day)s."
            ) % {
                "policy": named,
                "issuer": issuer,
                "region": region,
                "day": policy.issued_on.isoformat(),
            }
            titles[language] = title
    return texts, titles


def policy_alert(policy: Policy, *, now: dt.datetime | None = None) -> PolicyAlerted:
    """Alert the organizations this policy concerns (once per list, once per person)."""
    now = now or timezone.now()
    result = PolicyAlerted(policies=1)
    with transaction.atomic():
        organizations = organizations_for(policy)
        lists = [policy_watch_list(organization, now) for organization in organizations]
        texts, titles = policy_texts(policy)
        sent = notice_send(
            key=f"support.policy:{policy.pk}",
            texts=texts,
            titles=titles,
            path=policy.get_absolute_url(),
            watch_lists=lists,
        )
        Policy.objects.filter(pk=policy.pk).update(alerted_at=now)
    result.organizations = len(organizations)
    result.alerts = sent.alerts
    result.people = sent.notifications
    return result


def policies_alert(*, now: dt.datetime | None = None) -> PolicyAlerted:
    """Every new policy not alerted yet (issued in the last NEW_POLICY_DAYS days, not expired)."""
    day = today()
    total = PolicyAlerted()
    due = Policy.objects.select_related("region").filter(
        alerted_at__isnull=True, issued_on__gte=day - dt.timedelta(days=NEW_POLICY_DAYS)
    )
    for policy in due.order_by("issued_on", "pk"):
        if policy.status_on(day) == PolicyStatus.EXPIRED:
            continue
        done = policy_alert(policy, now=now)
        total.policies += 1
        total.organizations += done.organizations
        total.alerts += done.alerts
        total.people += done.people
    return total
