"""The relevance model and cross-language search, on both backends (SQLite FTS5, PostgreSQL).

Records written for these cases, imported with the real importer: the ISO ones first, then the
Chinese ones that adopt them, so that the index must follow an adoption arriving later.
"""

import threading

import pytest
from django.db import connection, transaction

from stdplus.importers.services import file_import
from stdplus.search.indexing import index_rebuild
from stdplus.search.models import SearchDocument
from stdplus.search.selectors import SearchFilters, standards_search
from stdplus.search.text import title_keys
from stdplus.search.translate import segment, translate

from .conftest import load_catalog

pytestmark = pytest.mark.django_db

INTERNATIONAL = [
    # An exact short title, and a newer, longer title holding the same words.
    {
        "id": "ISO 91100:2015",
        "title_en": "Water quality — Sampling",
        "published": "2015-03-01",
        "status": "current",
    },
    {
        "id": "ISO 91101:2023",
        "title_en": "Water quality — Guidance on sampling of water for the quality laboratory",
        "published": "2023-03-01",
        "status": "current",
    },
    # The phrase "soil texture", and the two words apart (newer).
    {
        "id": "ISO 91110:2012",
        "title_en": "Soil texture classification for earthworks and drainage projects",
        "published": "2012-01-01",
        "status": "current",
    },
    {
        "id": "ISO 91111:2024",
        "title_en": "Texture analysis of soil",
        "published": "2024-01-01",
        "status": "current",
    },
    {
        "id": "ISO 91112:2016",
        "title_en": "Soil texture",
        "published": "2016-01-01",
        "status": "current",
    },
    # Two editions of one work with one title: current before superseded.
    {
        "id": "ISO 91120:2010",
        "title_en": "Adhesives — Peel strength",
        "published": "2010-01-01",
        "status": "withdrawn",
    },
    {
        "id": "ISO 91120:2019",
        "title_en": "Adhesives — Peel strength",
        "published": "2019-01-01",
        "status": "current",
        "relations": [{"type": "replaces", "target": "ISO 91120:2010"}],
    },
    # Found through the Chinese title of the standard that adopts it.
    {
        "id": "ISO 91130:2018",
        "title_en": "Tyre valves — Test methods",
        "published": "2018-01-01",
        "status": "current",
    },
    # No Chinese title, no adopter: found through the dictionary.
    {
        "id": "ISO/IEC 91140:2022",
        "title_en": "Information security — Management of incidents",
        "published": "2022-01-01",
        "status": "current",
    },
    # Adopted by a Chinese standard that has no English title.
    {
        "id": "ISO 91150:2020",
        "title_en": "Hyperbaric oxygen chambers — Safety",
        "published": "2020-01-01",
        "status": "current",
    },
]
CHINESE = [
    {
        "id": "GB/T 91130-2020",
        "level": "national",
        "title_zh": "轮胎气门嘴 试验方法",
        "published": "2020-01-01",
        "status": "current",
        "relations": [{"type": "adopts", "target": "ISO 91130:2018", "degree": "IDT"}],
    },
    {
        "id": "GB/T 91141-2021",
        "level": "national",
        "title_zh": "信息安全 事件管理指南",
        "title_en": "Guide to the management of incidents",
        "published": "2021-01-01",
        "status": "current",
    },
    {
        "id": "YY 91150-2021",
        "level": "industry",
        "title_zh": "医用高压氧舱 安全",
        "published": "2021-01-01",
        "status": "current",
        "relations": [{"type": "adopts", "target": "ISO 91150:2020", "degree": "MOD"}],
    },
]


@pytest.fixture
def records(db, today, write_jsonl):
    file_import(write_jsonl(INTERNATIONAL, name="iso_relevance.jsonl"))
    file_import(write_jsonl(CHINESE, name="cn_relevance.jsonl"))


def ids(result):
    return [s.canonical for s in result.standards]


def through(result, canonical):
    return next(s for s in result.standards if s.canonical == canonical).matched_through


