import gc

import pytest

from stdplus.catalog.services import StandardIn, standards_import
from stdplus.core.collector import BULK_THRESHOLDS, bulk_allocations, collector_paused


@pytest.fixture
def collector_on():
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_paused_within_the_block_and_runs_again_after(collector_on):
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_runs_again_after_an_error_in_the_block(collector_on):
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("stop")
    assert gc.isenabled()


def test_a_nested_block_leaves_it_paused_for_the_outer_one(collector_on):
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off(collector_on):
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


# bulk_allocations: the collector relaxed during long bulk work and restored after.


@pytest.fixture
def default_thresholds():
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


def test_thresholds_are_raised_inside_and_restored_after(default_thresholds):
    with bulk_allocations():
        assert gc.get_threshold() == BULK_THRESHOLDS
        with bulk_allocations():  # nested: the outer one's stay
            assert gc.get_threshold() == BULK_THRESHOLDS
        assert gc.get_threshold() == BULK_THRESHOLDS
    assert gc.get_threshold() == (700, 10, 10)


def test_thresholds_are_restored_after_an_error(default_thresholds):
    with pytest.raises(ValueError), bulk_allocations():
        raise ValueError("stop")
    assert gc.get_threshold() == (700, 10, 10)


def test_higher_thresholds_set_by_the_process_are_kept(default_thresholds):
    gc.set_threshold(100_000, 50, 50)
    with bulk_allocations():
        assert gc.get_threshold() == (100_000, 50, 50)
    assert gc.get_threshold() == (100_000, 50, 50)


@pytest.mark.django_db
def test_an_import_runs_with_the_collector_relaxed(default_thresholds, today):
    seen = []
    standards_import(
        records=[StandardIn("GB 2760-2014", row=1, status_word="current", title_zh="食品添加剂")],
        source="cn",
        path="t",
        post_parse=lambda parsed: seen.append(gc.get_threshold()),
    )
    assert seen == [BULK_THRESHOLDS]
    assert gc.get_threshold() == (700, 10, 10)
