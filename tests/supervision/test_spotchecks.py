"""The draw (reproducible from its seed; conflicts of interest excluded), the checklist, the
outcome and who sees what."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from stdplus.core.errors import ApplicationError
from stdplus.core.lifecycle import transition_apply
from stdplus.programme.models import Region
from stdplus.supervision.models import ChecklistItem, SpotCheck, SpotCheckRound
from stdplus.supervision.spotchecks import (
    DrawIn,
    conformity,
    draw_compute,
    item_judge,
    round_draw,
    round_publish,
    round_verify,
)

from .conftest import declare

NANSHAN = "440305"


def _draw(world, **values):
    return round_draw(
        actor=world.regulator,
        title="2026 第一轮",
        values={"region": "440300", "count": "4", "inspectors_per_check": "2", **values},
    )


def test_the_same_seed_over_the_same_inputs_gives_the_same_draw(world):
    region = Region.objects.get(code="440300")
    first = draw_compute(DrawIn(region, count=4, seed="abc123"))
    again = draw_compute(DrawIn(region, count=4, seed="abc123"))
    assert (first.drawn, first.inspectors) == (again.drawn, again.inspectors)
    others = {tuple(draw_compute(DrawIn(region, count=4, seed=f"s{n}")).drawn) for n in range(8)}
    assert len(others) > 1  # the seed matters
    round_ = _draw(world, seed="abc123")
    assert round_.seed == "abc123" and round_.population == 6
    stored = list(round_.checks.order_by("position").values_list("declaration_id", flat=True))
    assert stored == first.drawn
    assert round_verify(round_)


def test_a_fresh_seed_is_recorded_and_verifies(world):
    round_ = _draw(world, share="50", count="")
    assert len(round_.seed) == 16 and round_.checks.count() == 3
    assert round_verify(round_)


def test_inspectors_from_the_declaring_enterprise_are_never_drawn(world):
    conflicted = world.inspectors[3]  # the expert working at enterprise 0
    for n in range(30):
        region = Region.objects.get(code="440300")
        draw = draw_compute(DrawIn(region, count=6, inspectors_per_check=3, seed=f"c{n}"))
        first = world.declarations[0].pk
        assert conflicted.pk not in draw.inspectors[first]
        assert any(conflicted.pk in ids for d, ids in draw.inspectors.items() if d != first)
    # A staff member of the enterprise is excluded the same way.
    from stdplus.accounts.models import Membership

    Membership.objects.create(user=world.inspector_users[0], organization=world.enterprises[0])
    draw = draw_compute(DrawIn(region, count=6, inspectors_per_check=2, seed="x"))
    assert set(draw.inspectors[world.declarations[0].pk]) == {
        world.inspectors[1].pk,
        world.inspectors[2].pk,
    }


def test_too_few_free_inspectors_is_refused_and_writes_nothing(world):
    with pytest.raises(ApplicationError) as refusal:
        _draw(world, count="6", inspectors_per_check="4")
    assert refusal.value.code == "roster_too_small"
    assert "no conflict of interest" in refusal.value.message
    assert SpotCheckRound.objects.count() == SpotCheck.objects.count() == 0


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"region": "999999"}, "region", "unknown_region"),
        ({"category": "9999"}, "category", "unknown_category"),
        ({"count": "", "share": ""}, "share", "share_or_count"),
        ({"count": "3", "share": "10"}, "share", "share_or_count"),
        ({"count": "", "share": "150"}, "share", "invalid_share"),
        ({"count": "many"}, "count", "invalid_count"),
        ({"inspectors_per_check": "0"}, "inspectors_per_check", "invalid_inspectors"),
        ({"region": "110000"}, "region", "nothing_to_draw"),
    ],
)
def test_bad_draw_input_is_named_and_writes_nothing(world, values, field, code):
    with pytest.raises(ApplicationError) as refusal:
        _draw(world, **values)
    assert (refusal.value.code, refusal.value.where.field) == (code, field)
    assert SpotCheckRound.objects.count() == 0


def test_the_draw_is_by_district_and_category(world):
    declare(world.enterprises[1], world.members[1], region=NANSHAN)
    round_ = _draw(world, region=NANSHAN, count="10", category="38")
    assert round_.population == 7  # the helper's enterprises are all in Nanshan
    with pytest.raises(ApplicationError):
        _draw(world, region=NANSHAN, category="14")  # no food declared


def test_checklist_prefilled_then_judged_then_outcome_and_rectification(world, today):
    round_ = _draw(world, count="6", seed="flow")
    check = round_.checks.get(declaration=world.declarations[2])
    items = list(check.items.all())
    assert {i.code for i in items} >= {
        "crit_mandatory",
        "crit_sound",
        "crit_number",
        "crit_disclosed",
    }
    inspector = check.inspectors.first().user
    with pytest.raises(ApplicationError) as refusal:
        transition_apply(check, "evaluate", actor=inspector, data={"outcome": "conforming"})
    assert refusal.value.code == "items_unjudged"
    for item in items:
        item_judge(actor=inspector, item=item, judgment="pass")
    item_judge(actor=inspector, item=items[0], judgment="defect", comment="未按 GB/T 1.1 起草")
    with pytest.raises(ApplicationError) as refusal:
        transition_apply(check, "evaluate", actor=inspector, data={"outcome": "conforming"})
    assert refusal.value.code == "outcome_inconsistent"
    with pytest.raises(ApplicationError) as refusal:
        transition_apply(check, "evaluate", actor=inspector, data={"outcome": "defects"})
    assert refusal.value.where.field == "rectification_due"
    transition_apply(
        check,
        "evaluate",
        actor=inspector,
        data={"outcome": "defects", "rectification_due": "2026-07-01"},
    )
    member = world.members[2]
    with pytest.raises(ApplicationError) as refusal:
        transition_apply(check, "close", actor=world.regulator)
    assert refusal.value.code == "rectification_pending"
    transition_apply(check, "respond", actor=member, data={"response": "已按 GB/T 1.1 修订"})
    transition_apply(check, "close", actor=world.regulator)
    assert [e.action for e in check.events.order_by("id")] == [
        "create",
        "evaluate",
        "respond",
        "close",
    ]
    with pytest.raises(ApplicationError):
        item_judge(actor=inspector, item=items[1], judgment="fail")


def _evaluate(check, outcome="conforming"):
    inspector = check.inspectors.first().user
    for item in check.items.all():
        item_judge(
            actor=inspector, item=item, judgment="pass" if outcome == "conforming" else "fail"
        )
    data = {"outcome": outcome}
    if outcome != "conforming":
        data["rectification_due"] = "2026-07-01"
    transition_apply(check, "evaluate", actor=inspector, data=data)


def test_conformity_rate_of_the_round(world):
    round_ = _draw(world, count="4", seed="rate")
    checks = list(round_.checks.all())
    _evaluate(checks[0])
    _evaluate(checks[1])
    _evaluate(checks[2], "non_conforming")
    figures = conformity(round_)
    assert (figures["drawn"], figures["evaluated"], figures["non_conforming"]) == (4, 3, 1)
    assert figures["rate"] == 66.7


def test_who_sees_what(world, client):
    round_ = _draw(world, count="6", seed="perm")
    checks = list(round_.checks.prefetch_related("inspectors"))
    _evaluate(checks[0])
    url = round_.get_absolute_url()
    assert client.get(url).status_code == 404  # not published: not public
    assert client.get(reverse("api:supervision_round", args=[round_.pk])).status_code == 404
    client.force_login(world.regulator)
    assert client.get(url).status_code == 200
    round_publish(actor=world.regulator, round_=round_)
    client.logout()
    public = client.get(url).content.decode()
    assert f'data-check="{checks[0].pk}"' in public
    assert f'data-check="{checks[1].pk}"' not in public  # no outcome yet: not a result
    assert client.get(checks[1].get_absolute_url()).status_code == 404
    page = client.get(checks[0].get_absolute_url()).content.decode()
    assert "checklist" not in page and "data-item" not in page  # the public sees the outcome
    # An inspector sees only their assignments.
    inspector = checks[0].inspectors.first().user
    client.force_login(inspector)
    mine = client.get(reverse("api:supervision_my_checks")).json()
    assigned = {c.pk for c in SpotCheck.objects.filter(inspectors__user=inspector)}
    assert {c["id"] for c in mine["items"]} == assigned
    other = next(c for c in checks[1:] if c.pk not in assigned)
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(checks[0].get_absolute_url()).status_code == 200
    # The enterprise sees its own check, not another's, and no one else's checklist.
    member = world.members[world.declarations.index(checks[1].declaration)]
    client.force_login(member)
    assert client.get(checks[1].get_absolute_url()).status_code == 200
    stranger = next(
        c for c in checks[2:] if c.declaration.enterprise_id != checks[1].declaration.enterprise_id
    )
    assert client.get(stranger.get_absolute_url()).status_code == 404
    # Only an assigned inspector judges; nobody else writes the checklist.
    item = checks[1].items.first()
    response = client.post(reverse("supervision:item", args=[item.pk]), {"judgment": "fail"})
    assert response.status_code == 403
    assert ChecklistItem.objects.get(pk=item.pk).judgment == item.judgment
    outsider = User.objects.create_user("nobody")
    client.force_login(outsider)
    assert client.post(reverse("supervision:rounds"), {"title": "x"}).status_code == 403
    assert SpotCheckRound.objects.count() == 1
