"""The standard's page, its JSON, the search and the validity check apply one rule each for the
replacement chain, the edition a lookup lands on and the identifiers suggested for a typo."""

import re
from urllib.parse import quote, unquote

import pytest

from stdplus.catalog.models import Relation, Standard
from stdplus.catalog.selectors import standard_details
from stdplus.checks.engine import check_run
from stdplus.checks.extract import InputLine
from stdplus.identifiers import Identifier, parse
from stdplus.search.selectors import standards_search

pytestmark = pytest.mark.django_db


def assert_chains_agree(standards):
    """The page's chain of each standard is the check's chain of a line naming it."""
    outcome = check_run([InputLine(s.canonical) for s in standards])
    differ = []
    for standard, line in zip(standards, outcome.results, strict=True):
        page = [s.canonical for s in standard_details(standard).chain]
        if line.chain != page:
            differ.append((standard.canonical, page, line.chain))
    assert not differ, differ[:10]
    return outcome


def test_every_chain_of_the_curated_records_is_the_checks(curated):
    standards = list(Standard.objects.order_by("canonical"))
    outcome = assert_chains_agree(standards)
    assert sum(len(line.chain) > 1 for line in outcome.results) > 10


def assert_bundled_chains_agree(*, share: int = 4):
    """Over everything `stdplus import` loads (called by the real-data test of the importers,
    tests/importers/test_real_data.py, once the folder is in: one import of the bundled data
    for both, to keep the suite within CI's time). The page is asked for one in `share` of the
    standards something replaces, one in five times `share` of those no longer in force (the
    chain may go on to a later edition of the work) and one in twenty times `share` of the
    others (whose chain is themselves alone: the check must say so too); `share=1` asks them
    all (some 43,000 pages, two minutes on SQLite). The standards chosen are spread over the
    whole catalog (every n-th by key); the check alone is asked for every other standard in
    force that nothing replaces, whose chain is itself alone."""
    replaced = set(
        Relation.objects.filter(type="replaces", from_standard__isnull=False).values_list(
            "to_key", flat=True
        )
    )
    rows = list(Standard.objects.order_by("pk"))
    assert len(rows) > 50_000
    ends = [
        s
        for s in rows
        if s.canonical in replaced or (s.is_supplement and s.edition_key in replaced)
    ]
    ended = {s.pk for s in ends}
    asked = [s for i, s in enumerate(ends) if i % share == 0] + [
        s
        for i, s in enumerate(rows)
        if s.pk not in ended
        and (
            (s.status in ("superseded", "withdrawn") and i % (5 * share) == 0)
            or i % (20 * share) == 0
        )
    ]
    assert len(asked) > len(ends) // share
    assert_chains_agree(asked)
    asked_ids = {s.pk for s in asked}
    # The rest replace nothing and are in force: their chain is themselves alone.
    alone = [
        s
        for s in rows
        if s.pk not in asked_ids
        and s.pk not in ended
        and s.status not in ("superseded", "withdrawn")
    ]
    outcome = check_run([InputLine(s.canonical) for s in alone])
    assert all(line.chain == [line.edition] for line in outcome.results)


# Did you mean ---------------------------------------------------------------------------------


def typos(canonical: str) -> list[str]:
    """Mistakes people make typing an identifier: one keystroke off, no year, another
    separator, full-width characters, GB for GB/T (and back), a year the catalog lacks."""
    found = parse(canonical)
    number, year = found.number, found.year
    out = []
    if len(number) > 1:
        out.append(canonical.replace(number, number[1] + number[0] + number[2:], 1))  # swapped
        out.append(canonical.replace(number, number[:-1], 1))  # dropped
        out.append(canonical.replace(number, number + "7", 1))  # added
        last = number[-1]
        if last.isdigit():
            out.append(canonical.replace(number, number[:-1] + str((int(last) + 1) % 10), 1))
    out.append(found.work)  # no year
    if year:
        out.append(canonical.replace(f"-{year}", f"—{year}").replace(f":{year}", f" : {year}"))
        out.append(canonical.replace(str(year), str(year - 1)))  # a year it does not have
    out.append(canonical.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)}))  # full width
    if found.prefix.endswith("/T"):
        out.append(canonical.replace(found.prefix, found.prefix[:-2], 1))  # GB for GB/T
    elif found.prefix in ("GB", "YY", "JT"):
        out.append(canonical.replace(found.prefix, found.prefix + "/T", 1))
    return out


