import gc

import pytest

from stdplus.core.collector import collector_paused


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
