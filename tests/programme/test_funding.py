"""Funding eligibility rules and decisions against the example Shenzhen scheme (data migration)."""

import datetime as dt

import pytest
from django.utils import translation

from stdplus.accounts.models import Membership
from stdplus.catalog.models import Relation
from stdplus.core.errors import ApplicationError
from stdplus.programme.choices import ApplicationState, PilotLevel, PilotState
from stdplus.programme.models import FundingItemType, FundingScheme, Participation
from stdplus.programme.services.funding import (
    application_decide,
    application_submit,
    application_withdraw,
)

from .factories import OrganizationFactory, PilotFactory, evidence_complete, standards

pytestmark = pytest.mark.django_db


@pytest.fixture
def funding():
    std = standards(
        ("ISO 91101:2024", "2024-03-01"),
        ("ISO 91102:2019", "2019-03-01"),
        ("ISO 91102:2024", "2024-04-01"),
        ("GB/T 91103-2024", "2024-05-01"),
        ("DB4403/T 91104-2024", "2024-06-01"),
        ("DB44/T 91105-2024", "2024-06-01"),
        ("ISO 91106:2021", "2021-06-01"),
    )
    Relation.objects.create(
        type="replaces",
        from_key="ISO 91102:2024",
        to_key="ISO 91102:2019",
        from_standard=std["ISO 91102:2024"],
        to_standard=std["ISO 91102:2019"],
        source="test",
    )
    nanshan = OrganizationFactory(region_code="440305")
    guangzhou = OrganizationFactory(region_code="440100")
    scheme = FundingScheme.objects.get(code="SZ-2024")
    items = {item.code: item for item in FundingItemType.objects.filter(scheme=scheme)}

    def part(org, key, role):
        return Participation.objects.create(organization=org, standard=std[key], role=role)

    return {
        "scheme": scheme,
        "items": items,
        "nanshan": nanshan,
        "guangzhou": guangzhou,
        "lead_new": part(nanshan, "ISO 91101:2024", "lead"),
        "drafter_revision": part(nanshan, "ISO 91102:2024", "drafter"),
        "lead_revision_gz": part(guangzhou, "ISO 91102:2024", "lead"),
        "old": part(nanshan, "ISO 91106:2021", "lead"),
        "local_sz": part(nanshan, "DB4403/T 91104-2024", "lead"),
        "local_gd": part(nanshan, "DB44/T 91105-2024", "lead"),
    }


def submit(f, item, participation=None, amount=100_000, org=None, pilot=None):
    return evidence_complete(
        application_submit(
            scheme=f["scheme"],
            item_type=f["items"][item],
            organization=org or f["nanshan"],
            participation=participation,
            pilot=pilot,
            amount_requested=amount,
            submitted_on=dt.date(2024, 8, 1),
        )
    )


def failed(application) -> set[str]:
    return {c["check"] for c in application.checks if not c["ok"]}


def test_the_scheme_caps_are_data():
    items = {i.code: i.cap for i in FundingItemType.objects.filter(scheme__code="SZ-2024")}
    assert items["intl-new-lead"] == 1_000_000 and items["intl-new-part"] == 500_000
    assert items["intl-rev-lead"] == 400_000 and items["national-part"] == 250_000
    assert items["local-sz"] == 200_000 and items["pilot-national"] == 500_000


def test_an_eligible_claim(funding):
    application = submit(funding, "intl-new-lead", funding["lead_new"], amount=1_000_000)
    assert application.eligible, application.checks
    assert failed(application) == set()


def test_the_cap(funding):
    assert failed(submit(funding, "intl-new-lead", funding["lead_new"], amount=1_000_001)) == {
        "cap"
    }


def test_lead_versus_participate(funding):
    assert failed(submit(funding, "intl-new-part", funding["lead_new"])) == {"lead_or_participate"}
    assert failed(submit(funding, "intl-rev-part", funding["drafter_revision"])) == set()


def test_new_versus_revision(funding):
    assert "new_or_revision" in failed(
        submit(funding, "intl-new-part", funding["drafter_revision"])
    )


def test_published_in_the_period(funding):
    assert failed(submit(funding, "intl-new-lead", funding["old"])) == {"published_in_period"}


def test_the_organization_is_in_the_region(funding):
    application = submit(
        funding, "intl-rev-lead", funding["lead_revision_gz"], org=funding["guangzhou"]
    )
    assert failed(application) == {"organization_in_region"}


