"""The eligibility rules (stdplus.programme.eligibility), pure: edge cases of every rule."""

import dataclasses
import datetime as dt

import pytest
from django.utils import translation

from stdplus.programme.eligibility import (
    ClaimFacts,
    Engine,
    Holdings,
    ItemRule,
    OrgFacts,
    SchemeRule,
    claim_checks,
    is_lead,
)
from stdplus.programme.models.funding import check_text

D = dt.date
SHENZHEN = frozenset({"440300", "440304", "440305"})

NATIONAL_LEAD = ItemRule(
    id=1,
    code="national-lead",
    name_zh="主导国家标准",
    name_en="Leading a national standard",
    subject="standard",
    cap=500_000,
    levels=frozenset({"national"}),
    role_class="lead",
    evidence_required=("publication", "foreword"),
)
NATIONAL_PART = ItemRule(
    id=2,
    code="national-part",
    name_zh="参与国家标准",
    name_en="Participating in a national standard",
    subject="standard",
    cap=250_000,
    levels=frozenset({"national"}),
    role_class="participate",
)
GROUP = ItemRule(
    id=3,
    code="group-lead",
    name_zh="团体标准",
    name_en="Group standard",
    subject="standard",
    cap=100_000,
    levels=frozenset({"group"}),
    role_class="lead",
    yearly_count_cap=30,
    organization_yearly_count_cap=5,
)
CITY = SchemeRule(
    id=10,
    code="SZ",
    name_zh="深圳",
    name_en="Shenzhen",
    region_zh="深圳市",
    region_en="Shenzhen",
    region_codes=SHENZHEN,
    period_start=D(2023, 1, 1),
    period_end=D(2024, 12, 31),
    items=(NATIONAL_LEAD, NATIONAL_PART, GROUP),
    apply_from=D(2025, 1, 1),
    apply_until=D(2025, 3, 31),
    organization_cap=1_000_000,
)
FUTIAN_ITEM = ItemRule(
    id=20,
    code="ft-national-lead",
    name_zh="福田国家标准",
    name_en="Futian national",
    subject="standard",
    cap=300_000,
    levels=frozenset({"national"}),
    role_class="lead",
)
FUTIAN = SchemeRule(
    id=11,
    code="FT",
    name_zh="福田",
    name_en="Futian",
    region_zh="福田区",
    region_en="Futian",
    region_codes=frozenset({"440304"}),
    period_start=D(2023, 1, 1),
    period_end=D(2024, 12, 31),
    items=(FUTIAN_ITEM,),
    stackable=True,
)
OTHER = SchemeRule(  # a second scheme that does not stack
    id=12,
    code="OTHER",
    name_zh="另一",
    name_en="Other",
    region_zh="深圳市",
    region_en="Shenzhen",
    region_codes=SHENZHEN,
    period_start=D(2023, 1, 1),
    period_end=D(2024, 12, 31),
    items=(
        ItemRule(
            id=30,
            code="other-national",
            name_zh="其他",
            name_en="Other national",
            subject="standard",
            cap=100_000,
            levels=frozenset({"national"}),
        ),
    ),
)
ORG = OrgFacts(1, "440304")
ON = D(2025, 2, 1)
JUNE = D(2024, 6, 1)


def claim(published=JUNE, lead=True, level="national", subject_id=100, **kw):
    return ClaimFacts(
        subject="standard",
        ref_id=subject_id + 1000,
        subject_id=subject_id,
        label=f"GB/T {subject_id}-2024",
        level=level,
        date=published,
        role="lead" if lead else "drafter",
        lead=lead,
        **kw,
    )


def failed(org=ORG, scheme=CITY, item=NATIONAL_LEAD, c=None, holdings=None, on=ON, amount=None):
    checks = claim_checks(
        org=org,
        scheme=scheme,
        item=item,
        claim=c if c is not None else claim(),
        holdings=holdings or Holdings(stackable=frozenset({FUTIAN.id})),
        on=on,
        amount=amount,
    )
    return {check.check for check in checks if not check.ok}


def test_an_eligible_claim():
    assert failed() == set()


@pytest.mark.parametrize(
    ("published", "ok"),
    [
        (D(2022, 12, 31), False),
        (D(2023, 1, 1), True),
        (D(2024, 12, 31), True),
        (D(2025, 1, 1), False),
        (None, False),
    ],
)
def test_the_publication_window_boundaries(published, ok):
    assert (failed(c=claim(published=published)) == set()) is ok
    if not ok:
        assert failed(c=claim(published=published)) == {"published_in_period"}


@pytest.mark.parametrize(
    ("on", "ok"),
    [
        (D(2024, 12, 31), False),
        (D(2025, 1, 1), True),
        (D(2025, 3, 31), True),
        (D(2025, 4, 1), False),
    ],
)
def test_the_application_window_boundaries(on, ok):
    assert failed(on=on) == (set() if ok else {"application_window"})


