"""Training: enrollment with a waiting list, attendance, learning hours, certificates whose
verification code anyone can check (HMAC-SHA256 with a key derived from SECRET_KEY)."""

from __future__ import annotations

import base64
import datetime as dt

from django.db import transaction
from django.db.models import Sum
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from stdplus.core.dates import today
from stdplus.core.errors import ApplicationError, Where

from .models import Certificate, Enrollment, Session

SALT = "stdplus.support.certificate"
PREFIX = "SZC"


def _signature(
    certificate_id: int, holder: str, course: str, hours: int, issued_on: dt.date
) -> str:
    value = f"{certificate_id}|{holder}|{course}|{hours}|{issued_on.isoformat()}"
    digest = salted_hmac(SALT, value, algorithm="sha256").digest()
    return base64.b32encode(digest[:10]).decode().rstrip("=")


def certificate_code(certificate: Certificate) -> str:
    signature = _signature(
        certificate.pk,
        certificate.holder_name,
        certificate.course_title,
        certificate.hours,
        certificate.issued_on,
    )
    return f"{PREFIX}-{certificate.pk}-{signature}"


def certificate_verify(code: str) -> Certificate | None:
    """The certificate a code names, if the code is genuine and the certificate unchanged since
    it was issued; None for a forged, altered or unknown code."""
    parts = (code or "").strip().upper().split("-")
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1].isdigit() or len(parts[1]) > 18:
        return None
    certificate = Certificate.objects.filter(pk=int(parts[1])).first()
    if certificate is None:
        return None
    expected = _signature(
        certificate.pk,
        certificate.holder_name,
        certificate.course_title,
        certificate.hours,
        certificate.issued_on,
    )
    if not constant_time_compare(expected, parts[2]):
        return None
    return certificate


def enroll(*, session: Session, person, organization=None) -> Enrollment:
    """A place, or one on the waiting list when the places are taken; refused (nothing written)
    when both are full, or the person is already enrolled."""
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        live = Enrollment.objects.filter(session=locked, cancelled=False)
        if live.filter(person=person).exists():
            raise ApplicationError(
                _("You are already enrolled in this session."),
                where=Where(field="session"),
                code="twice",
            )
        taken = live.filter(waiting=False).count()
        waiting = live.filter(waiting=True).count()
        if taken >= locked.capacity and waiting >= locked.waiting_places:
            raise ApplicationError(
                _(
                    "The session is full: its %(capacity)s places and %(waiting)s places on the "
                    "waiting list are taken."
                ),
                params={"capacity": locked.capacity, "waiting": locked.waiting_places},
                where=Where(field="session"),
                code="full",
            )
        return Enrollment.objects.create(
            session=locked,
            person=person,
            organization=organization,
            waiting=taken >= locked.capacity,
        )


def enrollment_cancel(enrollment: Enrollment) -> Enrollment | None:
    """Cancel; the first person on the waiting list takes the place (returned)."""
    with transaction.atomic():
        Session.objects.select_for_update().get(pk=enrollment.session_id)
        had_place = not enrollment.waiting
        enrollment.cancelled = True
        enrollment.save(update_fields=["cancelled", "updated_at"])
        if not had_place:
            return None
        first = (
            Enrollment.objects.filter(
                session_id=enrollment.session_id, cancelled=False, waiting=True
            )
            .order_by("created_at", "pk")
            .first()
        )
        if first is not None:
            first.waiting = False
            first.save(update_fields=["waiting", "updated_at"])
        return first


def can_organize(user, session: Session) -> bool:
    """Who keeps a session's roster (attendance, certificates): the regulator's staff, who run
    the training base, and the course's teachers (experts of the register with an account)."""
    from stdplus.programme.permissions import can_keep_register

    if not getattr(user, "is_authenticated", False):
        return False
    if can_keep_register(user):
        return True
    return session.course.teachers.filter(support_profile__user=user).exists()


