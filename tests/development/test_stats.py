"""Time spent in each state (median, p90 per kind), on the dashboard and as a statistics
figure with its records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from stdplus.core.lifecycle import transition_apply
from stdplus.development.selectors import state_stays
from stdplus.programme.selectors import region_children, region_get
from stdplus.stats.indicators import INDICATORS, Period, Scope
from tests.programme.factories import standards

from .conftest import advance, make_project, step_data

pytestmark = pytest.mark.django_db


def _walk(team, today, days_in_approved: int):
    today("2026-01-01")
    project = make_project(team)
    transition_apply(
        project, "approve", actor=team.approver, data=step_data(team, "approve", project)
    )
    day = dt.date(2026, 1, 1) + dt.timedelta(days_in_approved)
    today(day.isoformat())
    transition_apply(project, "start_drafting", actor=team.officer)
    return project


def test_time_in_each_state_median_and_p90(group_team, today):
    for days in (10, 20, 30, 40, 100):
        _walk(group_team, today, days)
    stays = {(s.kind, s.state): s for s in state_stays()}
    approved = stays[("group", "approved")]
    assert (approved.count, approved.median, approved.p90) == (5, 30, 76)  # 40 + 0.6 × 60
    assert stays[("group", "proposed")].median == 0
    client = Client()
    client.force_login(group_team.officer)
    board = client.get("/api/v1/development/dashboard").json()
    assert {"kind": "group", "state": "approved", "count": 5, "median": 30.0, "p90": 76.0} in board[
        "stays"
    ]
    page = client.get("/development/dashboard/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "已立项" in page.split('id="stays"')[1]


def test_the_statistics_figure_counts_projects_at_work_with_their_stays(group_team, today):
    group_team.owner.region_code = "440305"
    group_team.owner.save()
    for days in (10, 30):
        _walk(group_team, today, days)
    indicator = INDICATORS["development"]
    scope = Scope(region=region_get("4403"), period=Period.year(2026))
    assert indicator.base(scope).count() == 2
    assert indicator.extra(scope)["group.approved.median"] == 20
    assert indicator.base(Scope(region=region_get("4403"), period=Period.year(2025))).count() == 0
    rows = indicator.rows(list(indicator.base(scope)), scope, None)
    assert {row.kind for row in rows} == {"group"}


def _published(team, today, day: str, *, district: str):
    """A project run by an owner in `district`, published on `day`."""
    team.owner.region_code = district
    team.owner.save()
    today(day)
    return advance(team, make_project(team), "publish")


def test_standards_issued_through_projects_per_year_and_district_beside_the_catalog(
    local_team, group_team, today
):
    nanshan = _published(local_team, today, "2026-03-02", district="440305")
    _published(local_team, today, "2025-06-01", district="440305")  # another year
    group = _published(group_team, today, "2026-04-01", district="440304")
    standards(("DB4403/T 900-2026", "2026-01-10"))  # in the catalog only (an older path)
    scope = Scope(region=region_get("4403"), period=Period.year(2026))
    local = INDICATORS["local_projects"]
    assert list(local.base(scope)) == [nanshan]
    assert INDICATORS["group_projects"].value(scope) == 1
    assert INDICATORS["local"].value(scope) == 2  # the project's edition and the other one
    assert local.by_child(scope, region_children(scope.region))["440305"] == 1
    assert INDICATORS["group_projects"].by_child(scope, region_children(scope.region)) == {
        **{child.code: 0 for child in region_children(scope.region) if child.code != "440304"},
        "440304": 1,
    }
    row = local.rows(list(local.base(scope)), scope, None)[0]
    assert row.standard == nanshan.standard.canonical and row.published_on == dt.date(2026, 3, 2)
    assert row.standard_href == nanshan.standard.get_absolute_url()
    assert INDICATORS["local_projects"].value(scope.with_region(region_get("440304"))) == 0
    assert group.standard.canonical.startswith("T/")
    type(group).objects.filter(pk=group.pk).update(demo=True)
    assert INDICATORS["group_projects"].value(Scope(scope.region, scope.period, True)) == 0


def test_the_dashboard_shows_them_with_the_catalogs_count_and_their_records(
    local_team, group_team, today
):
    nanshan = _published(local_team, today, "2026-03-02", district="440305")
    _published(group_team, today, "2026-04-01", district="440304")
    today("2026-05-01")
    client = Client()
    board = client.get("/api/v1/stats/indicators", {"region": "4403", "year": 2026})
    assert board.status_code == 200  # the development figure's days in each state too
    figures = {figure["key"]: figure for figure in board.json()["figures"]}
    local = figures["local_projects"]
    assert local["value"] == 1 and local["alongside"]["key"] == "local"
    assert local["alongside"]["value"] == figures["local"]["value"] == 1
    group = figures["group_projects"]  # the association's code is in the register: counted
    assert group["value"] == group["alongside"]["value"] == figures["group"]["value"] == 1
    assert figures["development"]["extra"]["local.drafting.count"] == 1
    assert "amounts" not in figures["development"] or figures["development"]["amounts"] is None
    nanshan_row = next(c for c in board.json()["by_child"] if c["code"] == "440305")
    assert nanshan_row["figures"]["local_projects"]["value"] == 1
    records = client.get(local["api"]).json()
    assert records["count"] == 1 and records["results"][0]["id"] == nanshan.pk
    assert records["results"][0]["standard"] == nanshan.standard.canonical
    for language, words in (
        ("en", ("Local standards issued through development projects", "In the catalog")),
        ("zh-hans", ("通过标准制修订项目发布的地方标准", "目录中")),
    ):
        html = client.get(
            "/stats/", {"region": "4403", "year": 2026}, HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
        card = html.split('data-card="local_projects"')[1].split("</article>")[0]
        assert (
            'data-figure="local_projects">1<' in card
            and 'data-alongside="local_projects">1<' in card
        )
        assert all(word in html for word in words), language
        listed = client.get(local["href"], HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert nanshan.standard.get_absolute_url() in listed
