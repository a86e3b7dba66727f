"""Family: people and bodies of the node (standards bodies hosted, experts in key positions)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Schema

from stdplus.programme.choices import KEY_POSITIONS, BodyFamily, BodyKind
from stdplus.programme.models import Expert, Position, Region, StandardsBody

from .base import Indicator, RecordRow, Scope, Split, distinct_per_child


class BodyRow(RecordRow):
    """A standards body (technical committee, subcommittee...) hosted by an organization."""

    template: ClassVar[str] = "stats/rows/body.html"

    type: Literal["body"] = "body"
    code: str
    name_zh: str
    name_en: str
    kind: str
    host: str
    host_href: str
    since: dt.date
    until: dt.date | None
    demo: bool


class BodiesIndicator(Indicator):
    key = "bodies"
    order = 60
    short_label = _("Bodies")
    label = _("Standards bodies hosted")
    unit = _("bodies")
    model = StandardsBody
    row_schema = BodyRow
    ordering = ("code", "pk")
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

    def rows(self, records: list, scope: Scope, reader) -> list[RecordRow]:
        return [
            BodyRow(
                code=b.code,
                name_zh=b.name_zh,
                name_en=b.name_en,
                kind=b.kind,
                host=str(b.host),
                host_href=reverse("programme:organization-detail", kwargs={"pk": b.host_id}),
                since=b.since,
                until=b.until,
                demo=b.demo,
            )
            for b in records
        ]


class PositionOut(Schema):
    body: str
    role: str
    term_start: dt.date
    term_end: dt.date | None


class ExpertRow(RecordRow):
    """An expert of an organization of the node, with the positions they hold."""

    template: ClassVar[str] = "stats/rows/expert.html"

    type: Literal["expert"] = "expert"
    id: int
    name_zh: str
    name_en: str
    organization: str
    positions: list[PositionOut]
    href: str
    demo: bool


class ExpertsIndicator(Indicator):
    key = "experts"
    order = 70
    short_label = _("Experts")
    label = _("Experts holding key positions")
    unit = _("experts")
    model = Expert
    row_schema = ExpertRow
    ordering = ("name_zh", "pk")
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

    def key_positions(self, scope: Scope) -> list[tuple[int, str, str, str]]:
        """(expert, family, role, the expert's organization's region code) of every key
        position of the node's experts in the period, read once per scope: the figure, both
        of its splits and the child nodes' figures are counted from these rows (four grouped
        queries over the same join took 155 ms for a province at 100,000 organizations; this
        one about 55 ms). Tests hold the counts to `records`."""
        if "key_positions" not in scope.memo:
            scope.memo["key_positions"] = list(
                self.positions(scope)
                .filter(expert__in=self.base(scope).values("pk"))
                .order_by()
                .values_list("expert_id", "family", "role", "expert__organization__region_code")
            )
        return scope.memo["key_positions"]

    def value(self, scope: Scope, filters: dict[str, str] | None = None) -> int:
        if filters:
            return super().value(scope, filters)
        return len({row[0] for row in self.key_positions(scope)})

    def split_values(self, scope: Scope, split: str) -> dict[str, int]:
        place = {"family": 1, "role": 2}[split]
        experts: dict[str, set[int]] = {}
        for row in self.key_positions(scope):
            experts.setdefault(row[place], set()).add(row[0])
        return {value: len(found) for value, found in experts.items()}

    def by_child(self, scope: Scope, children: list[Region]) -> dict[str, int]:
        found = ((row[3], row[0]) for row in self.key_positions(scope))
        return distinct_per_child(children, found)

    def listing(self, scope: Scope, filters: dict[str, str] | None = None) -> QuerySet:
        live = Prefetch("positions", queryset=Position.objects.live(), to_attr="live_positions")
        return super().listing(scope, filters).select_related("organization").prefetch_related(live)

    def rows(self, records: list, scope: Scope, reader) -> list[RecordRow]:
        return [
            ExpertRow(
                id=e.pk,
                name_zh=e.name_zh,
                name_en=e.name_en,
                organization=str(e.organization) if e.organization_id else "",
                positions=[
                    PositionOut(
                        body=p.body, role=p.role, term_start=p.term_start, term_end=p.term_end
                    )
                    for p in e.live_positions
                ],
                href=reverse("programme:expert-detail", kwargs={"pk": e.pk}),
                demo=e.demo,
            )
            for e in records
        ]
