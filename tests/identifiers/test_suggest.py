"""The one "did you mean" rule, pure."""

from stdplus.identifiers import parse
from stdplus.identifiers.suggest import (
    MAX_SUGGESTIONS,
    did_you_mean,
    nearby_wanted,
    numbers_near,
    one_keystroke,
    works_near,
)

CATALOG = [  # (number, prefix, work)
    ("19001", "GB/T", "GB/T 19001"),
    ("19011", "GB/T", "GB/T 19011"),
    ("19001", "GB/Z", "GB/Z 19001"),
    ("4943", "GB", "GB 4943.1"),
    ("0287", "YY/T", "YY/T 0287"),
    ("X.509", "ITU-T", "ITU-T X.509"),
    ("1234", "ISO", "ISO 1234"),
    ("62304", "IEC", "IEC 62304"),
]


def near(text):
    identifier = parse(text)
    return works_near(identifier, [r for r in CATALOG if r[0].upper() in numbers_near(identifier)])


def test_one_keystroke():
    variants = one_keystroke("19001")
    assert {"1901", "91001", "19010", "19011", "190001"} <= variants
    assert "19001" not in variants
    assert one_keystroke("175") == set()  # too short to guess
    assert "X.590" in one_keystroke("x.509")


def test_works_near_in_tiers():
    assert near("GB 19001-2016") == ["GB/T 19001", "GB/Z 19001"]  # the number under other prefixes
    assert near("GB/T 19010-2016") == ["GB/T 19001", "GB/T 19011"]  # one keystroke
    assert near("GB 4943.9-2022") == ["GB 4943.1"]  # the same number, another part
    assert near("YY/T 0278-2017") == ["YY/T 0287"]  # a leading zero is a digit like any other
    assert near("ITU-T X.590") == ["ITU-T X.509"]
    assert near("GB/T 77777-2020") == []
    # the same number under another prefix of the same family only
    assert near("ISO 62304:2006") == ["IEC 62304"]  # international prefixes share numbers
    assert near("EN ISO 62304:2006") == ["IEC 62304"]
    assert near("DB44/T 1234-2020") == []  # not ISO 1234: a work of its own
    assert near("GB/T 1234-2020") == []
    assert near("T/CAS 1234-2020") == []
    assert near("YY 0287-2017") == ["YY/T 0287"]


def test_did_you_mean():
    identifier = parse("GB/T 19001-2015")
    own = ["GB/T 19001-2000", "GB/T 19001-2016", "GB/T 19001-2008"]
    assert did_you_mean(identifier, own_editions=own, nearby=CATALOG, landing=str) == [
        "GB/T 19001-2016",
        "GB/T 19001-2008",
        "GB/T 19001-2000",
    ]
    # A work typed without a year is found: nothing to suggest.
    assert did_you_mean(parse("GB/T 19001"), own_editions=own, nearby=[], landing=str) == []
    typo = parse("GB/T 19010-2016")
    chosen = did_you_mean(
        typo, own_editions=[], nearby=CATALOG, landing=lambda work: f"{work}-2016"
    )
    assert chosen == ["GB/T 19001-2016", "GB/T 19011-2016"]
    many = [(str(n), "GB/T", f"GB/T {n}") for n in range(19000, 19020)]
    assert len(did_you_mean(typo, own_editions=[], nearby=many, landing=str)) == MAX_SUGGESTIONS


def test_the_rows_a_reader_asks_for_are_all_the_rule_can_take():
    # `nearby_wanted` narrows the catalog's rows to the own number under any prefix and the
    # identifier's prefix with a number one keystroke away: the rule answers the same from
    # them as from every row of `numbers_near`, for typos of every kind.
    rows = [
        (number, prefix, f"{prefix} {number}")
        for prefix in ("GB", "GB/T", "GB/Z", "YY/T", "ISO")
        for number in ("19001", "19011", "19010", "1901", "91001", "190011", "0287", "0278", "4943")
    ]
    typed = [
        f"{prefix} {number}{':' if prefix == 'ISO' else '-'}2016"
        for prefix in ("GB", "GB/T", "YY/T", "ISO", "DB44/T")
        for number in ("19001", "19010", "1900", "0278", "4934", "4943", "12345")
    ] + ["GB 4943.9-2022", "GB/T 19001.2-2016", "ISO 19001-2:2016"]
    asked = every_row = 0
    for text in typed:
        identifier = parse(text)
        own, near_numbers = nearby_wanted(identifier)
        wanted = [
            r
            for r in rows
            if r[0].upper() == own or (r[1] == identifier.prefix and r[0].upper() in near_numbers)
        ]
        every = [r for r in rows if r[0].upper() in numbers_near(identifier)]
        assert set(wanted) <= set(every), text
        assert works_near(identifier, wanted) == works_near(identifier, every), text
        asked, every_row = asked + len(wanted), every_row + len(every)
    assert asked < every_row / 2
