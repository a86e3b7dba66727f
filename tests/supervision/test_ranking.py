"""The ranking rule, pure: tiers, the floor, ties, all equal, exclusions, what holds back."""

from decimal import Decimal as D

from stdplus.supervision.ranking import (
    ALL_EQUAL,
    BELOW_FLOOR,
    FAILED_CHECKS,
    MISSING,
    NOBODY,
    UNIT,
    Candidate,
    Spec,
    holds_back,
    rank,
)

EFFICIENCY = Spec("能效", "Efficiency", "higher", "%", D(80), (D(95), D(90)))
NOISE = Spec("噪声", "Noise", "lower", "dB", D(60), (D(40), D(50)))


def cand(pk, efficiency, noise=D(45), *, errors=(), unit="%"):
    values = [("能效", unit, efficiency)] if efficiency is not None else []
    values.append(("noise", "dB", noise))
    return Candidate(pk, pk * 10, pk, f"企业{pk}", f"产品{pk}", tuple(values), errors)


def test_tiers_follow_the_thresholds_and_none_falls_below_the_floor():
    assert [EFFICIENCY.tier(D(v)) for v in (99, 95, 92, 90, 85, 80, 79.9)] == [
        1,
        1,
        2,
        2,
        3,
        3,
        None,
    ]
    assert [NOISE.tier(D(v)) for v in (30, 40, 45, 55, 60, 61)] == [1, 1, 2, 3, 3, None]


def test_ranked_by_worst_tier_then_places_with_ties_shown_as_ties():
    outcome = rank(
        [EFFICIENCY, NOISE],
        [
            cand(1, D(96), D(38)),
            cand(2, D(96), D(38)),
            cand(3, D(91), D(38)),
            cand(4, D(99), D(55)),
        ],
        leader_tiers=1,
    )
    assert outcome.ranked
    rows = {r.product_id: r for r in outcome.rows}
    assert [(r.product_id, r.place, r.tied) for r in outcome.rows] == [
        (1, 1, True),
        (2, 1, True),
        (3, 3, False),
        (4, 4, False),
    ]
    assert [rows[i].tier for i in (1, 2, 3, 4)] == [1, 1, 2, 3]
    assert [rows[i].leads for i in (1, 2, 3, 4)] == [True, True, False, False]
    assert rows[4].places == [1, 4]  # best on efficiency, last on noise


def test_exclusions_carry_their_reasons():
    outcome = rank(
        [EFFICIENCY, NOISE],
        [
            cand(1, D(96)),
            cand(2, D(92)),
            cand(3, D(99), errors=("standard_withdrawn",)),
            cand(4, None),
            cand(5, D(97), unit="W"),
            cand(6, D(70)),
        ],
        leader_tiers=1,
    )
    reasons = {e.product_id: (e.reason, e.indicator) for e in outcome.exclusions}
    assert reasons == {
        3: (FAILED_CHECKS, ""),
        4: (MISSING, "能效"),
        5: (UNIT, "能效"),
        6: (BELOW_FLOOR, "能效"),
    }
    assert [r.product_id for r in outcome.rows] == [1, 2]


def test_a_category_where_all_values_are_equal_publishes_no_ranking():
    outcome = rank([EFFICIENCY, NOISE], [cand(1, D(92)), cand(2, D(92))], leader_tiers=1)
    assert (outcome.ranked, outcome.reason, outcome.rows) == (False, ALL_EQUAL, [])
    nobody = rank([EFFICIENCY], [cand(1, D(70))], leader_tiers=1)
    assert (nobody.ranked, nobody.reason, len(nobody.exclusions)) == (False, NOBODY, 1)


def test_the_same_inputs_in_any_order_give_the_same_result():
    candidates = [cand(i, D(80 + i), D(30 + i)) for i in range(1, 12)]
    first = rank([EFFICIENCY, NOISE], candidates, leader_tiers=2)
    again = rank([EFFICIENCY, NOISE], list(reversed(candidates)), leader_tiers=2)
    assert [(r.product_id, r.place, r.tier) for r in first.rows] == [
        (r.product_id, r.place, r.tier) for r in again.rows
    ]


def test_what_holds_a_product_back_and_the_value_needed():
    excluded, holds = holds_back([EFFICIENCY, NOISE], cand(1, D(92), D(45)), leader_tiers=1)
    assert excluded is None
    assert [(h.spec.name_en, h.value, h.tier, h.needed) for h in holds] == [
        ("Efficiency", D(92), 2, D(95)),
        ("Noise", D(45), 2, D(40)),
    ]
    _, holds = holds_back([EFFICIENCY, NOISE], cand(1, D(92), D(45)), leader_tiers=2)
    assert holds == []
    excluded, holds = holds_back([EFFICIENCY], cand(1, D(70)), leader_tiers=1)
    assert excluded.reason == BELOW_FLOOR and holds[0].tier is None and holds[0].needed == D(95)
    excluded, holds = holds_back([EFFICIENCY], cand(1, D(99), errors=("x",)), leader_tiers=1)
    assert excluded.reason == FAILED_CHECKS and holds == []
