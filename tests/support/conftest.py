"""A Futian enterprise with standards to claim for, its member, the regulator and a stranger."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from stdplus.accounts.models import Membership
from stdplus.programme.models import Participation
from stdplus.programme.permissions import REGULATOR_GROUP
from tests.programme.factories import OrganizationFactory, standards


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def firm(db):
    std = standards(
        ("GB/T 93001-2024", "2024-05-01", {"drafting_organizations": ["测试企业"]}),
        ("ISO 93002:2024", "2024-04-01"),
        ("YY/T 93003-2019", "2019-07-01"),
        ("T/SZAS 93004-2024", "2024-09-01"),
    )
    organization = OrganizationFactory(region_code="440304")  # Futian, Shenzhen
    other = OrganizationFactory(region_code="440305")
    national = Participation.objects.create(
        organization=organization, standard=std["GB/T 93001-2024"], role="drafter"
    )
    iso = Participation.objects.create(
        organization=organization, standard=std["ISO 93002:2024"], role="drafter"
    )
    Participation.objects.create(organization=other, standard=std["ISO 93002:2024"], role="lead")
    old = Participation.objects.create(
        organization=organization, standard=std["YY/T 93003-2019"], role="lead"
    )
    group = Participation.objects.create(
        organization=organization, standard=std["T/SZAS 93004-2024"], role="lead"
    )
    member = User.objects.create_user("member")
    Membership.objects.create(user=member, organization=organization)
    regulator = User.objects.create_user("regulator", is_staff=True)
    regulator.groups.add(Group.objects.get(name=REGULATOR_GROUP))
    stranger = User.objects.create_user("stranger")
    Membership.objects.create(user=stranger, organization=other)
    return SimpleNamespace(
        organization=organization,
        other=other,
        national=national,
        iso=iso,
        old=old,
        group=group,
        member=User.objects.get(pk=member.pk),
        regulator=User.objects.get(pk=regulator.pk),
        stranger=User.objects.get(pk=stranger.pk),
    )
