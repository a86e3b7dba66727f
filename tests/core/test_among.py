"""`field__among=[...]`: a list of keys as one parameter, on either database."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stdplus.accounts.models import Organization
from stdplus.core.bulk import insert_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizations():
    insert_rows(
        Organization,
        ["id", "name_zh", "kind"],
        [(n, f"机构{n}", "enterprise") for n in range(1, 3001)],
    )


def test_a_long_list_is_one_parameter_of_one_query(organizations):
    keys = list(range(2, 3001, 2)) + [99_999]
    with CaptureQueriesContext(connection) as queries:
        found = set(Organization.objects.filter(pk__among=keys).values_list("pk", flat=True))
    assert found == set(range(2, 3001, 2))
    assert len(queries) == 1 and queries[0]["sql"].count("%s") <= 1


def test_texts_an_empty_list_and_exclude(organizations):
    names = ["机构7", "机构8", "机构 7", 'x"y']
    assert sorted(
        Organization.objects.filter(name_zh__among=names).values_list("pk", flat=True)
    ) == [7, 8]
    assert not Organization.objects.filter(pk__among=[]).exists()
    assert Organization.objects.exclude(pk__among=[1, 2]).count() == 2998


def test_an_expression_is_refused():
    from django.db.models import F

    with pytest.raises(TypeError):
        list(Organization.objects.filter(pk__among=F("pk")))
