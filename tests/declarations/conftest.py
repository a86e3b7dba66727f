import itertools

import pytest
from django.contrib.auth.models import User

from stdplus.accounts.credit_code import check_character
from stdplus.accounts.models import Membership, Organization, OrganizationKind
from stdplus.catalog.models import Standard
from stdplus.catalog.services import RelationIn, StandardIn, standards_import
from stdplus.declarations.services import declaration_create, product_add, standard_cite
from stdplus.identifiers import parse

_serial = itertools.count(1)

CURRENT_MANDATORY = "GB 4806.7-2016"
CURRENT_RECOMMENDED = "GB/T 97100-2018"
METHOD = "GB/T 97101-2016"
SUPERSEDED = "GB/T 97102-2010"
SUCCESSOR = "GB/T 97102-2020"
WITHDRAWN = "GB/T 97103-2005"
UPCOMING = "GB/T 97104-2026"


def credit_code(serial: int) -> str:
    first = f"91440300MA5{serial:06d}"
    return first + check_character(first)


def make_catalog() -> dict[str, Standard]:
    rows = [
        (CURRENT_MANDATORY, "2016-10-19", "current", {}),
        (CURRENT_RECOMMENDED, "2018-05-01", "current", {}),
        (METHOD, "2016-08-31", "current", {}),
        (SUPERSEDED, "2010-01-01", "current", {}),
        (SUCCESSOR, "2020-03-01", "current", {"relations": [RelationIn("replaces", SUPERSEDED)]}),
        (WITHDRAWN, "2005-01-01", "withdrawn", {"withdrawn": _date("2019-01-01")}),
        (UPCOMING, "2026-01-01", "current", {"effective": _date("2099-01-01")}),
    ]
    standards_import(
        records=[
            StandardIn(
                identifier,
                row=index,
                title_en=f"Title of {identifier}",
                status_word=status,
                published=_date(published),
                **extra,
            )
            for index, (identifier, published, status, extra) in enumerate(rows, start=1)
        ],
        source="test",
        path="test.jsonl",
    )
    keys = {row[0]: parse(row[0]).canonical for row in rows}
    found = {s.canonical: s for s in Standard.objects.filter(canonical__in=keys.values())}
    return {text: found[key] for text, key in keys.items()}


def _date(text):
    import datetime as dt

    return dt.date.fromisoformat(text)


def make_enterprise(name="深圳市测试电器有限公司") -> Organization:
    n = next(_serial)
    return Organization.objects.create(
        name_zh=f"{name}{n}",
        name_en=f"Shenzhen Test Appliances {n}",
        kind=OrganizationKind.ENTERPRISE,
        credit_code=credit_code(n),
        region_code="440305",
    )


def make_member(organization, name="engineer") -> User:
    user = User.objects.create_user(f"{name}{next(_serial)}", password="x-very-secret-1")
    Membership.objects.create(user=user, organization=organization)
    return user


@pytest.fixture
def catalog(db):
    return make_catalog()


@pytest.fixture
def enterprise(db):
    return make_enterprise()


@pytest.fixture
def member(enterprise):
    return make_member(enterprise)


@pytest.fixture
def draft(catalog, enterprise, member):
    declaration = declaration_create(enterprise=enterprise, user=member)
    product = product_add(
        declaration=declaration,
        user=member,
        values={"name": "电热水壶", "brand": "测试", "model": "K-1", "category": "3854"},
    )
    standard_cite(product=product, user=member, text="gb4806.7-2016")
    return declaration
