"""Prepared querysets give what the ORM gives, on SQLite and on PostgreSQL."""

import datetime as dt

import pytest
from django.db.models import Q

from stdplus.catalog.models import Classification, Relation, Standard
from stdplus.core.prepared import Prepared
from stdplus.importers.services import file_import

from ..conftest import CURATED

pytestmark = pytest.mark.django_db


@pytest.fixture
def curated(today):
    file_import(CURATED)


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def _same(prepared_rows, queryset) -> None:
    expected = sorted((_fields(o) for o in queryset), key=lambda d: d["id"])
    got = sorted((_fields(o) for o in prepared_rows), key=lambda d: d["id"])
    assert got == expected
    for obj in prepared_rows:
        assert obj._state.adding is False and obj._state.db == "default"


def test_rows_are_the_orm_rows_with_their_types(curated):
    by_work = Prepared(lambda key: Standard.objects.filter(work_key=key).order_by())
    works = sorted(set(Standard.objects.values_list("work_key", flat=True)))
    assert len(works) > 10
    for work in works:
        _same(by_work(work), Standard.objects.filter(work_key=work))
    editions = by_work("GB/T 19001")
    assert len(editions) == 3
    one = next(e for e in editions if e.canonical == "GB/T 19001-2016")
    assert one.published == dt.date(2016, 12, 30) and isinstance(one.is_supplement, bool)
    assert isinstance(one.drafting_organizations, list) and isinstance(one.extra, dict)
    assert one.created_at.tzinfo is not None
    assert by_work("no such work") == []


def test_list_arguments_and_several_arguments(curated):
    relations = Prepared(
        lambda key, keys: Relation.objects.filter(
            Q(from_key=key) | Q(type="replaces", to_key__in=keys)
        ).order_by()
    )
    for keys in (["GB/T 19001-2008"], ["GB/T 19001-2008", "GB/T 19001-2000", "GB 8898-2011"]):
        _same(
            relations("GB/T 19001-2016", keys),
            Relation.objects.filter(
                Q(from_key="GB/T 19001-2016") | Q(type="replaces", to_key__in=keys)
            ),
        )
    ids = list(Standard.objects.values_list("id", flat=True)[:5])
    by_ids = Prepared(lambda ids: Standard.objects.filter(id__in=ids).order_by())
    _same(by_ids(ids), Standard.objects.filter(id__in=ids))
    assert by_ids([]) == []


def test_many_to_many_lookup(curated):
    classes = Prepared(lambda pk: Classification.objects.filter(standards=pk).order_by())
    standard = Standard.objects.get(canonical="GB/T 19001-2016")
    assert classes(standard.pk)
    _same(classes(standard.pk), standard.classifications.all())


def test_counts_as_a_query(curated, django_assert_num_queries):
    by_work = Prepared(lambda key: Standard.objects.filter(work_key=key).order_by())
    by_work("GB/T 19001")
    with django_assert_num_queries(1):
        by_work("GB/T 19001")


def test_refuses_what_it_cannot_run_the_same(curated):
    with pytest.raises(ValueError, match="select_related"):
        Prepared(lambda key: Relation.objects.filter(from_key=key).select_related("to_standard"))(
            "GB/T 19001-2016"
        )
    with pytest.raises(ValueError, match="does not reach the SQL"):
        Prepared(lambda key: Standard.objects.filter(canonical__icontains=key))("19001")
    with pytest.raises(TypeError):
        Prepared(lambda day: Standard.objects.filter(published=day))(dt.date(2016, 12, 30))


def test_plans_are_bounded(curated, monkeypatch):
    from django.db import connections

    from stdplus.core import prepared

    monkeypatch.setattr(prepared, "_MOST_PLANS", 3)
    by_ids = Prepared(lambda ids: Standard.objects.filter(id__in=ids).order_by())
    ids = list(Standard.objects.values_list("id", flat=True)[:6])
    for n in range(1, 7):
        assert {s.pk for s in by_ids(ids[:n])} == set(ids[:n])
        assert len(by_ids._plans[connections["default"]]) <= 3
