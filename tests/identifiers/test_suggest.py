"""The one "did you mean" rule, pure."""

from stdplus.identifiers import parse
from stdplus.identifiers.suggest import (
    MAX_SUGGESTIONS,
    did_you_mean,
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
