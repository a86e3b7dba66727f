"""core.probes.any_row: the one-row probe a hot page makes before an ORM read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stdplus.catalog.models import Relation, Standard
from stdplus.catalog.services import StandardIn, standards_import
from stdplus.core.probes import any_row

pytestmark = pytest.mark.django_db


def test_any_row_answers_by_the_field_column_in_one_query():
    standards_import(
        records=[StandardIn("GB/T 1-2020", row=1), StandardIn("GB/T 2-2020", row=2)],
        source="test",
        path="t.jsonl",
    )
    one = Standard.objects.get(canonical="GB/T 1-2020")
    with CaptureQueriesContext(connection) as seen:
        assert any_row(Standard, "canonical", "GB/T 1-2020")
        assert not any_row(Standard, "canonical", "GB/T 3-2020")
        # A foreign key is asked by its field's name and compared on its column (…_id).
        assert not any_row(Relation, "from_standard", one.pk)
    assert len(seen) == 3 and all("LIMIT 1" in q["sql"] for q in seen)
