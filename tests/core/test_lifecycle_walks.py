"""Every lifecycle's table, walked: each allowed step succeeds and writes exactly one event; each
disallowed one (wrong state, wrong person, a requirement not met) is refused and writes nothing.

The lifecycles are discovered from the registry; each needs a kit here (how to make a new
object, who may act, what valid input is, how to break each requirement). A lifecycle without
a kit fails `test_every_lifecycle_has_a_kit`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.utils import timezone

from stdplus.accounts.models import Membership
from stdplus.catalog.models import Standard
from stdplus.core.errors import ApplicationError
from stdplus.core.lifecycle import Lifecycle, Step, lifecycle_of, lifecycles, transition_apply
from stdplus.core.models import TransitionEvent, immutable_models
from stdplus.programme.choices import ProjectState
from stdplus.programme.models import (
    AreaProject,
    FundingItemType,
    FundingScheme,
    MatchCandidate,
    Participation,
    PriorityArea,
    Region,
)
from stdplus.programme.permissions import REGULATOR_GROUP
from stdplus.programme.services.audit import record_archive, record_create
from stdplus.programme.services.funding import application_draft, application_submit
from stdplus.programme.services.pilots import pilot_create
from stdplus.watch.models import Alert, WatchList, Webhook, WebhookDelivery
from tests.programme.factories import OrganizationFactory, evidence_complete, standards

pytestmark = pytest.mark.django_db
NOTE = "walked by the test"
_serial = itertools.count(1)


# ----------------------------------------------------------------------------------------------
# Kits: how to drive each lifecycle


@dataclass
class Kit:
    new: Callable[[str], Any]  # a new object in the given initial state
    actor: Callable[[Step, Any], Any]  # someone who may take the step
    outsiders: Callable[[Step, Any], list]  # people who may not
    data: Callable[[Step, Any], dict] = lambda step, obj: {}
    # Per action: (expected refusal code, prepare(obj) -> overrides of actor/data/note/on).
    breakers: dict[str, list[tuple[str, Callable[[Any], dict]]]] = field(default_factory=dict)


def _user(name: str, *, regulator=False, superuser=False, perms=()) -> User:
    name = f"{name}{next(_serial)}"
    # No password: hashing one is most of a test's time, and nobody logs in here.
    user = User.objects.create_user(name, is_staff=superuser, is_superuser=superuser)
    if regulator:
        user.groups.add(Group.objects.get(name=REGULATOR_GROUP))
    for perm in perms:
        app, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app, codename=codename)
        )
    return User.objects.get(pk=user.pk)  # fresh permission cache


def _archive(obj) -> dict:
    record_archive(instance=obj)
    return {}


def _regulator_kit(new, *, data=None, breakers=None) -> Kit:
    regulator = {}

    def actor(step, obj):
        if "user" not in regulator:
            regulator["user"] = _user("regulator", regulator=True)
        return regulator["user"]

    return Kit(
        new=new,
        actor=actor,
        outsiders=lambda step, obj: [AnonymousUser(), _user("member")],
        data=data or (lambda step, obj: {}),
        breakers=breakers or {},
    )


def pilot_kit() -> Kit:
    host = OrganizationFactory()

    def new(state):
        return pilot_create(
            values={
                "title_zh": f"走查试点{next(_serial)}",
                "level": "national",
                "host": host,
                "start": dt.date(2020, 1, 1),
            }
        )

    archived = [("archived", _archive)]
    needs_note = [("note_required", lambda obj: {"note": ""})]
    return _regulator_kit(
        new,
        data=lambda step, obj: {"evaluation_result": "passed"} if step.action == "complete" else {},
        breakers={
            "begin": archived,
            "submit_for_evaluation": archived,
            "send_back": archived + needs_note,
            "terminate": archived
            + needs_note
            + [("invalid_input", lambda obj: {"data": {"evaluation_result": "great"}})],
            "complete": archived
            + [
                ("input_required", lambda obj: {"data": {}}),
                ("invalid_input", lambda obj: {"data": {"evaluation_result": "failed"}}),
            ],
        },
    )


def funding_kit() -> Kit:
    standard = standards(("ISO 97001:2024", "2024-03-01"))["ISO 97001:2024"]
    scheme = FundingScheme.objects.get(code="SZ-2024")
    item = FundingItemType.objects.get(scheme=scheme, code="intl-new-lead")
    members = {}
    applicant_steps = {"submit", "resubmit", "withdraw"}

    def new(state):
        organization = OrganizationFactory(region_code="440305")
        participation = Participation.objects.create(
            organization=organization, standard=standard, role="lead"
        )
        make = application_draft if state == "draft" else application_submit
        values = {"on": dt.date(2024, 8, 1)} if state == "draft" else {}
        if state != "draft":
            values = {"submitted_on": dt.date(2024, 8, 1)}
        application = make(
            scheme=scheme,
            item_type=item,
            organization=organization,
            participation=participation,
            amount_requested=300_000,
            **values,
        )
        evidence_complete(application)
        assert application.eligible, application.checks
        return application

    regulator = {}

    def actor(step, obj):
        if step.action in applicant_steps:
            if obj.pk not in members:
                members[obj.pk] = _user("applicant")
                Membership.objects.create(user=members[obj.pk], organization=obj.organization)
            return members[obj.pk]
        if "user" not in regulator:
            regulator["user"] = _user("regulator", regulator=True)
        return regulator["user"]

    def outsiders(step, obj):
        if step.action in applicant_steps:  # the regulator does not act for the applicant
            return [AnonymousUser(), _user("stranger"), _user("regulator", regulator=True)]
        applicant = _user("applicant")
        Membership.objects.create(user=applicant, organization=obj.organization)
        return [AnonymousUser(), applicant]

    def ineligible(obj):
        record_archive(instance=obj.participation)
        return {}

    def no_evidence(obj):
        obj.evidence.all().delete()
        return {}

    archived = [("archived", _archive)]
    missing = [("evidence_missing", no_evidence)]
    return Kit(
        new=new,
        actor=actor,
        outsiders=outsiders,
        data=lambda step, obj: {"amount_awarded": 250_000} if step.action == "approve" else {},
        breakers={
            "submit": archived + missing + [("not_eligible", ineligible)],
            "review": archived,
            "request_evidence": archived + [("note_required", lambda obj: {"note": ""})],
            "resubmit": archived + missing,
            "approve": archived
            + missing
            + [
                ("not_eligible", ineligible),
                ("amount", lambda obj: {"data": {"amount_awarded": 300_001}}),
                ("invalid_input", lambda obj: {"data": {"amount_awarded": "lots"}}),
            ],
            "reject": archived + [("note_required", lambda obj: {"note": ""})],
            "pay": archived,
            "withdraw": archived,
        },
    )


def match_kit() -> Kit:
    standard = standards(("GB/T 97002-2020", "2020-01-01"))["GB/T 97002-2020"]
    organization = OrganizationFactory()

    def new(state):
        return MatchCandidate.objects.create(
            standard=standard, name=f"某单位{next(_serial)}", organization=organization, score=0.9
        )

    def unsuggested(obj):
        MatchCandidate.objects.filter(pk=obj.pk).update(organization=None)
        obj.refresh_from_db()
        return {"data": {}}

    return _regulator_kit(
        new,
        breakers={
            "accept": [
                ("unknown_organization", lambda obj: {"data": {"organization": 10**9}}),
                ("input_required", unsuggested),
            ]
        },
    )


def project_kit() -> Kit:
    area = PriorityArea.objects.create(
        code=f"WALK-{next(_serial)}",
        name_zh="走查领域",
        name_en="Walk area",
        region=Region.objects.get(code="440300"),
        year_from=2024,
        year_to=2026,
    )

    def new(state):
        return record_create(
            model=AreaProject,
            values={"area": area, "title_zh": f"走查项目{next(_serial)}", "state": state},
        )

    archived = [("archived", _archive)]
    return _regulator_kit(
        new,
        breakers={
            "begin": archived,
            "finish": archived,
            "reopen": archived + [("note_required", lambda obj: {"note": ""})],
        },
    )


def delivery_kit() -> Kit:
    organization = OrganizationFactory()
    watch_list = WatchList.objects.create(organization=organization, name="walk")
    standard = standards(("GB/T 97003-2020", "2020-01-01"))["GB/T 97003-2020"]
    alert = Alert.objects.create(watch_list=watch_list, event=standard.events.first())
    now = timezone.now()

    def new(state):
        webhook = Webhook.objects.create(
            watch_list=watch_list, url="http://127.0.0.1:9/walk", secret="s" * 64
        )
        return WebhookDelivery.objects.create(webhook=webhook, alert=alert, next_attempt_at=now)

    staff = {}

    def actor(step, obj):
        if step.action != "requeue":
            return None  # the system
        if "user" not in staff:
            staff["user"] = _user("staff", perms=["watch.change_webhookdelivery"])
        return staff["user"]

    def outsiders(step, obj):
        people = [AnonymousUser(), _user("member")]
        if step.action != "requeue":  # automatic steps: not even a superuser takes them
            people.append(_user("root", superuser=True))
        return people

    outcome = {"attempt": 1, "status_code": 503, "error": "HTTP 503"}
    data = {
        "claim": {"claimed_at": now},
        "deliver": {"attempt": 1, "status_code": 204, "delivered_at": now},
        "retry": {**outcome, "next_attempt_at": now + dt.timedelta(seconds=60)},
        "give_up": outcome,
        "release": {"next_attempt_at": now},
    }
    return Kit(
        new=new,
        actor=actor,
        outsiders=outsiders,
        data=lambda step, obj: dict(data.get(step.action, {})),
        breakers={
            "claim": [("input_required", lambda obj: {"data": {}})],
            "retry": [("input_required", lambda obj: {"data": outcome})],
            "give_up": [("input_required", lambda obj: {"data": {"status_code": 500}})],
            "release": [("input_required", lambda obj: {"data": {}})],
            "deliver": [("invalid_input", lambda obj: {"data": {**data["deliver"], "attempt": 0}})],
        },
    )


def declaration_kit() -> Kit:
    from stdplus.declarations.services import declaration_create, product_add, standard_cite
    from tests.declarations.conftest import make_enterprise, make_member

    standard = standards(("GB/T 97105-2020", "2020-01-01"))["GB/T 97105-2020"]
    withdrawn = standards(("GB/T 97106-2010", "2010-01-01"))["GB/T 97106-2010"]
    enterprise = make_enterprise()
    member = make_member(enterprise)
    regulator = {}

    def new(state):
        declaration = declaration_create(enterprise=enterprise, user=member)
        product = product_add(
            declaration=declaration, user=member, values={"name": "走查水壶", "category": "3854"}
        )
        standard_cite(product=product, user=member, text=standard.canonical)
        return declaration

    def actor(step, obj):
        if step.action in ("supersede", "record"):
            return None  # the system: a newer version declared, an import recorded
        if step.action in ("suspend", "reinstate"):
            if "user" not in regulator:
                regulator["user"] = _user("regulator", regulator=True)
            return regulator["user"]
        return member

    def outsiders(step, obj):
        people = [AnonymousUser(), make_member(make_enterprise("别家"))]
        if step.action in ("suspend", "reinstate"):
            people.append(member)  # the enterprise does not suspend itself
        else:
            people.append(_user("regulator", regulator=True))
        if step.action in ("supersede", "record"):
            people.append(_user("root", superuser=True))
        return people

    def cites_withdrawn(obj):
        from stdplus.declarations.models import CitedStandard

        Standard.objects.filter(pk=withdrawn.pk).update(status="withdrawn", base_status="withdrawn")
        CitedStandard.objects.create(product=obj.products.get(), standard=withdrawn)
        return {}

    needs_note = [("note_required", lambda obj: {"note": ""})]
    return Kit(
        new=new,
        actor=actor,
        outsiders=outsiders,
        data=lambda step, obj: {"commitment": "yes"} if step.action == "declare" else {},
        breakers={
            "declare": [
                ("input_required", lambda obj: {"data": {}}),
                ("invalid_input", lambda obj: {"data": {"commitment": "no"}}),
                ("declaration_has_errors", cites_withdrawn),
            ],
            "withdraw": needs_note,
            "suspend": needs_note,
            "reinstate": needs_note,
        },
    )


# -- spot checks, evaluation schemes, leaders (stdplus.supervision)


def _declared_kettle():
    from stdplus.declarations.services import declaration_create, product_add, standard_cite
    from tests.declarations.conftest import make_enterprise, make_member

    standard = standards(("GB/T 97107-2020", "2020-01-01"))["GB/T 97107-2020"]
    enterprise = make_enterprise()
    member = make_member(enterprise)
    declaration = declaration_create(enterprise=enterprise, user=member)
    product = product_add(
        declaration=declaration, user=member, values={"name": "走查水壶", "category": "3854"}
    )
    standard_cite(product=product, user=member, text=standard.canonical)
    transition_apply(declaration, "declare", actor=member, data={"commitment": "yes"})
    return declaration, product, member


def spot_check_kit() -> Kit:
    from stdplus.core.lifecycle import transition_start
    from stdplus.supervision.models import ChecklistItem, Inspector, SpotCheck, SpotCheckRound

    declaration, _product, member = _declared_kettle()
    regulator = _user("regulator", regulator=True)
    inspector_user = _user("inspector")
    inspector = Inspector.objects.create(user=inspector_user)
    region = Region.objects.get(code="440300")

    def new(state):
        round_ = SpotCheckRound.objects.create(
            title="走查",
            region=region,
            count=1,
            inspectors_per_check=1,
            seed="walk",
            population=1,
            population_digest="-",
            roster_digest="-",
            drawn_on=dt.date(2020, 1, 1),
            drawn_by=regulator,
        )
        check = SpotCheck.objects.create(round=round_, declaration=declaration, position=1)
        check.inspectors.set([inspector])
        ChecklistItem.objects.create(
            spot_check=check, source="criterion", code="crit_sound", judgment="pass"
        )
        transition_start(check, actor=regulator)
        return check

    def actor(step, obj):
        return {"evaluate": inspector_user, "respond": member}.get(step.action, regulator)

    def outsiders(step, obj):
        people = [AnonymousUser(), _user("stranger")]
        if step.action == "evaluate":
            return [*people, regulator, member]  # only the inspectors assigned evaluate
        if step.action == "respond":
            return [*people, regulator, inspector_user]
        return [*people, inspector_user, member]

    def data(step, obj):
        if step.action == "evaluate":
            return {"outcome": "defects", "rectification_due": timezone.localdate().isoformat()}
        if step.action == "respond":
            return {"response": "已整改"}
        return {}

    def unjudged(obj):
        ChecklistItem.objects.filter(spot_check=obj).update(judgment="")
        return {}

    def defect_yet_conforming(obj):
        ChecklistItem.objects.filter(spot_check=obj).update(judgment="defect")
        return {"data": {"outcome": "conforming"}}

    def conforming(obj):
        SpotCheck.objects.filter(pk=obj.pk).update(outcome="conforming")
        obj.refresh_from_db()
        return {}

    def pending(obj):
        later = timezone.localdate() + dt.timedelta(days=30)
        SpotCheck.objects.filter(pk=obj.pk).update(rectification_due=later)
        obj.refresh_from_db()
        return {}

    return Kit(
        new=new,
        actor=actor,
        outsiders=outsiders,
        data=data,
        breakers={
            "evaluate": [
                ("items_unjudged", unjudged),
                ("input_required", lambda obj: {"data": {}}),
                ("invalid_input", lambda obj: {"data": {"outcome": "great"}}),
                ("input_required", lambda obj: {"data": {"outcome": "defects"}}),
                ("outcome_inconsistent", defect_yet_conforming),
            ],
            "respond": [
                ("input_required", lambda obj: {"data": {}}),
                ("nothing_to_rectify", conforming),
            ],
            "close": [("rectification_pending", pending)],
        },
    )


def _leader_category():
    from stdplus.supervision.models import KeyArea, LeaderCategory

    area, _ = KeyArea.objects.get_or_create(year=2026, code="WALK", defaults={"name_zh": "走查"})
    return LeaderCategory.objects.create(
        area=area, code=f"C{next(_serial)}", name_zh="走查类别", product_category="3854"
    )


INDICATOR = {
    "name_zh": "热效率",
    "direction": "higher",
    "unit": "%",
    "floor": "80",
    "tiers": ["90"],
}


def scheme_kit() -> Kit:
    from stdplus.supervision.leaders import scheme_create
    from stdplus.supervision.models import Objection, Scheme

    regulator = _user("regulator", regulator=True)

    def new(state):
        return scheme_create(
            actor=regulator,
            category=_leader_category(),
            indicators=[INDICATOR],
            values={"notice_days": 0},
        )

    def actor(step, obj):
        return None if step.action == "supersede" else regulator

    def outsiders(step, obj):
        people = [AnonymousUser(), _user("member")]
        if step.action == "supersede":
            people += [regulator, _user("root", superuser=True)]
        return people

    def long_notice(obj):
        Scheme.objects.filter(pk=obj.pk).update(notice_days=10)
        obj.refresh_from_db()
        return {}

    def objected(obj):
        Objection.objects.create(
            scheme=obj, name="某人", text="异议", received_on=dt.date(2020, 1, 1)
        )
        return {}

    def no_indicators(obj):
        obj.indicators.all().delete()
        return {}

    return Kit(
        new=new,
        actor=actor,
        outsiders=outsiders,
        breakers={
            "announce": [("no_indicators", no_indicators)],
            "take_effect": [("too_early", long_notice), ("objections_open", objected)],
            "rework": [("note_required", lambda obj: {"note": ""})],
        },
    )


def leader_kit() -> Kit:
    from stdplus.core.lifecycle import transition_start
    from stdplus.supervision.leaders import scheme_create
    from stdplus.supervision.models import LeaderEntry, RankingRun, Scheme
    from tests.declarations.conftest import make_enterprise, make_member

    declaration, product, member = _declared_kettle()
    regulator = _user("regulator", regulator=True)

    def new(state):
        category = _leader_category()
        scheme = scheme_create(
            actor=regulator,
            category=category,
            indicators=[INDICATOR],
            values={"notice_days": 0, "leader_notice_days": 0},
        )
        run = RankingRun.objects.create(
            scheme=scheme,
            year=2026,
            run_on=dt.date(2020, 1, 1),
            ranked=True,
            inputs_digest="-",
        )
        entry = LeaderEntry.objects.create(
            run=run,
            category=category,
            year=2026,
            declaration=declaration,
            product=product,
            enterprise=declaration.enterprise,
        )
        transition_start(entry, actor=regulator)
        return entry

    def actor(step, obj):
        return member if step.action in ("commit", "decline") else regulator

    def outsiders(step, obj):
        people = [AnonymousUser(), make_member(make_enterprise("别家"))]
        if step.action in ("commit", "decline"):
            return [*people, regulator]  # the regulator does not commit for the enterprise
        return [*people, member]

    def long_notice(obj):
        Scheme.objects.filter(pk=obj.run.scheme_id).update(leader_notice_days=10)
        obj.run.scheme.refresh_from_db()
        return {}

    return Kit(
        new=new,
        actor=actor,
        outsiders=outsiders,
        data=lambda step, obj: {"commitment": "yes"} if step.action == "commit" else {},
        breakers={
            "commit": [
                ("input_required", lambda obj: {"data": {}}),
                ("invalid_input", lambda obj: {"data": {"commitment": "no"}}),
            ],
            "decline": [("note_required", lambda obj: {"note": ""})],
            "certify": [("too_early", long_notice)],
            "revoke": [("note_required", lambda obj: {"note": ""})],
        },
    )


def _development_kit(kind: str) -> Kit:
    from stdplus.development.models import Comment, PanelSeat, Vote
    from stdplus.development.selectors import comment_draft, current_ballot
    from tests.development.conftest import APPROVER_STEPS, make_project, make_team, step_data

    team = make_team(kind)

    def new(state):
        return make_project(team)

    def actor(step, obj):
        if step.action in APPROVER_STEPS:
            return team.approver
        return team.officer

    def outsiders(step, obj):
        people = [AnonymousUser(), team.stranger, team.drafter, team.expert_user]
        if step.action in APPROVER_STEPS:
            people.append(team.officer)  # an officer does not approve
        return people

    def vote(position):
        def prepare(obj):
            from stdplus.development.services import vote_cast

            vote_cast(project=obj, user=team.expert_user, position=position, comment="不同意")
            return {}

        return prepare

    def undecided(source):
        def prepare(obj):
            if source == "review":
                vote("approve")(obj)
            Comment.objects.create(
                project=obj,
                draft=comment_draft(obj),
                source=source,
                type="te",
                text="意见",
                author_name="公众",
                confirmed=True,
            )
            return {}

        return prepare

    def number_taken(obj):
        from stdplus.development.numbering import number_propose

        taken = number_propose(obj, year=dt.date.today().year)
        standards((taken, dt.date.today().isoformat()))
        return {"data": {"number": taken}}

    needs_note = [("note_required", lambda obj: {"note": ""})]
    breakers = {
        "approve": [
            ("input_required", lambda obj: {"data": {"plan_number": "P-1"}}),
            ("invalid_input", lambda obj: {"data": {"plan_number": "P-1", "deadline": "soon"}}),
            ("evidence_missing", lambda obj: obj.documents.all().delete() and {}),
        ],
        "reject": needs_note,
        "start_drafting": [
            ("no_lead_drafter", lambda obj: obj.drafters.update(is_lead=False) and {}),
        ],
        "open_comment": [
            ("input_required", lambda obj: {"data": {}}),
            (
                "notice_too_short",
                lambda obj: {"data": {"opens": "2026-01-01", "closes": "2026-01-20"}},
            ),
            ("no_draft", lambda obj: [v.clauses.all().delete() for v in obj.versions.all()] and {}),
        ],
        "close_comment": [
            (
                "comment_still_open",
                lambda obj: (
                    type(obj)
                    .objects.filter(pk=obj.pk)
                    .update(comment_closes=dt.date.today() + dt.timedelta(5))
                    and {}
                ),
            ),
        ],
        "send_to_review": [
            ("comments_without_decision", undecided("public")),
            ("no_panel", lambda obj: PanelSeat.objects.filter(project=obj).delete() and {}),
        ],
        "pass_review": [
            ("ballot_not_passed", vote("disapprove")),
            ("comments_without_decision", undecided("review")),
        ],
        "return_to_drafting": needs_note,
        "publish": [
            ("bad_number", lambda obj: {"data": {"number": "GB/T 1-2020"}}),
            ("duplicate_number", number_taken),
            (
                "effective_before_publication",
                lambda obj: {"data": {"effective": "2000-01-01"}},
            ),
        ],
        "file": [("input_required", lambda obj: {"data": {}})],
        "abolish": needs_note,
        "suspend": needs_note,
        "resume": needs_note,
        "terminate": needs_note,
    }
    assert Vote  # the ballot's rows are written by the kit's vote()
    assert current_ballot
    return Kit(
        new=new,
        actor=actor,
        outsiders=outsiders,
        data=lambda step, obj: step_data(team, step.action, obj),
        breakers=breakers,
    )


def local_standard_kit() -> Kit:
    return _development_kit("local")


def group_standard_kit() -> Kit:
    return _development_kit("group")


def question_kit() -> Kit:
    from stdplus.catalog.models import Classification
    from stdplus.programme.models import Expert
    from stdplus.support.models import ExpertProfile
    from stdplus.support.services import question_ask

    standard = standards(("GB/T 97101-2024", "2024-03-01"))["GB/T 97101-2024"]
    ics, _ = Classification.objects.get_or_create(
        scheme="ics", code="03.120", defaults={"depth": 2}
    )
    standard.classifications.add(ics)

    def expert(name, fields):
        person = Expert.objects.create(name_en=name)
        user = _user(name)
        ExpertProfile.objects.create(expert=person, user=user, ics=fields)
        return user

    taker, other, unrelated = (
        expert("li", ["03"]),
        expert("wang", ["03.120"]),
        expert("zhou", ["11"]),
    )
    members = {}

    def member(obj):
        if obj.organization_id not in members:
            members[obj.organization_id] = _user("asker")
            Membership.objects.create(
                user=members[obj.organization_id], organization=obj.organization
            )
        return members[obj.organization_id]

    def new(state):
        organization = OrganizationFactory()
        user = _user("asker")
        Membership.objects.create(user=user, organization=organization)
        members[organization.pk] = user
        return question_ask(
            organization=organization,
            user=user,
            topic="standard",
            title="Which test method?",
            standard="GB/T 97101-2024",
            public=True,
        )

    def actor(step, obj):
        return taker if step.action in ("accept", "answer") else member(obj)

    def outsiders(step, obj):
        if step.action == "accept":
            return [AnonymousUser(), unrelated, member(obj)]
        if step.action == "answer":
            return [AnonymousUser(), other, member(obj)]
        return [AnonymousUser(), _user("stranger"), taker]

    def data(step, obj):
        return {"answer": {"answer_text": "Clause 6."}, "rate": {"stars": "4"}}.get(step.action, {})

    return Kit(
        new=new,
        actor=actor,
        outsiders=outsiders,
        data=data,
        breakers={
            "answer": [("input_required", lambda obj: {"data": {}})],
            "rate": [
                ("input_required", lambda obj: {"data": {}}),
                ("invalid_input", lambda obj: {"data": {"stars": "9"}}),
            ],
        },
    )


KITS: dict[str, Callable[[], Kit]] = {
    "support_question": question_kit,
    "pilot": pilot_kit,
    "funding_application": funding_kit,
    "match": match_kit,
    "strategic_project": project_kit,
    "webhook_delivery": delivery_kit,
    "declaration": declaration_kit,
    "spot_check": spot_check_kit,
    "leader_scheme": scheme_kit,
    "leader": leader_kit,
    "local_standard": local_standard_kit,
    "group_standard": group_standard_kit,
}


# ----------------------------------------------------------------------------------------------
# Walking


def _path(lifecycle: Lifecycle, target: str) -> tuple[str, list[Step]]:
    """The shortest way through the table from an initial state to `target`."""
    queue = deque((start, []) for start in sorted(lifecycle.initial))
    seen = set(lifecycle.initial)
    while queue:
        state, steps = queue.popleft()
        if state == target:
            return state, steps
        for step in lifecycle.steps_from(state):
            if step.target not in seen:
                seen.add(step.target)
                queue.append((step.target, [*steps, step]))
    raise AssertionError(f"{lifecycle.name}: the state {target} cannot be reached")


def _take(kit: Kit, obj, step: Step, **overrides):
    arguments = {
        "actor": kit.actor(step, obj),
        "data": kit.data(step, obj),
        "note": NOTE,
        **overrides,
    }
    return transition_apply(obj, step.action, **arguments)


def _in_state(kit: Kit, lifecycle: Lifecycle, state: str):
    start, steps = _path(lifecycle, state)
    obj = kit.new(start)
    for step in steps:
        _take(kit, obj, step)
    assert lifecycle.state_of(obj) == state
    return obj


def _snapshot(obj) -> tuple:
    """Everything a refused step must leave as it was."""
    row = type(obj)._base_manager.filter(pk=obj.pk).values().get()
    counts = tuple(model.objects.count() for model in immutable_models())
    return row, counts, Participation.objects.count()


def _transition_events() -> int:
    return sum(
        model.objects.count() for model in immutable_models() if issubclass(model, TransitionEvent)
    )


def _refused(kit: Kit, obj, step: Step, code: str | None = None, **overrides) -> None:
    before = _snapshot(obj)
    with pytest.raises(ApplicationError) as refusal:
        _take(kit, obj, step, **overrides)
    if code is not None:
        assert refusal.value.code == code, refusal.value.describe()
    assert refusal.value.message  # a reason a person can read
    assert _snapshot(obj) == before


def _cases():
    for lifecycle in lifecycles():
        for step in lifecycle.steps:
            yield pytest.param(lifecycle.name, step.action, id=f"{lifecycle.name}-{step.action}")


def _lifecycle(name: str) -> Lifecycle:
    return next(lifecycle for lifecycle in lifecycles() if lifecycle.name == name)


def test_every_lifecycle_has_a_kit():
    assert {lifecycle.name for lifecycle in lifecycles()} == set(KITS)


def test_every_state_is_reachable_and_every_step_has_a_source():
    for lifecycle in lifecycles():
        for state in lifecycle.states.values:
            _path(lifecycle, state)
        for step in lifecycle.steps:
            assert step.sources, step.action


@pytest.mark.parametrize(("name", "action"), list(_cases()))
def test_allowed_step_writes_exactly_one_event(name, action):
    lifecycle = _lifecycle(name)
    kit = KITS[name]()
    step = lifecycle.step(action)
    for source in sorted(step.sources):
        obj = _in_state(kit, lifecycle, source)
        assert lifecycle_of(obj) is lifecycle
        before = lifecycle.events_of(obj).count()
        total = _transition_events()
        actor = kit.actor(step, obj)
        event = _take(kit, obj, step, actor=actor)
        obj.refresh_from_db()
        assert lifecycle.state_of(obj) == step.target
        assert lifecycle.events_of(obj).count() == before + 1
        assert _transition_events() == total + 1
        assert (event.action, event.from_state, event.to_state) == (
            step.action,
            source,
            step.target,
        )
        assert event.actor_id == (actor.pk if actor is not None else None)
        assert event.note == NOTE


@pytest.mark.parametrize(("name", "action"), list(_cases()))
def test_step_from_a_wrong_state_is_refused_and_writes_nothing(name, action):
    lifecycle = _lifecycle(name)
    kit = KITS[name]()
    step = lifecycle.step(action)
    for state in sorted(set(lifecycle.states.values) - step.sources):
        obj = _in_state(kit, lifecycle, state)
        _refused(kit, obj, step, "transition_not_allowed")


@pytest.mark.parametrize(("name", "action"), list(_cases()))
def test_step_by_the_wrong_person_is_refused_and_writes_nothing(name, action):
    lifecycle = _lifecycle(name)
    kit = KITS[name]()
    step = lifecycle.step(action)
    obj = _in_state(kit, lifecycle, min(step.sources))
    outsiders = kit.outsiders(step, obj)
    assert outsiders
    for person in outsiders:
        _refused(kit, obj, step, "not_allowed_for_you", actor=person)


@pytest.mark.parametrize(("name", "action"), list(_cases()))
def test_step_whose_requirements_are_not_met_is_refused_and_writes_nothing(name, action):
    lifecycle = _lifecycle(name)
    kit = KITS[name]()
    step = lifecycle.step(action)
    source = min(step.sources)
    breakers = [
        *kit.breakers.get(action, []),
        ("unknown_input", lambda obj: {"data": {**kit.data(step, obj), "bogus": 1}}),
    ]
    if step.guards or step.inputs or step.note_required or lifecycle.guards:
        assert kit.breakers.get(action), f"{name}.{action} has requirements: break each in its kit"
    for code, prepare in breakers:
        obj = _in_state(kit, lifecycle, source)
        overrides = prepare(obj) or {}
        _refused(kit, obj, step, code, **overrides)
    # Nor may a step be dated before the previous one.
    obj = _in_state(kit, lifecycle, source)
    last = lifecycle.events_of(obj).order_by("-on").values_list("on", flat=True).first()
    if last is not None:
        _refused(kit, obj, step, "date_before_last_step", on=last - dt.timedelta(days=1))


@pytest.mark.parametrize("name", sorted(KITS))
def test_an_unknown_step_is_refused(name):
    lifecycle = _lifecycle(name)
    kit = KITS[name]()
    obj = kit.new(min(lifecycle.initial))
    before = _snapshot(obj)
    with pytest.raises(ApplicationError) as refusal:
        transition_apply(obj, "fly_to_the_moon", actor=None)
    assert refusal.value.code == "unknown_step" and refusal.value.where.field == "action"
    assert _snapshot(obj) == before


def test_a_stale_copy_cannot_take_a_step_twice():
    """The engine reads the state under a row lock, not from the caller's copy."""
    lifecycle = _lifecycle("strategic_project")
    kit = KITS["strategic_project"]()
    obj = kit.new(ProjectState.PLANNED)
    stale = type(obj).objects.get(pk=obj.pk)
    _take(kit, obj, lifecycle.step("begin"))
    _refused(kit, stale, lifecycle.step("begin"), "transition_not_allowed")