def from_everywhere(client, text):
    """(edition landed on, suggestions) as the search, the page, the API and the check say."""
    answers = {}
    match = standards_search(q=text).match
    if match is None:
        answers["search"] = ("rejected", [])
    elif match.kind in ("edition", "work"):
        answers["search"] = (match.standards[0].canonical, [])
    else:
        answers["search"] = (None, [s.canonical for s in match.suggestions])

    page = client.get(f"/standards/{quote(text, safe='')}/")
    if page.status_code == 404:
        answers["page"] = (None, [s.canonical for s in page.context["suggestions"]])
    else:
        assert page.status_code in (200, 302), (text, page.status_code)
        landed = page.context["standard"].canonical if page.status_code == 200 else None
        if landed is None:
            landed = unquote(re.sub(r"^/standards/|/$", "", page.url.split("?")[0]))
            landed = Standard.objects.get(canonical=landed).canonical
        answers["page"] = (landed, None)

    api = client.get(f"/api/v1/standards/{quote(text, safe='')}")
    body = api.json()
    if api.status_code == 404:
        answers["api"] = (None, [s["identifier"] for s in body["suggestions"]])
    else:
        assert api.status_code == 200, (text, body)
        answers["api"] = (body["identifier"], None)

    line = check_run([InputLine(text)]).results[0]
    answers["check"] = (line.edition, line.suggestions)
    answers["known_from"] = line.known_from
    return answers


# Typed by hand beside the generated ones: international numbers, spellings of the separator.
BY_HAND = [
    "ISO 9010:2015",
    "ISO 9001-2015",
    "iso9001",
    "IEC 9001:2015",
    "ISO 9001:2014",
    "ISO 2000：1973",
    "GB/T 19001.2016",
    "GB/T19001—2016",
    "gbt 24002-2016",
]


def test_search_page_api_and_check_suggest_the_same_for_each_typo(client, curated, iso9001):
    standards = list(
        Standard.objects.filter(is_supplement=False, year__isnull=False).order_by("canonical")
    )
    sample = standards[:: max(1, len(standards) // 40)]
    texts = [text for standard in sample for text in typos(standard.canonical)] + BY_HAND
    asked = suggested = 0
    for text in texts:
        if not isinstance(parse(text), Identifier):
            continue  # not an identifier any more: nothing to suggest anywhere
        answers = from_everywhere(client, text)
        if answers.pop("known_from") == "relation":
            # The catalog has no record of it, but a record says it replaces it: the check
            # judges it (superseded, and by what); the page and the search have no page.
            continue
        landed = {name: edition for name, (edition, _s) in answers.items()}
        asked += 1
        if landed["api"] is not None:
            # Found: the page and the API land on one edition, which the check judges.
            assert landed["page"] == landed["api"] == landed["check"], (text, answers)
            # A year or amendment the catalog lacks: the search and the check offer the same.
            assert answers["search"][1] == answers["check"][1], (text, answers)
            continue
        lists = {name: s for name, (_e, s) in answers.items() if s is not None}
        assert set(lists) == {"search", "page", "api", "check"}, (text, answers)
        assert len({tuple(s) for s in lists.values()}) == 1, (text, answers)
        suggested += bool(lists["check"])
    assert asked > 200 and suggested > 40, (asked, suggested)


def test_a_year_the_catalog_lacks_lands_on_the_edition_in_force_and_suggests_the_others(
    client, curated
):
    answers = from_everywhere(client, "GB/T 19001-2015")
    assert answers["api"][0] == answers["page"][0] == answers["check"][0] == "GB/T 19001-2016"
    expected = ["GB/T 19001-2016", "GB/T 19001-2008", "GB/T 19001-2000"]
    assert answers["search"][1] == answers["check"][1] == expected
