"""The ranking rule (run by the database): tiers, the floor, ties, all equal, exclusions, what
holds back; and, over random schemes and declarations, the same answers as the rule written
out plainly in Python here (the test's oracle)."""

from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    name_key,
    rank,
    unit_key,
)

pytestmark = pytest.mark.django_db

EFFICIENCY = Spec("能效", "Efficiency", "higher", "%", D(80), (D(95), D(90)))
NOISE = Spec("噪声", "Noise", "lower", "dB", D(60), (D(40), D(50)))


def cand(pk, efficiency, noise=D(45), *, errors=(), unit="%"):
    values = [("能效", unit, efficiency)] if efficiency is not None else []
    values.append(("noise", "dB", noise))
    return Candidate(pk, pk * 10, pk, f"企业{pk}", f"产品{pk}", tuple(values), errors)


def test_tiers_follow_the_thresholds_and_none_falls_below_the_floor():
    efficiencies = ["99", "95", "92", "90", "85", "80", "79.9"]
    outcome = rank(
        [EFFICIENCY], [cand(i, D(v)) for i, v in enumerate(efficiencies)], leader_tiers=1
    )
    tiers = {r.product_id: r.tier for r in outcome.rows}
    assert [tiers.get(i) for i in range(7)] == [1, 1, 2, 2, 3, 3, None]
    assert [(e.product_id, e.reason, e.detail) for e in outcome.exclusions] == [
        (6, BELOW_FLOOR, "79.9 / 80")
    ]
    noises = ["30", "40", "45", "55", "60", "61"]
    outcome = rank([NOISE], [cand(i, D(90), D(v)) for i, v in enumerate(noises)], leader_tiers=1)
    tiers = {r.product_id: r.tier for r in outcome.rows}
    assert [tiers.get(i) for i in range(6)] == [1, 1, 2, 3, 3, None]


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
    assert rows[3].values == ["91", "38"]


def test_different_values_with_the_same_tier_and_sum_of_places_tie():
    outcome = rank(
        [EFFICIENCY, NOISE],
        [cand(1, D(99), D(48)), cand(2, D(97), D(45)), cand(3, D(96), D(49))],
        leader_tiers=1,
    )
    assert [(r.product_id, r.places, r.place, r.tied) for r in outcome.rows] == [
        (1, [1, 2], 1, True),  # 1 + 2
        (2, [2, 1], 1, True),  # 2 + 1: the same tier (2), the same sum
        (3, [3, 3], 3, False),
    ]


def test_exclusions_carry_their_reasons():
    outcome = rank(
        [EFFICIENCY, NOISE],
        [
            cand(1, D(96)),
            cand(2, D(92)),
            cand(3, D(99), errors=("standard_withdrawn", "no_standard", "standard_withdrawn")),
            cand(4, None),
            cand(5, D(97), unit="W"),
            cand(6, D(70)),
        ],
        leader_tiers=1,
    )
    reasons = {e.product_id: (e.reason, e.indicator, e.detail) for e in outcome.exclusions}
    assert reasons == {
        3: (FAILED_CHECKS, "", "no_standard, standard_withdrawn"),
        4: (MISSING, "能效", ""),
        5: (UNIT, "能效", "W ≠ %"),
        6: (BELOW_FLOOR, "能效", "70 / 80"),
    }
    assert [r.product_id for r in outcome.rows] == [1, 2]


def test_the_first_declared_of_a_name_counts_and_the_chinese_name_first():
    spec = Spec("能效", "Efficiency", "higher", "%", D(80), (D(95), D(90)))
    first = Candidate(1, 10, 1, "甲", "a", (("efficiency", "%", D(99)), ("能效", "%", D(91))))
    spaced = Candidate(2, 20, 2, "乙", "b", ((" 能效 ", "%", D(92)), ("能效", "%", D(99))))
    outcome = rank([spec], [first, spaced], leader_tiers=1)
    assert [(r.product_id, r.values) for r in outcome.rows] == [(2, ["92"]), (1, ["91"])]


def test_a_category_where_all_values_are_equal_publishes_no_ranking():
    outcome = rank([EFFICIENCY, NOISE], [cand(1, D(92)), cand(2, D("92.0"))], leader_tiers=1)
    assert (outcome.ranked, outcome.reason, outcome.rows) == (False, ALL_EQUAL, [])
    nobody = rank([EFFICIENCY], [cand(1, D(70))], leader_tiers=1)
    assert (nobody.ranked, nobody.reason, len(nobody.exclusions)) == (False, NOBODY, 1)
    assert rank([EFFICIENCY], [], leader_tiers=1).reason == NOBODY


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


# ----------------------------------------------------------------------------------------------
# The oracle: the rule written out plainly in Python (as it was before it moved into SQL)


def _plain(value: D) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _tier(spec: Spec, value: D) -> int | None:
    def meets(threshold):
        return value >= threshold if spec.direction == "higher" else value <= threshold

    if not meets(spec.floor):
        return None
    return next((i for i, t in enumerate(spec.tiers, start=1) if meets(t)), len(spec.tiers) + 1)


