"""Family: standardization training (issue 16): sessions held, people trained (with the learning
hours they earned) and certificates issued, in the node's region and the period.

A session belongs to the region it is held in (`Session.region`); an attendance counts in the
period of the day it was recorded (`Enrollment.attended_on`), a certificate in that of its
issue. Who was trained is not public: names and codes are shown to the regulator only.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from django.contrib.auth import get_user_model
from django.db.models import Case, CharField, Count, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext_lazy as _

from stdplus.programme.permissions import can_keep_register
from stdplus.programme.selectors import region_codes
from stdplus.support.models import Certificate, Enrollment, Session

from .base import Indicator, RecordRow, Scope


def attended(scope: Scope) -> QuerySet:
    """Attendances recorded in the period at sessions held in the node."""
    return Enrollment.objects.filter(
        cancelled=False,
        waiting=False,
        attended_on__range=(scope.period.start, scope.period.end),
        session__region__code__in=scope.codes,
    )


class TrainingSessionRow(RecordRow):
    template: ClassVar[str] = "stats/rows/training_session.html"

    type: Literal["training_session"] = "training_session"
    id: int
    course_zh: str
    course_en: str
    hours: int
    starts_on: dt.date
    ends_on: dt.date
    place: str
    online: bool
    region: str
    capacity: int
    attended: int


class TrainingSessionsIndicator(Indicator):
    key = "training_sessions"
    order = 110
    short_label = _("Training sessions")
    label = _("Standardization training sessions held")
    unit = _("sessions")
    model = Session
    row_schema = TrainingSessionRow
    ordering = ("-starts_on", "pk")
    district_field = "region__code"

    def base(self, scope: Scope) -> QuerySet:
        return Session.objects.filter(
            region__code__in=scope.codes,
            starts_on__range=(scope.period.start, scope.period.end),
        )

    def listing(self, scope: Scope, filters: dict[str, str] | None = None) -> QuerySet:
        return (
            super()
            .listing(scope, filters)
            .select_related("course", "region")
            .annotate(
                attended_count=Count(
                    "enrollments",
                    filter=Q(enrollments__cancelled=False, enrollments__attended_on__isnull=False),
                )
            )
        )

    def rows(self, records: list, scope: Scope, reader) -> list[RecordRow]:
        return [
            TrainingSessionRow(
                id=s.pk,
                course_zh=s.course.title_zh,
                course_en=s.course.title_en,
                hours=s.course.hours,
                starts_on=s.starts_on,
                ends_on=s.ends_on,
                place=s.place,
                online=s.online,
                region=s.region.code,
                capacity=s.capacity,
                attended=s.attended_count,
            )
            for s in records
        ]


class TraineeRow(RecordRow):
    """A person trained in the period: the sessions attended and the hours earned there. Who
    it is, is shown to the regulator only."""

    template: ClassVar[str] = "stats/rows/trainee.html"

    type: Literal["trainee"] = "trainee"
    person: str | None
    sessions: int
    hours: int


class PeopleTrainedIndicator(Indicator):
    """People who attended a session of the node in the period; the total is their learning
    hours there (the sum of the hours in the list)."""

    key = "training_people"
    order = 111
    short_label = _("People trained")
    label = _("People trained (attended a training session)")
    unit = _("people")
    model = get_user_model()
    row_schema = TraineeRow
    ordering = ("-hours", "pk")
    rows_depend_on_reader = True
    total_label = _("learning hours")

    def base(self, scope: Scope) -> QuerySet:
        return get_user_model().objects.filter(pk__in=attended(scope).values("person_id"))

    def total(self, scope: Scope) -> int | None:
        found = attended(scope).aggregate(hours=Sum("session__course__hours"))["hours"]
        return int(found or 0)

    def by_child(self, scope: Scope, children: list) -> dict[str, int]:
        """People per child node, each counted once in each node they attended in."""
        if not children:
            return {}
        whens = [
            When(session__region__code__in=list(region_codes(child)), then=Value(child.code))
            for child in children
        ]
        rows = (
            attended(scope)
            .order_by()
            .annotate(child=Case(*whens, default=Value(""), output_field=CharField()))
            .values("child")
            .annotate(n=Count("person_id", distinct=True))
        )
        found = {row["child"]: row["n"] for row in rows}
        return {child.code: found.get(child.code, 0) for child in children}

    def listing(self, scope: Scope, filters: dict[str, str] | None = None) -> QuerySet:
        mine = Q(
            training_enrollments__cancelled=False,
            training_enrollments__waiting=False,
            training_enrollments__attended_on__range=(scope.period.start, scope.period.end),
            training_enrollments__session__region__code__in=scope.codes,
        )
        return (
            self.records(scope, filters)
            .annotate(
                sessions=Count("training_enrollments", filter=mine),
                hours=Sum("training_enrollments__session__course__hours", filter=mine),
            )
            .order_by(*self.ordering)
        )

    def rows(self, records: list, scope: Scope, reader) -> list[RecordRow]:
        named = can_keep_register(reader)
        return [
            TraineeRow(
                person=(p.get_full_name() or p.get_username()) if named else None,
                sessions=p.sessions,
                hours=int(p.hours or 0),
            )
            for p in records
        ]


class TrainingCertificateRow(RecordRow):
    template: ClassVar[str] = "stats/rows/training_certificate.html"

    type: Literal["training_certificate"] = "training_certificate"
    course: str
    hours: int
    issued_on: dt.date
    region: str
    holder: str | None
    code: str | None


class TrainingCertificatesIndicator(Indicator):
    key = "training_certificates"
    order = 112
    short_label = _("Training certificates")
    label = _("Training certificates issued")
    unit = _("certificates")
    model = Certificate
    row_schema = TrainingCertificateRow
    ordering = ("-issued_on", "-pk")
    district_field = "enrollment__session__region__code"
    rows_depend_on_reader = True
    total_label = _("learning hours certified")

    def base(self, scope: Scope) -> QuerySet:
        return Certificate.objects.filter(
            issued_on__range=(scope.period.start, scope.period.end),
            enrollment__session__region__code__in=scope.codes,
        )

    def total(self, scope: Scope) -> int | None:
        return int(self.base(scope).aggregate(hours=Sum("hours"))["hours"] or 0)

    def listing(self, scope: Scope, filters: dict[str, str] | None = None) -> QuerySet:
        return super().listing(scope, filters).select_related("enrollment__session__region")

    def rows(self, records: list, scope: Scope, reader) -> list[RecordRow]:
        named = can_keep_register(reader)
        return [
            TrainingCertificateRow(
                course=c.course_title,
                hours=c.hours,
                issued_on=c.issued_on,
                region=c.enrollment.session.region.code,
                holder=c.holder_name if named else None,
                code=c.code if named else None,
            )
            for c in records
        ]
