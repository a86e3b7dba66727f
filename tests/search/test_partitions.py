"""PostgreSQL keeps the search table in ranges of its key (search migration 0008), so that a
common word's first matches in key order are read from the first ranges alone. The ranges are
a layout, not a rule: these tests hold them to the key they cut (`indexing.rank_key`)."""

import importlib

import pytest
from django.db import connection

from stdplus.catalog.status import STATUS_ORDER
from stdplus.search import indexing
from stdplus.search.backends.base import FACET_COLUMNS, documents_counted
from stdplus.search.selectors import SearchFilters, standards_search

layout = importlib.import_module("stdplus.search.migrations.0008_postgres_key_partitions")


def test_the_ranges_cut_the_key_the_indexer_writes():
    # The migration keeps its own copy of the key's layout (a migration must not change with
    # the code); it must be the indexer's.
    assert layout.ID_SPAN == indexing.ID_SPAN
    assert indexing.STATUS_RANK == {
        "current": 0,
        "upcoming": 1,
        "development": 2,
        "superseded": 3,
        "withdrawn": 4,
        "cancelled": 5,
    }
    assert set(indexing.STATUS_RANK) == set(STATUS_ORDER)
    bounds = layout.bounds()
    assert bounds == sorted(set(bounds))

    def range_of(key: int) -> int:
        return sum(1 for bound in bounds if bound <= key)

    # Within a status, newer editions never sit in a later range than older ones, and the
    # supplements after the editions; the statuses follow the search's status order.
    last = -1
    for status in sorted(indexing.STATUS_RANK, key=indexing.STATUS_RANK.get):
        for supplement in (False, True):
            for year in (2026, 2024, 2023, 2021, 2017, 2012, 2008, 2001, 1995, 1985, None):
                key = indexing.rank_key(
                    standard_id=indexing.ID_SPAN - 1,
                    status=status,
                    is_supplement=supplement,
                    year=year,
                )
                assert range_of(key) >= last
                last = range_of(key)
    # Standards in force are spread over many ranges; the small statuses take one each.
    current = {
        range_of(indexing.rank_key(standard_id=1, status="current", is_supplement=False, year=y))
        for y in range(1980, 2027)
    }
    assert len(current) == len(layout.YEAR_BANDS[0]) + 1


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's partitions")
def test_documents_land_in_their_ranges_and_a_search_reads_them_in_key_order(catalog):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text, key FROM search_searchdocument ORDER BY key"
        )
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'search_searchdocument'::regclass"
        )
        ranges = cursor.fetchone()[0]
    assert ranges == len(layout.bounds()) + 1
    names = [name for name, _key in rows]
    assert len(set(names)) > 3  # the small catalog of the tests already spreads out
    assert names == sorted(names)  # ranges in key order: p00, p01, ...
    # Every status's documents are found by a search limited to it (a range of keys).
    for status in ("current", "superseded", "withdrawn"):
        found = standards_search(filters=SearchFilters(status=[status]), page_size=100)
        assert found.count > 0
        assert {s.status for s in found.standards} == {status}


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's partitions")
def test_reading_range_by_range_gives_the_first_matches_in_key_order(catalog):
    from stdplus.search.backends import backend
    from stdplus.search.backends.base import ANY, Match
    from stdplus.search.text import query_terms

    engine = backend()
    assert len(engine.key_ranges()) == len(layout.bounds()) + 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM search_searchdocument ORDER BY key")
        every = [row[0] for row in cursor.fetchall()]
    spread = {
        sum(1 for r in engine.key_ranges() if r.low is not None and r.low <= k) for k in every
    }
    assert len(spread) > 3
    for match in (
        Match(facet_groups=[["zlnational", "zlinternational", "zlindustry", "zllocal"]]),
        Match(terms=query_terms("standard")),
        Match(facet_groups=[["zlnational"]], key_range=(0, 4 * 10_000 * 10**10)),
    ):
        source, params = engine._from(match, ANY)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT d.key FROM {source} ORDER BY d.key", params)
            expected = [row[0] for row in cursor.fetchall()]
        assert len(expected) > 3, match
        for limit in (1, 2, 3, len(expected) - 1, len(expected), len(expected) + 5):
            rows = engine._in_key_order(match, ANY, "d.key", limit)  # range by range
            assert [row[0] for row in rows] == expected[:limit], (match, limit)
            after = expected[0]
            rows = engine._in_key_order(match, ANY, "d.key", limit, after=after)
            assert [row[0] for row in rows] == [k for k in expected if k > after][:limit]
            grouped = engine._in_key_order(match, ANY, FACET_COLUMNS, limit, grouped=True)
            assert documents_counted(grouped) == min(limit, len(expected))
        # Told a small count, one statement gives the same.
        rows = engine._in_key_order(match, ANY, "d.key", 3, matches=2)
        assert [row[0] for row in rows] == expected[:3]


@pytest.mark.django_db
def test_the_documents_of_named_standards_are_read_by_their_key_and_found_when_it_moved(catalog):
    from stdplus.catalog.models import Standard
    from stdplus.search.models import SearchDocument

    standards = list(Standard.objects.order_by("pk")[:40])
    expected = {d.standard_id: d.key for d in SearchDocument.objects.filter(standard__in=standards)}
    assert len(expected) == len(standards)
    # While the index follows the catalog, every key is the one the standard's fields give.
    assert {s.pk: indexing.expected_key(s) for s in standards} == expected
    assert {pk: d.key for pk, d in indexing.documents_of(standards).items()} == expected
    # A standard changed behind the index's back (its status, so its key's rank, differs from
    # its document's): its document is still found, by its standard.
    moved = standards[3]
    moved.status = "withdrawn" if moved.status != "withdrawn" else "current"
    assert indexing.expected_key(moved) != expected[moved.pk]
    found = indexing.documents_of(standards)
    assert {pk: d.key for pk, d in found.items()} == expected
    # So does a search naming it, with the change written to the catalog and not (yet) to
    # the index: the named edition comes first.
    Standard.objects.filter(pk=moved.pk).update(status=moved.status)
    assert SearchDocument.objects.get(standard=moved).key == expected[moved.pk]
    result = standards_search(q=moved.canonical)
    assert result.standards[0].pk == moved.pk