def test_a_short_exact_title_comes_before_newer_longer_titles(records):
    found = ids(standards_search(q="Water quality sampling"))
    assert found[:2] == ["ISO 91100:2015", "ISO 91101:2023"]
    # The title typed with its dash and other spacing is still the exact title.
    assert ids(standards_search(q="water quality—sampling"))[0] == "ISO 91100:2015"


def test_exact_then_phrase_then_words_apart_shorter_first(records):
    found = ids(standards_search(q="soil texture"))
    # Exact title; the phrase in a longer title; the two words apart (the newest of the three).
    assert found == ["ISO 91112:2016", "ISO 91110:2012", "ISO 91111:2024"]


def test_current_edition_before_the_one_it_replaced(records):
    found = ids(standards_search(q="adhesives peel strength"))
    assert found == ["ISO 91120:2019", "ISO 91120:2010"]


def test_chinese_query_finds_the_international_standard_through_its_adopter(records):
    result = standards_search(q="轮胎气门嘴试验方法")
    found = ids(result)
    # The Chinese standard by its own words first, the one it adopts after it.
    assert found == ["GB/T 91130-2020", "ISO 91130:2018"]
    assert through(result, "GB/T 91130-2020") is None
    matched = through(result, "ISO 91130:2018")
    assert (matched.kind, matched.via) == ("adoption", "GB/T 91130-2020")


def test_chinese_query_finds_english_titles_through_the_dictionary(records):
    result = standards_search(q="信息安全")
    found = ids(result)
    assert found[0] == "GB/T 91141-2021"  # its Chinese title holds the words
    assert "ISO/IEC 91140:2022" in found
    matched = through(result, "ISO/IEC 91140:2022")
    assert matched.kind == "translation"
    assert "information security" in matched.detail


def test_english_query_finds_a_chinese_standard_through_what_it_adopts(records):
    result = standards_search(q="hyperbaric oxygen chambers")
    found = ids(result)
    assert found == ["ISO 91150:2020", "YY 91150-2021"]
    matched = through(result, "YY 91150-2021")
    assert (matched.kind, matched.via) == ("adoption", "ISO 91150:2020")


def test_cross_language_words_do_not_reach_standards_with_their_own_chinese_title(records):
    # 事件管理 (incident management): the ISO title has both words, but the only same-language
    # match is GB/T 91141-2021; a Chinese standard is never found through the dictionary.
    result = standards_search(q="事件管理")
    assert ids(result)[0] == "GB/T 91141-2021"
    assert all(
        s.matched_through is None or s.matched_through.kind == "translation"
        for s in result.standards
    )
    assert not any(s.title_zh and s.matched_through for s in result.standards)


def test_counts_include_cross_language_matches(records):
    result = standards_search(q="轮胎气门嘴")
    assert result.count == 2 and result.count_exact


def test_pages_run_on_from_same_language_into_cross_language(records):
    first = ids(standards_search(q="轮胎气门嘴", page_size=1, page=1))
    second = ids(standards_search(q="轮胎气门嘴", page_size=1, page=2))
    assert first == ["GB/T 91130-2020"] and second == ["ISO 91130:2018"]


def test_the_index_holds_the_adopters_words_and_a_rebuild_keeps_them(records):
    iso = SearchDocument.objects.get(standard__canonical="ISO 91130:2018")
    assert "轮胎" in iso.xlang.split()
    before = {d.standard_id: (d.xlang, d.exact) for d in SearchDocument.objects.all()}
    index_rebuild()
    after = {d.standard_id: (d.xlang, d.exact) for d in SearchDocument.objects.all()}
    assert before == after


def test_api_items_say_why_they_matched(records, client):
    data = client.get("/api/v1/standards", {"q": "轮胎气门嘴试验方法"}).json()
    items = {item["identifier"]: item["matched_through"] for item in data["items"]}
    assert items["GB/T 91130-2020"] is None
    assert items["ISO 91130:2018"] == {
        "kind": "adoption",
        "via": "GB/T 91130-2020",
        "detail": "",
    }


def test_the_page_notes_a_cross_language_match(records, client):
    page = client.get("/search/", {"q": "轮胎气门嘴试验方法"}).content.decode()
    assert "matched-through" in page and "GB/T 91130-2020" in page


