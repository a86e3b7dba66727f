"""`field__among=keys` (core/batching.py) selects what `field__in=keys` selects, with the keys
sent as one parameter, on SQLite and on PostgreSQL."""

import pytest

from stdplus.catalog.models import ChangeEvent, Standard
from stdplus.core.bulk import insert_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def standards():
    keys = [f"GB/T {n}-2020" for n in range(1, 2001)]
    columns = ["canonical", "work_key", "edition_key", "level", "body", "status", "base_status"]
    insert_rows(
        Standard, columns, [(k, k[:-5], k, "national", "SAC", "current", "current") for k in keys]
    )
    return dict(Standard.objects.values_list("canonical", "pk"))


def test_among_selects_what_in_selects(standards):
    keys = [*list(standards)[::3], "no such key", 'O\'Brien "quoted" 标准']
    assert set(Standard.objects.filter(canonical__among=keys).values_list("pk", flat=True)) == set(
        Standard.objects.filter(canonical__in=keys).values_list("pk", flat=True)
    )
    ids = list(standards.values())[::7] + [10**12]
    assert set(Standard.objects.filter(pk__among=ids).values_list("canonical", flat=True)) == {
        key for key, pk in standards.items() if pk in set(ids)
    }


def test_among_takes_foreign_keys_and_no_keys(standards):
    first, second = list(standards.values())[:2]
    insert_rows(
        ChangeEvent,
        ["standard", "kind", "field", "source"],
        [(first, "fields", "title_en", "test"), (second, "fields", "title_en", "test")],
    )
    assert ChangeEvent.objects.filter(standard_id__among=[second]).count() == 1
    assert ChangeEvent.objects.filter(standard__among=[first, second]).count() == 2
    assert not Standard.objects.filter(canonical__among=[]).exists()


def test_among_keeps_keys_the_array_text_must_quote(standards):
    # On PostgreSQL texts go as the text of an array: quotes, backslashes, commas, braces,
    # spaces and the word NULL must come back as they were.
    odd = ['a "b"', "c\\d", "e,f", "{g}", "NULL", " h ", "", '标准\\"x']
    insert_rows(
        Standard,
        ["canonical", "work_key", "edition_key", "level", "body", "status", "base_status"],
        [(k, k, k, "national", "SAC", "current", "current") for k in odd],
    )
    assert sorted(
        Standard.objects.filter(canonical__among=odd).values_list("canonical", flat=True)
    ) == sorted(odd)
    assert not Standard.objects.filter(canonical__among=["a", "NUL", "\\"]).exists()
    # a text field given integers, an integer field given texts: converted by the field
    assert not Standard.objects.filter(canonical__among=[1, 2]).exists()
    first = next(iter(standards.values()))
    assert Standard.objects.filter(pk__among=[str(first)]).count() == 1
