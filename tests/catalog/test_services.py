import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from stdplus.catalog.models import ChangeEvent, Relation, Standard
from stdplus.catalog.services import (
    RelationIn,
    StandardIn,
    standard_update,
    standards_import,
    statuses_recompute,
)
from stdplus.core.errors import ApplicationError

pytestmark = pytest.mark.django_db


def load(records, source="test", **kwargs):
    return standards_import(records=records, source=source, path="test.jsonl", **kwargs)


def gb19001():
    return [
        StandardIn(
            "GB/T 19001-2016",
            row=1,
            title_zh="质量管理体系 要求",
            status_word="current",
            published=dt.date(2016, 12, 30),
            effective=dt.date(2017, 7, 1),
            relations=[
                RelationIn("replaces", "GB/T 19001-2008"),
                RelationIn("adopts", "ISO 9001:2015", degree="IDT"),
            ],
        ),
        StandardIn(
            "GB/T 19001-2008",
            row=2,
            title_zh="质量管理体系 要求",
            status_word="current",
            published=dt.date(2008, 10, 29),
            effective=dt.date(2009, 3, 1),
        ),
    ]


def test_import_creates_editions_of_one_work_and_derives_superseded(today):
    result = load(gb19001())
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    new, old = (
        Standard.objects.get(canonical="GB/T 19001-2016"),
        Standard.objects.get(canonical="GB/T 19001-2008"),
    )
    assert new.work_key == old.work_key == "GB/T 19001"
    assert (new.level, new.body, new.mandate) == ("national", "GB", "recommended")
    assert new.status == "current"
    # The source calls 2008 current, but 2016 replaces it and is in force: superseded.
    assert old.base_status == "current" and old.status == "superseded"


def test_relations_are_readable_both_ways_and_unresolved_targets_kept(today):
    load(gb19001())
    adopts = Relation.objects.get(type="adopts")
    assert (adopts.from_key, adopts.to_key, adopts.degree) == (
        "GB/T 19001-2016",
        "ISO 9001:2015",
        "IDT",
    )
    assert adopts.to_standard is None  # ISO 9001:2015 is not loaded: an unresolved reference
    old = Standard.objects.get(canonical="GB/T 19001-2008")
    assert [r.from_key for r in old.relations_in.all()] == ["GB/T 19001-2016"]
    load([StandardIn("ISO 9001:2015", row=1, status_word="current")], source="iso")
    adopts.refresh_from_db()
    assert adopts.to_standard.canonical == "ISO 9001:2015"


def test_reimport_is_idempotent_and_records_no_events(today):
    load(gb19001())
    events = ChangeEvent.objects.count()
    result = load(gb19001())
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert result.relations_added == 0
    assert ChangeEvent.objects.count() == events


def test_real_changes_record_events(today):
    load(gb19001())
    records = gb19001()
    records[1].withdrawn = dt.date(2017, 7, 1)
    records[1].title_en = "Quality management systems - Requirements"
    result = load(records)
    assert result.updated == 1
    old = Standard.objects.get(canonical="GB/T 19001-2008")
    kinds = set(old.events.values_list("kind", "field"))
    assert ("dates", "withdrawn") in kinds and ("fields", "title_en") in kinds
    event = old.events.get(field="withdrawn")
    assert (event.old_value, event.new_value) == (None, "2017-07-01")


def test_a_new_replacement_records_relation_and_status_events(today):
    load(
        [StandardIn("GB 2760-2014", row=1, status_word="current", published=dt.date(2014, 12, 24))]
    )
    load(
        [
            StandardIn(
                "GB 2760-2024",
                row=1,
                status_word="current",
                published=dt.date(2024, 2, 8),
                effective=dt.date(2025, 2, 8),
                relations=[RelationIn("replaces", "GB 2760-2014")],
            )
        ],
        source="other",
    )
    old = Standard.objects.get(canonical="GB 2760-2014")
    assert old.status == "superseded"
    assert old.events.filter(kind="relation_added", field="replaces").exists()
    status = old.events.get(kind="status")
    assert (status.old_value, status.new_value) == ("current", "superseded")


def test_upcoming_replacement_then_time_passes(today):
    today("2025-01-01")
    load(
        [
            StandardIn("GB 2760-2014", row=1, status_word="current"),
            StandardIn(
                "GB 2760-2024",
                row=2,
                status_word="current",
                published=dt.date(2024, 2, 8),
                effective=dt.date(2025, 2, 8),
                relations=[RelationIn("replaces", "GB 2760-2014")],
            ),
        ]
    )
    statuses = dict(Standard.objects.values_list("canonical", "status"))
    assert statuses == {"GB 2760-2014": "current", "GB 2760-2024": "upcoming"}
    today("2025-02-08")
    assert statuses_recompute(canonicals=None) == 2
    statuses = dict(Standard.objects.values_list("canonical", "status"))
    assert statuses == {"GB 2760-2014": "superseded", "GB 2760-2024": "current"}


def test_replacement_dropped_by_its_source_is_removed(today):
    load(gb19001())
    records = gb19001()
    records[0].relations = records[0].relations[1:]
    result = load(records)
    assert result.relations_removed == 1
    old = Standard.objects.get(canonical="GB/T 19001-2008")
    assert old.status == "current"
    assert old.events.filter(kind="relation_removed").exists()


