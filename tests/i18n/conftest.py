"""The site the one-language tests read: the register, the catalog, a validity check, a watch
list with an alert, declarations, a spot-check round and a ranking, a development project."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from stdplus.accounts.models import Membership, Role
from stdplus.catalog.services import RelationIn, StandardIn, standards_import
from stdplus.checks.services import inputs_from_paste, validity_check_create
from stdplus.watch.alerts import alerts_process
from stdplus.watch.models import Alert
from stdplus.watch.services import feed_token_for, watch_list_create

from ..accounts.helpers import PASSWORD, UserFactory
from ..declarations.walk import declarations_walk
from ..programme.conftest import world  # noqa: F401 - the register's records
from ..search.conftest import load_catalog
from ..supervision.site import supervision_site


def new_edition(year: int) -> None:
    """GB/T 19001-<year> replaces the edition of the year before the last (2016 for 2026)."""
    standards_import(
        records=[
            StandardIn(
                f"GB/T 19001-{year}",
                row=1,
                title_zh="质量管理体系 要求",
                title_en="Quality management systems - Requirements",
                status_word="current",
                published=dt.date(year, 6, 1),
                effective=dt.date(year + 1, 1, 1),
                relations=[
                    RelationIn("replaces", f"GB/T 19001-{2016 if year == 2026 else year - 1}")
                ],
            )
        ],
        source="test",
        path=f"new-{year}.jsonl",
    )


@pytest.fixture
def site(world, today, write_jsonl, client):  # noqa: F811 - the fixture imported above
    load_catalog(write_jsonl)
    User = get_user_model()
    staff = User.objects.create_superuser("staff", "staff@example.org", PASSWORD)
    engineer = UserFactory(username="engineer")
    Membership.objects.create(user=engineer, organization=world.nanshan, role=Role.ADMIN)
    inputs, skipped = inputs_from_paste("GB/T 19001-2016\nGB/T 19001\nWD 123\nGB/T 99999-2020")
    check, _outcome = validity_check_create(
        organization=world.nanshan, user=engineer, inputs=inputs, source="", skipped=skipped
    )
    # A watch list of the engineer's organization, and an alert on it: a new edition of
    # GB/T 19001 replaces the 2016 one.
    watch_list = watch_list_create(
        organization=world.nanshan, user=engineer, name="引用标准", items=[("work", "GB/T 19001")]
    )
    new_edition(2026)
    alerts_process()
    assert Alert.objects.filter(watch_list=watch_list).exists()
    feed = feed_token_for(watch_list=watch_list, user=engineer)
    declared = declarations_walk(world.nanshan, engineer, "GB/T 19001-2016")
    supervision = supervision_site()
    from tests.development.conftest import advance, make_project, make_team

    team = make_team("group")
    project = advance(team, make_project(team), "send_to_review")
    from stdplus.development.services import draft_add

    draft_add(project=project, user=team.officer, text="1 Scope\nThis standard applies to taps.")
    return {
        "world": world,
        "staff": staff,
        "engineer": engineer,
        "check": check,
        "watch_list": watch_list,
        "feed": feed,
        "declared": declared,
        "supervision": supervision,
        "project": project,
        "team": team,
    }
