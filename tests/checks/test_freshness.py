"""Honest answers about the data's age: every answer says how fresh its source is, a check
warns when it relies on data older than STDPLUS_SOURCE_MAX_AGE_DAYS, and a later edition of
the same work continues the chain even when the source records no replacement."""

import datetime as dt

import pytest

from stdplus.catalog.freshness import source_age
from stdplus.catalog.models import ImportRun, Standard
from stdplus.catalog.selectors import standard_details
from stdplus.catalog.services import StandardIn, standards_import
from stdplus.checks.engine import check_run
from stdplus.checks.exports import csv_text, headers
from stdplus.checks.extract import InputLine
from stdplus.checks.services import validity_check_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(db, today):
    """An RFC index of March 2009 (nothing published after), and ITU editions of one work
    where the source names no replacement."""
    standards_import(
        records=[
            StandardIn(
                "RFC 2616",
                row=1,
                title_en="HTTP/1.1",
                status_word="current",
                published=dt.date(1999, 6, 1),
            ),
            StandardIn(
                "RFC 5446",
                row=2,
                title_en="Service Selection",
                status_word="current",
                published=dt.date(2009, 2, 1),
            ),
        ],
        source="ietf",
        path="rfc-index-2009.jsonl",
    )
    standards_import(
        records=[
            StandardIn(
                "ITU-T X.509 (10/2012)",
                row=1,
                title_en="Directory: certificates",
                status_word="withdrawn",
                published=dt.date(2012, 10, 14),
            ),
            StandardIn(
                "ITU-T X.509 (10/2019)",
                row=2,
                title_en="Directory: certificates",
                status_word="current",
                published=dt.date(2019, 10, 14),
            ),
        ],
        source="itu",
        path="itu.jsonl",
        as_of=dt.date(2026, 10, 1),
    )


def test_each_import_records_the_date_its_data_describes(sources):
    ietf = ImportRun.objects.get(source="ietf")
    assert ietf.data_date == dt.date(2009, 2, 1)  # the newest publication in the file
    assert ImportRun.objects.get(source="itu").data_date == dt.date(2026, 10, 1)  # as given
    assert source_age("ietf").stale() and not source_age("itu").stale()
    assert source_age("hand-written").as_of is None and source_age("hand-written").stale()


def test_a_check_warns_when_it_relies_on_an_old_source(sources, settings):
    outcome = check_run([InputLine("RFC 2616"), InputLine("ITU-T X.509 (10/2019)")])
    rfc, itu = outcome.results
    assert rfc.status == "current"  # what the 2009 snapshot says, and the check says how old
    assert rfc.source == "ietf" and rfc.source_as_of == dt.date(2009, 2, 1) and rfc.source_stale
    assert itu.source == "itu" and not itu.source_stale
    assert [s.source for s in outcome.stale_sources] == ["ietf"]
    settings.STDPLUS_SOURCE_MAX_AGE_DAYS = 365 * 30
    assert check_run([InputLine("RFC 2616")]).stale_sources == []


def test_saved_check_page_and_exports_show_the_sources_age(sources, alice_client, org_a, alice):
    check, _ = validity_check_create(
        organization=org_a,
        user=alice,
        inputs=[InputLine("RFC 2616"), InputLine("ITU-T X.509 (10/2012)")],
        source="test",
    )
    assert [s["source"] for s in check.stale_sources] == ["ietf"]
    html = alice_client.get(f"/checks/{check.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="stale-sources"' in html and "data as of 2009-02-01" in html
    assert "ietf, data as of 2009-02-01" in html and "old data" in html
    lines = [line.as_dict() for line in check_run([InputLine("RFC 2616")]).results]
    csv = csv_text(lines)
    assert "Source data as of" in headers() and "2009-02-01 (old data)" in csv
    api = alice_client.get(f"/api/v1/checks/{check.pk}").json()
    assert api["sources"][0]["source"] == "ietf" or api["sources"][1]["source"] == "ietf"


def test_the_standards_page_says_how_fresh_its_source_is(sources, client):
    html = client.get("/standards/RFC%202616/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Data as of" in html and "2009-02-01" in html and "older than 365 days" in html
    html = client.get(
        "/standards/ITU-T%20X.509%20(10%2F2019)/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "2026-10-01" in html and "older than" not in html
    data = client.get("/api/v1/standards/RFC%202616").json()
    assert data["source_data"] == {
        "source": "ietf",
        "as_of": "2009-02-01",
        "imported": data["source_data"]["imported"],
        "stale": True,
    }


def test_a_later_edition_of_the_same_work_continues_the_chain(sources, client):
    old = Standard.objects.get(canonical="ITU-T X.509 (10/2012)")
    assert old.status == "withdrawn" and not old.relations_in.exists()
    page = [s.canonical for s in standard_details(old).chain]
    assert page == ["ITU-T X.509 (10/2012)", "ITU-T X.509 (10/2019)"]
    line = check_run([InputLine("ITU-T X.509 (10/2012)")]).results[0]
    assert line.chain == page and line.current == "ITU-T X.509 (10/2019)"
    assert line.by_edition == ["ITU-T X.509 (10/2019)"]
    html = client.get(old.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "a later edition of the same work" in html
    # The newest edition, in force, has no chain beyond itself.
    newest = check_run([InputLine("ITU-T X.509 (10/2019)")]).results[0]
    assert newest.chain == ["ITU-T X.509 (10/2019)"]


def test_a_source_age_follows_every_import_run_at_once(sources):
    """The ages are kept per process; a run started, finished or rolled back is seen at once."""
    assert source_age("ietf").as_of == dt.date(2009, 2, 1)
    standards_import(
        records=[
            StandardIn(
                "RFC 9110",
                row=1,
                title_en="HTTP Semantics",
                status_word="current",
                published=dt.date(2022, 6, 1),
            )
        ],
        source="ietf",
        path="rfc-index-2022.jsonl",
    )
    assert source_age("ietf").as_of == dt.date(2022, 6, 1)
    newest = ImportRun.objects.filter(source="ietf").latest("id")
    ImportRun.objects.filter(pk=newest.pk).update(rolled_back_at=newest.finished_at)
    assert source_age("ietf").as_of == dt.date(2009, 2, 1)
    assert source_age("never-imported").as_of is None
