"""The detail's plain SQL (catalog/sql.py) returns what the ORM returns, on SQLite and PG."""

import json

import pytest
from django.db.models import Q

from stdplus.catalog import sql
from stdplus.catalog.models import Classification, Relation, SourceFacts, Standard
from stdplus.catalog.selectors import standard_details
from stdplus.importers.services import file_import

from ..conftest import CURATED

pytestmark = pytest.mark.django_db


@pytest.fixture
def curated(today, write_jsonl):
    file_import(CURATED)
    # A second source naming a curated standard: its facts are kept beside the curated ones.
    file_import(
        write_jsonl(
            [
                {
                    "id": "GB/T 42061-2022",
                    "title_zh": "医疗器械 质量管理体系 用于法规的要求",
                    "published": "2022-10-14",
                    "effective": "2023-11-01",
                    "status": "current",
                    "status_raw": "现行",
                    "category": ["通用技术领域", "医疗器械质量"],
                }
            ],
            name="cn_nmpa_medical_devices.jsonl",
        )
    )


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def _same(rows, queryset) -> None:
    """Same rows, same values, same Python types (dates, JSON, booleans), saved instances."""
    expected = sorted((_fields(o) for o in queryset), key=lambda d: d["id"])
    got = sorted((_fields(o) for o in rows), key=lambda d: d["id"])
    assert got == expected
    for a, b in zip(got, expected, strict=True):
        assert {k: type(v) for k, v in a.items()} == {k: type(v) for k, v in b.items()}
    for obj in rows:
        assert obj._state.adding is False and obj._state.db == "default"


def test_standards_of_a_work_and_by_ids(curated):
    works = sorted(set(Standard.objects.values_list("work_key", flat=True)))
    assert len(works) > 10
    for work in works:
        _same(sql.standards_of_work(work), Standard.objects.filter(work_key=work))
    one = next(s for s in sql.standards_of_work("GB/T 19001") if s.canonical.endswith("2016"))
    assert one.published.isoformat() == "2016-12-30" and isinstance(one.is_supplement, bool)
    assert isinstance(one.drafting_organizations, list) and isinstance(one.extra, dict)
    assert one.created_at.tzinfo is not None
    assert sql.standards_of_work("no such work") == []
    ids = list(Standard.objects.order_by("id").values_list("id", flat=True)[:7])
    _same(sql.standards_by_ids(ids), Standard.objects.filter(id__in=ids))
    assert sql.standards_by_ids([]) == []


def test_relations_around_a_standard(curated):
    for key, replaced in (
        ("GB/T 19001-2016", []),
        ("GB/T 19001-2016", ["GB/T 19001-2008"]),
        ("GB/T 19001-2008", ["GB/T 19001-2008", "GB/T 19001-2000", "GB 8898-2011"]),
        ("GB/T 42061-2022", ["GB/T 42061-2022", "YY/T 0287-2017"]),
    ):
        expected = Relation.objects.filter(
            Q(from_key=key) | Q(to_key=key) | Q(type="replaces", to_key__in=replaced)
        )
        assert expected.exists()
        _same(sql.relations_around(key, replaced), expected)


def test_classes_of_a_standard_and_by_code(curated):
    standard = Standard.objects.get(canonical="GB/T 19001-2016")
    assert standard.classifications.exists()
    _same(sql.classes_of(standard.pk), standard.classifications.all())
    codes = ["03", "03.120", "03.120.10", "A00"]
    _same(sql.classes_by_codes(codes), Classification.objects.filter(code__in=codes))
    assert sql.classes_by_codes([]) == []


def test_facts_of_a_standard(curated):
    standard = Standard.objects.get(canonical="GB/T 42061-2022")
    facts = sql.facts_of(standard.pk)
    assert sorted(f.source for f in facts) == ["cn", "nmpa"]
    _same(facts, SourceFacts.objects.filter(standard=standard))
    assert isinstance(facts[0].facts, dict)
    assert sql.facts_of(Standard.objects.get(canonical="GB/T 19001-2016").pk) == []


def test_the_detail_is_what_the_orm_reads_give(curated):
    """Every standard's details, through the SQL, against the same reads with the ORM."""
    for standard in Standard.objects.all():
        details = standard_details(standard)
        assert [e.pk for e in details.editions] == sorted(
            Standard.objects.filter(work_key=standard.work_key).values_list("pk", flat=True),
            key=lambda pk: [e.pk for e in details.editions].index(pk),
        )
        out = sorted((r.type, r.to_key) for r in details.outgoing)
        assert out == sorted(
            Relation.objects.filter(from_key=standard.canonical).values_list("type", "to_key")
        )
        incoming = sorted((r.type, r.from_key) for r in details.incoming)
        assert incoming == sorted(
            Relation.objects.filter(to_key=standard.canonical).values_list("type", "from_key")
        )
        for r in [*details.outgoing, *details.incoming]:
            assert (r.from_standard.pk if r.from_standard else None) == r.from_standard_id
            assert (r.to_standard.pk if r.to_standard else None) == r.to_standard_id
        assert sorted(c.code for c in details.classes) == sorted(
            standard.classifications.values_list("code", flat=True)
        )
        assert json.dumps(sorted(f.source for f in details.sources)) == json.dumps(
            sorted(standard.source_facts.values_list("source", flat=True))
        )
