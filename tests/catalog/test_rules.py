"""The catalog's pure rules: the replacement chain and the edition a lookup lands on."""

import datetime as dt
from dataclasses import dataclass

import pytest

from stdplus.catalog.rules.chain import follow_chain
from stdplus.catalog.rules.editions import edition_current, edition_landing
from stdplus.catalog.status import STATUS_ORDER, in_force_on, status_rank

DAY = dt.date(2026, 11, 26)


@dataclass(frozen=True)
class Doc:
    canonical: str
    status: str = "current"
    published: dt.date | None = None
    effective: dt.date | None = None
    base_status: str = "current"
    year: int | None = None
    is_supplement: bool = False


def walk(start, replaced_by, day=DAY):
    def in_force(doc, on):
        from stdplus.catalog.status import Successor

        return in_force_on(Successor(doc.base_status, doc.effective or doc.published), on)

    chain = follow_chain(
        start, lambda d: replaced_by.get(d.canonical, []), lambda d: d.status, in_force, day
    )
    upcoming = chain.upcoming.canonical if chain.upcoming else None
    return [d.canonical for d in chain.nodes], upcoming


def test_status_order_is_one_definition():
    assert STATUS_ORDER == (
        "current",
        "upcoming",
        "superseded",
        "withdrawn",
        "development",
        "cancelled",
    )
    assert [status_rank(s) for s in STATUS_ORDER] == [0, 1, 2, 3, 4, 5]
    assert status_rank("no such status") == 6


def test_search_rank_derives_from_the_one_order():
    from stdplus.search.indexing import STATUS_RANK

    # Drafts before replaced documents (said why beside it); otherwise the catalog's order.
    assert sorted(STATUS_RANK, key=STATUS_RANK.get) == [
        "current",
        "upcoming",
        "development",
        "superseded",
        "withdrawn",
        "cancelled",
    ]
    without_drafts = [s for s in sorted(STATUS_RANK, key=STATUS_RANK.get) if s != "development"]
    assert without_drafts == [s for s in STATUS_ORDER if s != "development"]


def test_chain_follows_the_successor_in_force_first():
    old = Doc("A-2000", status="superseded", base_status="superseded")
    in_force = Doc("A-2010", status="superseded", published=dt.date(2010, 1, 1))
    newer = Doc(
        "B-2030",
        status="upcoming",
        published=dt.date(2026, 1, 1),
        effective=dt.date(2030, 1, 1),
        base_status="upcoming",
    )
    last = Doc("A-2020", published=dt.date(2020, 1, 1))
    chain, upcoming = walk(old, {"A-2000": [newer, in_force], "A-2010": [last]})
    assert chain == ["A-2000", "A-2010", "A-2020"] and upcoming is None


def test_chain_stops_at_the_document_in_force_and_names_the_upcoming_one():
    current = Doc("A-2010", published=dt.date(2010, 1, 1))
    upcoming = Doc(
        "A-2026",
        status="upcoming",
        published=dt.date(2026, 6, 1),
        effective=dt.date(2027, 6, 1),
        base_status="upcoming",
    )
    assert walk(current, {"A-2010": [upcoming]}) == (["A-2010"], "A-2026")


def test_chain_follows_a_published_successor_from_a_withdrawn_document():
    gone = Doc("A-2000", status="withdrawn", base_status="withdrawn")
    upcoming = Doc(
        "A-2026",
        status="upcoming",
        published=dt.date(2026, 6, 1),
        effective=dt.date(2027, 6, 1),
        base_status="upcoming",
    )
    assert walk(gone, {"A-2000": [upcoming]}) == (["A-2000", "A-2026"], None)


def test_chain_never_follows_a_draft_and_ends_on_a_cycle():
    draft = Doc("A-2027", status="development", base_status="development")
    cancelled = Doc("A-2028", status="cancelled", base_status="cancelled")
    gone = Doc("A-2001", status="withdrawn", base_status="withdrawn")
    assert walk(gone, {"A-2001": [cancelled]}) == (["A-2001"], None)  # nor a cancelled project
    a = Doc("A", status="superseded", published=dt.date(2000, 1, 1))
    b = Doc("B", status="superseded", published=dt.date(2001, 1, 1))
    assert walk(a, {"A": [draft]}) == (["A"], None)
    assert walk(a, {"A": [b], "B": [a]}) == (["A", "B"], None)


def test_landing_edition():
    editions = [
        Doc("W-2000", status="superseded", year=2000),
        Doc("W-2000/XG1-2005", status="superseded", year=2000, is_supplement=True),
        Doc("W-2016", year=2016, published=dt.date(2016, 1, 1)),
        Doc("W-2030", status="development", year=2030, base_status="development"),
    ]

    def land(**kwargs):
        found = edition_landing(editions, lambda e: e.status, **kwargs)
        return found.canonical if found else None

    assert land(wanted=["W-2000/XG1-2005"]) == "W-2000/XG1-2005"
    assert land(wanted=["W-2000/XG2-2009", "W-2000"]) == "W-2000"  # an amendment: its edition
    assert land(year=2000) == "W-2000"
    assert land(year=1999) == land() == "W-2016"  # the edition in force
    assert edition_current(editions, lambda e: e.status).canonical == "W-2016"
    nothing_in_force = [e for e in editions if e.canonical != "W-2016"]
    found = edition_landing(nothing_in_force, lambda e: e.status)
    assert found.canonical == "W-2000"  # the newest that is not a draft
    assert edition_landing([], lambda e: e.status) is None


@pytest.mark.parametrize("status", STATUS_ORDER)
def test_every_status_has_a_rank(status):
    assert status_rank(status) < len(STATUS_ORDER)
