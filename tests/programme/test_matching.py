"""Drafting organizations on catalog entries: exact names link, everything else waits for review."""

import pytest

from stdplus.catalog.models import Standard
from stdplus.catalog.services import StandardIn, standards_import
from stdplus.core.errors import ApplicationError
from stdplus.programme.choices import MatchState, RecordSource
from stdplus.programme.models import MatchCandidate, Participation
from stdplus.programme.names import core_key, name_key
from stdplus.programme.services.matching import (
    drafting_organizations_match,
    match_accept,
    match_reject,
)

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_name_keys():
    assert name_key("深圳市 华为技术有限公司") == name_key("深圳市华为技术有限公司")
    assert name_key("ＡＢＣ（深圳）有限公司") == name_key("abc(深圳)有限公司")
    assert core_key("深圳市华为技术有限公司") == core_key("华为技术股份有限公司") == "华为技术"
    assert core_key("Huawei Technologies Co., Ltd.") == "huaweitechnologies"


@pytest.fixture
def catalog():
    standards_import(
        records=[
            StandardIn(
                "GB/T 92001-2020",
                row=1,
                status_word="current",
                drafting_organizations=[
                    "深圳市测试科技有限公司",
                    "深圳 大学",
                    "华光技术股份有限公司",
                    "未登记研究所",
                ],
            ),
            StandardIn(
                "GB/T 92002-2021", row=2, status_word="current", drafting_organizations=["双名公司"]
            ),
        ],
        source="test",
        path="test.jsonl",
    )
    return {s.canonical: s for s in Standard.objects.filter(canonical__startswith="GB/T 9200")}


def test_exact_names_link_and_the_rest_is_queued(catalog):
    tech = OrganizationFactory(name_zh="深圳市测试科技有限公司", name_en="")
    university = OrganizationFactory(name_zh="深圳大学", name_en="Shenzhen University")
    huaguang = OrganizationFactory(name_zh="深圳市华光技术有限公司", name_en="")
    OrganizationFactory(name_zh="双名公司", name_en="", region_code="440304")
    OrganizationFactory(name_zh="双名公司", name_en="", region_code="440305")

    report = drafting_organizations_match()
    assert (report.linked, report.queued, report.unknown) == (2, 4, 1)
    linked = Participation.objects.filter(source=RecordSource.MATCHED)
    assert {(p.organization, p.role) for p in linked} == {(tech, "lead"), (university, "drafter")}
    queued = MatchCandidate.objects.filter(state=MatchState.PENDING)
    assert {(c.name, c.organization_id) for c in queued} == {
        ("华光技术股份有限公司", huaguang.pk),
        ("未登记研究所", None),
        *{
            ("双名公司", org_id)
            for org_id in queued.filter(name="双名公司").values_list("organization_id", flat=True)
        },
    }
    # Running again links and queues nothing twice.
    again = drafting_organizations_match()
    assert (again.linked, again.queued, again.already) == (0, 0, 2)

    candidate = queued.get(name="华光技术股份有限公司")
    participation = match_accept(candidate=candidate)
    assert participation.organization == huaguang and participation.source == RecordSource.REVIEWED
    assert participation.role == "drafter"
    with pytest.raises(ApplicationError):
        match_accept(candidate=candidate)

    twins = list(queued.filter(name="双名公司"))
    match_accept(candidate=twins[0])
    twins[1].refresh_from_db()
    assert twins[1].state == MatchState.REJECTED

    unknown = queued.get(name="未登记研究所")
    with pytest.raises(ApplicationError, match="registry organization \\(id\\) is required"):
        match_accept(candidate=unknown)
    match_reject(candidate=unknown)
    assert not Participation.objects.filter(note="未登记研究所").exists()
    # Every decision is one event; the twin settled by the other's acceptance says so.
    assert [e.action for e in candidate.events.all()] == ["accept"]
    assert twins[1].events.get().note.startswith("Settled")
    assert unknown.events.get().action == "reject"
