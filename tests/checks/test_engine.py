import datetime as dt

import pytest
from django.db import connection, transaction

from stdplus.catalog.models import Standard
from stdplus.checks import engine
from stdplus.checks.engine import check_run
from stdplus.checks.extract import InputLine, identifiers_in, inputs_from_lines

pytestmark = pytest.mark.django_db


def run(*texts, day=None):
    outcome = check_run([InputLine(t, f"line {i}") for i, t in enumerate(texts, 1)], day=day)
    return outcome


def one(text, day=None):
    return run(text, day=day).results[0]


def test_current_edition(curated):
    line = one("GB/T 19001-2016")
    assert (line.match, line.status, line.current) == ("edition", "current", "GB/T 19001-2016")
    assert line.chain == ["GB/T 19001-2016"]
    assert {"relation": "adopts", "key": "ISO 9001:2015", "degree": "IDT"} in line.adoptions


@pytest.mark.parametrize(
    ("typed", "chain"),
    [
        ("GB/T 19001—2000", ["GB/T 19001-2000", "GB/T 19001-2008", "GB/T 19001-2016"]),
        ("gbt 28001-2011", ["GB/T 28001-2011", "GB/T 45001-2020"]),  # another number
        ("YY/T 0287-2017", ["YY/T 0287-2017", "GB/T 42061-2022"]),  # industry to national
        ("GB 2760-2011", ["GB 2760-2011", "GB 2760-2014", "GB 2760-2024"]),
    ],
)
def test_superseded_with_the_whole_chain(curated, typed, chain):
    line = one(typed)
    assert line.match == "edition"
    assert line.status == "superseded"
    assert line.chain == chain
    assert line.current == chain[-1]


def test_recommended_replaced_by_mandatory_known_only_from_the_relation(curated):
    line = one("GB/T 18384.1-2015")
    assert line.match == "edition" and line.known_from == "relation"
    assert line.status == "superseded"
    assert line.chain == ["GB/T 18384.1-2015", "GB 18384-2020"]
    assert line.current == "GB 18384-2020"


def test_withdrawn_without_successor(curated, iso9001):
    line = one("ISO 2000:1973")
    assert (line.status, line.current, line.chain) == ("withdrawn", None, ["ISO 2000:1973"])
    assert one("GB/T 20223-2006").status == "withdrawn"


def test_iso_superseded_and_adopted(curated, iso9001):
    line = one("ISO 9001:2008")
    assert line.status == "superseded" and line.current == "ISO 9001:2015"
    assert {"relation": "adopted_by", "key": "GB/T 19001-2008", "degree": "IDT"} in (line.adoptions)


def test_work_only_names_the_current_edition(curated):
    line = one("GB/T 19001")
    assert line.match == "work" and line.canonical == "GB/T 19001"
    assert line.edition == line.current == line.work_current == "GB/T 19001-2016"
    assert line.status == "current" and not line.year_not_found


def test_a_year_the_catalog_does_not_have(curated):
    line = one("GB/T 19001-2012")
    assert line.match == "work" and line.year_not_found
    assert "GB/T 19001-2016" in line.suggestions
    assert line.current == "GB/T 19001-2016"


def test_work_of_a_replaced_number_leads_across(curated):
    line = one("GB/T 28001")
    assert line.match == "work" and line.work_current is None
    assert line.chain == ["GB/T 28001-2011", "GB/T 45001-2020"]


def test_unknown_gets_the_closest_identifiers(curated):
    wrong_prefix = one("GB 19001-2016")
    assert wrong_prefix.match == "none" and wrong_prefix.status is None
    assert wrong_prefix.suggestions[0] == "GB/T 19001-2016"
    typo = one("GB/T 19010-2016")  # two digits swapped
    assert "GB/T 19001-2016" in typo.suggestions


def test_rejected_with_the_reason(curated):
    line = one("GB/T")
    assert line.match == "rejected" and line.canonical is None
    assert "bare prefix" in line.error


@pytest.mark.parametrize(
    ("day", "status", "current", "upcoming"),
    [
        ("2011-01-01", "development", None, None),  # published 2011-04-20
        ("2011-05-01", "upcoming", None, None),  # effective 2011-07-20
        ("2013-06-30", "current", "GB 2760-2011", None),
        ("2015-01-01", "current", "GB 2760-2011", "GB 2760-2014"),  # 2014 not yet in force
        ("2016-01-01", "superseded", "GB 2760-2014", None),
        ("2024-06-01", "superseded", "GB 2760-2014", "GB 2760-2024"),  # not in force yet
        ("2025-03-01", "superseded", "GB 2760-2024", None),
    ],
)
def test_as_of_a_date(curated, day, status, current, upcoming):
    line = one("GB 2760-2011", day=dt.date.fromisoformat(day))
    assert (line.status, line.current, line.upcoming) == (status, current, upcoming)


