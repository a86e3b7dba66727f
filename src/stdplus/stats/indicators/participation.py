"""Family: standards organizations of the node took part in drafting (all roles, or leading)."""

from __future__ import annotations

import heapq

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Organization
from stdplus.catalog.choices import Level
from stdplus.catalog.models import Standard
from stdplus.programme.choices import LEAD_ROLES, ParticipationRole
from stdplus.programme.models import Participation, Region

from .base import DEMO_SOURCE, Scope, Split, distinct_per_child
from .standards import StandardsIndicator, standards_in_period, without_demo

ORG_DRIVEN_SHARE = 0.25


def org_driven(scope: Scope) -> bool:
    """Whether the node holds few of the registry's organizations (a district, a small city).

    Both query shapes below give the same records; which one is fast depends on the node's size,
    and SQLite cannot plan a correlated EXISTS the other way round. A small node starts from its
    organizations' participations; a large one walks the editions of the period."""
    memo = scope.node_memo
    if "org_driven" not in memo:
        node = Organization.objects.filter(region_code__in=scope.codes).count()
        total = Organization.objects.count() or 1
        memo["org_driven"] = node < ORG_DRIVEN_SHARE * total
    return memo["org_driven"]


class ProbedExists(Exists):
    """EXISTS tested edition by edition. PostgreSQL turns a plain EXISTS into a join, which
    for a large node hashes every participation of the node (a million for a province: 226
    ms for the eight-year trend at 1,000,000 participations); probing the participation index
    for each edition of the period took 128 ms. An OFFSET keeps the test a subquery (it
    cannot be pulled up into a join) and changes nothing else; SQLite tests an EXISTS edition
    by edition anyway."""

    template = "EXISTS(%(subquery)s OFFSET 0)"


def live_participations(scope: Scope) -> QuerySet:
    queryset = Participation.objects.live().filter(organization__region_code__in=scope.codes)
    if scope.real_only:
        queryset = queryset.filter(demo=False)
    return queryset


def participations_in_period(scope: Scope) -> QuerySet:
    """Participations of the node in editions of the period, joined (not IN-listed) to them."""
    period = scope.period
    queryset = live_participations(scope).filter(
        Q(standard__published__range=(period.start, period.end))
        | Q(
            standard__published__isnull=True,
            standard__year__range=(period.start.year, period.end.year),
        )
    )
    if scope.real_only:
        queryset = queryset.exclude(standard__source=DEMO_SOURCE)
    return queryset


def participation_facts(scope: Scope) -> list[tuple[int, int, str, str, str]]:
    """(edition, organization, region code, role, level) of every live participation of the
    node in an edition of the period: one read shared by several figures and breakdowns."""
    if "participations" not in scope.memo:
        queryset = (
            participations_in_period(scope)
            .order_by()
            .values_list(
                "standard_id",
                "organization_id",
                "organization__region_code",
                "role",
                "standard__level",
            )
        )
        # Plain rows straight from the cursor: tens of thousands for a province.
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            scope.memo["participations"] = cursor.fetchall()
    return scope.memo["participations"]


def participation_editions(scope: Scope, *, lead_only: bool) -> dict[str, set[int]]:
    """Editions of the node in the period by level ("" for all), from the shared rows."""
    key = ("editions", lead_only)
    if key not in scope.memo:
        by_level: dict[str, set[int]] = {"": set()}
        every = by_level[""]
        for standard_id, _org, _code, role, level in participation_facts(scope):
            if lead_only and role not in LEAD_ROLES:
                continue
            every.add(standard_id)
            found = by_level.get(level)
            if found is None:
                found = by_level[level] = set()
            found.add(standard_id)
        scope.memo[key] = by_level
    return scope.memo[key]


def top_organizations(scope: Scope, limit: int = 10) -> list[dict]:
    """Organizations of the node by the number of editions they took part in during the period."""
    editions: dict[int, set[int]] = {}
    for standard_id, organization_id, _code, _role, _level in participation_facts(scope):
        editions.setdefault(organization_id, set()).add(standard_id)
    # The first `limit` without sorting every organization (tens of thousands for a province:
    # a full sort took about 0.1 s of the province's dashboard).
    ranked = heapq.nsmallest(limit, editions.items(), key=lambda item: (-len(item[1]), item[0]))
    names = Organization.objects.in_bulk([organization_id for organization_id, _ in ranked])
    return [{"organization": names[org_id], "count": len(found)} for org_id, found in ranked]


class ParticipationIndicator(StandardsIndicator):
    key = "participation"
    order = 10
    short_label = _("Participated")
    label = _("Standards participated in")
    unit = _("editions")
    district_field = "participations__organization__region_code"
    splits = [
        Split(
            "level",
            _("Level"),
            [(v, t) for v, t in Level.choices if v not in (Level.FOREIGN, Level.REGIONAL)],
        )
    ]
    lead_only = False

    def base(self, scope: Scope) -> QuerySet:
        # EXISTS per edition of the period: the database walks the (few thousand) editions of the
        # year and probes the participation index, instead of collecting every participation of
        # the node first (a million rows for a province).
        participations = live_participations(scope)
        if self.lead_only:
            participations = participations.filter(role__in=list(LEAD_ROLES))
        queryset = without_demo(standards_in_period(Standard.objects.all(), scope.period), scope)
        if org_driven(scope):
            return queryset.filter(pk__in=participations.values("standard_id"))
        return queryset.filter(ProbedExists(participations.filter(standard_id=OuterRef("pk"))))

    def by_child(self, scope: Scope, children: list[Region]) -> dict[str, int]:
        found = (
            (region_code, standard_id)
            for standard_id, _org, region_code, role, _level in participation_facts(scope)
            if not self.lead_only or role in LEAD_ROLES
        )
        return distinct_per_child(children, found)

    def value(self, scope: Scope, filters: dict[str, str] | None = None) -> int:
        # Without filters the figure is read from the shared participation rows of the node (the
        # same filters as `records`; tests hold the two equal).
        if filters:
            return super().value(scope, filters)
        return len(participation_editions(scope, lead_only=self.lead_only)[""])

    def split_values(self, scope: Scope, split: str) -> dict[str, int]:
        if split != "level":
            return super().split_values(scope, split)
        editions = participation_editions(scope, lead_only=self.lead_only)
        return {level: len(found) for level, found in editions.items() if level}

    def organizations(self, standards: list[Standard], scope: Scope) -> dict[int, list[str]]:
        """Which organizations of the node took part in each edition (and in which role)."""
        rows = (
            Participation.objects.live()
            .filter(standard__in=standards, organization__region_code__in=scope.codes)
            .select_related("organization")
            .order_by("standard_id", "id")
        )
        # The roles' names once, not per row (`get_role_display` rebuilds its choices each call).
        roles = {value: str(label) for value, label in ParticipationRole.choices}
        out: dict[int, list[str]] = {}
        for participation in rows:
            role = participation.role
            out.setdefault(participation.standard_id, []).append(
                f"{participation.organization} ({roles.get(role, role)})"
            )
        return out


class LeadIndicator(ParticipationIndicator):
    key = "participation_led"
    order = 20
    short_label = _("Led")
    label = _("Standards led (lead drafter, project leader or convenor)")
    lead_only = True
