"""Who sees and does what: the public reads, the regulator group edits, members see their own."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from stdplus.accounts.models import Membership
from stdplus.programme.models import (
    FundingApplication,
    FundingScheme,
    MatchCandidate,
    Participation,
)
from stdplus.programme.permissions import REGULATOR_GROUP
from stdplus.programme.services.funding import application_submit

from .factories import standards
from .test_sheets import filled

pytestmark = pytest.mark.django_db


@pytest.fixture
def regulator():
    user = User.objects.create_user("reg", password="pw-reg-12345", is_staff=True)
    user.groups.add(Group.objects.get(name=REGULATOR_GROUP))
    client = Client()
    client.force_login(user)
    return client


def test_the_group_has_least_privilege():
    group = Group.objects.get(name=REGULATOR_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert "keep_register" in codenames and "change_participation" in codenames
    assert not any(code.startswith("delete_") for code in codenames)
    assert "change_pilotevent" not in codenames and "change_auditevent" not in codenames
    assert not any(p.content_type.app_label == "catalog" for p in group.permissions.all())


def test_public_pages(world, client):
    for url in [
        reverse("programme:home"),
        reverse("programme:experts"),
        reverse("programme:pilots"),
        reverse("programme:areas"),
        reverse("programme:organization-detail", args=[world.nanshan.pk]),
        reverse("programme:pilot-detail", args=[world.pilots.done.pk]),
    ]:
        assert client.get(url).status_code == 200, url
    page = client.get(
        reverse("programme:expert-detail", args=[world.experts.chair.pk])
    ).content.decode()
    assert "张主席" in page and "ISO/TC 1" in page
    assert "example.org" not in page and "13800000000" not in page
    api = client.get(f"/api/v1/programme/experts/{world.experts.chair.pk}").json()
    assert "email" not in api and "phone" not in api and api["positions"][0]["role"] == "chair"
    archived = client.get(reverse("programme:organization-detail", args=[world.archived.pk]))
    assert archived.status_code == 404


@pytest.mark.parametrize("name", ["programme:review", "programme:upload", "programme:applications"])
def test_the_public_cannot_keep_the_register(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_member_without_the_group_is_refused(world):
    user = User.objects.create_user("member", password="pw-member-12345")
    client = Client()
    client.force_login(user)
    assert client.get(reverse("programme:review")).status_code == 403
    assert client.get(reverse("programme:upload")).status_code == 403
    response = client.post(
        reverse("programme:pilot-detail", args=[world.pilots.running.pk]),
        {"action": "submit_for_evaluation"},
    )
    assert response.status_code == 403
    world.pilots.running.refresh_from_db()
    assert world.pilots.running.state == "in_progress"


def test_members_see_their_own_applications(world):
    scheme = FundingScheme.objects.get(code="SZ-2024")
    item = scheme.item_types.get(code="national-part")
    std = standards(("GB/T 94001-2024", "2024-02-01"))["GB/T 94001-2024"]
    mine = Participation.objects.create(organization=world.nanshan, standard=std, role="drafter")
    theirs = Participation.objects.create(organization=world.futian, standard=std, role="drafter")
    for participation in (mine, theirs):
        application_submit(
            scheme=scheme,
            item_type=item,
            organization=participation.organization,
            participation=participation,
            amount_requested=100_000,
            submitted_on=dt.date(2024, 3, 1),
        )
    user = User.objects.create_user("chen", password="pw-chen-12345")
    Membership.objects.create(user=user, organization=world.nanshan)
    client = Client()
    client.force_login(user)
    page = client.get(reverse("programme:applications")).content.decode()
    own = FundingApplication.objects.get(organization=world.nanshan)
    other = FundingApplication.objects.get(organization=world.futian)
    assert f'data-application="{own.pk}"' in page and f'data-application="{other.pk}"' not in page
    url = reverse("programme:application-detail", args=[own.pk])
    assert client.post(url, {"action": "approve"}).status_code == 403
    own.refresh_from_db()
    assert own.state == "submitted"
    # The applicant's own step: withdraw, offered on the page and taken from it.
    page = client.get(url).content.decode()
    assert 'data-step="withdraw"' in page and 'data-step="approve" data-refused' in page
    assert client.post(url, {"action": "withdraw", "note": "filed twice"}).status_code == 302
    own.refresh_from_db()
    assert own.state == "withdrawn"
    assert client.get(reverse("programme:application-detail", args=[other.pk])).status_code == 404


def test_regulator_decides_uploads_reviews_and_moves_pilots(world, regulator):
    response = regulator.post(
        reverse("programme:pilot-detail", args=[world.pilots.running.pk]),
        {"action": "submit_for_evaluation", "on": "2018-09-01"},
    )
    assert response.status_code == 302
    world.pilots.running.refresh_from_db()
    assert world.pilots.running.state == "under_evaluation"

    template = regulator.get(reverse("programme:template", args=["experts"]))
    assert template.status_code == 200 and template.content[:2] == b"PK"

    bad = filled("experts", [["", "", "", "", "", ""], ["某专家", "", "不存在的单位", "", "", ""]])
    response = regulator.post(
        reverse("programme:upload"),
        {"kind": "experts", "file": io.BytesIO(bad)},
        format="multipart",
    )
    assert response.status_code == 400
    assert (
        "不存在的单位" in response.content.decode() and "data-errors" in response.content.decode()
    )

    standards(("GB/T 95001-2019", "2019-01-01"))
    candidate = MatchCandidate.objects.create(
        standard_id=standards(("GB/T 95002-2019", "2019-01-01"))["GB/T 95002-2019"].pk,
        name="南山测试",
        organization=world.nanshan,
        score=0.8,
    )
    regulator.post(reverse("programme:review-detail", args=[candidate.pk]), {"action": "accept"})
    candidate.refresh_from_db()
    assert candidate.state == "accepted"
    assert Participation.objects.filter(
        organization=world.nanshan, standard_id=candidate.standard_id
    ).exists()


def test_posts_need_the_csrf_token(world):
    user = User.objects.create_user("reg2", password="pw-reg-12345")
    user.groups.add(Group.objects.get(name=REGULATOR_GROUP))
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(
        reverse("programme:pilot-detail", args=[world.pilots.running.pk]),
        {"action": "terminate", "note": "forged"},
    )
    assert response.status_code == 403
    world.pilots.running.refresh_from_db()
    assert world.pilots.running.state == "in_progress"


def test_list_endpoints_do_not_grow_queries_with_rows(world, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/programme/experts").status_code == 200
    with django_assert_max_num_queries(3):
        client.get("/api/v1/programme/bodies")
    with django_assert_max_num_queries(3):
        client.get("/api/v1/programme/pilots")
    with django_assert_max_num_queries(8):
        client.get(reverse("programme:experts"))
    with django_assert_max_num_queries(12):
        client.get(reverse("programme:organization-detail", args=[world.nanshan.pk]))


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["experts", "bodies", "pilots"])
@pytest.mark.parametrize(
    "query", ["offset=-1", "limit=0", "limit=100000", "offset=-33674547553792240"]
)
def test_paging_out_of_range_is_a_clear_422(client, path, query):
    response = client.get(f"/api/v1/programme/{path}?{query}")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
