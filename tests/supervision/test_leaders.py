"""Schemes with public notice and objections, the stored ranking run, the leader list, the
certificate and its revocation after a failed spot check, what holds a product back."""

import datetime as dt
import io

import pytest
from django.urls import reverse

from stdplus.core.errors import ApplicationError
from stdplus.core.lifecycle import transition_apply
from stdplus.declarations.models import CitedStandard
from stdplus.supervision.leaders import (
    leaders_nominate,
    objection_decide,
    objection_raise,
    ranking_run,
    run_replay,
    scheme_create,
)
from stdplus.supervision.models import LeaderEntry, RankingRun, Scheme
from stdplus.supervision.spotchecks import item_judge, round_draw

from .conftest import SPECS


def test_a_scheme_takes_effect_after_ten_working_days_without_open_objections(world, category):
    scheme = scheme_create(actor=world.regulator, category=category, indicators=SPECS)
    transition_apply(scheme, "announce", actor=world.regulator, on=dt.date(2026, 6, 1))
    with pytest.raises(ApplicationError) as refusal:
        transition_apply(scheme, "take_effect", actor=world.regulator, on=dt.date(2026, 6, 12))
    assert refusal.value.code == "too_early" and "2026-06-15" in refusal.value.message
    objection = objection_raise(scheme=scheme, user=world.members[0], name="", text="噪声门槛过松")
    with pytest.raises(ApplicationError) as refusal:
        transition_apply(scheme, "take_effect", actor=world.regulator, on=dt.date(2026, 6, 15))
    assert refusal.value.code == "objections_open"
    objection_decide(
        actor=world.regulator, objection=objection, upheld=False, resolution="依据国标"
    )
    transition_apply(scheme, "take_effect", actor=world.regulator, on=dt.date(2026, 6, 15))
    assert scheme.effective_on == dt.date(2026, 6, 15)
    second = scheme_create(actor=world.regulator, category=category, indicators=SPECS)
    assert second.version == 2
    transition_apply(second, "announce", actor=world.regulator, on=dt.date(2026, 7, 1))
    transition_apply(second, "take_effect", actor=world.regulator, on=dt.date(2026, 7, 15))
    scheme.refresh_from_db()
    assert scheme.state == "superseded"


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"direction": "range"}, "indicators[0].direction", "invalid_direction"),
        ({"tiers": ["90", "95"]}, "indicators[0].tiers", "invalid_tiers"),
        ({"tiers": ["95", "80"]}, "indicators[0].tiers", "tier_below_floor"),
        ({"floor": "lots"}, "indicators[0].floor", "invalid_number"),
        ({"tiers": []}, "indicators[0].tiers", "invalid_tiers"),
        ({"method_standard": "GB 99999-2020"}, "indicators[0].method_standard", "unknown_standard"),
        ({"name_zh": "", "name_en": ""}, "indicators[0].name_zh", "required"),
    ],
)
def test_a_bad_scheme_is_refused_naming_the_field_and_writes_nothing(
    world, category, change, field, code
):
    with pytest.raises(ApplicationError) as refusal:
        scheme_create(actor=world.regulator, category=category, indicators=[{**SPECS[0], **change}])
    assert (refusal.value.where.field, refusal.value.code) == (field, code)
    assert Scheme.objects.count() == 0


def test_a_run_ranks_stores_and_replays(world, scheme_in_effect):
    # One declaration fails the automatic checks once the catalog withdraws what it cites.
    broken = world.declarations[5]
    from stdplus.catalog.models import Standard

    withdrawn = Standard.objects.get(canonical="GB/T 97103-2005")
    CitedStandard.objects.create(product=broken.products.get(), standard=withdrawn)
    run = ranking_run(actor=world.regulator, scheme=scheme_in_effect, year=2026)
    assert run.ranked
    reasons = {e[0]: e[1] for e in run.exclusions}
    assert reasons == {broken.products.get().pk: "failed_checks"}
    places = [(r[9], r[10], r[8], r[11]) for r in run.result]  # place, tied, tier, leads
    assert places[:2] == [(1, True, 1, True), (1, True, 1, True)]  # 96 % / 38 dB twice: a tie
    assert [p[0] for p in places] == [1, 1, 3, 4, 5]
    assert len(run.inputs) == 6
    assert run_replay(run) == (run.exclusions, run.result)
    again = ranking_run(actor=world.regulator, scheme=scheme_in_effect, year=2026)
    assert again.inputs_digest == run.inputs_digest and again.result == run.result


