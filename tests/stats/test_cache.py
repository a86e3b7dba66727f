"""Cached statistics show a change to the records behind them at once, in every process."""

import datetime as dt
import io

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stdplus.catalog.models import Standard
from stdplus.catalog.services import StandardIn, standards_import
from stdplus.programme.models import Region
from stdplus.programme.selectors import (
    region_codes,
    region_get,
    region_local_prefixes,
    regions_kept,
    register_version,
)
from stdplus.programme.services.audit import record_archive, record_update
from stdplus.programme.services.registry import participation_create
from stdplus.stats.caching import data_version

pytestmark = pytest.mark.django_db

DASHBOARD = "/stats/"
API = "/api/v1/stats/indicators"
SHENZHEN_2018 = {"region": "4403", "year": 2018}


def figures(client, url=API, **params):
    answer = client.get(url, {**SHENZHEN_2018, **params, "format": "json"}, follow=True).json()
    return {figure["key"]: figure["value"] for figure in answer["figures"]}


def test_a_cached_dashboard_is_not_counted_again(world, client):
    assert client.get(DASHBOARD, SHENZHEN_2018).status_code == 200
    with CaptureQueriesContext(connection) as counted:
        assert client.get(DASHBOARD, SHENZHEN_2018).status_code == 200
    # The data's version (2), the region (by code or short code), the session: no figure.
    assert len(counted) <= 8, [q["sql"] for q in counted]
    assert not any("programme_participation" in q["sql"] for q in counted)


def test_a_catalog_change_shows_at_once(world, client):
    before = figures(client)
    assert before["group"] == 1
    assert figures(client) == before  # now from the cache
    standards_import(
        records=[StandardIn(identifier="T/SZAS 90009-2018", published=dt.date(2018, 5, 1))],
        source="test",
        path="test",
    )
    assert figures(client)["group"] == 2
    assert figures(client, url=DASHBOARD)["group"] == 2
    listed = client.get("/api/v1/stats/records/group", SHENZHEN_2018).json()
    assert listed["count"] == 2


def test_a_register_change_shows_at_once(world, client):
    assert figures(client)["participation"] == 4
    page = client.get("/api/v1/stats/records/participation", SHENZHEN_2018).json()
    assert page["count"] == 4
    participation_create(
        organization=world.futian,
        standard=Standard.objects.get(canonical="GB/T 90008-2018"),
        role="lead",
    )
    assert figures(client)["participation"] == 5
    assert client.get("/api/v1/stats/records/participation", SHENZHEN_2018).json()["count"] == 5
    record_archive(instance=world.pilots.done)
    assert figures(client)["pilots"] == 1


def test_an_organization_moving_shows_at_once(world, client):
    assert figures(client, region="440305")["participation"] == 3
    world.nanshan.region_code = "440100"  # through a form of the accounts app
    world.nanshan.save()
    assert figures(client, region="440305")["participation"] == 0


def test_a_record_edit_shows_at_once(world, client):
    assert figures(client)["experts"] == 1
    position = world.experts.chair.positions.get()
    record_update(instance=position, changes={"term_end": dt.date(2017, 12, 31)})
    assert figures(client)["experts"] == 0


def test_a_region_reload_in_another_worker_shows_here(world, client):
    """The tree is read from the database, not remembered by this process."""
    shenzhen = region_get("4403")
    assert "DB4403" in region_local_prefixes(shenzhen)
    assert figures(client)["local"] == 1
    version = register_version()
    # What `regions_load` in another process would write: Shenzhen's prefixes change.
    Region.objects.filter(code="440300").update(local_prefixes=["SZDB"])
    assert register_version() != version
    assert "DB4403" not in region_local_prefixes(shenzhen)
    assert figures(client)["local"] == 0


def test_one_answer_reads_the_tree_once_and_the_next_reads_it_again(world, client):
    """Within one answer's counting (`regions_kept`), a node's codes and prefixes are read
    once; the next answer reads the tree again, so a reload shows there."""
    shenzhen = region_get("4403")
    with regions_kept():
        with CaptureQueriesContext(connection) as first:
            codes = region_codes(shenzhen)
            prefixes = region_local_prefixes(shenzhen)
        Region.objects.filter(code="440300").update(local_prefixes=["SZDB"])
        with CaptureQueriesContext(connection) as again:
            assert region_codes(shenzhen) == codes
            assert region_local_prefixes(shenzhen) == prefixes
    assert len(first) == 2 and len(again) == 0
    assert "DB4403" in prefixes
    after = region_local_prefixes(shenzhen)
    assert "SZDB" in after and "DB4403" not in after


