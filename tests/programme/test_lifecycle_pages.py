"""Lifecycles on pages, in the admin and in the JSON twins: next steps for the current user,
the history, and steps taken from the page."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from stdplus.accounts.models import Membership
from stdplus.accounts.services import token_create
from stdplus.programme.models import AreaProject, FundingScheme, MatchCandidate, Participation
from stdplus.programme.permissions import REGULATOR_GROUP
from stdplus.programme.services.audit import record_create
from stdplus.programme.services.funding import application_submit

from .factories import OrganizationFactory, evidence_complete, standards

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def regulator_user():
    user = User.objects.create_user("reg", is_staff=True)
    user.groups.add(Group.objects.get(name=REGULATOR_GROUP))
    return user


@pytest.fixture
def project(world):
    from stdplus.programme.models import PriorityArea, Region

    area = PriorityArea.objects.create(
        code="FOOD",
        name_zh="食品安全",
        name_en="Food safety",
        region=Region.objects.get(code="440300"),
        year_from=2024,
        year_to=2026,
    )
    return record_create(
        model=AreaProject,
        values={
            "area": area,
            "title_zh": "追溯平台",
            "title_en": "Traceability",
            "state": "planned",
        },
    )


@pytest.fixture
def application(world):
    scheme = FundingScheme.objects.get(code="SZ-2024")
    std = standards(("GB/T 94101-2024", "2024-02-01"))["GB/T 94101-2024"]
    participation = Participation.objects.create(
        organization=world.nanshan, standard=std, role="drafter"
    )
    return evidence_complete(
        application_submit(
            scheme=scheme,
            item_type=scheme.item_types.get(code="national-part"),
            organization=world.nanshan,
            participation=participation,
            amount_requested=100_000,
            submitted_on=dt.date(2024, 3, 1),
        )
    )


def test_the_project_page_and_its_json(project, regulator_user, client):
    url = reverse("programme:project-detail", args=[project.pk])
    public = client.get(url)
    page = public.content.decode()
    assert 'data-step="begin" data-refused' in page and "<form" not in page.split("lifecycle")[1]
    assert (
        f'rel="alternate" type="application/json" href="/api/v1/programme/projects/{project.pk}"'
        in page
    )
    api = client.get(f"/api/v1/programme/projects/{project.pk}").json()
    assert api["lifecycle"]["state"] == "planned"
    assert [s["action"] for s in api["lifecycle"]["steps"]] == ["begin"]
    assert api["lifecycle"]["steps"][0]["allowed"] is False
    assert api["lifecycle"]["history"][0]["action"] == "create"

    regulator = _client(regulator_user)
    response = regulator.post(url, {"action": "begin", "note": "kick-off"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.state == "in_progress"
    api = regulator.get(f"/api/v1/programme/projects/{project.pk}").json()
    assert [s["action"] for s in api["lifecycle"]["steps"] if s["allowed"]] == ["finish"]
    assert api["lifecycle"]["history"][-1]["by"] == "reg"
    listed = client.get("/api/v1/programme/areas").json()
    assert {
        "id": project.pk,
        "title_zh": "追溯平台",
        "title_en": "Traceability",
        "state": "in_progress",
    } in listed[0]["projects"]
    assert f'href="{url}"' in client.get(reverse("programme:areas")).content.decode()


def test_a_refused_step_from_the_page_says_why_and_changes_nothing(project, regulator_user):
    regulator = _client(regulator_user)
    url = reverse("programme:project-detail", args=[project.pk])
    with translation.override("en"):
        response = regulator.post(url, {"action": "finish"}, follow=True)
    assert "is not possible" in response.content.decode()
    project.refresh_from_db()
    assert project.state == "planned" and project.events.count() == 1
    response = regulator.post(url, {"action": "begin", "on": "someday"}, follow=True)
    assert "someday is not a date" in response.content.decode()
    assert project.events.count() == 1


def test_the_application_json_is_private(application, world, regulator_user, client):
    url = f"/api/v1/programme/applications/{application.pk}"
    assert client.get(url).status_code == 401
    stranger = _client(User.objects.create_user("stranger"))
    assert stranger.get(url).status_code == 404
    member = User.objects.create_user("member")
    Membership.objects.create(user=member, organization=world.nanshan)
    mine = _client(member).get(url).json()
    steps = {s["action"]: s["allowed"] for s in mine["lifecycle"]["steps"]}
    assert steps == {"review": False, "approve": False, "reject": False, "withdraw": True}
    assert all(check["message"] for check in mine["checks"])
    seen = _client(regulator_user).get(url).json()
    assert {s["action"]: s["allowed"] for s in seen["lifecycle"]["steps"]} == {
        "review": True,
        "approve": True,
        "reject": True,
        "withdraw": False,
    }
    page = _client(regulator_user).get(
        reverse("programme:application-detail", args=[application.pk])
    )
    assert page.status_code == 200 and f'href="{url}"' in page.content.decode()


def test_a_token_reads_the_applications_of_its_own_organization_only(application, world):
    person = User.objects.create_user("in-two")
    other = OrganizationFactory(name_zh="另一家公司")
    Membership.objects.create(user=person, organization=world.nanshan)
    Membership.objects.create(user=person, organization=other)
    url = f"/api/v1/programme/applications/{application.pk}"
    for organization, status in ((world.nanshan, 200), (other, 404)):
        _token, raw = token_create(user=person, organization=organization, name="script")
        response = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == status, organization


def test_matches_are_for_the_regulator(world, regulator_user, client):
    std = standards(("GB/T 94102-2024", "2024-02-01"))["GB/T 94102-2024"]
    candidate = MatchCandidate.objects.create(
        standard=std, name="南山测试", organization=world.nanshan, score=0.8
    )
    url = f"/api/v1/programme/matches/{candidate.pk}"
    member = _client(User.objects.create_user("member"))
    assert member.get(url).status_code == 404
    assert member.get(reverse("programme:review-detail", args=[candidate.pk])).status_code == 403
    regulator = _client(regulator_user)
    assert regulator.get(url).json()["lifecycle"]["steps"][0]["action"] == "accept"
    queue = regulator.get(reverse("programme:review")).content.decode()
    assert 'value="accept"' in queue and 'value="reject"' in queue
    response = regulator.post(
        reverse("programme:review-detail", args=[candidate.pk]),
        {"action": "reject", "return": "queue"},
    )
    assert response.status_code == 302 and "review" in response["Location"]
    candidate.refresh_from_db()
    assert candidate.state == "rejected" and candidate.decided_by == regulator_user
    history = regulator.get(reverse("programme:review-detail", args=[candidate.pk]))
    assert 'data-event="reject"' in history.content.decode()


def test_the_admin_shows_the_lifecycle_and_takes_steps(world, regulator_user):
    regulator = _client(regulator_user)
    pilot = world.pilots.running
    change = reverse("admin:programme_pilot_change", args=[pilot.pk])
    page = regulator.get(change).content.decode()
    assert 'data-lifecycle="pilot"' in page and 'data-step="submit_for_evaluation"' in page
    # The state is not a form field: posting it changes nothing.
    assert 'name="state"' not in page
    step = reverse("admin:programme_pilot_step", args=[pilot.pk])
    assert regulator.get(step).status_code == 405
    response = regulator.post(step, {"action": "submit_for_evaluation", "on": "2018-09-01"})
    assert response.status_code == 302 and response["Location"].endswith(change)
    pilot.refresh_from_db()
    assert pilot.state == "under_evaluation"
    assert pilot.events.last().actor == regulator_user


def test_staff_send_a_failed_webhook_delivery_again(db):
    from stdplus.core.lifecycle import transition_apply
    from stdplus.watch.lifecycles import DELIVERY
    from tests.core.test_lifecycle_walks import KITS

    kit = KITS["webhook_delivery"]()
    delivery = kit.new("pending")
    for action in ("claim", "give_up"):
        step = DELIVERY.step(action)
        transition_apply(delivery, action, actor=None, data=kit.data(step, delivery))
    staff = User.objects.create_user("ops", is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="watch",
            codename__in=["view_webhookdelivery", "change_webhookdelivery"],
        )
    )
    client = _client(staff)
    change = reverse("admin:watch_webhookdelivery_change", args=[delivery.pk])
    page = client.get(change).content.decode()
    assert 'data-step="requeue"' in page and 'data-event="give_up"' in page
    client.post(
        reverse("admin:watch_webhookdelivery_step", args=[delivery.pk]), {"action": "requeue"}
    )
    delivery.refresh_from_db()
    assert delivery.state == "retrying"
