"""The same cases on both backends: the suite runs on SQLite (FTS5) and PostgreSQL."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stdplus.catalog.models import Standard
from stdplus.catalog.services import standard_update
from stdplus.core.errors import ApplicationError
from stdplus.importers.services import file_import
from stdplus.search.indexing import index_rebuild
from stdplus.search.models import SearchDocument
from stdplus.search.selectors import SearchFilters, standards_search

pytestmark = pytest.mark.django_db


def ids(result):
    return [s.canonical for s in result.standards]


@pytest.mark.parametrize("q", ["质量管理", "管理体系", "质量", "量管理体", "体系 要求"])
def test_chinese_substrings_without_spaces(catalog, q):
    assert "GB/T 19001-2016" in ids(standards_search(q=q))


def test_chinese_substring_matches_across_a_space_but_not_across_punctuation(catalog):
    # Titles print a space between their elements (质量管理体系 要求); people type them
    # without it: runs apart by a space are bridged in the index (issue 11, section 4).
    assert "GB/T 19001-2016" in ids(standards_search(q="体系要求"))
    assert "GB/T 19001-2016" in ids(standards_search(q="质量管理体系要求"))
    assert "GB/T 19001-2016" in ids(standards_search(q="体系 要求"))
    # Characters that are in the title, but not next to each other, do not make a match.
    assert "GB/T 19001-2016" not in ids(standards_search(q="管理要求"))


def test_a_single_chinese_character(catalog):
    found = ids(standards_search(q="棉"))
    assert found == ["GB/T 20223-2006"]


@pytest.mark.parametrize("q", ["quality management", "QUALITY Manag", "occupational", "manag"])
def test_english_words_and_prefixes_any_case(catalog, q):
    assert any(c.startswith(("GB/T 19001", "GB/T 45001")) for c in ids(standards_search(q=q)))


def test_words_must_all_match(catalog):
    assert ids(standards_search(q="quality vehicles")) == []


def test_identifier_edition_comes_first(catalog):
    result = standards_search(q="gb/t19001—2008")
    assert result.match.kind == "edition"
    assert ids(result)[:3] == ["GB/T 19001-2008", "GB/T 19001-2016", "GB/T 19001-2000"]


def test_identifier_work_lists_its_editions_current_first(catalog):
    result = standards_search(q="gbt19001")
    assert result.match.kind == "work"
    assert ids(result)[:3] == ["GB/T 19001-2016", "GB/T 19001-2008", "GB/T 19001-2000"]


def test_near_miss_suggests_editions_and_close_numbers(catalog):
    result = standards_search(q="GB/T 19001-2015")
    assert result.match.kind == "near_miss"
    suggested = [s.canonical for s in result.match.suggestions]
    assert suggested[:3] == ["GB/T 19001-2016", "GB/T 19001-2008", "GB/T 19001-2000"]
    close = standards_search(q="GB/T 24002-2016")  # one digit off GB/T 24001
    assert close.match.kind == "near_miss"
    assert close.match.suggestions[0].canonical == "GB/T 24001-2016"
    assert standards_search(q="GB/T 77777-2020").match.kind == "unknown"


def test_ranking_titles_before_scope_and_current_before_superseded(catalog):
    found = ids(standards_search(q="质量管理"))
    scope_only = found.index("GB/T 90001-2021")  # 质量管理 only in its scope
    assert found[:2] == ["GB/T 42061-2022", "GB/T 19001-2016"] or found[:2] == [
        "GB/T 19001-2016",
        "GB/T 42061-2022",
    ]
    assert found.index("GB/T 19001-2016") < found.index("GB/T 19001-2008")
    assert found.index("GB/T 19001-2000") < scope_only
    assert scope_only == len(found) - 1


def test_facets_count_and_filters_combine(catalog):
    result = standards_search(q="质量管理")
    levels = {f.value: f.count for f in result.facets["level"]}
    assert levels == {"national": 5, "industry": 1}
    statuses = {f.value: f.count for f in result.facets["status"]}
    assert statuses == {"current": 3, "superseded": 3}
    assert {f.value for f in result.facets["ics"]} >= {"03", "11", "43"}
    assert {f.value for f in result.facets["year"]} >= {"2016", "2022"}
    narrowed = standards_search(
        q="质量管理", filters=SearchFilters(level=["national"], status=["current"])
    )
    assert sorted(ids(narrowed)) == ["GB/T 19001-2016", "GB/T 42061-2022", "GB/T 90001-2021"]
    both = standards_search(q="质量管理", filters=SearchFilters(level=["national", "industry"]))
    assert both.count == 6
    by_ics = standards_search(filters=SearchFilters(ics=["11.040.01"]))
    assert sorted(ids(by_ics)) == ["GB/T 42061-2022", "YY/T 0287-2017"]
    by_field = standards_search(filters=SearchFilters(ics=["11"], status=["superseded"]))
    assert ids(by_field) == ["YY/T 0287-2017"]
    by_ccs = standards_search(filters=SearchFilters(ccs=["b"]))
    assert ids(by_ccs) == ["GB/T 20223-2006"]
    by_body = standards_search(q="safety", filters=SearchFilters(body=["GB"]))
    assert "GB 4943.1-2022" in ids(by_body)


def test_dates_filter_publication(catalog):
    result = standards_search(
        q="质量管理",
        filters=SearchFilters(
            published_from=dt.date(2016, 1, 1), published_to=dt.date(2016, 12, 31)
        ),
    )
    assert ids(result) == ["GB/T 19001-2016"]


def test_no_query_browses_everything_with_facets(catalog):
    result = standards_search()
    assert result.count == Standard.objects.count()
    assert sum(f.count for f in result.facets["level"]) == result.count


@pytest.mark.parametrize(
    "q, filters",
    [
        ("", {"level": ["national"]}),
        ("management", {}),
        ("要求", {}),
        ("", {"status": ["current"]}),
    ],
)
def test_the_count_and_the_facet_sample_stop_at_their_caps(catalog, monkeypatch, q, filters):
    """Matches are counted up to the count's cap; the facets count the first FACET_SAMPLE
    matches in key order (the rank order of a search without words)."""
    from collections import Counter

    whole = standards_search(q=q, filters=SearchFilters(**filters))
    total = whole.count
    assert whole.count_exact and whole.facets_exact and total > 6, total
    # (The count's cap is never below the sample's: 10,000 and 2,000.)
    for count_cap, sample_cap in (
        (total + 5, 3),
        (total, total - 1),
        (5, 3),
        (total - 1, total - 2),
    ):
        monkeypatch.setattr("stdplus.search.selectors.COUNT_CAP", count_cap)
        monkeypatch.setattr("stdplus.search.selectors.FACET_SAMPLE", sample_cap)
        capped = standards_search(q=q, filters=SearchFilters(**filters))
        assert capped.count == min(total, count_cap)
        assert capped.count_exact == (total <= count_cap)
        assert capped.facets_exact == (capped.count <= sample_cap)
        levels = Counter({f.value: f.count for f in capped.facets["level"]})
        statuses = Counter({f.value: f.count for f in capped.facets["status"]})
        assert sum(levels.values()) == sum(statuses.values()) == min(total, sample_cap)
        if sample_cap >= total:
            assert levels == Counter({f.value: f.count for f in whole.facets["level"]})
        if not q:  # the first matches in key order, read here from the table
            documents = SearchDocument.objects.order_by("key")
            if filters.get("level"):
                documents = documents.filter(level__in=filters["level"])
            else:
                documents = documents.filter(status__in=filters["status"])
            first = documents[:sample_cap]
            assert statuses == Counter(d.status for d in first)
            assert levels == Counter(d.level for d in first)


def test_pages_and_sorts(catalog):
    first = standards_search(q="要求", page_size=2)
    second = standards_search(q="要求", page=2, page_size=2)
    assert len(first.standards) == 2 and len(second.standards) == 2
    assert not set(ids(first)) & set(ids(second))
    every = standards_search(q="要求", page_size=100)
    assert ids(every)[:4] == ids(first) + ids(second)
    assert every.count == len(every.standards)
    newest = standards_search(q="要求", sort="newest", page_size=100)
    dates = [s.published for s in newest.standards]
    assert dates == sorted(dates, reverse=True)
    by_id = standards_search(q="要求", sort="identifier", page_size=100)
    assert ids(by_id) == sorted(ids(by_id))


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"page": 0}, "invalid_page"),
        ({"page_size": 1000}, "invalid_page"),
        ({"page": 10_001}, "page_out_of_range"),
        ({"sort": "price"}, "invalid_sort"),
        ({"filters": SearchFilters(level=["galactic"])}, "invalid_filter"),
        ({"filters": SearchFilters(ics=["3.1"])}, "invalid_filter"),
        (
            {
                "filters": SearchFilters(
                    published_from=dt.date(2020, 1, 1), published_to=dt.date(2019, 1, 1)
                )
            },
            "invalid_filter",
        ),
        ({"q": "x" * 201}, "query_too_long"),
    ],
)
def test_bad_input_is_an_application_error(catalog, kwargs, code):
    with pytest.raises(ApplicationError) as error:
        standards_search(**kwargs)
    assert error.value.code == code


def test_markup_and_query_syntax_are_plain_text(catalog):
    assert ids(standards_search(q="<script>")) == ["T/CAS 90002-2020"]
    for q in ['"', "AND OR NOT", "title:x", "'; DROP TABLE x; --", "*", "NEAR(a b)", "{ident}:"]:
        standards_search(q=q)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=st.text(max_size=60))
def test_any_query_runs(catalog, q):
    result = standards_search(q=q)
    assert result.count >= len(result.standards)


def test_the_index_follows_edits(catalog):
    standard = Standard.objects.get(canonical="GB 11643-1999")
    assert ids(standards_search(q="公民身份号码")) == ["GB 11643-1999"]
    standard_update(standard=standard, changes={"title_zh": "居民身份证号码", "title_en": ""})
    assert ids(standards_search(q="公民身份")) == []
    assert ids(standards_search(q="居民身份证")) == ["GB 11643-1999"]
    standard_update(standard=standard, changes={"source_status": "废止"})
    assert standards_search(q="居民身份证").standards[0].status == "withdrawn"
    assert ids(standards_search(q="居民身份证", filters=SearchFilters(status=["withdrawn"]))) == [
        "GB 11643-1999"
    ]


def test_the_index_follows_imports(catalog, write_jsonl):
    record = {
        "id": "GB/T 90001-2025",
        "level": "national",
        "title_zh": "电动汽车 充电接口 第二版",
        "published": "2025-01-01",
        "status": "current",
        "relations": [{"type": "replaces", "target": "GB/T 90001-2021"}],
    }
    file_import(write_jsonl([record], name="cn_more.jsonl"))
    result = standards_search(q="充电接口")
    assert ids(result) == ["GB/T 90001-2025", "GB/T 90001-2021"]
    assert [s.status for s in result.standards] == ["current", "superseded"]
    assert SearchDocument.objects.count() == Standard.objects.count()


def test_rebuild_gives_the_same_results(catalog):
    before = [ids(standards_search(q=q)) for q in ("质量管理", "safety", "要求")]
    index_rebuild()
    assert SearchDocument.objects.count() == Standard.objects.count()
    assert [ids(standards_search(q=q)) for q in ("质量管理", "safety", "要求")] == before


def test_search_reads_a_bounded_number_of_queries(catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        result = standards_search(q="要求", page_size=50)
        [s.canonical for s in result.standards]


def test_the_rebuild_command(catalog, capsys):
    from django.core.management import call_command

    SearchDocument.objects.all().delete()
    assert ids(standards_search(q="质量管理")) == []
    call_command("search", "rebuild")
    call_command("search", "status")
    out = capsys.readouterr().out
    assert f"{Standard.objects.count()} standards in the search index" in out
    assert "GB/T 19001-2016" in ids(standards_search(q="质量管理"))


def test_the_fulltext_index_matches_its_documents(catalog, write_jsonl):
    from django.db import connection

    standard = Standard.objects.get(canonical="GB 11643-1999")
    standard_update(standard=standard, changes={"title_en": "Citizen number, revised"})
    file_import(write_jsonl([{"id": "GB/T 90003-2024", "title_zh": "测试"}], name="cn_x.jsonl"))
    index_rebuild()
    standard_update(standard=standard, changes={"title_en": "Citizen number"})
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # raises when FTS5 and its content disagree
            cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
            cursor.execute("SELECT COUNT(*) FROM search_fts")
            assert cursor.fetchone()[0] == Standard.objects.count()
    assert ids(standards_search(q="citizen number")) == ["GB 11643-1999"]
