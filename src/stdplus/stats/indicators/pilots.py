"""Family: pilot and demonstration projects (running in the period, completed in it)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stdplus.programme.choices import PilotLevel, PilotState
from stdplus.programme.models import Pilot, PilotEvent

from .base import Indicator, RecordRow, Scope, Split


class PilotRow(RecordRow):
    """A pilot project; `state` is its state at the end of the period, `state_now` today's."""

    template: ClassVar[str] = "stats/rows/pilot.html"

    type: Literal["pilot"] = "pilot"
    id: int
    code: str
    title_zh: str
    title_en: str
    level: str
    state: str
    state_now: str
    host: str
    start: dt.date
    href: str
    demo: bool


def _state_at(end: dt.date):
    last = PilotEvent.objects.filter(pilot=OuterRef("pk"), on__lte=end).order_by("-on", "-id")
    return Subquery(last.values("to_state")[:1]), Subquery(last.values("on")[:1])


class PilotsIndicator(Indicator):
    """Pilots running in the period, by level and by their state at the end of the period."""

    key = "pilots"
    order = 80
    short_label = _("Pilots")
    label = _("Pilot and demonstration projects")
    unit = _("projects")
    model = Pilot
    row_schema = PilotRow
    ordering = ("-start", "pk")
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

    def rows(self, records: list, scope: Scope, reader) -> list[RecordRow]:
        return [
            PilotRow(
                id=p.pk,
                code=p.code,
                title_zh=p.title_zh,
                title_en=p.title_en,
                level=p.level,
                state=getattr(p, "state_at", None) or p.state,
                state_now=p.state,
                host=str(p.host),
                start=p.start,
                href=reverse("programme:pilot-detail", kwargs={"pk": p.pk}),
                demo=p.demo,
            )
            for p in records
        ]


class PilotsCompletedIndicator(PilotsIndicator):
    key = "pilots_completed"
    order = 90
    in_breakdown = False
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
