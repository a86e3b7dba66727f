import datetime as dt

import pytest

from stdplus.catalog.status import (
    CANCELLED,
    CURRENT,
    DEVELOPMENT,
    SUPERSEDED,
    UPCOMING,
    WITHDRAWN,
    Successor,
    base_status,
    derive_status,
    status_from_stage,
)

DAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        ("00.00", DEVELOPMENT),
        ("10.99", DEVELOPMENT),
        ("40.20", DEVELOPMENT),
        ("50.20", DEVELOPMENT),
        ("60.00", DEVELOPMENT),
        ("60.60", CURRENT),
        ("90.92", CURRENT),
        ("90.93", CURRENT),
        ("95.20", CURRENT),
        ("95.99", WITHDRAWN),
        ("40.98", CANCELLED),  # project deleted: never a standard, not withdrawn
        ("x", None),
        ("", None),
    ],
)
def test_iso_stage_codes(stage, expected):
    assert status_from_stage(stage) == expected


@pytest.mark.parametrize(
    ("word", "stage", "expected"),
    [
        ("current", "", CURRENT),
        ("现行", "", CURRENT),
        ("即将实施", "", UPCOMING),
        ("废止", "", WITHDRAWN),
        ("被代替", "", SUPERSEDED),
        ("REVISED", "", SUPERSEDED),
        ("Withdrawal", "", WITHDRAWN),
        ("historic", "", WITHDRAWN),
        ("under_development", "", DEVELOPMENT),
        ("current", "95.99", WITHDRAWN),
        ("", "", CURRENT),
        ("PROPOSED STANDARD", "", CURRENT),
    ],
)
def test_base_status_from_the_source_alone(word, stage, expected):
    assert base_status(word, stage) == expected


def derive(base, successors=(), effective=None, published=None, withdrawn=None, day=DAY):
    return derive_status(
        base,
        effective=effective,
        published=published,
        withdrawn=withdrawn,
        successors=successors,
        today=day,
    )


def test_replaced_by_a_standard_in_force_is_superseded_whatever_the_source_says():
    in_force = Successor(CURRENT, dt.date(2020, 1, 1))
    assert derive(CURRENT, [in_force]) == SUPERSEDED
    assert derive(WITHDRAWN, [in_force]) == SUPERSEDED


def test_a_replacement_not_yet_effective_leaves_the_old_edition_current():
    later = Successor(CURRENT, dt.date(2027, 3, 1))
    assert derive(CURRENT, [later]) == CURRENT
    assert derive(CURRENT, [later], day=dt.date(2027, 3, 1)) == SUPERSEDED


def test_a_draft_replacement_does_not_supersede():
    assert derive(CURRENT, [Successor(DEVELOPMENT, None)]) == CURRENT


def test_withdrawn_without_successor_is_withdrawn_and_with_one_superseded():
    assert derive(WITHDRAWN) == WITHDRAWN
    assert derive(SUPERSEDED) == WITHDRAWN  # the source says replaced, but by nothing we know
    assert derive(WITHDRAWN, [Successor(CURRENT, dt.date(2030, 1, 1))]) == SUPERSEDED


def test_effective_date_ahead_is_upcoming_then_current():
    effective = dt.date(2027, 1, 1)
    assert derive(CURRENT, effective=effective) == UPCOMING
    assert derive(CURRENT, effective=effective, day=dt.date(2027, 1, 1)) == CURRENT
    assert derive(UPCOMING) == UPCOMING


def test_as_of_a_past_day():
    # Published 2016, withdrawn 2024: on a day in 2020 it was current; before 2016 not yet out.
    args = {"published": dt.date(2016, 12, 30), "withdrawn": dt.date(2024, 2, 8)}
    assert derive(WITHDRAWN, day=dt.date(2020, 6, 1), **args) == CURRENT
    assert derive(WITHDRAWN, day=dt.date(2015, 6, 1), **args) == DEVELOPMENT
    assert derive(WITHDRAWN, day=DAY, **args) == WITHDRAWN


def test_development_stays_development():
    assert derive(DEVELOPMENT, [Successor(CURRENT, None)]) == DEVELOPMENT


# Status truth: a project that never became a standard, a draft and a supplement never make a
# published standard "superseded" (ISO 10993-3:2014 and the cancelled ISO/CD 10993-3).
@pytest.mark.parametrize("successor_base", [CANCELLED, DEVELOPMENT])
def test_an_unpublished_successor_supersedes_nothing(successor_base):
    for base in (CURRENT, SUPERSEDED, WITHDRAWN):
        status = derive_status(
            base,
            effective=None,
            published=dt.date(2014, 10, 1),
            successors=[Successor(successor_base, None)],
            today=DAY,
        )
        assert status == (CURRENT if base == CURRENT else WITHDRAWN), (base, status)


def test_a_cancelled_project_is_cancelled_whatever_replaces_it():
    assert base_status("cancelled") == CANCELLED
    assert base_status("", "30.98") == CANCELLED
    status = derive_status(
        CANCELLED,
        effective=None,
        published=None,
        successors=[Successor(CURRENT, dt.date(2020, 1, 1))],
        today=DAY,
    )
    assert status == CANCELLED


def test_a_supplement_does_not_replace_its_standard_but_may_replace_a_supplement():
    amendment = Successor(CURRENT, dt.date(2024, 1, 1), supplement=True)
    kwargs = {"effective": None, "published": dt.date(2015, 9, 1), "today": DAY}
    assert derive_status(CURRENT, successors=[amendment], **kwargs) == CURRENT
    assert derive_status(CURRENT, successors=[amendment], is_supplement=True, **kwargs) == (
        SUPERSEDED
    )