def test_two_spellings_in_one_file_are_one_entry(today):
    result = load(
        [
            StandardIn("ISO/IEC 13818-1:2007/COR3:2011", row=1, status_word="current"),
            StandardIn("ISO/IEC 13818-1:2007/Cor 3:2011", row=2, title_en="Corrigendum 3"),
        ]
    )
    assert (result.created, result.merged) == (1, 1)
    corrigendum = Standard.objects.get()
    assert corrigendum.canonical == "ISO/IEC 13818-1:2007/Cor 3:2011"
    assert corrigendum.title_en == "Corrigendum 3" and corrigendum.is_supplement
    # A supplement corrects its edition (from the identifier's own shape).
    assert Relation.objects.filter(type="corrects", to_key="ISO/IEC 13818-1:2007").exists()


def test_bad_identifier_stops_the_batch_and_writes_nothing(today):
    records = [*gb19001(), StandardIn("GB/T", row=3)]
    with pytest.raises(ApplicationError) as error:
        load(records)
    assert "test.jsonl, row 3, field 'id'" in str(error.value)
    assert Standard.objects.count() == 0 and ChangeEvent.objects.count() == 0


def test_skip_invalid_writes_the_valid_rows_and_reports_the_rest(today):
    result = load([*gb19001(), StandardIn("<script>", row=3)], skip_invalid=True)
    assert (result.created, result.skipped) == (2, 1)
    assert "row 3" in result.errors[0]


def test_another_source_only_fills_blanks(today):
    load(
        [
            StandardIn(
                "ISO/IEC 27001:2013",
                row=1,
                status_word="current",
                stage_code="90.93",
                title_en="Information security management systems",
            )
        ],
        source="iso",
    )
    result = load(
        [
            StandardIn(
                "ISO/IEC 27001:2013",
                row=1,
                status_word="superseded",
                source_status="REVISED",
                title_en="Other title",
                committee="ISO/IEC JTC 1/SC 27",
            )
        ],
        source="iec",
    )
    standard = Standard.objects.get()
    assert result.updated == 1
    assert standard.title_en == "Information security management systems"
    assert standard.committee == "ISO/IEC JTC 1/SC 27"
    assert (standard.stage_code, standard.base_status) == ("90.93", "current")
    again = load(
        [
            StandardIn(
                "ISO/IEC 27001:2013",
                row=1,
                status_word="superseded",
                committee="ISO/IEC JTC 1/SC 27",
            )
        ],
        source="iec",
    )
    assert again.unchanged == 1


def test_standard_update_records_events_and_rederives_status(today):
    load(gb19001())
    standard = Standard.objects.get(canonical="GB/T 19001-2016")
    changed = standard_update(
        standard=standard, changes={"effective": dt.date(2027, 1, 1), "title_en": "QMS"}
    )
    assert set(changed) == {"effective", "title_en"}
    standard.refresh_from_db()
    assert standard.status == "upcoming"
    assert standard.events.filter(kind="status", new_value="upcoming").exists()
    with pytest.raises(ApplicationError):
        standard_update(standard=standard, changes={"canonical": "X"})


def test_change_events_are_immutable(today):
    load(gb19001())
    event = ChangeEvent.objects.first()
    event.field = "tampered"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(ValidationError):
        ChangeEvent.objects.all().delete()
    with pytest.raises(ValidationError):
        ChangeEvent.objects.update(field="x")


@pytest.mark.parametrize("later_first", [False, True])
def test_one_document_listed_twice_at_two_stages_keeps_the_later_stage(today, later_first):
    # The ISO file lists ISO 6140:1991 once at 90.92 (in force) and once at 95.99 (withdrawn).
    rows = [
        StandardIn("ISO 6140:1991", row=1, status_word="current", stage_code="90.92"),
        StandardIn("ISO 6140:1991", row=2, status_word="withdrawn", stage_code="95.99"),
    ]
    if later_first:
        rows.reverse()
    result = load(rows)
    assert (result.created, result.merged) == (1, 1)
    standard = Standard.objects.get()
    assert (standard.stage_code, standard.base_status) == ("95.99", "withdrawn")


@pytest.mark.django_db(transaction=True)  # settling reads first only outside a transaction
@pytest.mark.parametrize("another_wrote", [False, True])
def test_settling_reads_before_the_lock_and_again_if_another_connection_wrote(
    today, monkeypatch, another_wrote
):
    from django.db import connection

    from stdplus.catalog.services import settle
    from stdplus.search.models import SearchDocument

    read_first = []
    real = settle._step_prepare

    def spy(pending, version=None):
        read_first.append(version is not None)
        return real(pending, version)

    monkeypatch.setattr(settle, "_step_prepare", spy)
    if another_wrote:  # SQLite's count of other connections' commits moves at every look
        versions = iter(range(1000))
        monkeypatch.setattr(settle, "_data_version", lambda: next(versions))
    load(gb19001())
    old = Standard.objects.get(canonical="GB/T 19001-2008")
    assert old.status == "superseded"
    assert SearchDocument.objects.get(standard=old).status == "superseded"  # the new status
    assert old.events.filter(kind="status").count() == 0  # created by the same write
    if connection.vendor == "sqlite":
        assert read_first[0] is True
        assert (False in read_first) is another_wrote  # read again inside the lock
    else:
        assert read_first and not any(read_first)  # PostgreSQL reads in its transaction
