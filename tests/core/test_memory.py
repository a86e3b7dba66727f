"""The cycle collector is relaxed during bulk work and restored after."""

import gc

import pytest

from stdplus.catalog.services import StandardIn, standards_import
from stdplus.core.memory import BULK_THRESHOLDS, bulk_allocations


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