def test_title_keys_whole_and_without_the_introductory_element():
    assert title_keys("Medical devices — Quality management systems — Requirements", "") == [
        "medicaldevicesqualitymanagementsystemsrequirements",
        "qualitymanagementsystemsrequirements",
    ]
    assert title_keys("", "质量管理体系 要求") == ["质量管理体系要求"]


def test_segmentation_and_reading_of_chinese_words():
    assert segment("医疗器械质量管理体系") == ["医疗器械", "质量管理", "体系"]
    from stdplus.search.text import query_terms

    reading = translate(query_terms("信息安全")[0])
    assert reading is not None
    assert [t.text for t in reading.words[0].english] == ["information security"]
    assert translate(query_terms("water")[0]) is None


def _broad(write_jsonl):
    """Thirty current standards on pumps (newer than the rest), an old withdrawn one whose
    title is exactly "Pumps", and an old current one holding the phrase "centrifugal pumps"."""
    rows = [
        {
            "id": f"ISO {92000 + n}:2024",
            "title_en": f"Pumps — Part {n}: Requirements for installation number {n}",
            "published": "2024-01-01",
            "status": "current",
        }
        for n in range(30)
    ]
    rows += [
        {
            "id": "ISO 92100:1990",
            "title_en": "Pumps",
            "published": "1990-01-01",
            "status": "withdrawn",
        },
        {
            "id": "ISO 92101:1995",
            "title_en": "Centrifugal pumps",
            "published": "1995-01-01",
            "status": "current",
        },
    ]
    file_import(write_jsonl(rows, name="iso_pumps.jsonl"))


@pytest.mark.parametrize("window", [5, 40])
def test_a_broad_query_ranks_a_bounded_window_and_keeps_exact_titles(
    db, today, write_jsonl, monkeypatch, window
):
    """A query matching more than RANK_WINDOW documents ranks the first ones in key order and
    the titles holding the phrase; the pages still hold every match once."""
    from stdplus.search.backends import base

    _broad(write_jsonl)
    monkeypatch.setattr(base, "RANK_WINDOW", window)
    first = ids(standards_search(q="pumps", page_size=10))
    # The exact title first, although withdrawn and older than the window.
    assert first[0] == "ISO 92100:1990"
    if window >= 32:  # all ranked: then the shortest title holding the word
        assert first[1] == "ISO 92101:1995"
    else:  # the window: the newest in force, shortest titles first
        assert first[1:3] == ["ISO 92000:2024", "ISO 92001:2024"]
    assert ids(standards_search(q="centrifugal pumps"))[0] == "ISO 92101:1995"
    seen = []
    for page in range(1, 5):
        seen += ids(standards_search(q="pumps", page=page, page_size=10))
    assert len(seen) == len(set(seen)) == 32


def test_an_identifier_is_a_point_lookup_with_the_texts_that_mention_it(
    db, today, write_jsonl, django_assert_max_num_queries
):
    """A query naming a standard lists its editions, then the texts holding the identifier
    written out; texts holding its pieces apart (iso, 93000, 2016) are no match."""
    rows = [
        {"id": "ISO 93000:2016", "title_en": "Valves", "published": "2016-01-01"},
        {"id": "ISO 93000:2009", "title_en": "Valves", "published": "2009-01-01"},
        {
            "id": "ISO 93001:2020",
            "title_en": "Valve testing to ISO 93000:2016",
            "published": "2020-01-01",
        },
        {
            "id": "ISO 93002:2016",
            "title_en": "ISO valves, 93000 series",
            "published": "2016-06-01",
        },
    ]
    file_import(write_jsonl(rows, name="iso_valves.jsonl"))
    result = standards_search(q="iso93000:2016")
    assert result.match.kind == "edition"
    assert ids(result) == ["ISO 93000:2016", "ISO 93000:2009", "ISO 93001:2020"]
    assert result.count == 3
    work = standards_search(q="ISO 93000")
    assert work.match.kind == "work"
    assert ids(work) == ["ISO 93000:2016", "ISO 93000:2009", "ISO 93001:2020"]
    # Words that are no identifier still match their pieces.
    assert "ISO 93002:2016" in ids(standards_search(q="valves 93000"))
    # Nothing else matching: the identifier, its editions, one count, no page to rank.
    with django_assert_max_num_queries(6):
        assert ids(standards_search(q="ISO 93002:2016")) == ["ISO 93002:2016"]


