"""A spot-check round, a scheme, a ranking run and a leader, for the site-wide walks
(tests/test_json_twins.py, tests/i18n/test_one_language.py): the URL of each page."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.urls import reverse

from stdplus.core.dates import today
from stdplus.core.lifecycle import transition_apply
from stdplus.supervision.leaders import (
    area_create,
    category_create,
    leaders_nominate,
    ranking_run,
    scheme_create,
)
from stdplus.supervision.spotchecks import inspector_add, item_judge, round_draw, round_publish

from ..declarations.conftest import make_catalog, make_enterprise, make_member
from .conftest import SPECS, declare, regulator_user


def supervision_site() -> dict[str, str]:
    make_catalog()
    regulator = regulator_user("site-regulator")
    inspector = User.objects.create_user("site-inspector")
    inspector_add(actor=regulator, user=inspector)
    declarations = []
    for efficiency, noise in (("96", "38"), ("91", "45")):
        enterprise = make_enterprise("走查电器")
        declarations.append(
            declare(enterprise, make_member(enterprise), efficiency=efficiency, noise=noise)
        )
    round_ = round_draw(
        actor=regulator,
        title="Round 1",
        values={"region": "440300", "count": "2", "inspectors_per_check": "1", "seed": "site"},
    )
    check = round_.checks.first()
    for item in check.items.all():
        item_judge(actor=inspector, item=item, judgment="pass")
    transition_apply(check, "evaluate", actor=inspector, data={"outcome": "conforming"})
    round_publish(actor=regulator, round_=round_)
    area = area_create(
        actor=regulator,
        values={"year": "2026", "code": "HA", "name_zh": "家用电器", "name_en": "Home appliances"},
    )
    category = category_create(
        actor=regulator,
        area=area,
        values={
            "code": "KETTLE",
            "name_zh": "电水壶",
            "name_en": "Electric kettles",
            "product_category": "3854",
        },
    )
    scheme = scheme_create(actor=regulator, category=category, indicators=SPECS)
    transition_apply(scheme, "announce", actor=regulator, on=today())
    transition_apply(
        scheme, "take_effect", actor=regulator, on=today() + dt.timedelta(days=14)
    )  # ten working days lie within any two weeks
    run = ranking_run(actor=regulator, scheme=scheme, year=2026)
    (entry,) = leaders_nominate(actor=regulator, run=run)
    return {
        "supervision:rounds": reverse("supervision:rounds"),
        "supervision:roster": reverse("supervision:roster"),
        "supervision:my-checks": reverse("supervision:my-checks"),
        "supervision:round": round_.get_absolute_url(),
        "supervision:check": check.get_absolute_url(),
        "supervision:areas": reverse("supervision:areas"),
        "supervision:category": category.get_absolute_url(),
        "supervision:scheme": scheme.get_absolute_url(),
        "supervision:run": run.get_absolute_url(),
        "supervision:leader": entry.get_absolute_url(),
        "declarations:detail": declarations[1].get_absolute_url(),
    }
