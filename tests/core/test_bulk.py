import datetime as dt

import pytest

from stdplus.accounts.models import Organization
from stdplus.catalog.models import ChangeEvent, Standard
from stdplus.core.bulk import insert_rows

pytestmark = pytest.mark.django_db


def test_fields_not_named_get_the_orm_defaults():
    count = insert_rows(Organization, ["name_zh", "kind"], [("深圳市标准技术研究院", "research")])
    assert count == 1
    organization = Organization.objects.get()
    assert organization.join_code == "" and organization.is_active is True
    assert organization.created_at is not None and organization.updated_at is not None


def test_types_are_converted_and_conflicts_can_be_ignored():
    columns = [
        "canonical",
        "work_key",
        "edition_key",
        "level",
        "body",
        "status",
        "base_status",
        "source",
        "published",
        "extra",
    ]
    row = (
        "GB 2760-2014",
        "GB 2760",
        "GB 2760-2014",
        "national",
        "GB",
        "current",
        "current",
        "test",
        dt.date(2014, 12, 24),
        {"plan": "中文"},
    )
    insert_rows(Standard, columns, [row])
    assert insert_rows(Standard, columns, [row], ignore_conflicts=True) == 1  # rows offered
    standard = Standard.objects.get()
    assert standard.published == dt.date(2014, 12, 24) and standard.extra == {"plan": "中文"}
    insert_rows(ChangeEvent, ["standard", "kind", "new_value"], [(standard.pk, "created", None)])
    assert ChangeEvent.objects.get().new_value is None