def test_an_english_word_read_from_chinese_matches_its_inflections_not_longer_words(
    db, today, write_jsonl
):
    """消防 reads as "fire": titles with "fire" or "fires" match, "firewall" and "firebrand"
    (words that only begin with it) do not; 电池 reads as "battery", found as "batteries"."""
    rows = [
        {"id": "ISO 93500:2020", "title_en": "Ships - Fire protection", "published": "2020-01-01"},
        {"id": "ISO 93501:2019", "title_en": "Classification of fires"},
        {"id": "ISO 93502:2021", "title_en": "Firewall configuration for ships"},
        {"id": "ISO 93503:2022", "title_en": "Firebrand generators"},
        {"id": "ISO 93504:2018", "title_en": "Secondary batteries for ships"},
    ]
    file_import(write_jsonl(rows, name="iso_fire.jsonl"))
    assert set(ids(standards_search(q="消防"))) == {"ISO 93500:2020", "ISO 93501:2019"}
    assert ids(standards_search(q="电池")) == ["ISO 93504:2018"]
    # an English query still matches the words a prefix begins
    assert "ISO 93502:2021" in ids(standards_search(q="fire"))


def test_a_number_or_a_piece_of_an_identifier_finds_the_standards_it_numbers_first(
    db, today, write_jsonl
):
    """A query with a number in it that names no standard of the catalog ("93100", "IEC
    93200", "ISO 93100-2015" for ISO 93100:2015) lists the standards whose identifier holds it
    before the texts whose title mentions it (which come first for a query of words); a prefix
    typed alone ("IEC") lists the standards whose identifier begins with it first."""
    rows = [
        {
            "id": "ISO 93110:2021",
            "title_en": "Guidance on statistical techniques for ISO 93100:2015",
            "published": "2021-01-01",
        },
        {"id": "ISO 93100:2015", "title_en": "Quality systems - Requirements"},
        {"id": "IEC 93200-1:2020", "title_en": "Electrical equipment - Part 1: General"},
        {"id": "IEC 93200-2-4:2019", "title_en": "Electrical equipment - Part 2-4: Pumps"},
        {
            "id": "IEC TR 93300:2022",
            "title_en": "Software for IEC 93200 equipment",
            "published": "2022-01-01",
        },
        {"id": "ISO 93120:2020", "title_en": "Alignment with IEC rules"},
    ]
    file_import(write_jsonl(rows, name="iso_numbers.jsonl"))
    assert ids(standards_search(q="93100")) == ["ISO 93100:2015", "ISO 93110:2021"]
    result = standards_search(q="ISO 93100-2015")  # part 2015 of ISO 93100: not in the catalog
    assert result.match.kind == "near_miss"
    assert ids(result)[0] == "ISO 93100:2015"
    for query in ("IEC 93200", "iec93200", "93200"):
        found = ids(standards_search(q=query))
        assert set(found[:2]) == {"IEC 93200-1:2020", "IEC 93200-2-4:2019"}, query
        assert found[2] == "IEC TR 93300:2022", query
    # words without a number are ranked as before: the title holding them first
    assert ids(standards_search(q="statistical techniques"))[0] == "ISO 93110:2021"
    # a prefix typed alone finds the standards whose identifier begins with it first
    found = ids(standards_search(q="IEC"))
    assert set(found[:3]) == {"IEC 93200-1:2020", "IEC 93200-2-4:2019", "IEC TR 93300:2022"}
    assert found[3:] == ["ISO 93120:2020"]  # its title mentions IEC


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite is read in this process (core.parallel)"
)
@pytest.mark.parametrize("window", [3, 5])
def test_reads_beside_give_the_same_pages_and_facets(
    transactional_db, today, write_jsonl, monkeypatch, window
):
    """PostgreSQL outside a transaction: a broad query's facet sample and its exact-title
    candidates are read on a second connection (core.parallel) while the page is found; the
    answers are the same as read in order on one connection (inside a transaction)."""
    from stdplus.core import parallel
    from stdplus.search.backends import base, postgres

    _broad(write_jsonl)
    load_catalog(write_jsonl)
    monkeypatch.setattr(base, "RANK_WINDOW", window)
    monkeypatch.setattr(postgres, "RANK_WINDOW", window)
    beside: list[str] = []
    original = parallel._read
    monkeypatch.setattr(
        parallel,
        "_read",
        lambda read: beside.append(threading.current_thread().name) or original(read),
    )
    searches = [
        {"q": "pumps"},
        {"q": "pumps", "page": 2, "page_size": 10},
        {"q": "质量管理"},
        {"q": "quality management"},
        {"q": "", "filters": SearchFilters(level=["national"])},
        {"q": "电动汽车", "filters": SearchFilters(status=["current"])},
    ]

    def answers():
        found = []
        for search in searches:
            result = standards_search(**search)
            found.append((ids(result), result.count, result.count_exact, result.facets))
        return found

    outside = answers()
    assert len(beside) >= len(searches) and all(n.startswith("stdplus-read") for n in beside)
    beside.clear()
    with transaction.atomic():
        inside = answers()
    assert not beside
    assert outside == inside
    assert outside[0][0][0] == "ISO 92100:1990"  # the exact title, found beside


