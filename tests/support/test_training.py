"""Training: places and the waiting list, attendance, hours, certificates checked by anyone
(forged and altered codes refused), the talent pool for the regulator only."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation

from stdplus.core.errors import ApplicationError
from stdplus.programme.models import Region
from stdplus.support.models import Certificate, Course, Enrollment, Session
from stdplus.support.training import (
    attendance_record,
    certificate_issue,
    certificate_verify,
    enroll,
    enrollment_cancel,
    learning_hours,
)

from .conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(db):
    course = Course.objects.create(
        title_zh="标准化基础", title_en="Standardization basics", hours=16
    )
    return Session.objects.create(
        course=course,
        starts_on=dt.date(2026, 5, 1),
        ends_on=dt.date(2026, 5, 2),
        place="深圳",
        region=Region.objects.get(code="440300"),
        capacity=2,
        waiting_places=1,
    )


def people(n):
    return [User.objects.create_user(f"p{i}", first_name=f"Person {i}") for i in range(n)]


def test_places_the_waiting_list_and_a_full_session(session):
    a, b, c, d = people(4)
    assert not enroll(session=session, person=a).waiting
    assert not enroll(session=session, person=b).waiting
    assert enroll(session=session, person=c).waiting
    with translation.override("en"), pytest.raises(ApplicationError, match="The session is full"):
        enroll(session=session, person=d)
    with pytest.raises(ApplicationError, match="already enrolled"):
        enroll(session=session, person=a)
    assert Enrollment.objects.count() == 3
    # A place freed goes to the first on the waiting list.
    promoted = enrollment_cancel(Enrollment.objects.get(person=a))
    assert promoted.person == c and not promoted.waiting


def test_enrollment_beyond_capacity_from_the_page_writes_nothing(session, client):
    for person in people(3):
        enroll(session=session, person=person)
    late = User.objects.create_user("late")
    with translation.override("en"):
        response = logged_in(late).post(reverse("support:enroll", args=[session.pk]), follow=True)
    assert "The session is full: its 2 places and 1 places on the waiting list are taken" in (
        response.content.decode()
    )
    assert not Enrollment.objects.filter(person=late).exists()


def test_attendance_hours_and_a_certificate_anyone_can_check(firm, session, client):
    enrollment = enroll(session=session, person=firm.member, organization=firm.organization)
    with pytest.raises(ApplicationError):
        certificate_issue(enrollment)
    attendance_record(enrollment)
    assert learning_hours(person=firm.member) == 16
    assert learning_hours(organization=firm.organization) == 16
    certificate = certificate_issue(enrollment, on=dt.date(2026, 5, 3))
    assert certificate_issue(enrollment) == certificate  # once
    assert certificate_verify(certificate.code) == certificate
    assert certificate_verify(certificate.code.lower()) == certificate
    page = client.get(reverse("support:verify"), {"code": certificate.code})
    assert 'data-valid="1"' in page.content.decode() and "16" in page.content.decode()
    twin = client.get(page.headers["Link"].split(";")[0].strip("<>")).json()
    assert twin["valid"] and twin["hours"] == 16


def test_forged_and_altered_codes_are_refused(session, client, settings):
    (person,) = people(1)
    enrollment = enroll(session=session, person=person)
    attendance_record(enrollment)
    certificate = certificate_issue(enrollment)
    prefix, number, signature = certificate.code.split("-")
    forged = f"{prefix}-{number}-{'A' * len(signature)}"
    other_number = f"{prefix}-{int(number) + 1}-{signature}"
    for code in (forged, other_number, "SZC-1", "nonsense", f"{prefix}-{number}-{signature}X"):
        assert certificate_verify(code) is None, code
    with translation.override("en"):
        page = client.get(reverse("support:verify"), {"code": forged}).content.decode()
    assert 'data-valid="0"' in page and "was not issued by the platform, or it was altered" in page
    # Altering the certificate's record (more hours) breaks its code.
    Certificate.objects.filter(pk=certificate.pk).update(hours=160)
    assert certificate_verify(certificate.code) is None
    Certificate.objects.filter(pk=certificate.pk).update(hours=16)
    assert certificate_verify(certificate.code) is not None
    # A code signed with another key (another deployment, a guessed key) is refused.
    settings.SECRET_KEY = "another-secret-key-" + "x" * 50
    assert certificate_verify(certificate.code) is None


def test_the_talent_pool_is_the_regulators_only(firm, session, client):
    enrollment = enroll(session=session, person=firm.member, organization=firm.organization)
    attendance_record(enrollment)
    certificate_issue(enrollment)
    assert client.get(reverse("support:talent")).status_code == 302
    assert logged_in(firm.member).get(reverse("support:talent")).status_code == 403
    assert logged_in(firm.member).get(reverse("api:support_talent")).status_code == 403
    assert client.get(reverse("api:support_talent")).status_code == 401
    rows = logged_in(firm.regulator).get(reverse("api:support_talent")).json()
    assert rows == [{"person": "member", "hours": 16, "certificates": 1, "posts": [], "fields": []}]
    assert logged_in(firm.regulator).get(reverse("support:talent")).status_code == 200
