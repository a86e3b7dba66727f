"""A demo region dataset over the real catalog, every row flagged `demo`.

The generator adds organizations (names end in "（示例）" / "(demo)"), their participations in
real catalog editions, experts and positions, hosted bodies, pilots with their histories,
funding applications and the strategic list, all with `demo=True`. The real catalog has almost
no Chinese local, group or enterprise standards, so it also adds such catalog entries under the
source `demo` (numbers from 95001). `demo_clear` removes all of it; real records are untouched.
The same code, with larger counts, builds the benchmark data (bench/bench_stats.py).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.credit_code import check_character
from stdplus.accounts.models import Organization, OrganizationKind
from stdplus.catalog.models import DEMO_SOURCE, Standard
from stdplus.catalog.services import StandardIn, standards_import
from stdplus.catalog.services.demo import standards_demo_remove
from stdplus.core.bulk import insert_rows
from stdplus.core.dates import today
from stdplus.core.demo_hooks import DEMO_CLEARING, DEMO_GENERATED
from stdplus.core.errors import ApplicationError
from stdplus.core.lifecycle import transition_apply
from stdplus.core.models import demo_rows_purge
from stdplus.watch.models import Alert

from ..choices import (
    AuditAction,
    BodyFamily,
    BodyKind,
    CommitteeLevel,
    IssuerKind,
    ParticipationRole,
    PilotLevel,
    PositionRole,
    ProjectState,
    RecordSource,
)
from ..models import (
    AreaProject,
    AuditEvent,
    EvidenceDocument,
    Expert,
    FundingApplication,
    FundingEvent,
    FundingItemType,
    FundingScheme,
    IssuerCode,
    MatchEvent,
    OrganizationProfile,
    Participation,
    Pilot,
    PilotEvent,
    PilotStandard,
    PilotTask,
    Position,
    PriorityArea,
    ProjectEvent,
    Region,
    StandardsBody,
)
from .audit import audit_log, record_create
from .funding import application_decide, application_submit, evidence_attach
from .pilots import pilot_create

# A pilot's way through its lifecycle (programme.lifecycles.PILOT); the demo stops on the way.
PILOT_PATH = ["begin", "submit_for_evaluation", "complete"]
PROJECT_PATH = ["begin", "finish"]
Progress = Callable[[str, int, int | None], None]

WORDS = [
    ("智能", "Smart"),
    ("新材料", "New Materials"),
    ("生物", "Bio"),
    ("电子", "Electronics"),
    ("数据", "Data"),
    ("精密", "Precision"),
    ("光电", "Optoelectronics"),
    ("环保", "Environmental"),
    ("食品", "Food"),
    ("医疗", "Medical"),
    ("能源", "Energy"),
    ("通信", "Communications"),
    ("检测", "Testing"),
    ("城市服务", "Urban Services"),
]
KINDS = [
    (OrganizationKind.ENTERPRISE, "科技有限公司", "Technology Co., Ltd."),
    (OrganizationKind.ENTERPRISE, "股份有限公司", "Holdings Co., Ltd."),
    (OrganizationKind.ENTERPRISE, "科技有限公司", "Technology Co., Ltd."),
    (OrganizationKind.RESEARCH, "研究院", "Research Institute"),
    (OrganizationKind.UNIVERSITY, "学院", "College"),
    (OrganizationKind.ASSOCIATION, "标准化协会", "Standardization Association"),
    (OrganizationKind.LABORATORY, "检测认证中心", "Testing and Certification Centre"),
]
SUBJECTS = [
    ("食品安全追溯", "Food safety traceability"),
    ("智慧城市管理", "Smart urban management"),
    ("无人机物流", "Drone logistics"),
    ("新能源汽车充电", "EV charging"),
    ("养老服务", "Elderly care services"),
    ("数据安全", "Data security"),
    ("海洋经济", "Marine economy"),
    ("绿色建筑", "Green buildings"),
]
ICS = [
    "03.120.10",
    "13.020.10",
    "35.240.01",
    "43.120",
    "67.040",
    "91.120.10",
    "97.180",
    "33.060.99",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
]
PINYIN = {
    "王": "Wang",
    "李": "Li",
    "张": "Zhang",
    "刘": "Liu",
    "陈": "Chen",
    "杨": "Yang",
    "黄": "Huang",
    "赵": "Zhao",
    "吴": "Wu",
    "周": "Zhou",
    "徐": "Xu",
    "孙": "Sun",
    "马": "Ma",
    "朱": "Zhu",
    "胡": "Hu",
    "郭": "Guo",
    "何": "He",
    "林": "Lin",
    "罗": "Luo",
    "高": "Gao",
}
GIVEN_PINYIN = dict(
    zip(
        GIVEN,
        [
            "Wei",
            "Fang",
            "Na",
            "Min",
            "Jing",
            "Lei",
            "Yang",
            "Yong",
            "Yan",
            "Jie",
            "Tao",
            "Ming",
            "Chao",
            "Xia",
            "Ping",
            "Gang",
        ],
        strict=True,
    )
)


@dataclass
class DemoSize:
    organizations: int = 600
    participations: int = 9000
    experts: int = 400
    bodies: int = 70
    pilots: int = 40
    applications: int = 120
    catalog_entries: int = 2500  # demo local, group, enterprise, national and industry entries

    @classmethod
    def bench(cls) -> DemoSize:
        return cls(100_000, 1_000_000, 20_000, 400, 300, 400, 20_000)


@dataclass
class DemoReport:
    catalog_entries: int = 0
    organizations: int = 0
    participations: int = 0
    experts: int = 0
    positions: int = 0
    bodies: int = 0
    pilots: int = 0
    applications: int = 0
    areas: int = 0


def demo_present() -> bool:
    return OrganizationProfile.objects.filter(demo=True).exists()


def _leaves(region: Region) -> list[Region]:
    nodes = list(Region.objects.filter(path__startswith=region.path))
    parents = {node.parent_id for node in nodes}
    return [node for node in nodes if node.pk not in parents] or [region]


def _credit_code(region: Region, number: int) -> str:
    digits = region.code if region.code.isdigit() and len(region.code) == 6 else "440300"
    first17 = f"91{digits}{number:09d}"
    return first17 + check_character(first17)


def _catalog_records(
    region: Region, rng: random.Random, count: int, groups, companies
) -> list[StandardIn]:
    """Demo Chinese catalog entries: local ones of the region, group, enterprise, national, industry."""
    prefixes = [
        p for r in Region.objects.filter(path__startswith=region.path) for p in r.local_prefixes
    ] or ["DB4403"]
    this_year = today().year
    records = []
    for index in range(count):
        roll = rng.random()
        if roll < 0.12:
            local = rng.choice(prefixes)
            prefix = "SZDB/Z" if local == "SZDB" else f"{local}/T"
        elif roll < 0.35:
            prefix = f"T/{rng.choice(groups)}"
        elif roll < 0.80:
            prefix = f"Q/{rng.choice(companies)}"
        elif roll < 0.92:
            prefix = rng.choice(["GB/T", "GB/T", "GB"])
        else:
            prefix = rng.choice(["SJ/T", "YD/T", "JT/T", "YY/T"])
        year = rng.randint(2008, this_year - 1)
        published = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        subject = rng.choice(SUBJECTS)
        records.append(
            StandardIn(
                f"{prefix} {95001 + index}-{year}",
                row=index + 1,
                title_zh=f"{subject[0]} 技术规范（示例）",
                title_en=f"{subject[1]} - technical specification (demo)",
                status_word="current",
                published=published,
                ics=[rng.choice(ICS)],
                extra={"demo": True},
            )
        )
    return records


def demo_generate(
    *,
    region: Region,
    size: DemoSize | None = None,
    seed: int = 2026,
    progress: Progress | None = None,
) -> DemoReport:
    """Generate the demo dataset for a region node (its leaves get the organizations)."""
    if demo_present():
        raise ApplicationError(
            _("Demo data is already loaded; run `stdplus programme demo --clear` first."),
            code="demo_present",
        )
    size = size or DemoSize()
    rng = random.Random(seed)
    report = DemoReport()
    say = progress or (lambda *a: None)
    leaves = _leaves(region)
    groups = [f"SZ{chr(65 + i)}{chr(65 + (i * 7) % 26)}X" for i in range(20)]
    companies = [f"DM{i:03d}" for i in range(max(40, size.organizations // 50))]

    # 1. Demo catalog entries (through the catalog's own import service).
    say("catalog", 0, size.catalog_entries)
    result = standards_import(
        records=_catalog_records(region, rng, size.catalog_entries, groups, companies),
        source=DEMO_SOURCE,
        path="programme demo",
    )
    report.catalog_entries = result.created

    with transaction.atomic():
        # 2. Organizations and their profiles.
        say("organizations", 0, size.organizations)
        first = (Organization.objects.aggregate(m=models.Max("id"))["m"] or 0) + 1
        base_number = rng.randint(10_000_000, 90_000_000)
        rows = []
        kinds = []
        for n in range(size.organizations):
            leaf = leaves[n % len(leaves)] if n < len(leaves) * 3 else rng.choice(leaves)
            word = rng.choice(WORDS)
            kind, suffix_zh, suffix_en = rng.choice(KINDS)
            kinds.append(kind)
            city = leaf.name_zh.removesuffix("区").removesuffix("市")
            rows.append(
                (
                    f"{city}{word[0]}{n + 1}号{suffix_zh}（示例）",
                    f"{leaf.name_en.replace(' District', '')} {word[1]} No. {n + 1} {suffix_en} (demo)",
                    kind,
                    _credit_code(leaf, base_number + n)
                    if kind == OrganizationKind.ENTERPRISE
                    else "",
                    leaf.code,
                    "",
                    True,
                )
            )
        insert_rows(
            Organization,
            ["name_zh", "name_en", "kind", "credit_code", "region_code", "website", "is_active"],
            rows,
        )
        org_ids = list(
            Organization.objects.filter(id__gte=first).order_by("id").values_list("id", flat=True)
        )
        insert_rows(
            OrganizationProfile,
            ["organization", "aliases", "note", "demo"],
            ((org_id, [], "", True) for org_id in org_ids),
        )
        report.organizations = len(org_ids)
        enterprises = [
            o for o, k in zip(org_ids, kinds, strict=True) if k == OrganizationKind.ENTERPRISE
        ] or org_ids
        associations = [
            o for o, k in zip(org_ids, kinds, strict=True) if k == OrganizationKind.ASSOCIATION
        ] or org_ids

        # 3. Issuer codes: demo group and enterprise codes tied to demo organizations.
        codes = [(f"T/{g}", IssuerKind.GROUP, rng.choice(associations)) for g in groups]
        codes += [(f"Q/{c}", IssuerKind.ENTERPRISE, rng.choice(enterprises)) for c in companies]
        insert_rows(
            IssuerCode,
            ["code", "kind", "organization", "source", "demo"],
            ((code, kind, org, RecordSource.DEMO, True) for code, kind, org in codes),
            ignore_conflicts=True,
        )

        # 4. Participations in real (and demo) catalog editions published since 2005.
        say("participations", 0, size.participations)
        standard_ids = list(
            Standard.objects.filter(
                level__in=["international", "national", "industry", "local"],
                published__gte=dt.date(2005, 1, 1),
            )
            .order_by("id")  # the same list on every database, for the seeded shuffle
            .values_list("id", flat=True)
        )
        rng.shuffle(standard_ids)
        per_org = max(1, size.participations // max(1, len(org_ids)))
        roles = [ParticipationRole.DRAFTER] * 6 + [
            ParticipationRole.LEAD,
            ParticipationRole.LEAD,
            ParticipationRole.PROJECT_LEADER,
            ParticipationRole.CONVENOR,
        ]

        def participation_rows():
            made = 0
            cursor = 0
            for org_id in org_ids:
                chosen = set()
                want = min(per_org + (1 if rng.random() < 0.3 else 0), size.participations - made)
                while len(chosen) < want:
                    chosen.add(standard_ids[cursor % len(standard_ids)])
                    cursor += rng.randint(1, 7)
                for standard_id in chosen:
                    yield (org_id, standard_id, rng.choice(roles), RecordSource.DEMO, "", True)
                made += len(chosen)
                if made >= size.participations:
                    return

        report.participations = insert_rows(
            Participation,
            ["organization", "standard", "role", "source", "note", "demo"],
            participation_rows(),
        )

        # 5. Experts and positions.
        say("experts", 0, size.experts)
        first_expert = (Expert.objects.aggregate(m=models.Max("id"))["m"] or 0) + 1
        expert_rows = []
        for _n in range(size.experts):
            surname, given = rng.choice(SURNAMES), rng.choice(GIVEN) + rng.choice(GIVEN)
            name_en = f"{PINYIN[surname]} {GIVEN_PINYIN[given[0]]}{GIVEN_PINYIN[given[1]].lower()}"
            expert_rows.append(
                (f"{surname}{given}", f"{name_en} (demo)", rng.choice(org_ids), "", "", "", True)
            )
        insert_rows(
            Expert,
            ["name_zh", "name_en", "organization", "fields", "email", "phone", "demo"],
            expert_rows,
        )
        expert_ids = list(
            Expert.objects.filter(id__gte=first_expert).order_by("id").values_list("id", flat=True)
        )
        bodies = [
            "ISO/TC 176",
            "ISO/TC 204",
            "ISO/IEC JTC 1/SC 42",
            "IEC TC 100",
            "ITU-T SG 16",
            "SAC/TC 28",
            "SAC/TC 124",
            "SAC/TC 485",
        ]
        families = [
            BodyFamily.ISO,
            BodyFamily.ISO,
            BodyFamily.ISO,
            BodyFamily.IEC,
            BodyFamily.ITU,
            BodyFamily.NATIONAL,
            BodyFamily.NATIONAL,
            BodyFamily.NATIONAL,
        ]
        roles_pos = list(PositionRole.values)

        def position_rows():
            for expert_id in expert_ids:
                for _k in range(rng.choice([1, 1, 2])):
                    index = rng.randrange(len(bodies))
                    start = dt.date(rng.randint(2008, today().year - 1), rng.randint(1, 12), 1)
                    end = (
                        start.replace(year=start.year + rng.choice([3, 4, 5]))
                        if rng.random() < 0.6
                        else None
                    )
                    role = rng.choice(roles_pos)
                    yield (
                        expert_id,
                        bodies[index],
                        families[index],
                        CommitteeLevel.TC,
                        role,
                        start,
                        end,
                        True,
                    )

        report.positions = insert_rows(
            Position,
            [
                "expert",
                "body",
                "family",
                "committee_level",
                "role",
                "term_start",
                "term_end",
                "demo",
            ],
            position_rows(),
        )
        report.experts = len(expert_ids)

        # 6. Standards bodies hosted.
        kinds_body = list(BodyKind.values)
        insert_rows(
            StandardsBody,
            ["code", "name_zh", "name_en", "kind", "host", "since", "until", "demo"],
            (
                (
                    f"SAC/TC {600 + n}" if n % 4 else f"ISO/TC {400 + n}",
                    f"{rng.choice(SUBJECTS)[0]}标准化技术委员会（示例）",
                    f"{rng.choice(SUBJECTS)[1]} committee (demo)",
                    rng.choice(kinds_body),
                    rng.choice(org_ids),
                    dt.date(rng.randint(2005, today().year - 1), rng.randint(1, 12), 1),
                    None,
                    True,
                )
                for n in range(size.bodies)
            ),
        )
        report.bodies = size.bodies
        audit_log(
            instance=region,
            action=AuditAction.CREATE,
            changes={"demo": True, **{k: v for k, v in vars(report).items()}},
        )

    # 7. Pilots with their histories, 8. funding, 9. the strategic list (through the services).
    say("pilots", 0, size.pilots)
    report.pilots = _pilots(rng, org_ids, size.pilots)
    say("funding", 0, size.applications)
    report.applications = _applications(rng, region, size.applications)
    report.areas = _areas(rng, region)
    # 10. Other apps' demo rows (self-declarations): listeners named in core/demo_hooks.py.
    DEMO_GENERATED.send(organization_ids=org_ids, seed=seed, say=say)
    return report


def _pilots(rng: random.Random, org_ids: list[int], count: int) -> int:
    hosts = Organization.objects.in_bulk(rng.sample(org_ids, min(count, len(org_ids))))
    standards = list(
        Standard.objects.filter(source=DEMO_SOURCE)
        .order_by("id")
        .values_list("id", flat=True)[:500]
    )
    made = 0
    for index, host in enumerate(hosts.values()):
        subject = rng.choice(SUBJECTS)
        start = dt.date(rng.randint(2012, today().year - 1), rng.randint(1, 12), 1)
        pilot = pilot_create(
            values={
                "code": f"DEMO-{index + 1:03d}",
                "title_zh": f"{subject[0]}标准化试点（示例）",
                "title_en": f"{subject[1]} standardization pilot (demo)",
                "level": rng.choice(PilotLevel.values),
                "domain": subject[1],
                "host": host,
                "start": start,
                "end": start + dt.timedelta(days=730),
                "demo": True,
            }
        )
        steps = rng.choice([0, 1, 2, 3, 3, 3, -1])
        on = start
        if steps < 0:
            transition_apply(
                pilot,
                "terminate",
                actor=None,
                on=start + dt.timedelta(days=200),
                note="demo: stopped",
            )
        for action in PILOT_PATH[: max(steps, 0)]:
            on = on + dt.timedelta(days=rng.randint(60, 330))
            if on > today():
                break
            data = (
                {"evaluation_result": rng.choice(["excellent", "passed"])}
                if action == "complete"
                else {}
            )
            transition_apply(pilot, action, actor=None, on=on, data=data)
        PilotTask.objects.create(
            pilot=pilot,
            title_zh="编制标准体系（示例）",
            title_en="Build the standards system (demo)",
            milestone=True,
            due=start + dt.timedelta(days=180),
            demo=True,
        )
        for standard_id in rng.sample(standards, min(2, len(standards))):
            PilotStandard.objects.get_or_create(
                pilot=pilot, standard_id=standard_id, use=rng.choice(["produced", "applied"])
            )
        made += 1
    return made


def _applications(rng: random.Random, region: Region, count: int) -> int:
    scheme = (
        FundingScheme.objects.live().filter(region=region).first()
        or FundingScheme.objects.live().filter(region__path__startswith=region.path).first()
        or FundingScheme.objects.live().first()
    )
    if scheme is None:
        return 0
    items = {
        item.code: item
        for item in FundingItemType.objects.live().filter(scheme=scheme).order_by("pk")
    }
    # The first count * 3 participations that some item of the scheme covers (the same rows
    # on every database, for the seeded shuffle): whichever standards the participations
    # fell on, the demo has its `count` applications when that many can be made.
    eligible: list[tuple[Participation, list[FundingItemType]]] = []
    for participation in (
        Participation.objects.filter(
            demo=True, standard__published__range=(scheme.period_start, scheme.period_end)
        )
        .select_related("standard", "organization")
        .order_by("pk")
    ):
        lead = participation.role != ParticipationRole.DRAFTER
        candidates = [
            item
            for item in items.values()
            if item.subject == "standard"
            and participation.standard.level in item.standard_levels
            and item.role_class in ("any", "lead" if lead else "participate")
        ]
        if candidates:
            eligible.append((participation, candidates))
            if len(eligible) == count * 3:
                break
    rng.shuffle(eligible)
    made = 0
    for participation, candidates in eligible[:count]:
        standard = participation.standard
        item = rng.choice(candidates)
        amount = rng.choice([item.cap, item.cap // 2, int(item.cap * 1.2)])
        application = application_submit(
            scheme=scheme,
            item_type=item,
            organization=participation.organization,
            participation=participation,
            amount_requested=amount,
            submitted_on=min(standard.published + dt.timedelta(days=rng.randint(20, 200)), today()),
            demo=True,
        )
        for kind in item.evidence_required or []:
            evidence_attach(
                application=application,
                kind=kind,
                name=f"demo-{kind}.pdf",
                data=b"%PDF-1.4\n% demo evidence\n",
            )
        if rng.random() < 0.7:
            approve = application.eligible and rng.random() < 0.85
            application_decide(
                application=application,
                approve=approve,
                amount_awarded=min(application.amount_requested, item.cap) // 10 * 8
                if approve
                else None,
                note="demo decision",
                on=application.submitted_on + dt.timedelta(days=60),
            )
        made += 1
    return made


def _areas(rng: random.Random, region: Region) -> int:
    areas = [
        ("DEMO-FOOD", "食品安全（示例）", "Food safety (demo)"),
        ("DEMO-URBAN", "城市管理（示例）", "Urban management (demo)"),
        ("DEMO-EMERGING", "战略性新兴产业（示例）", "Emerging industries (demo)"),
    ]
    demo_standards = list(
        Standard.objects.filter(source=DEMO_SOURCE)
        .order_by("id")
        .values_list("id", flat=True)[:300]
    )
    pilots = list(Pilot.objects.filter(demo=True).order_by("id").values_list("id", flat=True))
    this_year = today().year
    for code, zh, en in areas:
        area = PriorityArea.objects.create(
            code=code,
            name_zh=zh,
            name_en=en,
            region=region,
            year_from=this_year - 3,
            year_to=this_year + 2,
            target_standards=rng.randint(20, 40),
            target_pilots=rng.randint(3, 8),
            target_projects=rng.randint(4, 10),
            demo=True,
        )
        area.standards.set(rng.sample(demo_standards, min(len(demo_standards), rng.randint(8, 30))))
        area.pilots.set(rng.sample(pilots, min(len(pilots), rng.randint(1, 5))))
        for n in range(rng.randint(3, 8)):
            project = record_create(
                model=AreaProject,
                values={
                    "area": area,
                    "title_zh": f"{zh.removesuffix('（示例）')}重点项目 {n + 1}（示例）",
                    "title_en": f"{en.removesuffix(' (demo)')} project {n + 1} (demo)",
                    "state": ProjectState.PLANNED,
                    "demo": True,
                },
            )
            for action in PROJECT_PATH[: rng.randint(0, len(PROJECT_PATH))]:
                transition_apply(project, action, actor=None)
    return len(areas)


def demo_clear() -> int:
    """Remove every demo row (and only those), in one transaction.

    The register's records go by their `demo` flag; their histories (lifecycle events) by the
    one door the immutable tables open for demo rows (`demo_rows_purge`); alerts raised by the
    demo catalog entries' change events; then the demo catalog entries themselves, through the
    catalog's own service. The audit log keeps what happened, including this removal.
    """
    removed = 0
    try:
        with transaction.atomic():
            tally = {"removed": 0}
            DEMO_CLEARING.send(tally=tally)  # listeners: see core/demo_hooks.py
            removed += tally["removed"]
            for events in (FundingEvent, ProjectEvent, PilotEvent, MatchEvent):
                removed += demo_rows_purge(events)
            removed += EvidenceDocument.objects.filter(application__demo=True).delete()[0]
            removed += FundingApplication.objects.filter(demo=True).delete()[0]
            removed += AreaProject.objects.filter(demo=True).delete()[0]
            for area in PriorityArea.objects.filter(demo=True):
                area.standards.clear()
                area.pilots.clear()
            removed += PriorityArea.objects.filter(demo=True).delete()[0]
            removed += PilotTask.objects.filter(demo=True).delete()[0]
            removed += PilotStandard.objects.filter(pilot__demo=True).delete()[0]
            removed += Pilot.objects.filter(demo=True).delete()[0]
            removed += Position.objects.filter(demo=True).delete()[0]
            removed += Expert.objects.filter(demo=True).delete()[0]
            removed += StandardsBody.objects.filter(demo=True).delete()[0]
            removed += Participation.objects.filter(demo=True).delete()[0]
            removed += IssuerCode.objects.filter(demo=True).delete()[0]
            org_ids = list(
                OrganizationProfile.objects.filter(demo=True).values_list(
                    "organization_id", flat=True
                )
            )
            removed += OrganizationProfile.objects.filter(demo=True).delete()[0]
            for start in range(0, len(org_ids), 900):
                removed += Organization.objects.filter(
                    id__in=org_ids[start : start + 900]
                ).delete()[0]
            # Alerts (with their inbox rows and webhook deliveries) about demo catalog entries.
            Alert.objects.filter(event__standard__source=DEMO_SOURCE).delete()
            removed += standards_demo_remove()
            AuditEvent.objects.create(
                model="programme.region",
                object_id="demo",
                action=AuditAction.ARCHIVE,
                changes={"demo_rows_removed": removed},
            )
    except ProtectedError as error:
        held = sorted({str(obj._meta.verbose_name) for obj in error.protected_objects})
        raise ApplicationError(
            _("Demo data cannot be removed: real records refer to it (%(records)s)."),
            params={"records": ", ".join(held)},
            code="demo_in_use",
        ) from error
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA optimize")
    return removed