def test_own_participation_only(funding):
    application = submit(funding, "intl-rev-lead", funding["lead_revision_gz"])
    assert "own_participation" in failed(application)


def test_local_standard_prefix(funding):
    assert failed(submit(funding, "local-sz", funding["local_sz"])) == set()
    assert failed(submit(funding, "local-sz", funding["local_gd"])) == {"level"}


def test_no_double_claim(funding):
    first = submit(funding, "intl-new-lead", funding["lead_new"])
    second = submit(funding, "intl-new-lead", funding["lead_new"])
    assert failed(second) == {"no_double_claim"}
    application_decide(application=first, approve=False, note="incomplete file")
    third = submit(funding, "intl-new-lead", funding["lead_new"])
    assert failed(third) == set()


def test_decisions(funding):
    application = submit(funding, "intl-new-lead", funding["lead_new"], amount=800_000)
    with pytest.raises(ApplicationError):
        application_decide(application=application, approve=True, amount_awarded=900_000)
    decided = application_decide(application=application, approve=True, amount_awarded=600_000)
    assert (decided.state, decided.amount_awarded) == (ApplicationState.APPROVED, 600_000)
    with pytest.raises(ApplicationError, match="is not possible"):
        application_decide(application=decided, approve=False, note="changed our mind")
    assert [(e.action, e.to_state) for e in decided.events.all()] == [
        ("create", "submitted"),
        ("approve", "approved"),
    ]
    assert decided.events.last().data == {"amount_awarded": 600_000}
    bad = submit(funding, "intl-new-lead", funding["lead_new"], amount=2_000_000)
    with pytest.raises(ApplicationError, match="Not eligible: the amount requested") as refused:
        application_decide(application=bad, approve=True)
    assert "1,000,000" in refused.value.message
    with pytest.raises(ApplicationError, match="needs a note"):
        application_decide(application=bad, approve=False)
    application_decide(application=bad, approve=False, note="over the cap")
    bad.refresh_from_db()
    assert (bad.state, bad.decision_note, bad.amount_awarded) == ("rejected", "over the cap", None)


def test_the_applicant_withdraws(funding, django_user_model):
    application = submit(funding, "intl-new-lead", funding["lead_new"])
    outsider = django_user_model.objects.create_user("outsider", password="pw-out-12345")
    with pytest.raises(ApplicationError, match="Only members of the applying organization"):
        application_withdraw(application=application, actor=outsider)
    member = django_user_model.objects.create_user("member", password="pw-member-12345")
    Membership.objects.create(user=member, organization=funding["nanshan"])
    application_withdraw(application=application, actor=member, note="filed twice")
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
    event = application.events.last()
    assert (event.action, event.actor, event.actor_name) == ("withdraw", member, "member")
    # A withdrawn claim no longer blocks a new one for the same standard.
    assert failed(submit(funding, "intl-new-lead", funding["lead_new"])) == set()


def test_check_messages_follow_the_reader_language(funding):
    application = submit(funding, "intl-new-lead", funding["lead_new"], amount=1_000_001)
    with translation.override("en"):
        english = dict((text, ok) for ok, text in application.check_lines())
    with translation.override("zh-hans"):
        chinese = [text for ok, text in application.check_lines() if not ok]
    assert english["the amount requested (1,000,001) is within the cap (1,000,000 CNY)"] is False
    assert len(chinese) == 1 and "1,000,001" in chinese[0] and "amount" not in chinese[0]


def test_pilot_claims(funding):
    done = PilotFactory.in_state(
        PilotState.COMPLETED,
        host=funding["nanshan"],
        start=dt.date(2022, 1, 1),
        steps=[dt.date(2022, 6, 1), dt.date(2023, 6, 1), dt.date(2024, 2, 1)],
        level=PilotLevel.NATIONAL,
    )
    assert failed(submit(funding, "pilot-national", pilot=done, amount=500_000)) == set()
    assert failed(submit(funding, "pilot-other", pilot=done)) == {"pilot_level", "no_double_claim"}
    running = PilotFactory.in_state(
        PilotState.IN_PROGRESS,
        host=funding["nanshan"],
        start=dt.date(2023, 1, 1),
        level=PilotLevel.MUNICIPAL,
    )
    assert failed(submit(funding, "pilot-other", pilot=running)) == {"pilot_completed_in_period"}