def test_a_run_needs_a_scheme_in_effect_and_the_regulator(world, category):
    scheme = scheme_create(actor=world.regulator, category=category, indicators=SPECS)
    with pytest.raises(ApplicationError) as refusal:
        ranking_run(actor=world.regulator, scheme=scheme)
    assert refusal.value.code == "scheme_not_in_effect"
    with pytest.raises(ApplicationError) as refusal:
        ranking_run(actor=world.members[0], scheme=scheme)
    assert refusal.value.status == 403
    assert RankingRun.objects.count() == 0


def test_the_run_downloads_as_xlsx_and_csv(world, scheme_in_effect, client):
    run = ranking_run(actor=world.regulator, scheme=scheme_in_effect, year=2026)
    from openpyxl import load_workbook

    response = client.get(reverse("supervision:run-export", args=[run.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["Result", "Exclusions", "Inputs"]
    rows = list(book["Result"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Place", "Tie", "Tier") and len(rows) == 7
    csv = client.get(reverse("supervision:run-export", args=[run.pk, "csv"])).content.decode()
    assert "热效率" in csv and "Exclusions" in csv
    assert client.get(reverse("supervision:run-export", args=[run.pk, "pdf"])).status_code == 404


def test_leaders_commit_notice_certificate_and_revocation_after_a_failed_spot_check(
    world, scheme_in_effect, today
):
    run = ranking_run(actor=world.regulator, scheme=scheme_in_effect, year=2026)
    entries = leaders_nominate(actor=world.regulator, run=run)
    assert len(entries) == 2
    entry = next(e for e in entries if e.enterprise_id == world.enterprises[0].pk)
    member = world.members[0]
    with pytest.raises(ApplicationError):
        transition_apply(entry, "commit", actor=world.members[1], data={"commitment": "yes"})
    transition_apply(entry, "commit", actor=member, data={"commitment": "yes"})
    transition_apply(entry, "announce", actor=world.regulator, on=dt.date(2026, 6, 15))
    with pytest.raises(ApplicationError) as refusal:
        transition_apply(entry, "certify", actor=world.regulator, on=dt.date(2026, 6, 26))
    assert refusal.value.code == "too_early"
    transition_apply(entry, "certify", actor=world.regulator, on=dt.date(2026, 6, 29))
    assert (entry.valid_from, entry.valid_until) == (dt.date(2026, 6, 29), dt.date(2029, 6, 28))
    assert entry.certificate.startswith("LP-2026-KETTLE-")
    assert leaders_nominate(actor=world.regulator, run=run) == []  # once per product and year
    # A failed spot check of the declaration revokes the certificate.
    today("2026-07-01")
    from stdplus.programme.models import Region  # noqa: F401 - the region tree is loaded

    round_ = round_draw(
        actor=world.regulator,
        title="复查",
        values={"region": "440300", "count": "6", "inspectors_per_check": "1"},
    )
    check = round_.checks.get(declaration=entry.declaration)
    inspector = check.inspectors.get().user
    for item in check.items.all():
        item_judge(actor=inspector, item=item, judgment="fail")
    transition_apply(
        check,
        "evaluate",
        actor=inspector,
        data={"outcome": "non_conforming", "rectification_due": "2026-08-01"},
    )
    entry.refresh_from_db()
    assert entry.state == "revoked" and entry.revoked_on == dt.date(2026, 7, 1)
    (revoked,) = entry.events.filter(action="revoke")
    assert revoked.actor is None and str(check.pk) in revoked.note


def test_no_ranking_when_all_values_are_equal(world, scheme_in_effect):
    from stdplus.core.lifecycle import transition_apply as step

    for declaration, member in zip(world.declarations[2:], world.members[2:], strict=True):
        step(declaration, "withdraw", actor=member, note="停产")
    # Left: two kettles declaring 96 % and 38 dB.
    run = ranking_run(actor=world.regulator, scheme=scheme_in_effect, year=2026)
    assert (run.ranked, run.no_ranking_reason, run.result) == (False, "all_equal", [])
    with pytest.raises(ApplicationError) as refusal:
        leaders_nominate(actor=world.regulator, run=run)
    assert refusal.value.code == "no_ranking"
    assert LeaderEntry.objects.count() == 0


def test_what_holds_the_product_back_is_on_the_declaration_page(world, scheme_in_effect, client):
    declaration = world.declarations[2]  # 91 % and 45 dB: tier 2 on both
    body = client.get(declaration.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "What holds this product back from the leader tier" in body
    assert 'data-needed="95"' in body and 'data-needed="40"' in body
    api = client.get(reverse("api:supervision_holds_back", args=[declaration.pk])).json()
    assert [(h["indicator"], float(h["needed"])) for h in api[0]["holds"]] == [
        ("热效率", 95),
        ("噪声", 40),
    ]
    leading = client.get(world.declarations[0].get_absolute_url()).content.decode()
    assert "data-leads" in leading
    chinese = client.get(
        declaration.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "What holds" not in chinese


def test_a_run_reads_the_versions_in_force_and_the_enterprises_names_of_today(
    world, scheme_in_effect
):
    """The stored inputs are written when a version becomes public; which versions are in
    force (suspended, withdrawn, revised) and the enterprise's name are read at each run."""
    from stdplus.declarations.services import declaration_revise

    def products(run):
        return {row[0]: row[3] for row in run.inputs}

    first = ranking_run(actor=world.regulator, scheme=scheme_in_effect, year=2026)
    ids = [d.products.get().pk for d in world.declarations]
    assert set(products(first)) == set(ids)
    suspended, withdrawn, revised, renamed = world.declarations[:4]
    transition_apply(suspended, "suspend", actor=world.regulator, note="抽查不合格")
    transition_apply(withdrawn, "withdraw", actor=world.members[1], note="停产")
    second = declaration_revise(declaration=revised, user=world.members[2])
    transition_apply(second, "declare", actor=world.members[2], data={"commitment": "yes"})
    world.enterprises[3].name_zh = "改名后的电器公司"
    world.enterprises[3].save(update_fields=["name_zh"])
    run = ranking_run(actor=world.regulator, scheme=scheme_in_effect, year=2026)
    revised_id = second.products.get().pk
    assert set(products(run)) == {*ids[3:], revised_id}
    assert products(run)[ids[3]] == "改名后的电器公司"
    assert [r[5] for r in run.result if r[0] == revised_id] == [["91", "45"]]
    transition_apply(suspended, "reinstate", actor=world.regulator, note="复查合格")
    run = ranking_run(actor=world.regulator, scheme=scheme_in_effect, year=2026)
    assert set(products(run)) == {ids[0], *ids[3:], revised_id}
    assert run_replay(run) == (run.exclusions, run.result)


def test_a_shape_declared_after_the_shapes_were_read_is_ranked_all_the_same(
    world, scheme_in_effect, monkeypatch
):
    """Which line gives which core indicator is decided per shape read before the ranking;
    a version declared in between with a new shape makes the run read the shapes again."""
    from stdplus.supervision import leaders

    from .conftest import declare

    shapes = leaders.declared_shapes("3854")
    # Named in English: a new shape, ranked (96 % and 38 dB: a leader).
    late = declare(
        world.enterprises[0],
        world.members[0],
        efficiency="96",
        noise="38",
        names=("Thermal efficiency", "noise"),
    )
    reads = []

    def stale_then_fresh(category):
        reads.append(category)
        if len(reads) == 1:
            return shapes
        return set(leaders.RankingInput.objects.values_list("shape", flat=True))

    monkeypatch.setattr(leaders, "declared_shapes", stale_then_fresh)
    run = ranking_run(actor=world.regulator, scheme=scheme_in_effect, year=2026)
    assert len(reads) == 2
    assert [r[11] for r in run.result if r[0] == late.products.get().pk] == [True]
    assert run.exclusions == []
    assert run_replay(run) == (run.exclusions, run.result)
    monkeypatch.setattr(leaders, "declared_shapes", lambda category: shapes)
    with pytest.raises(ApplicationError) as refusal:
        ranking_run(actor=world.regulator, scheme=scheme_in_effect, year=2026)
    assert refusal.value.code == "ranking_busy"
