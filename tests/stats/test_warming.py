"""Dashboards that were slow to count are counted again by the worker after a change of the
data, before their next reader asks (stats.warming)."""

import datetime as dt

import pytest

from stdplus.catalog.services import StandardIn, standards_import
from stdplus.stats import payloads
from stdplus.stats.tasks import dashboards_warm_task
from stdplus.stats.warming import dashboards_warm, remembered

pytestmark = pytest.mark.django_db

DASHBOARD = "/stats/"
API = "/api/v1/stats/indicators"
SHENZHEN_2018 = {"region": "4403", "year": 2018}


def group_figure(client, url, **params) -> int:
    answer = client.get(url, {**SHENZHEN_2018, **params, "format": "json"}, follow=True).json()
    return next(f["value"] for f in answer["figures"] if f["key"] == "group")


def test_a_slow_dashboard_is_counted_ahead_of_its_readers_after_a_change(
    world, client, settings, monkeypatch
):
    settings.STDPLUS_STATS_WARM_MS = 0  # here every dashboard is slow enough
    assert client.get(DASHBOARD, SHENZHEN_2018).status_code == 200
    assert group_figure(client, API) == 1
    zh = client.get(DASHBOARD, SHENZHEN_2018, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert zh.status_code == 200
    assert sorted(remembered()) == [
        ("440300", 2018, False, "en"),
        ("440300", 2018, False, "zh-hans"),
    ]

    standards_import(
        records=[StandardIn(identifier="T/SZAS 90009-2018", published=dt.date(2018, 5, 1))],
        source="test",
        path="test",
    )
    assert dashboards_warm() == 2  # the page in each language it was read in
    assert dashboards_warm() == 0  # nothing changed since

    # Readers now find the new figures counted: counting again would fail.
    def counted_by_a_reader(scope):
        raise AssertionError(f"{scope.region.code} counted again for a reader")

    monkeypatch.setattr(payloads, "dashboard", counted_by_a_reader)
    page = client.get(DASHBOARD, SHENZHEN_2018)
    assert page.status_code == 200
    assert group_figure(client, API) == 2
    assert client.get(DASHBOARD, SHENZHEN_2018, HTTP_ACCEPT_LANGUAGE="zh-hans").status_code == 200
    # Another year was never read: it is counted for its first reader (and fails here).
    with pytest.raises(AssertionError, match="counted again"):
        client.get(DASHBOARD, {**SHENZHEN_2018, "year": 2019})


def test_quick_dashboards_are_not_remembered_and_the_worker_runs_the_count(world, client, settings):
    settings.STDPLUS_STATS_WARM_MS = 60_000
    assert client.get(DASHBOARD, SHENZHEN_2018).status_code == 200
    assert remembered() == []
    settings.STDPLUS_STATS_WARM_MS = 0
    assert client.get(DASHBOARD, {**SHENZHEN_2018, "year": 2019}).status_code == 200
    assert remembered() == [("440300", 2019, False, "en")]
    standards_import(
        records=[StandardIn(identifier="T/SZAS 90010-2019", published=dt.date(2019, 5, 1))],
        source="test",
        path="test",
    )
    dashboards_warm_task.call_local()  # the worker's periodic task
    assert dashboards_warm() == 0  # it counted this version already


def test_a_page_that_fails_to_count_does_not_keep_the_others_from_being_counted(
    world, client, settings, monkeypatch
):
    settings.STDPLUS_STATS_WARM_MS = 0
    for year in (2018, 2019):
        assert client.get(DASHBOARD, {**SHENZHEN_2018, "year": year}).status_code == 200
    standards_import(
        records=[StandardIn(identifier="T/SZAS 90011-2019", published=dt.date(2019, 5, 1))],
        source="test",
        path="test",
    )
    counting = payloads.dashboard

    def fails_for_2019(scope):
        if scope.period.end.year == 2019:
            raise RuntimeError("a broken figure")
        return counting(scope)

    monkeypatch.setattr(payloads, "dashboard", fails_for_2019)
    assert dashboards_warm() == 1  # 2018 counted, 2019 logged and left to its readers
    monkeypatch.setattr(payloads, "dashboard", lambda scope: pytest.fail("counted again"))
    assert client.get(DASHBOARD, SHENZHEN_2018).status_code == 200
