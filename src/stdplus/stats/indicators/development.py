"""Family: standards development (issue 14): projects at work in the period, with the time
their steps took (median and 90th percentile of the days spent in each state, per kind); and
the local and group standards issued through these projects in the period, by the district of
the department or association that ran them, each beside the catalog's count of the same
level (figures `local` and `group`, which count editions from every source)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from stdplus.development.choices import Kind, Nature, State
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
    published_on: dt.date | None = None
    standard: str = ""  # the catalog edition it was published as
    standard_href: str = ""


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
        ).select_related("owner", "standard")
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
                published_on=p.published_on,
                standard=p.standard.canonical if p.standard_id else "",
                standard_href=p.standard.get_absolute_url() if p.standard_id else "",
            )
            for p in records
        ]


class IssuedThroughProjectsIndicator(DevelopmentIndicator):
    """Standards of one kind published through development projects in the period (abstract:
    a figure names its `key` and `kind`). A project counts in the year of its publication and
    in the district of the department or association that ran it, whatever happened to it
    after (filed, reviewed, abolished); its record links to the catalog edition."""

    kind: ClassVar[str] = Kind.LOCAL
    in_breakdown = True
    unit = _("standards")
    ordering = ("-published_on", "-pk")
    splits: ClassVar[list[Split]] = [
        Split("nature", _("New or revision"), list(Nature.choices)),
        Split("state", _("State"), list(State.choices)),
    ]

    def base(self, scope: Scope) -> QuerySet:
        queryset = Project.objects.filter(
            kind=self.kind,
            standard__isnull=False,
            published_on__range=(scope.period.start, scope.period.end),
            owner__region_code__in=scope.codes,
        ).select_related("owner", "standard")
        if scope.real_only:
            queryset = queryset.filter(demo=False)
        return queryset

    def extra(self, scope: Scope) -> dict[str, int]:
        return {}


class LocalProjectsIndicator(IssuedThroughProjectsIndicator):
    key = "local_projects"
    order = 31  # beside the catalog's local standards
    kind = Kind.LOCAL
    alongside = "local"
    short_label = _("Local (projects)")
    label = _("Local standards issued through development projects")


class GroupProjectsIndicator(IssuedThroughProjectsIndicator):
    key = "group_projects"
    order = 41  # beside the catalog's group standards
    kind = Kind.GROUP
    alongside = "group"
    short_label = _("Group (projects)")
    label = _("Group standards issued through development projects")
