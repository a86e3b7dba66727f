"""PostgreSQL: the first range of each status cut into small parts (`search.ranges`), so that
a broad search stops reading in a small range. A layout, not a rule: every document stays
where its key says and every answer stays the same."""

import pytest
from django.core.management import call_command
from django.db import connection

from stdplus.search import ranges
from stdplus.search.backends.base import Backend, KeyRange, Match
from stdplus.search.indexing import STATUS_SPAN
from stdplus.search.ranges import Range, ranges_planned, ranges_read, ranges_split
from stdplus.search.selectors import SearchFilters, standards_search


def test_the_first_range_of_each_status_is_cut_into_growing_parts():
    ranges = [
        Range("a", None, 10, 127_369),  # the first range of the first status
        Range("b", 10, 20, 173_074),
        Range("c", STATUS_SPAN, STATUS_SPAN + 5, 74_999),  # too small to cut
        Range("d", STATUS_SPAN + 5, 2 * STATUS_SPAN, 500_000),
        Range("e", 3 * STATUS_SPAN, 3 * STATUS_SPAN + 5, 474_552),
        Range("f", 3 * STATUS_SPAN + 5, None, 1_000_000),
    ]
    planned = ranges_planned(ranges, first=25_000)
    assert planned == [
        [25_000, 25_000, 77_369],
        [173_074],
        [74_999],
        [500_000],
        [25_000, 25_000, 50_000, 100_000, 274_552],
        [1_000_000],
    ]
    for one, parts in zip(ranges, planned, strict=True):
        assert sum(parts) == one.documents
        # (the last part is less than three of the next size: never a sliver)
        assert all(part >= 25_000 for part in parts)
    # Cut once, the ranges are not cut again.
    again = []
    for one, parts in zip(ranges, planned, strict=True):
        again.extend(Range(one.name, one.low, one.high, n) for n in parts)
    # (the parts of one range share its bounds here; only the documents matter to the plan)
    for one, parts in zip(again, ranges_planned(again, first=25_000), strict=True):
        assert len(parts) == 1, one


class _Ranges(Backend):
    def __init__(self, ranges):
        self.ranges = ranges

    def key_ranges(self):
        return self.ranges


def test_a_group_of_ranges_holds_as_many_documents_as_the_groups_before_it():
    alike = [KeyRange(i * 10, i * 10 + 10, 1000) for i in range(15)]
    groups = _Ranges(alike)._range_groups(Match(), None)
    # 1, 1, 2, 4, 7 ranges
    assert groups == [(0, 10), (10, 20), (20, 40), (40, 80), (80, 150)]
    # Never counted (the planner's statistics say -1 or 0): each counts as one, the same.
    unknown = [KeyRange(r.low, r.high, -1 if i % 2 else 0) for i, r in enumerate(alike)]
    assert _Ranges(unknown)._range_groups(Match(), None) == groups
    # Small first ranges are read alone, then grouped up to what was read before.
    cut = [KeyRange(0, 1, 25), KeyRange(1, 2, 25), KeyRange(2, 10, 77)] + [
        KeyRange(r.low, r.high, 100) for r in alike[1:6]
    ]
    assert _Ranges(cut)._range_groups(Match(), None) == [
        (0, 1),
        (1, 2),
        (2, 10),
        (10, 30),
        (30, 60),
    ]
    # Within the match's key range and after a key.
    assert _Ranges(alike)._range_groups(Match(key_range=(35, 70)), 41) == [
        (40, 50),
        (50, 60),
        (60, 70),
    ]


def _answers() -> list:
    out = []
    cases = [
        ("", SearchFilters()),
        ("standard", SearchFilters()),
        ("要求", SearchFilters()),
        ("", SearchFilters(level=["national"])),
        ("", SearchFilters(status=["superseded"])),
        ("method", SearchFilters(status=["current"])),
        ("安全", SearchFilters(level=["national", "industry"])),
    ]
    for q, filters in cases:
        for page in (1, 2):
            found = standards_search(q=q, filters=filters, page=page, page_size=7)
            out.append(
                (
                    q,
                    page,
                    found.count,
                    [s.pk for s in found.standards],
                    {
                        name: [(v.value, v.count) for v in values]
                        for name, values in found.facets.items()
                    },
                )
            )
    return out


@pytest.fixture
def forget_ranges():
    from stdplus.search.backends.postgres import partition_ranges_forget

    yield
    partition_ranges_forget()  # (the test's transaction, and its cut, are rolled back)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's partitions")
def test_cutting_the_ranges_keeps_every_document_where_its_key_says_and_every_answer(
    catalog, forget_ranges, capsys, monkeypatch
):
    with connection.cursor() as cursor:
        before = ranges_read(cursor)
        cursor.execute("SELECT key, standard_id, title FROM search_searchdocument ORDER BY key")
        documents = cursor.fetchall()
    answers = _answers()
    # The test catalog is small (a few documents a range): the two ranges holding the most are
    # cut into parts of 2, 2 and the rest (the rule itself: the test above).
    largest = sorted(before, key=lambda r: -r.documents)[:2]
    assert all(r.documents >= 5 for r in largest), "the test catalog's ranges are too small"
    cut = {r.name for r in largest}
    monkeypatch.setattr(
        ranges,
        "ranges_planned",
        lambda found, first: [
            [2, 2, r.documents - 4] if r.name in cut else [r.documents] for r in found
        ],
    )
    call_command("search", "ranges", "--first", "2")
    printed = capsys.readouterr()
    assert "2 ranges cut" in printed.out
    assert all(name in printed.err for name in cut)
    with connection.cursor() as cursor:
        after = ranges_read(cursor)
        cursor.execute("SELECT key, standard_id, title FROM search_searchdocument ORDER BY key")
        assert cursor.fetchall() == documents
        # Every document sits in the range its key falls in, and the ranges cover every key.
        cursor.execute("SELECT tableoid::regclass::text, key FROM search_searchdocument")
        for name, key in cursor.fetchall():
            one = next(r for r in after if r.name == name)
            assert (one.low is None or one.low <= key) and (one.high is None or key < one.high)
    assert after[0].low is None and after[-1].high is None
    assert all(a.high == b.low for a, b in zip(after, after[1:], strict=False))
    assert len(after) > len(before)
    assert len(after) == len(before) + 4
    assert not cut & {r.name for r in after}
    for one in largest:
        assert [r.documents for r in after if r.low == one.low] == [2]
    assert sum(r.documents for r in after) == len(documents)
    # The search reads the new ranges (told by the cut) and answers the same.
    from stdplus.search.backends import backend

    assert len(backend().key_ranges()) == len(after)
    assert _answers() == answers
    # A lookup by key names the few ranges holding the keys, and finds the same rows.
    engine = backend()
    keys = [key for key, _id, _title in documents[:5]]
    condition, params = engine.keyed(keys)
    assert " OR " in condition or "d.key <" in condition
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT d.key FROM search_searchdocument d WHERE {condition}", params)
        assert sorted(row[0] for row in cursor.fetchall()) == keys
    # Nothing planned: nothing cut.
    monkeypatch.setattr(
        ranges, "ranges_planned", lambda found, first: [[r.documents] for r in found]
    )
    assert ranges_split(2) == []


@pytest.mark.django_db
def test_cutting_needs_a_size_and_does_nothing_on_sqlite(catalog):
    with pytest.raises(ValueError):
        ranges_split(0)
    if connection.vendor == "sqlite":
        assert ranges_split(1) == []
