"""Family: standards development (issue 14): projects at work in the period, with the time
their steps took (median and 90th percentile of the days spent in each state, per kind)."""

from __future__ import annotations

from typing import ClassVar, Literal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from stdplus.development.choices import Kind, State
from stdplus.development.models import Project, ProjectEvent
from stdplus.development.selectors import state_stays

from .base import Indicator, RecordRow, Scope, Split


class DevelopmentRow(RecordRow):
    template: ClassVar[str] = "stats/rows/development.html"

    type: Literal["development_project"] = "development_project"
    id: int
    title_zh: str
    title_en: str
    kind: str
    state: str
    number: str
    owner: str
    href: str


class DevelopmentIndicator(Indicator):
    """Local and group standard projects with a step taken in the period; `extra` holds the
    days spent in each state, median and p90 per kind ("local.drafting.median": 120)."""

    key = "development"
    order = 95
    in_breakdown = False
    short_label = _("Standards in development")
    label = _("Local and group standard projects at work in the period")
    unit = _("projects")
    model = Project
    row_schema = DevelopmentRow
    ordering = ("-pk",)
    district_field = "owner__region_code"
    splits: ClassVar[list[Split]] = [
        Split("kind", _("Kind"), list(Kind.choices)),
        Split("state", _("State"), list(State.choices)),
    ]

    def base(self, scope: Scope) -> QuerySet:
        stepped = ProjectEvent.objects.filter(
            on__range=(scope.period.start, scope.period.end)
        ).values("project_id")
        queryset = Project.objects.filter(
            owner__region_code__in=scope.codes, pk__in=stepped
        ).select_related("owner")
        if scope.real_only:
            queryset = queryset.filter(demo=False)
        return queryset

    def extra(self, scope: Scope) -> dict[str, int]:
        found: dict[str, int] = {}
        for stay in state_stays(self.base(scope)):
            found[f"{stay.kind}.{stay.state}.count"] = stay.count
            found[f"{stay.kind}.{stay.state}.median"] = round(stay.median)
            found[f"{stay.kind}.{stay.state}.p90"] = round(stay.p90)
        return found

    def rows(self, records: list, scope: Scope, reader) -> list[RecordRow]:
        return [
            DevelopmentRow(
                id=p.pk,
                title_zh=p.title_zh,
                title_en=p.title_en,
                kind=p.kind,
                state=p.state,
                number=p.number,
                owner=str(p.owner),
                href=p.get_absolute_url(),
            )
            for p in records
        ]