def _valves(write_jsonl):
    """Titles of one length holding "valves" (ties the score must break: some say it again in
    their scope), longer ones, superseded ones, and ones naming valves in their scope alone."""
    rows = []
    for n in range(12):
        rows.append(
            {
                "id": f"ISO {93000 + n}:2020",
                "title_en": f"Valves series {n:02d}",
                "scope": "Covers valves and valves fittings." if n % 3 == 0 else "Covers fittings.",
                "published": "2020-01-01",
                "status": "current" if n % 4 else "withdrawn",
            }
        )
    for n in range(6):
        rows.append(
            {
                "id": f"ISO {93100 + n}:2021",
                "title_en": f"Industrial valves — Part {n}: Testing of valves under pressure",
                "published": "2021-01-01",
                "status": "current",
            }
        )
        rows.append(
            {
                "id": f"ISO {93200 + n}:2019",
                "title_en": f"Pipework fittings {n}",
                "scope": "Also for valves." if n % 2 else "Also for valves and valves seats.",
                "published": "2019-01-01",
                "status": "current",
            }
        )
    file_import(write_jsonl(rows, name="iso_valves.jsonl"))


def test_the_score_worked_out_for_the_rows_that_reach_the_page_gives_the_full_order(
    db, today, write_jsonl
):
    """`Backend._ranked` scores only the rows up to the (tier, status, length) of the last row of
    the page; every page equals the one a sort of every match by the whole order gives."""
    from stdplus.search.backends import backend
    from stdplus.search.backends.base import NATIVE, STATUS_DIVISOR, TABLE, Match
    from stdplus.search.text import query_terms

    _valves(write_jsonl)
    engine = backend()
    match = Match(terms=query_terms("valves"), translations=[None])
    tier_sql, tier_params = engine._tier(match, NATIVE)
    score_sql, score_params = engine._score(match, NATIVE)
    source, params = engine._from(match, NATIVE)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.key FROM {source} ORDER BY {tier_sql}, d.key / {STATUS_DIVISOR}, "
            f"CASE WHEN {tier_sql} <= 1 THEN length(d.title) ELSE 0 END, {score_sql}, d.key",
            [*params, *tier_params, *tier_params, *score_params],
        )
        every = [row[0] for row in cursor.fetchall()]
    assert len(every) == 24
    for offset in range(0, 25):
        for limit in (1, 2, 5, 7, 24):
            page = engine._ranked(match, NATIVE, offset=offset, limit=limit)
            assert page == every[offset : offset + limit], (offset, limit)
    assert TABLE in source
