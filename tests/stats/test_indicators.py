"""Every indicator against the known records of the `world` fixture, with roll-up and drill-down."""

import pytest

from stdplus.programme.selectors import region_get
from stdplus.stats.indicators import INDICATORS, Period, Scope, ics_fields, top_organizations
from stdplus.stats.selectors import dashboard, figure

pytestmark = pytest.mark.django_db


def scope(code, year=2018):
    return Scope(region=region_get(code), period=Period.year(year))


def value(key, code, year=2018, **filters):
    return INDICATORS[key].value(scope(code, year), filters or None)


# (indicator, region, expected 2018 value) for the world's records
EXPECTED = [
    ("participation", "4403", 4),  # ISO 91001, ISO 91002:2018, GB/T 90001, YY/T 90002
    ("participation", "440305", 3),  # Nanshan: ISO 91001, GB/T 90001, ISO 91002:2018
    ("participation", "440304", 2),  # Futian: ISO 91001, YY/T 90002
    ("participation", "44", 4),  # Guangzhou's GB/T 90001 is the same edition
    ("participation", "440100", 1),
    ("participation", "440306", 0),
    (
        "participation_led",
        "4403",
        3,
    ),  # ISO 91001 (lead), YY/T 90002 (lead), ISO 91002 (project leader)
    ("local", "4403", 1),
    ("local", "44", 2),
    ("local", "440305", 0),
    ("group", "4403", 1),
    ("group", "440304", 1),
    ("group", "440305", 0),
    ("enterprise", "4403", 1),
    ("enterprise", "440305", 1),
    ("bodies", "4403", 1),
    ("bodies", "44", 2),
    ("experts", "4403", 1),
    ("experts", "44", 2),
    ("pilots", "4403", 2),  # the completed one and the running one
    ("pilots_completed", "4403", 1),
    ("funding", "4403", 0),
]


@pytest.mark.parametrize(("key", "code", "expected"), EXPECTED)
def test_indicator_values(world, key, code, expected):
    assert value(key, code) == expected


def test_previous_year_and_change(world):
    result = figure("participation", scope("4403"))
    assert (result.value, result.previous, result.change) == (4, 1, 3)
    assert result.change_percent == 300.0
    assert value("bodies", "4403", 2019) == 2
    assert value("experts", "4403", 2019) == 2
    assert value("pilots", "4403", 2017) == 2  # the completed one (in progress) and the stopped one


def test_splits_match_their_lists(world):
    for key, indicator in INDICATORS.items():
        for split in indicator.splits:
            counts = indicator.split_values(scope("4403"), split.name)
            for split_value, count in counts.items():
                listed = indicator.records(scope("4403"), {split.name: split_value})
                assert listed.count() == count, (key, split.name, split_value)


def test_participation_by_level(world):
    counts = INDICATORS["participation"].split_values(scope("4403"), "level")
    assert counts == {"international": 2, "national": 1, "industry": 1}


def test_pilot_state_at_the_end_of_the_period(world):
    states = INDICATORS["pilots"].split_values(scope("4403"), "state")
    assert states == {"completed": 1, "in_progress": 1}
    assert INDICATORS["pilots"].split_values(scope("4403", 2017), "state") == {
        "in_progress": 1,
        "terminated": 1,
    }


def test_roll_up_from_districts_to_city(world):
    city = region_get("4403")
    board = dashboard(scope("4403"))
    by_child = board.by_child["participation"]
    assert by_child["440305"] == 3 and by_child["440304"] == 2 and by_child["440306"] == 0
    for key in ("bodies", "experts", "pilots", "group", "enterprise"):
        children = board.by_child[key]
        # Each record belongs to one district here, so the districts add up to the city.
        assert sum(children.values()) == value(key, "4403"), key
        for child in city.children.all():
            assert children[child.code] == value(key, child.code), (key, child.code)


def test_drill_down_lists_are_the_records(world):
    listed = set(
        INDICATORS["participation"].records(scope("440305")).values_list("canonical", flat=True)
    )
    assert listed == {"ISO 91001:2018", "GB/T 90001-2018", "ISO 91002:2018"}
    experts = list(INDICATORS["experts"].records(scope("4403")))
    assert experts == [world.experts.chair]
    assert list(INDICATORS["pilots_completed"].records(scope("4403"))) == [world.pilots.done]


def test_ics_breakdown_and_top_organizations(world):
    assert ics_fields(INDICATORS["participation"], scope("4403")) == {"35": 2, "03": 2}
    assert ics_fields(INDICATORS["participation"], scope("4403")) == {
        field: INDICATORS["participation"].value(scope("4403"), {"ics": field})
        for field in ("35", "03")
    }
    top = top_organizations(scope("4403"))
    assert [(row["organization"], row["count"]) for row in top] == [
        (world.nanshan, 3),
        (world.futian, 2),
    ]
    assert [row["organization"] for row in top_organizations(scope("4403"), limit=1)] == [
        world.nanshan
    ]


def test_archived_and_demo_rows(world):
    world.parts.a1.demo = True
    world.parts.a1.save()
    assert value("participation", "440305") == 3
    real = Scope(region=region_get("440305"), period=Period.year(2018), real_only=True)
    assert INDICATORS["participation"].value(real) == 2


def test_both_query_shapes_of_participation_give_the_same_editions(world):
    """A small node starts from its organizations' participations, a large one tests each
    edition of the period (`org_driven`); both give the figure's own editions."""
    seen = 0
    for key in ("participation", "participation_led"):
        for code in ("44", "4403", "440305", "440304", "440100"):
            for year in (2017, 2018, 2019):
                found = []
                for driven in (True, False):
                    node = scope(code, year)
                    node.node_memo["org_driven"] = driven
                    found.append(
                        set(INDICATORS[key].records(node).values_list("canonical", flat=True))
                    )
                assert found[0] == found[1], (key, code, year)
                assert len(found[0]) == value(key, code, year), (key, code, year)
                seen += len(found[0])
    assert seen > 10


def test_what_is_read_about_a_node_is_shared_with_its_other_periods(
    world, django_assert_num_queries
):
    from stdplus.stats.indicators.participation import org_driven

    node = scope("4403")
    previous = node.with_period(node.period.previous())
    answer = org_driven(previous)  # (counts the node's organizations and all of them)
    with django_assert_num_queries(0):
        assert org_driven(node) == answer
        assert org_driven(previous.with_period(Period.year(2010))) == answer
