"""Training statistics: sessions held, people trained with their learning hours, certificates,
by region and year, each figure linked to the records behind it; who was trained is shown to
the regulator only; a change shows at once (the cache is keyed on the training's version)."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation

from stdplus.programme.models import Region
from stdplus.support.models import Course, Session
from stdplus.support.training import attendance_record, certificate_issue, enroll

from .conftest import logged_in

pytestmark = pytest.mark.django_db


def session(course, region, day, capacity=10):
    return Session.objects.create(
        course=course,
        starts_on=dt.date.fromisoformat(day),
        ends_on=dt.date.fromisoformat(day),
        place="Shenzhen",
        region=Region.objects.get(code=region),
        capacity=capacity,
    )


def attend(held, person, *, certificate=True):
    enrollment = attendance_record(enroll(session=held, person=person))
    if certificate:
        certificate_issue(enrollment, on=held.ends_on)
    return enrollment


@pytest.fixture
def trained(firm):
    basics = Course.objects.create(
        title_zh="标准化基础", title_en="Standardization basics", hours=16
    )
    iso = Course.objects.create(title_zh="国际标准化", title_en="International standards", hours=8)
    futian = session(basics, "440304", "2025-03-10")
    nanshan = session(iso, "440305", "2025-06-01")
    futian_2026 = session(iso, "440304", "2026-02-01")
    guangzhou = session(basics, "440100", "2025-04-01")
    empty = session(iso, "440304", "2025-09-09")
    people = [User.objects.create_user(f"t{i}", first_name=f"Trainee {i}") for i in range(4)]
    attend(futian, people[0])
    attend(futian, people[1], certificate=False)
    attend(nanshan, people[0])
    attend(nanshan, people[2])
    attend(futian_2026, people[3])
    attend(guangzhou, people[1])
    enroll(session=futian, person=people[3])  # enrolled, did not attend
    return {"futian": futian, "nanshan": nanshan, "empty": empty, "people": people}


def figures(client, **params):
    payload = client.get("/api/v1/stats/indicators", params).json()
    return {f["key"]: f for f in payload["figures"]}, payload


def test_sessions_people_hours_and_certificates_by_region_and_year(trained, client):
    shenzhen, payload = figures(client, region="4403", year=2025)
    assert shenzhen["training_sessions"]["value"] == 3  # Futian twice, Nanshan once
    assert shenzhen["training_people"]["value"] == 3  # t0 (twice), t1, t2
    assert shenzhen["training_people"]["total"]["value"] == 16 + 16 + 8 + 8
    assert shenzhen["training_certificates"]["value"] == 3  # not t1's in Futian
    assert shenzhen["training_certificates"]["total"]["value"] == 16 + 8 + 8
    children = {c["code"]: c["figures"] for c in payload["by_child"]}
    futian = children["440304"]
    assert futian["training_sessions"]["value"] == 2
    assert futian["training_people"]["value"] == 2
    assert children["440305"]["training_people"]["value"] == 2
    in_futian, _ = figures(client, region="440304", year=2025)
    assert in_futian["training_people"]["total"]["value"] == 32
    next_year, _ = figures(client, region="440304", year=2026)
    assert (next_year["training_sessions"]["value"], next_year["training_people"]["value"]) == (
        1,
        1,
    )
    assert next_year["training_people"]["previous"] == 2
    province, _ = figures(client, region="44", year=2025)
    assert province["training_sessions"]["value"] == 4 and province["training_people"]["value"] == 3


def test_the_records_behind_each_figure(trained, client, firm):
    shenzhen, _ = figures(client, region="4403", year=2025)
    for key, figure in shenzhen.items():
        if not key.startswith("training_"):
            continue
        listed = client.get(figure["api"]).json()
        assert listed["count"] == figure["value"], key
    people = client.get(shenzhen["training_people"]["api"]).json()["results"]
    assert sum(row["hours"] for row in people) == shenzhen["training_people"]["total"]["value"]
    assert sorted((row["sessions"], row["hours"]) for row in people) == [(1, 8), (1, 16), (2, 24)]
    # Who was trained is not public: the regulator sees the names and the codes.
    assert {row["person"] for row in people} == {None}
    certificates = client.get(shenzhen["training_certificates"]["api"]).json()["results"]
    assert {row["code"] for row in certificates} == {None}
    as_regulator = logged_in(firm.regulator)
    named = as_regulator.get(shenzhen["training_people"]["api"]).json()["results"]
    assert {row["person"] for row in named} == {"Trainee 0", "Trainee 1", "Trainee 2"}
    codes = as_regulator.get(shenzhen["training_certificates"]["api"]).json()["results"]
    assert all(row["code"].startswith("SZC-") for row in codes)
    sessions = client.get(shenzhen["training_sessions"]["api"]).json()["results"]
    assert {row["id"]: row["attended"] for row in sessions} == {
        trained["futian"].pk: 2,
        trained["nanshan"].pk: 2,
        trained["empty"].pk: 0,
    }


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", ["People trained", "learning hours"]), ("zh-hans", ["培训人数", "学时"])],
)
def test_the_dashboard_and_the_records_page_in_both_languages(trained, client, language, words):
    with translation.override(language):
        html = client.get(
            reverse("stats:dashboard"),
            {"region": "4403", "year": 2025},
            HTTP_ACCEPT_LANGUAGE=language,
        ).content.decode()
        page = client.get(
            reverse("stats:records", args=["training_sessions"]),
            {"region": "4403", "year": 2025},
            HTTP_ACCEPT_LANGUAGE=language,
        ).content.decode()
    assert 'data-figure="training_people">3<' in html
    assert 'data-total="training_people">48<' in html
    for word in words:
        assert word in html, word
    course = "标准化基础" if language == "zh-hans" else "Standardization basics"
    assert course in page


def test_a_new_attendance_shows_at_once(trained, client):
    before, _ = figures(client, region="4403", year=2025)
    late = User.objects.create_user("late")
    attendance_record(enroll(session=trained["empty"], person=late))
    after, _ = figures(client, region="4403", year=2025)
    assert after["training_people"]["value"] == before["training_people"]["value"] + 1
    assert (
        after["training_people"]["total"]["value"]
        == before["training_people"]["total"]["value"] + 8
    )
