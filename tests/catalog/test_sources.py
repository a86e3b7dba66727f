"""Where two sources describe one standard, every fact is kept with its source, and the page
and the API say which source each field came from."""

import pytest

from stdplus.catalog.models import SourceFacts, Standard
from stdplus.catalog.rules.sources import fields_by_source
from stdplus.catalog.selectors import standard_details
from stdplus.catalog.services import standard_update
from stdplus.importers.services import file_import

from ..conftest import BUNDLED_DATA, CURATED

pytestmark = pytest.mark.django_db

NMPA = BUNDLED_DATA / "cn_nmpa_medical_devices.jsonl.gz"


@pytest.fixture
def both(today):
    file_import(CURATED)  # the curated file creates GB/T 42061-2022 and owns it
    file_import(NMPA)


def test_both_sources_facts_are_kept_and_each_field_names_its_source(both):
    standard = Standard.objects.get(canonical="GB/T 42061-2022")
    assert standard.source == "cn"
    facts = {f.source: f for f in SourceFacts.objects.filter(standard=standard)}
    assert set(facts) == {"cn", "nmpa"}
    # The two files disagree on the day of publication: the owner's is shown, both are kept.
    assert facts["cn"].facts["published"] == "2022-10-12"
    assert facts["nmpa"].facts["published"] == "2022-10-14"
    assert facts["nmpa"].facts["source_status"] == "现行"
    assert facts["nmpa"].facts["extra"]["category"]
    assert facts["nmpa"].seen is not None and facts["nmpa"].import_run_id is not None
    assert standard.published.isoformat() == "2022-10-12"
    rows = {row.field: row for row in standard_details(standard).fields_by_source}
    assert rows["published"].used == "cn" and not rows["published"].agree
    assert rows["published"].values == {"cn": "2022-10-12", "nmpa": "2022-10-14"}
    # The status fields are the owner's word alone; NMPA's is kept beside it.
    assert rows["source_status"].used == "cn" and rows["source_status"].values["nmpa"] == "现行"
    # NMPA fills what the curated file left blank, and is named for it.
    assert rows["extra.category"].used == "nmpa" and standard.extra["category"]
    assert rows["title_zh"].agree and rows["title_zh"].used == "cn"
    # A standard only one source describes keeps no facts: every field is its source's.
    assert not SourceFacts.objects.filter(standard__canonical="GB/T 19001-2016").exists()
    nmpa_only = Standard.objects.filter(source="nmpa").first()
    assert nmpa_only is not None and not nmpa_only.source_facts.exists()


def test_importing_again_changes_nothing_and_a_hand_edit_is_no_sources(both):
    before = sorted(SourceFacts.objects.values_list("id", "standard_id", "source", "facts"))
    assert len(before) >= 2
    file_import(CURATED)
    file_import(NMPA)
    assert sorted(SourceFacts.objects.values_list("id", "standard_id", "source", "facts")) == before
    standard = Standard.objects.get(canonical="GB/T 42061-2022")
    standard_update(standard=standard, changes={"title_en": "Medical devices, QMS"})
    standard.refresh_from_db()
    rows = {row.field: row for row in standard_details(standard).fields_by_source}
    assert rows["title_en"].value == "Medical devices, QMS" and rows["title_en"].used == ""


def test_the_detail_api_and_page_show_the_sources(both, client):
    body = client.get("/api/v1/standards/GB%2FT%2042061-2022").json()
    facts = {f["source"]: f for f in body["sources"]["facts"]}
    assert facts["cn"]["owner"] and not facts["nmpa"]["owner"]
    assert [f["source"] for f in body["sources"]["facts"]] == ["cn", "nmpa"]  # the owner first
    published = next(f for f in body["sources"]["fields"] if f["field"] == "published")
    assert published == {
        "field": "published",
        "value": "2022-10-12",
        "used": "cn",
        "values": {"cn": "2022-10-12", "nmpa": "2022-10-14"},
    }
    one = client.get("/api/v1/standards/GB%2FT%2019001-2016").json()
    assert one["sources"] == {"facts": [], "fields": []}
    html = client.get("/standards/GB/T 42061-2022/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="sources"' in html and "2022-10-14" in html and "✓ used" in html
    html = client.get("/standards/GB/T 42061-2022/", HTTP_ACCEPT_LANGUAGE="zh-hans").content
    assert "来源" in html.decode()
    assert 'id="sources"' not in client.get("/standards/GB/T 19001-2016/").content.decode()


def test_two_records_of_one_identifier_in_one_source_keep_the_one_set_aside(today, write_jsonl):
    file_import(
        write_jsonl(
            [
                {"id": "ISO 5000:2020", "stage": "60.60", "status": "current", "title_en": "A"},
                {"id": "ISO 5000:2020", "stage": "95.99", "status": "withdrawn", "title_en": "B"},
                {"id": "ISO 5001:2020", "stage": "60.60", "status": "current", "title_en": "C"},
                {"id": "ISO 5001:2020", "stage": "60.60", "status": "current"},
            ],
            name="iso.jsonl",
        ),
        source="iso",
    )
    standard = Standard.objects.get(canonical="ISO 5000:2020")
    assert standard.status == "withdrawn" and standard.title_en == "B"  # the later stage
    [facts] = standard.source_facts.all()
    assert facts.source == "iso" and facts.facts["stage_code"] == "95.99"
    [aside] = facts.set_aside
    assert aside["values"]["stage_code"] == "60.60" and aside["values"]["title_en"] == "A"
    # Two rows that only fill each other's blanks do not disagree: nothing kept.
    assert not SourceFacts.objects.filter(standard__canonical="ISO 5001:2020").exists()


def test_the_rule_names_the_owner_first_and_by_hand():
    rows = fields_by_source(
        {"title_en": "X", "published": "2020-01-01", "scope": "by hand"},
        "iso",
        [
            ("iec", {"title_en": "X", "published": "2020-02-02", "scope": "S"}),
            ("iso", {"title_en": "X", "published": "2020-01-01"}),
        ],
    )
    by = {r.field: r for r in rows}
    assert list(by["title_en"].values) == ["iso", "iec"] and by["title_en"].used == "iso"
    assert by["published"].used == "iso" and not by["published"].agree
    assert by["scope"].used == ""  # no source gave the value shown
