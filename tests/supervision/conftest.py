"""Declared products with indicators, a regulator with a roster, a category with a scheme."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, User

from stdplus.core.lifecycle import transition_apply
from stdplus.declarations.services import (
    declaration_create,
    indicator_add,
    product_add,
    standard_cite,
)
from stdplus.programme.models import Expert
from stdplus.programme.permissions import REGULATOR_GROUP
from stdplus.supervision.leaders import area_create, category_create, scheme_create
from stdplus.supervision.spotchecks import inspector_add

from ..declarations.conftest import CURRENT_MANDATORY, make_catalog, make_enterprise, make_member

_serial = itertools.count(1)
KETTLES = "3854"


def regulator_user(name="regulator") -> User:
    user = User.objects.create_user(f"{name}{next(_serial)}")
    user.groups.add(Group.objects.get(name=REGULATOR_GROUP))
    return User.objects.get(pk=user.pk)


def declare(
    enterprise,
    member,
    *,
    efficiency="92",
    noise="45",
    unit="%",
    region=None,
    names=("热效率", "噪声"),
):
    """A declared kettle with two indicators (efficiency in %, noise in dB)."""
    if region is not None:
        enterprise.region_code = region
        enterprise.save(update_fields=["region_code"])
    declaration = declaration_create(enterprise=enterprise, user=member)
    product = product_add(
        declaration=declaration,
        user=member,
        values={"name": f"电水壶{next(_serial)}", "category": KETTLES},
    )
    standard_cite(product=product, user=member, text=CURRENT_MANDATORY)
    for (name, value, u), direction in zip(
        ((names[0], efficiency, unit), (names[1], noise, "dB")), ("higher", "lower"), strict=True
    ):
        if value is None:
            continue
        indicator_add(
            product=product,
            user=member,
            values={
                "name": name,
                "direction": direction,
                "unit": u,
                "value": value,
                "own_method": "按企业方法测量",
            },
        )
    transition_apply(declaration, "declare", actor=member, data={"commitment": "yes"})
    return declaration


@dataclass
class World:
    regulator: User
    enterprises: list
    members: list
    declarations: list
    inspectors: list
    inspector_users: list


@pytest.fixture
def world(db, today):
    today("2026-06-01")
    make_catalog()
    regulator = regulator_user()
    enterprises, members, declarations = [], [], []
    for n, (efficiency, noise) in enumerate(
        [("96", "38"), ("96", "38"), ("91", "45"), ("85", "55"), ("88", "40"), ("93", "48")]
    ):
        enterprise = make_enterprise(f"测试电器{n}")
        member = make_member(enterprise)
        enterprises.append(enterprise)
        members.append(member)
        declarations.append(declare(enterprise, member, efficiency=efficiency, noise=noise))
    inspector_users = []
    inspectors = []
    for _n in range(3):
        user = User.objects.create_user(f"inspector{next(_serial)}")
        inspector_users.append(user)
        inspectors.append(inspector_add(actor=regulator, user=user))
    # An expert of the register who works at the first enterprise: never inspects it.
    expert = Expert.objects.create(name_zh="利益冲突专家", organization=enterprises[0])
    inspectors.append(inspector_add(actor=regulator, expert=expert))
    return World(regulator, enterprises, members, declarations, inspectors, inspector_users)


SPECS = [
    {
        "name_zh": "热效率",
        "name_en": "Thermal efficiency",
        "direction": "higher",
        "unit": "%",
        "floor": "82",
        "tiers": ["95", "90"],
    },
    {
        "name_zh": "噪声",
        "name_en": "Noise",
        "direction": "lower",
        "unit": "dB",
        "floor": "60",
        "tiers": ["40", "50"],
    },
]


@pytest.fixture
def category(world):
    area = area_create(
        actor=world.regulator,
        values={"year": "2026", "code": "HA", "name_zh": "家用电器", "name_en": "Appliances"},
    )
    return category_create(
        actor=world.regulator,
        area=area,
        values={
            "code": "KETTLE",
            "name_zh": "电水壶",
            "name_en": "Kettles",
            "product_category": KETTLES,
        },
    )


@pytest.fixture
def scheme_in_effect(world, category, today):
    scheme = scheme_create(actor=world.regulator, category=category, indicators=SPECS)
    transition_apply(scheme, "announce", actor=world.regulator)
    import datetime as dt

    transition_apply(
        scheme, "take_effect", actor=world.regulator, on=dt.date(2026, 6, 15)
    )  # 10 working days after Monday 1 June
    today("2026-06-15")
    return scheme
