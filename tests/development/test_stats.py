"""Time spent in each state (median, p90 per kind), on the dashboard and as a statistics
figure with its records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from stdplus.core.lifecycle import transition_apply
from stdplus.development.selectors import state_stays
from stdplus.programme.selectors import region_get
from stdplus.stats.indicators import INDICATORS, Period, Scope

from .conftest import make_project, step_data

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
