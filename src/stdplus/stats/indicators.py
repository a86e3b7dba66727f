"""The Standards+ indicator set: every figure is a count (or sum) over a queryset of records.

An indicator knows how to build the queryset of the records behind its figure for a region node
and a period (`records`), optionally narrowed by one split value (a level, a kind, a state). The
figure is that queryset's count, and the drill-down list is that same queryset, so a figure and
its list cannot disagree. Splits are one grouped query each; tests check that every split value
equals the count of its own list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Substr
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Organization
from stdplus.catalog.choices import Level
from stdplus.catalog.models import Standard
from stdplus.programme.choices import (
    KEY_POSITIONS,
    LEAD_ROLES,
    ApplicationState,
    BodyFamily,
    BodyKind,
    IssuerKind,
    PilotLevel,
    PilotState,
)
from stdplus.programme.models import (
    Expert,
    FundingApplication,
    IssuerCode,
    Participation,
    Pilot,
    PilotEvent,
    Position,
    Region,
    StandardsBody,
)
from stdplus.programme.selectors import region_codes, region_local_prefixes

DEMO_SOURCE = "demo"  # catalog entries made by the demo generator carry this source


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @property
    def label(self) -> str:
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31):
            if self.start.year == self.end.year:
                return str(self.start.year)
            return f"{self.start.year}–{self.end.year}"
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def previous(self) -> Period:
        """The same span one year earlier (for year-over-year change)."""
        return Period(_minus_year(self.start), _minus_year(self.end))


def _minus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Scope:
    region: Region
    period: Period
    real_only: bool = False  # leave demo rows out
    # Rows read once per scope and shared by several figures (see participation_facts).
    memo: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @cached_property
    def codes(self) -> frozenset[str]:
        return region_codes(self.region)

    def with_period(self, period: Period) -> Scope:
        shared = {k: v for k, v in self.memo.items() if k == "org_driven"}  # about the node only
        return Scope(self.region, period, self.real_only, shared)

    def with_region(self, region: Region) -> Scope:
        return Scope(region, self.period, self.real_only)


ORG_DRIVEN_SHARE = 0.25


def org_driven(scope: Scope) -> bool:
    """Whether the node holds few of the registry's organizations (a district, a small city).

    Both query shapes below give the same records; which one is fast depends on the node's size,
    and SQLite cannot plan a correlated EXISTS the other way round. A small node starts from its
    organizations' participations; a large one walks the editions of the period."""
    if "org_driven" not in scope.memo:
        node = Organization.objects.filter(region_code__in=scope.codes).count()
        total = Organization.objects.count() or 1
        scope.memo["org_driven"] = node < ORG_DRIVEN_SHARE * total
    return scope.memo["org_driven"]