def attendance_record(enrollment: Enrollment, on: dt.date | None = None) -> Enrollment:
    if enrollment.cancelled or enrollment.waiting:
        raise ApplicationError(
            _("Only a person with a place in the session can attend it."), code="no_place"
        )
    if on is not None and on < enrollment.session.starts_on:
        raise ApplicationError(
            _("%(day)s is before the session starts (%(start)s)."),
            params={"day": on.isoformat(), "start": enrollment.session.starts_on.isoformat()},
            where=Where(field="attended_on"),
            code="before_session",
        )
    enrollment.attended_on = on or enrollment.session.ends_on
    enrollment.save(update_fields=["attended_on", "updated_at"])
    return enrollment


def certificate_issue(enrollment: Enrollment, on: dt.date | None = None) -> Certificate:
    """The certificate of an attended session, with its signed code (issued once)."""
    if enrollment.attended_on is None:
        raise ApplicationError(
            _("A certificate is issued only after the person attended."), code="not_attended"
        )
    existing = Certificate.objects.filter(enrollment=enrollment).first()
    if existing is not None:
        return existing
    person = enrollment.person
    with transaction.atomic():
        certificate = Certificate.objects.create(
            enrollment=enrollment,
            holder_name=(person.get_full_name() or person.get_username())[:200],
            course_title=enrollment.session.course.title_zh[:200],
            hours=enrollment.session.course.hours,
            issued_on=on or today(),
            code=f"pending-{enrollment.pk}",
        )
        certificate.code = certificate_code(certificate)
        certificate.save(update_fields=["code"])
    return certificate


def training_version() -> str:
    """Moves with every committed change the training figures read (sessions, enrollments,
    attendance, certificates): the statistics' cache is keyed on it (`stats/caching.py`)."""
    from stdplus.core.versions import data_stamp

    return data_stamp(
        (Session, "COUNT", "*"),
        (Session, "MAX", "updated_at"),
        (Enrollment, "COUNT", "*"),
        (Enrollment, "MAX", "updated_at"),
        (Certificate, "COUNT", "*"),
        (Certificate, "MAX", "id"),
    )


def learning_hours(*, person=None, organization=None) -> int:
    """Hours of the sessions attended (by a person, or by an organization's people)."""
    attended = Enrollment.objects.filter(cancelled=False, attended_on__isnull=False)
    if person is not None:
        attended = attended.filter(person=person)
    if organization is not None:
        attended = attended.filter(organization=organization)
    return int(attended.aggregate(total=Sum("session__course__hours"))["total"] or 0)


def sessions_open():
    from django.db.models import Count, Q

    return (
        Session.objects.select_related("course", "region")
        .prefetch_related("course__teachers", "course__standards")
        .annotate(
            taken=Count(
                "enrollments", filter=Q(enrollments__cancelled=False, enrollments__waiting=False)
            ),
            queued=Count(
                "enrollments", filter=Q(enrollments__cancelled=False, enrollments__waiting=True)
            ),
        )
        .order_by("-starts_on", "pk")
    )


def talent_pool():
    """People who completed training: hours, certificates, and the posts they hold as experts
    of the register (the regulator's view)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q

    from stdplus.programme.models import Position

    people = (
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(
            hours=Sum(
                "training_enrollments__session__course__hours",
                filter=Q(
                    training_enrollments__cancelled=False,
                    training_enrollments__attended_on__isnull=False,
                ),
            ),
            certificates=Count("training_enrollments__certificate", distinct=True),
        )
        .filter(hours__gt=0)
        .order_by("-hours", "username")
    )
    rows = []
    for person in people[:500]:
        profile = getattr(person, "expert_profile", None)
        posts = []
        fields = []
        if profile is not None:
            posts = [
                f"{p.get_role_display()}, {p.body}"
                for p in Position.objects.live().filter(
                    expert_id=profile.expert_id, term_end__isnull=True
                )
            ]
            fields = list(profile.ics or []) + list(profile.ccs or [])
        rows.append(
            {
                "person": person,
                "hours": person.hours,
                "certificates": person.certificates,
                "posts": posts,
                "fields": fields,
            }
        )
    return rows
