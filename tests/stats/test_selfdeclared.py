"""The self-declaration figures: declarations made public, and those with open findings, by
district, year and category; each figure drills down to its records."""

import pytest
from django.urls import reverse

from stdplus.catalog.models import Standard
from stdplus.core.dates import today
from stdplus.core.lifecycle import transition_apply
from stdplus.declarations.rechecks import standards_recheck
from stdplus.declarations.services import declaration_create, product_add, standard_cite
from stdplus.programme.selectors import region_get
from stdplus.stats.indicators import INDICATORS, Period, Scope

from ..declarations.conftest import (
    CURRENT_MANDATORY,
    CURRENT_RECOMMENDED,
    make_catalog,
    make_enterprise,
    make_member,
)


def scope(code, year=None, real_only=False):
    return Scope(
        region=region_get(code), period=Period.year(year or today().year), real_only=real_only
    )


def _declared(region, category, cites, demo=False):
    enterprise = make_enterprise()
    enterprise.region_code = region
    enterprise.save()
    member = make_member(enterprise)
    declaration = declaration_create(enterprise=enterprise, user=member, demo=demo)
    product = product_add(
        declaration=declaration, user=member, values={"name": "水壶", "category": category}
    )
    for text in cites:
        standard_cite(product=product, user=member, text=text)
    transition_apply(declaration, "declare", actor=member, data={"commitment": "yes"})
    return declaration


@pytest.fixture
def declared(world):
    make_catalog()
    nanshan = _declared("440305", "3854", [CURRENT_MANDATORY])
    futian = _declared("440304", "2927", [CURRENT_RECOMMENDED])
    demo = _declared("440305", "2927", [CURRENT_MANDATORY], demo=True)
    return nanshan, futian, demo


def test_declared_by_district_year_and_category(declared):
    nanshan, futian, demo = declared
    declared_ = INDICATORS["declared"]
    assert declared_.value(scope("4403")) == 3
    assert declared_.value(scope("4403", real_only=True)) == 2
    assert declared_.value(scope("440305")) == 2
    assert declared_.value(scope("440304")) == 1
    assert declared_.value(scope("4403", today().year - 1)) == 0
    assert declared_.split_values(scope("4403"), "category") == {"3854": 1, "2927": 2}
    assert list(declared_.records(scope("4403"), {"category": "3854"})) == [nanshan]


def test_declarations_with_open_findings(declared):
    nanshan, futian, demo = declared
    figure = INDICATORS["declarations_findings"]
    assert figure.value(scope("4403")) == 0
    standard = Standard.objects.get(canonical="GB/T 97100-2018")
    Standard.objects.filter(pk=standard.pk).update(
        status="withdrawn", base_status="withdrawn", withdrawn=today().replace(month=1, day=1)
    )
    assert standards_recheck([standard.pk]).raised == 1
    assert figure.value(scope("4403")) == 1
    assert figure.value(scope("440305")) == 0
    assert list(figure.records(scope("4403"))) == [futian]
    assert figure.split_values(scope("4403"), "severity") == {"error": 1}
    assert list(figure.records(scope("4403"), {"severity": "error"})) == [futian]
    assert figure.records(scope("4403"), {"severity": "warning"}).count() == 0
    for split in figure.splits:
        for split_value, count in figure.split_values(scope("4403"), split.name).items():
            assert figure.records(scope("4403"), {split.name: split_value}).count() == count
    # Closed when the standard is back: no longer counted.
    Standard.objects.filter(pk=standard.pk).update(
        status="current", base_status="current", withdrawn=None
    )
    assert standards_recheck([standard.pk]).closed == 1
    assert figure.value(scope("4403")) == 0


def test_the_records_page_lists_them(client, declared):
    url = reverse("stats:records", args=["declared"]) + f"?region=4403&year={today().year}"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    body = page.content.decode()
    assert declared[0].get_absolute_url() in body and "未结问题" in body
    api = client.get(f"/api/v1/stats/records/declared?region=4403&year={today().year}")
    assert api.status_code == 200 and api.json()["count"] == 3