def participation_facts(scope: Scope) -> list[tuple[int, int, str, str, str]]:
    """(edition, organization, region code, role, level) of every live participation of the
    node in an edition of the period: one read shared by several figures and breakdowns."""
    if "participations" not in scope.memo:
        queryset = (
            _participations_in_period(scope)
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


def standards_in_period(queryset: QuerySet, period: Period) -> QuerySet:
    """Editions published in the period; an edition with no date counts by its year."""
    return queryset.filter(
        Q(published__range=(period.start, period.end))
        | Q(published__isnull=True, year__range=(period.start.year, period.end.year))
    )


def standard_year():
    """The year an edition counts in: of its publication date, else of its identifier.

    The year is cut from the date's ISO text rather than extracted, which on SQLite would call
    a Python function for every row."""
    published_year = Cast(Substr(Cast("published", CharField()), 1, 4), IntegerField())
    return Coalesce(published_year, F("year"), output_field=IntegerField())


@dataclass
class Split:
    """A dimension a figure is broken down by: parameter name, label, values with labels."""

    name: str
    label: str
    choices: list[tuple[str, str]]


class Indicator:
    key: str = ""
    label = _("figure")
    short_label = _("figure")
    unit = _("records")
    model: type = Standard
    splits: list[Split] = []
    district_field: str = ""  # path to a region code, for the breakdown by child region
    # Standards-based indicators also break down by ICS field and top organizations.
    is_standards = False
    # Whether a split's grouped count must be DISTINCT (the base query joins many-valued rows).
    distinct_rows = True

    def base(self, scope: Scope) -> QuerySet:  # pragma: no cover - each indicator defines it
        raise NotImplementedError

    def narrow(self, queryset: QuerySet, split: str, value: str, scope: Scope) -> QuerySet:
        return queryset.filter(**{self.split_field(split): value})

    def split_field(self, split: str) -> str:
        return split

    def records(self, scope: Scope, filters: dict[str, str] | None = None) -> QuerySet:
        queryset = self.base(scope)
        for split, value in (filters or {}).items():
            if split == "ics" and self.is_standards:
                queryset = queryset.filter(
                    classifications__scheme="ics", classifications__code__startswith=value
                ).distinct()
            elif split in {s.name for s in self.splits} and value:
                queryset = self.narrow(queryset, split, value, scope)
        return queryset

    def value(self, scope: Scope, filters: dict[str, str] | None = None) -> int:
        return self.records(scope, filters).count()

    def split_values(self, scope: Scope, split: str) -> dict[str, int]:
        rows = (
            self.base(scope)
            .order_by()
            .values(self.split_field(split))
            .annotate(n=Count("pk", distinct=self.distinct_rows))
        )
        return {row[self.split_field(split)]: row["n"] for row in rows}

    def by_child(self, scope: Scope, children: list[Region]) -> dict[str, int]:
        """The figure for each child node in one grouped query (a Case over region codes)."""
        if not children or not self.district_field:
            return {}
        whens = [
            When(
                **{f"{self.district_field}__in": list(region_codes(child))}, then=Value(child.code)
            )
            for child in children
        ]
        rows = (
            self.base(scope)
            .order_by()
            .annotate(child=Case(*whens, default=Value(""), output_field=CharField()))
            .values("child")
            .annotate(n=Count("pk", distinct=True))
        )
        found = {row["child"]: row["n"] for row in rows}
        return {child.code: found.get(child.code, 0) for child in children}


def _participations_in_period(scope: Scope) -> QuerySet:
    """Participations of the node in editions of the period, joined (not IN-listed) to them."""
    period = scope.period
    queryset = _live_participations(scope).filter(
        Q(standard__published__range=(period.start, period.end))
        | Q(
            standard__published__isnull=True,
            standard__year__range=(period.start.year, period.end.year),
        )
    )
    if scope.real_only:
        queryset = queryset.exclude(standard__source=DEMO_SOURCE)
    return queryset


def _live_participations(scope: Scope) -> QuerySet:
    queryset = Participation.objects.live().filter(organization__region_code__in=scope.codes)
    if scope.real_only:
        queryset = queryset.filter(demo=False)
    return queryset


class ParticipationIndicator(Indicator):
    key = "participation"
    short_label = _("Participated")
    label = _("Standards participated in")
    unit = _("editions")
    is_standards = True
    distinct_rows = False
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
        participations = _live_participations(scope)
        if self.lead_only:
            participations = participations.filter(role__in=list(LEAD_ROLES))
        queryset = standards_in_period(Standard.objects.all(), scope.period)
        if scope.real_only:
            queryset = queryset.exclude(source=DEMO_SOURCE)
        if org_driven(scope):
            return queryset.filter(pk__in=participations.values("standard_id"))
        return queryset.filter(Exists(participations.filter(standard_id=OuterRef("pk"))))

    def by_child(self, scope: Scope, children: list[Region]) -> dict[str, int]:
        code_child = {code: child.code for child in children for code in region_codes(child)}
        editions: dict[str, set[int]] = {child.code: set() for child in children}
        for standard_id, _org, region_code, role, _level in participation_facts(scope):
            child = code_child.get(region_code)
            if child is not None and (not self.lead_only or role in LEAD_ROLES):
                editions[child].add(standard_id)
        return {code: len(found) for code, found in editions.items()}

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


class LeadIndicator(ParticipationIndicator):
    key = "participation_led"
    short_label = _("Led")
    label = _("Standards led (lead drafter, project leader or convenor)")
    lead_only = True


class LocalIndicator(Indicator):
    key = "local"
    short_label = _("Local")
    label = _("Local standards issued")
    unit = _("editions")
    is_standards = True
    distinct_rows = False
    splits = [Split("body", _("Issuing body"), [])]

    def base(self, scope: Scope) -> QuerySet:
        queryset = standards_in_period(
            Standard.objects.filter(
                level=Level.LOCAL, body__in=region_local_prefixes(scope.region)
            ),
            scope.period,
        )
        if scope.real_only:
            queryset = queryset.exclude(source=DEMO_SOURCE)
        return queryset

    def by_child(self, scope: Scope, children: list[Region]) -> dict[str, int]:
        prefix_child = {
            prefix: child.code for child in children for prefix in region_local_prefixes(child)
        }
        out = {child.code: 0 for child in children}
        for body, count in self.split_values(scope, "body").items():
            if body in prefix_child:
                out[prefix_child[body]] += count
        return out


class IssuerIndicator(Indicator):
    """Group or enterprise standards whose issuer code belongs to an organization of the node."""

    kind = IssuerKind.GROUP
    level = Level.GROUP
    is_standards = True
    distinct_rows = False
    splits = [Split("body", _("Issuer code"), [])]

    def issuers(self, scope: Scope) -> QuerySet:
        issuers = IssuerCode.objects.live().filter(
            kind=self.kind, organization__region_code__in=scope.codes
        )
        if scope.real_only:
            issuers = issuers.filter(demo=False)
        return issuers

    def base(self, scope: Scope) -> QuerySet:
        queryset = standards_in_period(
            Standard.objects.filter(level=self.level, body__in=self.issuers(scope).values("code")),
            scope.period,
        )
        if scope.real_only:
            queryset = queryset.exclude(source=DEMO_SOURCE)
        return queryset

    def by_child(self, scope: Scope, children: list[Region]) -> dict[str, int]:
        if not children:
            return {}
        region_child = {code: child.code for child in children for code in region_codes(child)}
        code_child = {
            code: region_child[region_code]
            for code, region_code in self.issuers(scope).values_list(
                "code", "organization__region_code"
            )
            if region_code in region_child
        }
        counts = self.split_values(scope, "body")
        out = {child.code: 0 for child in children}
        for body, n in counts.items():
            if body in code_child:
                out[code_child[body]] += n
        return out


class GroupIndicator(IssuerIndicator):
    key = "group"
    short_label = _("Group")
    label = _("Group standards released by groups of the region")
    unit = _("editions")
    kind = IssuerKind.GROUP
    level = Level.GROUP


class EnterpriseIndicator(IssuerIndicator):
    key = "enterprise"
    short_label = _("Enterprise")
    label = _("Enterprise standards self-declared by enterprises of the region")
    unit = _("editions")
    kind = IssuerKind.ENTERPRISE
    level = Level.ENTERPRISE


class BodiesIndicator(Indicator):
    key = "bodies"
    short_label = _("Bodies")
    label = _("Standards bodies hosted")
    unit = _("bodies")
    model = StandardsBody
    district_field = "host__region_code"
    splits = [Split("kind", _("Kind"), list(BodyKind.choices))]

    def base(self, scope: Scope) -> QuerySet:
        queryset = (
            StandardsBody.objects.live()
            .filter(host__region_code__in=scope.codes, since__lte=scope.period.end)
            .filter(Q(until__isnull=True) | Q(until__gte=scope.period.start))
            .select_related("host")
        )
        if scope.real_only:
            queryset = queryset.filter(demo=False)
        return queryset


class ExpertsIndicator(Indicator):
    key = "experts"
    short_label = _("Experts")
    label = _("Experts holding key positions")
    unit = _("experts")
    model = Expert
    district_field = "organization__region_code"
    splits = [
        Split("family", _("Body"), list(BodyFamily.choices)),
        Split(
            "role",
            _("Position"),
            [(v, t) for v, t in Position._meta.get_field("role").choices if v in KEY_POSITIONS],
        ),
    ]

    def positions(self, scope: Scope) -> QuerySet:
        queryset = (
            Position.objects.live()
            .filter(role__in=list(KEY_POSITIONS), term_start__lte=scope.period.end)
            .filter(Q(term_end__isnull=True) | Q(term_end__gte=scope.period.start))
        )
        if scope.real_only:
            queryset = queryset.filter(demo=False)
        return queryset

    def base(self, scope: Scope) -> QuerySet:
        queryset = Expert.objects.live().filter(
            organization__region_code__in=scope.codes,
            pk__in=self.positions(scope).values("expert_id"),
        )
        if scope.real_only:
            queryset = queryset.filter(demo=False)
        return queryset

    def narrow(self, queryset, split, value, scope):
        return queryset.filter(
            pk__in=self.positions(scope).filter(**{split: value}).values("expert_id")
        )

    def split_values(self, scope: Scope, split: str) -> dict[str, int]:
        rows = (
            self.positions(scope)
            .filter(expert__in=self.base(scope).values("pk"))
            .order_by()
            .values(split)
            .annotate(n=Count("expert_id", distinct=True))
        )
        return {row[split]: row["n"] for row in rows}


def _state_at(end: dt.date):
    last = PilotEvent.objects.filter(pilot=OuterRef("pk"), on__lte=end).order_by("-on", "-id")
    return Subquery(last.values("to_state")[:1]), Subquery(last.values("on")[:1])


class PilotsIndicator(Indicator):
    """Pilots running in the period, by level and by their state at the end of the period."""

    key = "pilots"
    short_label = _("Pilots")
    label = _("Pilot and demonstration projects")
    unit = _("projects")
    model = Pilot
    district_field = "host__region_code"
    splits = [
        Split("level", _("Level"), list(PilotLevel.choices)),
        Split("state", _("State at the end of the period"), list(PilotState.choices)),
    ]

    def base(self, scope: Scope) -> QuerySet:
        state, since = _state_at(scope.period.end)
        final = [PilotState.COMPLETED, PilotState.TERMINATED]
        queryset = (
            Pilot.objects.live()
            .filter(host__region_code__in=scope.codes)
            .annotate(state_at=state, state_at_on=since)
            .filter(state_at__isnull=False)
            .exclude(state_at__in=final, state_at_on__lt=scope.period.start)
            .select_related("host")
        )
        if scope.real_only:
            queryset = queryset.filter(demo=False)
        return queryset

    def split_field(self, split: str) -> str:
        return "state_at" if split == "state" else split


class PilotsCompletedIndicator(PilotsIndicator):
    key = "pilots_completed"
    short_label = _("Pilots completed")
    label = _("Pilot projects completed in the period")
    splits = [Split("level", _("Level"), list(PilotLevel.choices))]

    def base(self, scope: Scope) -> QuerySet:
        completed = PilotEvent.objects.filter(
            to_state=PilotState.COMPLETED, on__range=(scope.period.start, scope.period.end)
        )
        queryset = (
            Pilot.objects.live()
            .filter(host__region_code__in=scope.codes, pk__in=completed.values("pilot_id"))
            .select_related("host")
        )
        if scope.real_only:
            queryset = queryset.filter(demo=False)
        return queryset


class FundingIndicator(Indicator):
    """Applications submitted in the period by organizations of the node."""

    key = "funding"
    short_label = _("Funding applications")
    label = _("Funding applications")
    unit = _("applications")
    model = FundingApplication
    district_field = "organization__region_code"
    splits = [Split("state", _("State"), list(ApplicationState.choices))]

    def base(self, scope: Scope) -> QuerySet:
        queryset = (
            FundingApplication.objects.live()
            .filter(
                organization__region_code__in=scope.codes,
                submitted_on__range=(scope.period.start, scope.period.end),
            )
            .select_related("organization", "item_type", "participation__standard", "pilot")
        )
        if scope.real_only:
            queryset = queryset.filter(demo=False)
        return queryset

    def amounts(self, scope: Scope, filters: dict[str, str] | None = None) -> dict[str, int]:
        totals = self.records(scope, filters).aggregate(
            requested=Sum("amount_requested"),
            awarded=Sum("amount_awarded", filter=Q(state=ApplicationState.APPROVED)),
        )
        return {k: int(v or 0) for k, v in totals.items()}


INDICATORS: dict[str, Indicator] = {
    indicator.key: indicator
    for indicator in (
        ParticipationIndicator(),
        LeadIndicator(),
        LocalIndicator(),
        GroupIndicator(),
        EnterpriseIndicator(),
        BodiesIndicator(),
        ExpertsIndicator(),
        PilotsIndicator(),
        PilotsCompletedIndicator(),
        FundingIndicator(),
    )
}


def indicator_get(key: str) -> Indicator | None:
    return INDICATORS.get(key)


def ics_fields(indicator: Indicator, scope: Scope) -> dict[str, int]:
    """Distinct editions per ICS field (the first two digits) for a standards indicator."""
    rows = (
        indicator.base(scope)
        .filter(classifications__scheme="ics")
        .order_by()
        .annotate(field=Substr("classifications__code", 1, 2))
        .values("field")
        .annotate(n=Count("pk", distinct=True))
    )
    return {row["field"]: row["n"] for row in rows}


def top_organizations(scope: Scope, limit: int = 10) -> list[dict]:
    """Organizations of the node by the number of editions they took part in during the period."""
    editions: dict[int, set[int]] = {}
    for standard_id, organization_id, _code, _role, _level in participation_facts(scope):
        editions.setdefault(organization_id, set()).add(standard_id)
    ranked = sorted(editions.items(), key=lambda item: (-len(item[1]), item[0]))[:limit]
    names = Organization.objects.in_bulk([organization_id for organization_id, _ in ranked])
    return [{"organization": names[org_id], "count": len(found)} for org_id, found in ranked]


def standards_trend(
    indicator: Indicator, scope: Scope, years: list[int]
) -> dict[int, dict[str, int]]:
    """Editions per year and level over several years, in one grouped query."""
    span = scope.with_period(Period(dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)))
    rows = (
        indicator.base(span)
        .order_by()
        .annotate(y=standard_year())
        .values("y", "level")
        .annotate(n=Count("pk", distinct=indicator.distinct_rows))
    )
    out: dict[int, dict[str, int]] = {year: {} for year in years}
    for row in rows:
        if row["y"] in out:
            out[row["y"]][row["level"]] = row["n"]
    return out


@dataclass
class Figure:
    key: str
    label: str
    value: int
    previous: int
    splits: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def change(self) -> int:
        return self.value - self.previous

    @property
    def change_percent(self) -> float | None:
        if not self.previous:
            return None
        return round(100.0 * (self.value - self.previous) / self.previous, 1)