def test_workers_agree_through_the_database(world, client):
    """Two processes with caches of their own answer the same after a change: the key is the
    data's version, stored in the database, so neither keeps an old answer."""
    one = figures(client)
    store = caches["stats"]
    saved = dict(store._cache)  # this process's entries: "another worker" has the same ones
    participation_create(
        organization=world.futian,
        standard=Standard.objects.get(canonical="GB/T 90008-2018"),
        role="lead",
    )
    store._cache.update(saved)  # the other worker's old entries are still there
    assert figures(client)["participation"] == one["participation"] + 1


def test_the_version_moves_with_each_kind_of_write(world):
    seen = {data_version()}
    participation_create(
        organization=world.futian,
        standard=Standard.objects.get(canonical="GB/T 90008-2018"),
        role="lead",
    )
    seen.add(data_version())
    standards_import(
        records=[StandardIn(identifier="T/SZAS 90010-2018", published=dt.date(2018, 5, 1))],
        source="test",
        path="test",
    )
    seen.add(data_version())
    world.futian.name_en = "Futian Univ."
    world.futian.save()
    seen.add(data_version())
    assert len(seen) == 4


def test_a_deployment_does_not_read_what_older_code_cached(world, monkeypatch):
    from stdplus.stats import caching

    assert caching.cached("probe", (), lambda: "old") == "old"
    assert caching.cached("probe", (), lambda: "new") == "old"
    monkeypatch.setattr(caching, "code_version", lambda: "changed templates")
    assert caching.cached("probe", (), lambda: "new") == "new"


def test_reloading_the_reference_data_moves_the_version(world):
    before = register_version()
    call_command("programme", "load-reference", stdout=io.StringIO())
    assert register_version() != before


def test_cached_lists_never_show_one_reader_what_is_private_to_another(world, client):
    from stdplus.programme.models import FundingScheme, Participation
    from stdplus.programme.services.funding import application_submit
    from tests.accounts.helpers import member

    scheme = FundingScheme.objects.get(code="SZ-2024")
    standard = Standard.objects.get(canonical="GB/T 90001-2018")
    application_submit(
        scheme=scheme,
        item_type=scheme.item_types.get(code="national-part"),
        organization=world.nanshan,
        participation=Participation.objects.get(organization=world.nanshan, standard=standard),
        amount_requested=200_000,
        submitted_on=dt.date(2024, 3, 1),
    )
    page = "/stats/records/funding/"
    scope = {"region": "440305", "year": 2024}
    assert str(world.nanshan) not in client.get(page, scope).content.decode()
    client.force_login(member(world.nanshan))
    assert str(world.nanshan) in client.get(page, scope).content.decode()
    assert client.get(page, {**scope, "format": "json"}, follow=True).json()["results"][0][
        "organization"
    ]
    client.logout()
    assert str(world.nanshan) not in client.get(page, scope).content.decode()
    assert (
        client.get(page, {**scope, "format": "json"}, follow=True).json()["results"][0][
            "organization"
        ]
        is None
    )


def test_two_databases_at_the_same_versions_do_not_share_entries(world, monkeypatch):
    from stdplus.stats import caching

    assert caching.cached("probe", (), lambda: "site") == "site"
    monkeypatch.setitem(connection.settings_dict, "NAME", "var/bench_stats.sqlite3")
    assert caching.cached("probe", (), lambda: "benchmark") == "benchmark"


def test_readers_wait_for_the_one_counting_the_same_answer(world, monkeypatch):
    import threading

    from stdplus.stats import caching

    started, release, counted = threading.Event(), threading.Event(), []

    def slow():
        counted.append("first")
        started.set()
        release.wait(5)
        return "figures"

    def fast():
        counted.append("second")
        return "figures again"

    version = caching.data_version()
    first = threading.Thread(
        target=caching.cached, args=("probe", (), slow), kwargs={"version": version}
    )
    first.start()
    started.wait(5)
    threading.Timer(0.2, release.set).start()
    assert caching.cached("probe", (), fast, version=version) == "figures"
    first.join(5)
    assert counted == ["first"]
    # A reader whose counterpart gave up counts the answer itself.
    monkeypatch.setattr(caching, "WAIT", 0.2)
    caching.stats_cache().add(caching.cache_key("other", (), version) + ":counting", 1, 0.1)
    assert caching.cached("other", (), fast, version=version) == "figures again"
