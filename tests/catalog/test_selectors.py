import gzip
import json

import pytest

from stdplus.catalog.models import Standard
from stdplus.catalog.selectors import (
    catalog_counts,
    replacement_chain,
    standard_resolve,
    work_editions,
)
from stdplus.importers.services import file_import

from ..conftest import CURATED

pytestmark = pytest.mark.django_db


@pytest.fixture
def curated(today):
    file_import(CURATED)


@pytest.mark.parametrize(
    "typed",
    ["GBT 19001—2016", "gb/t19001-2016", "ＧＢ／Ｔ　１９００１－２０１６", " GB/T 19001 – 2016 "],
)
def test_lookup_any_spelling(curated, typed):
    found = standard_resolve(typed)
    assert found.match == "edition"
    assert found.standard.canonical == "GB/T 19001-2016"


def test_lookup_a_work_names_its_current_edition(curated):
    found = standard_resolve("gbt19001")
    assert found.match == "work" and found.standard is None
    assert [e.canonical for e in found.editions] == [
        "GB/T 19001-2000",
        "GB/T 19001-2008",
        "GB/T 19001-2016",
    ]
    assert found.current.canonical == "GB/T 19001-2016"


def test_lookup_rejects_and_misses(curated):
    assert standard_resolve("quality management").match == "rejected"
    assert standard_resolve("GB/T 99999-2020").match == "none"


@pytest.mark.parametrize(
    ("start", "chain"),
    [
        ("GB/T 19001-2000", ["GB/T 19001-2000", "GB/T 19001-2008", "GB/T 19001-2016"]),
        ("GB/T 28001-2011", ["GB/T 28001-2011", "GB/T 45001-2020"]),  # across numbers
        ("YY/T 0287-2017", ["YY/T 0287-2017", "GB/T 42061-2022"]),  # industry to national
        ("GB 8898-2011", ["GB 8898-2011", "GB 4943.1-2022"]),  # one replaces two
        ("GB 2760-2011", ["GB 2760-2011", "GB 2760-2014", "GB 2760-2024"]),
        ("GB 4943.1-2022", ["GB 4943.1-2022"]),
    ],
)
def test_replacement_chain(curated, start, chain):
    standard = Standard.objects.get(canonical=start)
    assert [s.canonical for s in replacement_chain(standard)] == chain
    assert Standard.objects.get(canonical=chain[-1]).status == "current"


def test_recommended_to_mandatory_across_levels(curated):
    # GB/T 18384.1-2015 has no record of its own: the relation is kept, unresolved, and read
    # from the mandatory standard that replaces it.
    mandatory = Standard.objects.get(canonical="GB 18384-2020")
    assert mandatory.mandate == "mandatory"
    replaced = sorted(r.to_key for r in mandatory.relations_out.filter(type="replaces"))
    assert replaced == ["GB/T 18384.1-2015", "GB/T 18384.2-2015", "GB/T 18384.3-2015"]
    assert all(r.to_standard_id is None for r in mandatory.relations_out.all())


def test_current_edition_of_a_work_in_one_query(curated, django_assert_num_queries):
    with django_assert_num_queries(1):
        current = list(
            Standard.objects.filter(work_key="GB 2760", status="current", is_supplement=False)
        )
    assert [s.canonical for s in current] == ["GB 2760-2024"]


def test_editions_and_counts(curated):
    assert [e.canonical for e in work_editions("JT/T 808")] == ["JT/T 808-2011", "JT/T 808-2019"]
    counts = catalog_counts()
    with gzip.open(CURATED, "rt", encoding="utf-8") as handle:
        records = handle.read().splitlines()
    assert counts["total"] == Standard.objects.count() >= len(records)
    assert counts["by_level"]["industry"] == Standard.objects.filter(level="industry").count()
    levels = {json.loads(line)["level"] for line in records}
    assert set(counts["by_level"]) == levels


def test_chain_read_off_the_relations_already_read_is_the_queried_one(curated):
    """The detail page reads the replacements of its work's editions with its relations and
    walks the chain from them; it must be the chain the queries give."""
    from stdplus.catalog.selectors import standard_details

    longer = 0
    for standard in Standard.objects.all():
        chain = standard_details(standard).chain
        assert chain == replacement_chain(standard), standard.canonical
        longer += len(chain) > 1
    assert longer > 10


def test_chain_stops_at_the_standard_in_force_and_names_its_upcoming_successor(today, client):
    """As the validity check does: a successor not yet in force is not where the chain leads
    while its predecessor is still in force; the page names it apart."""
    import datetime as dt

    from stdplus.catalog.selectors import standard_details
    from stdplus.catalog.services import RelationIn, StandardIn, standards_import

    standards_import(
        records=[
            StandardIn(
                "YY/T 0870.1-2013",
                row=1,
                title_zh="旧版",
                status_word="现行",
                published=dt.date(2013, 10, 21),
            ),
            StandardIn(
                "YY/T 0870.1-2026",
                row=2,
                title_zh="新版",
                status_word="即将实施",
                published=dt.date(2026, 3, 1),
                effective=dt.date(2027, 3, 1),
                relations=[RelationIn("replaces", "YY/T 0870.1-2013")],
            ),
        ],
        source="nmpa",
        path="nmpa.jsonl",
    )
    old = Standard.objects.get(canonical="YY/T 0870.1-2013")
    assert old.status == "current"
    details = standard_details(old)
    assert [s.canonical for s in details.chain] == ["YY/T 0870.1-2013"]
    assert details.upcoming.canonical == "YY/T 0870.1-2026"
    html = client.get(old.get_absolute_url()).content.decode()
    assert "To be replaced by" in html and ">YY/T 0870.1-2026</a>" in html


def test_home_counts_and_changes_follow_every_catalog_write(client):
    """The home page's counts and latest changes are kept per catalog generation: an import
    and an edit through the services are seen on the next read, in the page and the API."""
    from django.urls import reverse

    from stdplus.catalog.models import Standard
    from stdplus.catalog.selectors import catalog_counts, latest_changes
    from stdplus.catalog.services import StandardIn, standards_import
    from stdplus.catalog.services.edits import standard_update

    before = catalog_counts()["total"]
    assert client.get(reverse("api:catalog_summary")).json()["total"] == before
    standards_import(
        records=[StandardIn("GB 2760-2014", row=1, status_word="current", title_zh="食品添加剂")],
        source="cn",
        path="t",
    )
    assert catalog_counts()["total"] == before + 1
    assert client.get(reverse("api:catalog_summary")).json()["total"] == before + 1
    standards_import(
        records=[StandardIn("GB 2761-2017", row=1, status_word="withdrawn", title_zh="真菌毒素")],
        source="cn",
        path="t2",
    )
    assert catalog_counts()["by_status"].get("withdrawn") == 1
    changed = Standard.objects.get(canonical="GB 2760-2014")
    standard_update(standard=changed, changes={"title_zh": "食品添加剂使用标准"})
    assert latest_changes(10)[0].standard_id == changed.pk
