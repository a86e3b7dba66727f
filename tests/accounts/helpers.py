"""Fixtures shared by the tests of accounts, checks and watch lists."""

from __future__ import annotations

import factory
import pytest
from django.contrib.auth import get_user_model

from stdplus.accounts.credit_code import check_character
from stdplus.accounts.models import Membership, Organization, Role
from stdplus.accounts.services import token_create
from stdplus.importers.services import file_import

from ..conftest import CURATED, RELATON_GB_SAMPLES

PASSWORD = "correct horse battery staple 42"


def credit_code(body: str = "91440300MA5F0000") -> str:
    first17 = (body + "0" * 17)[:17]
    return first17 + check_character(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = "enterprise"
    name_zh = factory.Sequence(lambda n: f"测试企业{n}")
    credit_code = factory.Sequence(lambda n: credit_code(f"91440300MA5F{n:04d}"))
    join_code = factory.Sequence(lambda n: f"join-code-{n}")


def member(organization, role=Role.MEMBER, **kwargs):
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, organization=organization, role=role)
    return user


@pytest.fixture
def org_a(db):
    return OrganizationFactory(name_zh="甲公司")


@pytest.fixture
def org_b(db):
    return OrganizationFactory(name_zh="乙公司")


@pytest.fixture
def alice(org_a):
    return member(org_a, Role.ADMIN, username="alice")


@pytest.fixture
def bob(org_b):
    return member(org_b, Role.ADMIN, username="bob")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(alice):  # a second, independent client
    from django.test import Client

    return Client()


@pytest.fixture
def alice_token(alice, org_a):
    _token, raw = token_create(user=alice, organization=org_a, name="script")
    return raw


@pytest.fixture
def bob_token(bob, org_b):
    _token, raw = token_create(user=bob, organization=org_b, name="script")
    return raw


@pytest.fixture
def curated(db, today):
    file_import(CURATED)
    file_import(RELATON_GB_SAMPLES)
