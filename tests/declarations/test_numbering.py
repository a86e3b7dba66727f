"""Enterprise standard numbers (Q/ + code + sequence + year), GTIN barcodes, the categories."""

import pytest

from stdplus.declarations.industries import category_title, is_category
from stdplus.declarations.numbering import QNumber, QNumberError, qnumber_parse
from stdplus.declarations.services import barcode_error


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Q/SZHT 001-2024", "Q/SZHT 001-2024"),
        ("q/szht 1-2024", "Q/SZHT 001-2024"),
        ("Q/SZHT001-2024", "Q/SZHT 001-2024"),
        ("Ｑ／ＳＺＨＴ　００１－２０２４", "Q/SZHT 001-2024"),
        ("Q/440300ABC 12-2023", "Q/440300ABC 012-2023"),
        ("Q/ABC1 0007-2020", "Q/ABC1 007-2020"),
    ],
)
def test_well_formed_numbers_are_read_and_spelt_one_way(text, canonical):
    parsed = qnumber_parse(text, this_year=2026)
    assert isinstance(parsed, QNumber), parsed
    assert parsed.canonical == canonical


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "required"),
        ("GB/T 1-2020", "must begin with “Q/”"),
        ("Q/ 001-2024", "enterprise code"),
        ("Q/SZHT-2024", "enterprise code"),
        ("Q/SZHT 001", "enterprise code"),
        ("Q/SZHT 001-24", "enterprise code"),
        ("Q/S 001-2024", "enterprise code"),
        ("Q/SZHT 001-1975", "between 1989 and 2026"),
        ("Q/SZHT 001-2031", "between 1989 and 2026"),
        ("Q/SZHT 000-2024", "at least 1"),
    ],
)
def test_malformed_numbers_say_what_is_wrong(text, says):
    parsed = qnumber_parse(text, this_year=2026)
    assert isinstance(parsed, QNumberError)
    assert says in str(parsed.message) % parsed.params


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("6901234567892", None),
        ("6901234567891", "check"),
        ("96385074", None),
        ("12345", "digits"),
        ("690123456789X", "digits"),
    ],
)
def test_barcodes_are_gtins_with_their_check_digit(code, error):
    assert barcode_error(code) == error


def test_categories_are_classes_of_gb_t_4754():
    assert is_category("3854") and not is_category("9999")
    assert category_title("3854", "zh-hans") == "家用厨房电器具制造"
    assert category_title("3854", "en") == "Manufacture of household kitchen appliances"