def test_as_of_before_a_successor_came_into_force(curated):
    day = dt.date(2019, 1, 1)
    assert one("GB/T 28001-2011", day=day).status == "current"
    assert one("GB/T 18384.1-2015", day=day).status == "current"
    assert one("GB 2760-2014", day=dt.date(2024, 6, 1)).status == "current"


def test_summary_and_input_order(curated, iso9001):
    outcome = run("GB/T 19001-2016", "GB/T", "GB/T 19001-2000", "XY 1-2000", "ISO 2000:1973")
    assert [r.input for r in outcome.results] == [
        "GB/T 19001-2016",
        "GB/T",
        "GB/T 19001-2000",
        "XY 1-2000",
        "ISO 2000:1973",
    ]
    summary = outcome.summary
    assert summary["current"] == 1 and summary["superseded"] == 1 and summary["withdrawn"] == 1
    assert summary["rejected"] + summary["unknown"] == 2


def test_contract_keys(curated):
    line = one("GB/T 19001-2008").contract()
    assert list(line) == [
        "input",
        "canonical",
        "match",
        "status",
        "current",
        "chain",
        "suggestions",
        "error",
    ]


def test_reference_paragraph_yields_every_identifier():
    text = "…按照GB/T 19001—2016和ISO 9001:2008的要求，参照 IEC 60601-1:2005, RFC 9110 (HTTP)…"
    assert identifiers_in(text) == [
        "GB/T 19001-2016",
        "ISO 9001:2008",
        "IEC 60601-1:2005",
        "RFC 9110",
    ]


def test_lines_prose_and_attempts():
    inputs, skipped = inputs_from_lines(
        ["参考文献", "GB/T 19001-2016 质量管理体系 要求", "GB/T", "", "gbt 1.1—2020"]
    )
    assert [(i.text, i.where) for i in inputs] == [
        ("GB/T 19001-2016", "line 2"),
        ("GB/T", "line 3"),
        ("gbt 1.1—2020", "line 5"),
    ]
    assert skipped == 1


def test_set_based_the_query_count_does_not_grow_with_lines(curated, django_assert_max_num_queries):
    few = ["GB/T 19001-2000", "GB 2760-2011", "GB 19001-2016"]
    many = few * 300 + [f"GB/T {19000 + i}-2016" for i in range(300)]
    with django_assert_max_num_queries(20):
        check_run([InputLine(t) for t in few])
    with django_assert_max_num_queries(20):
        outcome = check_run([InputLine(t) for t in many])
    assert len(outcome.results) == len(many)


def test_the_garbage_collector_runs_again_after_a_check(curated):
    import gc

    assert gc.isenabled()
    run("GB/T 19001—2000", "GB/T 19001")
    assert gc.isenabled()


def test_a_document_judged_twice_gets_the_same_chain_twice(curated):
    first, second = run("GB/T 19001—2000", "GB/T 19001-2000").results
    assert first.chain == second.chain == ["GB/T 19001-2000", "GB/T 19001-2008", "GB/T 19001-2016"]
    assert first.chain is not second.chain  # each line's own list


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite is read in this process")
def test_reads_on_a_second_connection_give_the_same_answers(
    transactional_db, curated, iso9001, monkeypatch
):
    """PostgreSQL outside a transaction: large reads are split over two connections and the
    numbers, titles and adoptions read beside the answering; the answers are the same as
    when every read is made on one connection, in order (inside a transaction)."""
    lines = [
        InputLine(t)
        for t in Standard.objects.values_list("canonical", flat=True)
        .union(Standard.objects.values_list("work_key", flat=True))
        .order_by("canonical")
    ] + [InputLine(t) for t in ("GB/T 19001—2000", "GB/T 1901-2016", "GB/T 91001", "ISO 9010")]
    monkeypatch.setattr(engine, "SPLIT_KEYS", 2)  # every read of two keys or more is split
    split: list[int] = []
    original = engine._select_rows
    monkeypatch.setattr(
        engine,
        "_select_rows",
        lambda sql, keys, *args: split.append(len(keys)) or original(sql, keys, *args),
    )
    beside = check_run(lines)
    assert len(split) > 10
    with transaction.atomic():
        here = check_run(lines)
    assert [r.as_dict() for r in beside.results] == [r.as_dict() for r in here.results]
    assert beside.summary == here.summary and beside.summary["unknown"] >= 2
    assert any(r.suggestions for r in beside.results if r.match == "none")
    assert any(r.title_en for r in beside.results) and any(r.adoptions for r in beside.results)
