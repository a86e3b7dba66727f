"""The pages the issue's people work on besides the services: the organizer's roster (attendance
and certificates), the organization's policy alert settings, the expert's availability and
fields. Each checks who may use it, and bad input is a clear message that writes nothing."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation

from stdplus.catalog.models import Classification
from stdplus.programme.models import Expert, Region
from stdplus.support.models import (
    Certificate,
    Course,
    Enrollment,
    ExpertProfile,
    PolicyWatch,
    Session,
)
from stdplus.support.training import enroll
from stdplus.watch.models import Watcher

from .conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(firm):
    course = Course.objects.create(
        title_zh="标准化基础", title_en="Standardization basics", hours=16
    )
    held = Session.objects.create(
        course=course,
        starts_on=dt.date(2026, 5, 1),
        ends_on=dt.date(2026, 5, 2),
        place="Futian",
        region=Region.objects.get(code="440304"),
        capacity=1,
        waiting_places=1,
    )
    enroll(session=held, person=firm.member, organization=firm.organization)
    enroll(session=held, person=firm.stranger)  # on the waiting list
    return held


def post(client, url, **data):
    with translation.override("en"):
        return client.post(url, data, follow=True, HTTP_ACCEPT_LANGUAGE="en")


def test_the_organizer_records_attendance_and_issues_certificates(firm, session):
    url = reverse("support:session", args=[session.pk])
    for outsider in (firm.member, firm.stranger):
        assert logged_in(outsider).get(url).status_code == 404
    organizer = logged_in(firm.regulator)
    page = organizer.get(url)
    assert page.status_code == 200 and 'data-person="member"' in page.content.decode()
    place = Enrollment.objects.get(person=firm.member)
    waiting = Enrollment.objects.get(person=firm.stranger)
    # A day before the session, or someone on the waiting list: refused, nothing written.
    early = post(organizer, url, do="attend", enrollment=place.pk, attended_on="2026-04-30")
    assert "2026-04-30 is before the session starts (2026-05-01)" in early.content.decode()
    bad = post(organizer, url, do="attend", enrollment=place.pk, attended_on="2026-13-01")
    assert "2026-13-01 is not a date" in bad.content.decode()
    refused = post(organizer, url, do="attend", enrollment=waiting.pk, attended_on="2026-05-02")
    assert "Only a person with a place" in refused.content.decode()
    early_certificate = post(organizer, url, do="certify", enrollment=place.pk)
    assert "only after the person attended" in early_certificate.content.decode()
    assert not Enrollment.objects.filter(attended_on__isnull=False).exists()
    assert not Certificate.objects.exists()
    post(organizer, url, do="attend", enrollment=place.pk, attended_on="2026-05-02")
    done = post(organizer, url, do="certify_all")
    assert "Certificates issued: 1." in done.content.decode()
    certificate = Certificate.objects.get()
    assert certificate.enrollment == place and certificate.hours == 16
    assert reverse("support:certificate-pdf", args=[certificate.pk]) in done.content.decode()
    assert Enrollment.objects.get(pk=waiting.pk).attended_on is None


def test_a_teacher_of_the_course_keeps_its_roster(firm, session):
    teacher_user = User.objects.create_user("teacher")
    expert = Expert.objects.create(name_zh="王老师", name_en="Teacher Wang")
    ExpertProfile.objects.create(expert=expert, user=teacher_user)
    url = reverse("support:session", args=[session.pk])
    assert logged_in(teacher_user).get(url).status_code == 404
    session.course.teachers.add(expert)
    teacher = logged_in(teacher_user)
    assert teacher.get(url).status_code == 200
    post(teacher, url, do="attend_all")
    assert Enrollment.objects.get(person=firm.member).attended_on == dt.date(2026, 5, 2)
    training = teacher.get(reverse("support:training")).content.decode()
    assert url in training
    assert url not in logged_in(firm.member).get(reverse("support:training")).content.decode()


def test_the_organization_names_its_industries_for_policy_alerts(firm):
    url = reverse("support:policy-alerts")
    member = logged_in(firm.member)
    assert member.get(url).status_code == 200
    bad = post(member, url, industries="3974, electronics")
    assert bad.status_code == 400
    assert "electronics is not a GB/T 4754 code" in bad.content.decode()
    assert not PolicyWatch.objects.exists()
    saved = post(member, url, industries="3974，3831 3974")
    assert saved.status_code == 200
    watch = PolicyWatch.objects.get(organization=firm.organization)
    assert watch.industries == ["3974", "3831"]
    # Its members are on the list, to choose there how they hear.
    assert Watcher.objects.filter(watch_list=watch.watch_list, user=firm.member).exists()
    assert watch.watch_list.get_absolute_url() in saved.content.decode()
    assert not Watcher.objects.filter(watch_list=watch.watch_list, user=firm.stranger).exists()


def test_an_expert_sets_availability_and_fields(firm):
    Classification.objects.get_or_create(scheme="ics", code="03.120", defaults={"depth": 2})
    expert_user = User.objects.create_user("expert")
    profile = ExpertProfile.objects.create(
        expert=Expert.objects.create(name_zh="李专家", name_en="Expert Li"), user=expert_user
    )
    url = reverse("support:expert-profile")
    assert logged_in(firm.member).get(url).status_code == 404
    expert = logged_in(expert_user)
    bad = post(expert, url, available="on", ics="03.120, 99.999")
    assert (
        bad.status_code == 400 and "The catalog knows no ICS class 99.999." in bad.content.decode()
    )
    profile.refresh_from_db()
    assert profile.ics == [] and profile.available
    post(expert, url, ics="03.120")
    profile.refresh_from_db()
    assert profile.ics == ["03.120"] and not profile.available
    assert url in expert.get(reverse("support:questions")).content.decode()
