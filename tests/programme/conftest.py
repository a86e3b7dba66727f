import datetime as dt
from types import SimpleNamespace

import pytest

from stdplus.accounts.models import OrganizationKind
from stdplus.programme.choices import (
    BodyFamily,
    BodyKind,
    CommitteeLevel,
    IssuerKind,
    PilotLevel,
    PilotState,
    PositionRole,
)
from stdplus.programme.models import Expert, IssuerCode, Participation, Position, StandardsBody

from .factories import OrganizationFactory, PilotFactory, standards

D = dt.date


@pytest.fixture
def world(db):
    """A small region world with known records; the expected figures are in the tests."""
    std = standards(
        ("ISO 91001:2018", "2018-03-01", {"ics": ["35.040"]}),
        ("ISO 91002:2012", "2012-05-01"),
        ("ISO 91002:2018", "2018-06-01", {"ics": ["35.040", "03.120.10"]}),
        ("GB/T 90001-2018", "2018-04-01", {"ics": ["03.120.10"]}),
        ("YY/T 90002-2018", "2018-07-01"),
        ("DB4403/T 90003-2018", "2018-08-01"),
        ("DB44/T 90004-2018", "2018-09-01"),
        ("T/SZAS 90005-2018", "2018-10-01"),
        ("Q/DEMOX 90006-2018", "2018-11-01"),
        ("GB/T 90007-2017", "2017-02-01"),
        ("GB/T 90008-2018", "2018-12-01"),
    )
    from stdplus.catalog.models import Relation
    from stdplus.catalog.services import RelationIn  # noqa: F401 - relations made by import below

    Relation.objects.create(
        type="replaces",
        from_key="ISO 91002:2018",
        to_key="ISO 91002:2012",
        from_standard=std["ISO 91002:2018"],
        to_standard=std["ISO 91002:2012"],
        source="test",
    )
    nanshan = OrganizationFactory(
        name_zh="深圳南山测试科技有限公司",
        name_en="Nanshan Test Tech Co., Ltd.",
        region_code="440305",
    )
    futian = OrganizationFactory(
        name_zh="深圳福田大学",
        name_en="Futian University",
        region_code="440304",
        kind=OrganizationKind.UNIVERSITY,
    )
    guangzhou = OrganizationFactory(
        name_zh="广州测试研究院", name_en="Guangzhou Test Institute", region_code="440100"
    )
    archived = OrganizationFactory(
        region_code="440305", profile__archived_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )

    def part(org, key, role, **kw):
        return Participation.objects.create(organization=org, standard=std[key], role=role, **kw)

    parts = SimpleNamespace(
        a1=part(nanshan, "ISO 91001:2018", "lead"),
        b1=part(futian, "ISO 91001:2018", "drafter"),
        a2=part(nanshan, "GB/T 90001-2018", "drafter"),
        b2=part(futian, "YY/T 90002-2018", "lead"),
        c1=part(guangzhou, "GB/T 90001-2018", "lead"),
        a_prev=part(nanshan, "GB/T 90007-2017", "drafter"),
        a_gone=part(
            nanshan, "GB/T 90008-2018", "lead", archived_at=dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
        ),
        a_rev=part(nanshan, "ISO 91002:2018", "project_leader"),
    )
    IssuerCode.objects.create(code="T/SZAS", kind=IssuerKind.GROUP, organization=futian)
    IssuerCode.objects.create(code="Q/DEMOX", kind=IssuerKind.ENTERPRISE, organization=nanshan)

    StandardsBody.objects.create(
        code="SAC/TC 901",
        name_zh="一号委员会",
        kind=BodyKind.NATIONAL_TC,
        host=nanshan,
        since=D(2015, 1, 1),
    )
    StandardsBody.objects.create(
        code="SAC/TC 902",
        name_zh="二号委员会",
        kind=BodyKind.NATIONAL_TC,
        host=futian,
        since=D(2019, 1, 1),
    )
    StandardsBody.objects.create(
        code="ISO/TC 903",
        name_en="Old committee",
        kind=BodyKind.INTERNATIONAL_TC,
        host=futian,
        since=D(2010, 1, 1),
        until=D(2016, 12, 31),
    )
    StandardsBody.objects.create(
        code="SAC/TC 904",
        name_zh="广州委员会",
        kind=BodyKind.NATIONAL_TC,
        host=guangzhou,
        since=D(2012, 1, 1),
    )

    def expert(org, name, role, start, end=None, family=BodyFamily.ISO):
        person = Expert.objects.create(
            name_zh=name,
            name_en=name,
            organization=org,
            email=f"{name}@example.org",
            phone="13800000000",
        )
        Position.objects.create(
            expert=person,
            body="ISO/TC 1",
            family=family,
            committee_level=CommitteeLevel.TC,
            role=role,
            term_start=start,
            term_end=end,
        )
        return person

    experts = SimpleNamespace(
        chair=expert(nanshan, "张主席", PositionRole.CHAIR, D(2016, 1, 1), D(2020, 12, 31)),
        member=expert(futian, "李成员", PositionRole.MEMBER, D(2016, 1, 1)),
        later=expert(nanshan, "王秘书", PositionRole.SECRETARY, D(2019, 1, 1)),
        guangzhou=expert(
            guangzhou, "陈召集", PositionRole.CONVENOR, D(2017, 1, 1), family=BodyFamily.NATIONAL
        ),
    )
    pilots = SimpleNamespace(
        done=PilotFactory.in_state(
            PilotState.COMPLETED,
            host=nanshan,
            start=D(2017, 6, 1),
            steps=[D(2017, 9, 1), D(2018, 5, 1), D(2018, 11, 1)],
            level=PilotLevel.NATIONAL,
        ),
        later=PilotFactory.in_state(
            PilotState.APPROVED, host=futian, start=D(2019, 3, 1), level=PilotLevel.MUNICIPAL
        ),
        stopped=PilotFactory.in_state(
            PilotState.TERMINATED,
            host=nanshan,
            start=D(2016, 1, 1),
            steps=[D(2017, 3, 1)],
            level=PilotLevel.PROVINCIAL,
        ),
        running=PilotFactory.in_state(
            PilotState.IN_PROGRESS,
            host=futian,
            start=D(2018, 2, 1),
            steps=[D(2018, 3, 1)],
            level=PilotLevel.MUNICIPAL,
        ),
    )
    return SimpleNamespace(
        std=std,
        nanshan=nanshan,
        futian=futian,
        guangzhou=guangzhou,
        archived=archived,
        parts=parts,
        experts=experts,
        pilots=pilots,
    )