def oracle(specs, candidates, leader_tiers):
    rows, exclusions = [], []
    for c in sorted(candidates, key=lambda c: c.product_id):
        if c.errors:
            exclusions.append((c.product_id, FAILED_CHECKS, "", ", ".join(sorted(set(c.errors)))))
            continue
        by_name = {}
        for name, unit, value in c.values:
            by_name.setdefault(name_key(name), (unit, value))
        values, tiers, excluded = [], [], None
        for spec in specs:
            found = next((by_name[n] for n in spec.names if n in by_name), None)
            label = spec.name_zh or spec.name_en
            if found is None or found[1] is None:
                excluded = (c.product_id, MISSING, label, "")
            elif unit_key(found[0]) != spec.unit_key:
                excluded = (c.product_id, UNIT, label, f"{found[0] or '—'} ≠ {spec.unit}")
            elif _tier(spec, found[1]) is None:
                excluded = (c.product_id, BELOW_FLOOR, label, f"{found[1]} / {spec.floor}")
            if excluded:
                break
            values.append(found[1])
            tiers.append(_tier(spec, found[1]))
        if excluded:
            exclusions.append(excluded)
        else:
            rows.append([c.product_id, values, tiers])
    if not rows:
        return NOBODY, [], exclusions
    if len({tuple(values) for _, values, _ in rows}) == 1:
        return ALL_EQUAL, [], exclusions
    for i, spec in enumerate(specs):
        ordered = sorted((r[1][i] for r in rows), reverse=spec.direction == "higher")
        first = {}
        for place, value in enumerate(ordered, start=1):
            first.setdefault(value, place)
        for r in rows:
            r.append(first[r[1][i]])
    keyed = sorted(rows, key=lambda r: (max(r[2]), sum(r[3:]), r[0]))
    keys = [(max(r[2]), sum(r[3:])) for r in keyed]
    out, place = [], 0
    for index, (r, key) in enumerate(zip(keyed, keys, strict=True), start=1):
        place = index if index == 1 or key != keys[index - 2] else place
        tied = keys.count(key) > 1
        out.append(
            (
                r[0],
                [_plain(v) for v in r[1]],
                r[2],
                r[3:],
                key[0],
                place,
                tied,
                key[0] <= leader_tiers,
            )
        )
    return "", out, exclusions


GRID = st.integers(min_value=-8, max_value=24).map(lambda n: D(n) / 2)  # ties are likely


@st.composite
def schemes(draw):
    specs = []
    for n in range(draw(st.integers(min_value=1, max_value=3))):
        higher = draw(st.booleans())
        tiers = sorted(draw(st.sets(GRID, min_size=1, max_size=3)), reverse=higher)
        last = tiers[-1]
        floor = draw(
            GRID.filter(lambda f, last=last, higher=higher: f <= last if higher else f >= last)
        )
        specs.append(
            Spec(
                f"指标{n}",
                f"Indicator {n}",
                "higher" if higher else "lower",
                "%",
                floor,
                tuple(tiers),
            )
        )
    leader_tiers = draw(st.integers(min_value=1, max_value=min(len(s.tiers) for s in specs)))
    return specs, leader_tiers


FINDINGS = [(), (), (), (), ("standard_withdrawn",), ("b", "a", "b")]


@st.composite
def declarations(draw, specs):
    """Candidates whose values often sit on a threshold or the floor, or next to them."""
    edges = sorted(
        {v for s in specs for t in (s.floor, *s.tiers) for v in (t - D("0.5"), t, t + D("0.5"))}
    )
    out = []
    for pk in range(1, draw(st.integers(min_value=0, max_value=25)) + 1):
        values = []
        for n, _spec in enumerate(specs):
            for _ in range(draw(st.sampled_from([0, 1, 1, 1, 1, 1, 1, 2, 2]))):
                name = draw(st.sampled_from([f"指标{n}", f"indicator  {n}", f"INDICATOR {n}"]))
                unit = draw(st.sampled_from(["%", "%", "%", " % ", "W"]))
                kind = draw(st.integers(min_value=0, max_value=9))
                value = None if kind == 0 else draw(st.sampled_from(edges) if kind < 6 else GRID)
                values.append((name, unit, value))
        if draw(st.booleans()):
            values.append(("其他", "kg", draw(GRID)))
        values = draw(st.permutations(values))
        declaration = draw(st.integers(min_value=1, max_value=12))  # some declare two products
        errors = FINDINGS[declaration % len(FINDINGS)]
        out.append(Candidate(pk, declaration, pk, f"企{pk}", f"品{pk}", tuple(values), errors))
    return out


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_the_database_ranks_as_the_rule_says(data):
    specs, leader_tiers = data.draw(schemes())
    candidates = data.draw(declarations(specs))
    reason, rows, exclusions = oracle(specs, candidates, leader_tiers)
    outcome = rank(specs, candidates, leader_tiers=leader_tiers)
    assert (outcome.ranked, outcome.reason) == (reason == "", reason)
    assert [
        (e.product_id, e.reason, e.indicator, e.detail) for e in outcome.exclusions
    ] == exclusions
    assert [
        (r.product_id, r.values, r.tiers, r.places, r.tier, r.place, r.tied, r.leads)
        for r in outcome.rows
    ] == rows