def test_lead_definition():
    # The register's lead roles (first drafting organization, project leader, convenor) lead.
    assert is_lead("lead", 5, 5) and is_lead("project_leader", 0, 3) and is_lead("convenor", 2, 2)
    # The sole drafter leads: the catalog names one drafting organization, the register no other.
    assert is_lead("drafter", 1, 1)
    # Not sole: the catalog names several, or the register knows another, or the catalog is silent.
    assert not is_lead("drafter", 2, 1)
    assert not is_lead("drafter", 1, 2)
    assert not is_lead("drafter", 0, 1)


def test_lead_versus_participate():
    assert failed(c=claim(lead=False)) == {"lead_or_participate"}
    assert failed(item=NATIONAL_PART, c=claim(lead=False)) == set()
    assert failed(item=NATIONAL_PART, c=claim(lead=True)) == {"lead_or_participate"}


def test_the_level():
    assert failed(c=claim(level="industry")) == {"level"}


def test_state_funded_units_are_excluded():
    state_funded = OrgFacts(2, "440304", state_funded=True)
    assert failed(org=state_funded) == {"not_state_funded"}
    # A scheme that does not exclude them lets them claim.
    open_to_all = dataclasses.replace(CITY, excludes_state_funded=False)
    assert failed(org=state_funded, scheme=open_to_all) == set()


def test_the_region():
    assert failed(org=OrgFacts(3, "440100")) == {"organization_in_region"}
    assert failed(org=OrgFacts(3, "440305"), scheme=FUTIAN, item=FUTIAN_ITEM) == {
        "organization_in_region"
    }


def test_the_cap_per_organization():
    used = Holdings(scheme_amounts={CITY.id: 900_000})
    assert failed(holdings=used) == set()
    (option,) = [
        o
        for o in Engine([CITY]).options(ORG, [claim()], used, ON)
        if o.item.code == "national-lead"
    ]
    assert (option.amount, option.cap_left) == (100_000, 100_000)  # the cap left, not the item's
    assert failed(holdings=used, amount=100_001) == {"organization_cap"}
    reached = Holdings(scheme_amounts={CITY.id: 1_000_000})
    assert failed(holdings=reached) == {"organization_cap"}
    assert failed(amount=500_001) == {"cap"}


def test_yearly_counts_of_group_standards():
    group = claim(level="group")
    year = ON.year
    assert (
        failed(item=GROUP, c=group, holdings=Holdings(item_counts={(GROUP.id, year): 29})) == set()
    )
    assert failed(item=GROUP, c=group, holdings=Holdings(item_counts={(GROUP.id, year): 30})) == {
        "yearly_count"
    }
    # Last year's count does not hold this year's claims.
    assert (
        failed(item=GROUP, c=group, holdings=Holdings(item_counts={(GROUP.id, year - 1): 30}))
        == set()
    )
    assert (
        failed(item=GROUP, c=group, holdings=Holdings(org_item_counts={(GROUP.id, year): 4}))
        == set()
    )
    assert failed(
        item=GROUP, c=group, holdings=Holdings(org_item_counts={(GROUP.id, year): 5})
    ) == {"organization_yearly_count"}


def test_stacking_of_district_schemes():
    c = claim()
    city_claimed = Holdings(
        claims={("standard", c.subject_id): {CITY.id}}, stackable=frozenset({FUTIAN.id})
    )
    # The district scheme stacks on the city's: the same standard may be claimed from both.
    assert failed(scheme=FUTIAN, item=FUTIAN_ITEM, c=c, holdings=city_claimed) == set()
    # Not twice from one scheme.
    assert failed(c=c, holdings=city_claimed) == {"no_double_claim"}
    # Two schemes that do not stack cannot both pay for one standard.
    assert failed(scheme=OTHER, item=OTHER.items[0], c=c, holdings=city_claimed) == {"stacking"}
    futian_claimed = Holdings(
        claims={("standard", c.subject_id): {FUTIAN.id}}, stackable=frozenset({FUTIAN.id})
    )
    assert failed(c=c, holdings=futian_claimed) == set()


def test_options_list_every_item_with_the_reasons_and_missing_evidence():
    engine = Engine([CITY, FUTIAN, OTHER])
    holdings = Holdings(evidence={(NATIONAL_LEAD.id, "standard", 100): frozenset({"publication"})})
    options = engine.options(ORG, [claim(), claim(level="local", subject_id=200)], holdings, ON)
    by_item = {(o.scheme.code, o.item.code): o for o in options}
    # The local standard is judged against nothing (no item pays for that level).
    assert {o.claim.subject_id for o in options} == {100}
    assert by_item[("SZ", "national-lead")].eligible
    assert by_item[("SZ", "national-lead")].evidence_missing == ("foreword",)
    assert by_item[("FT", "ft-national-lead")].eligible
    part = by_item[("SZ", "national-part")]
    assert not part.eligible and [c.check for c in part.failed] == ["lead_or_participate"]
    with translation.override("en"):
        english = check_text(part.failed[0].as_dict())
    with translation.override("zh-hans"):
        chinese = check_text(part.failed[0].as_dict())
    assert "sole drafter or the first drafting organization" in english
    assert english != chinese and "lead" not in chinese.replace("lead_", "")
