"""The standard detail's reads, as plain SQL written once for SQLite and PostgreSQL.

The detail page and `GET /api/v1/standards/{id}` are the catalog's hottest reads. Building
these querysets with the ORM costs more than the database takes to answer them (compiling a
query over the 37 columns of a standard takes 0.2-0.4 ms, SQLite answers from its index in a
tenth of that), so they are written here as SQL once, and run through the ORM's public
`Manager.raw()`: the rows become model instances with the ORM's own converters (dates, JSON,
booleans on SQLite). `tests/catalog/test_sql.py` holds each one equal to the ORM queryset it
replaces, on SQLite and PostgreSQL.

The SQL is standard (no vendor syntax): a list argument becomes one `%s` per value. Nothing
is sorted in SQL; the selectors sort in Python.
"""

from __future__ import annotations

from collections.abc import Sequence

from .models import Classification, Relation, SourceFacts, Standard

# Table names as the models have them (fixed: apps label + model name), written out once so
# the SQL below reads as SQL.
_STANDARD = Standard._meta.db_table  # catalog_standard
_RELATION = Relation._meta.db_table  # catalog_relation
_CLASS = Classification._meta.db_table  # catalog_classification
_LINK = Standard.classifications.through._meta.db_table  # catalog_standard_classifications
_FACTS = SourceFacts._meta.db_table  # catalog_sourcefacts


def _among(values: Sequence) -> str:
    """`IN (%s, %s, ...)` with one placeholder per value (never called with none)."""
    return "IN (" + ", ".join(["%s"] * len(values)) + ")"


def standards_of_work(work_key: str) -> list[Standard]:
    """Every document of one work (unsorted)."""
    return list(Standard.objects.raw(f"SELECT * FROM {_STANDARD} WHERE work_key = %s", [work_key]))


def standards_by_ids(ids: Sequence[int]) -> list[Standard]:
    if not ids:
        return []
    return list(Standard.objects.raw(f"SELECT * FROM {_STANDARD} WHERE id {_among(ids)}", ids))


def relations_around(key: str, replaced: Sequence[str]) -> list[Relation]:
    """The relations from and to `key`, and every `replaces` relation pointing at one of
    `replaced` (the editions of its work), in one read."""
    sql = f"SELECT * FROM {_RELATION} WHERE from_key = %s OR to_key = %s" + (
        f" OR (type = 'replaces' AND to_key {_among(replaced)})" if replaced else ""
    )
    return list(Relation.objects.raw(sql, [key, key, *replaced]))


def classes_of(standard_id: int) -> list[Classification]:
    """The classes a standard is filed under."""
    return list(
        Classification.objects.raw(
            f"SELECT c.* FROM {_CLASS} c JOIN {_LINK} l ON l.classification_id = c.id "
            "WHERE l.standard_id = %s",
            [standard_id],
        )
    )


def classes_by_codes(codes: Sequence[str]) -> list[Classification]:
    """The classes with these codes, of either scheme."""
    if not codes:
        return []
    return list(
        Classification.objects.raw(f"SELECT * FROM {_CLASS} WHERE code {_among(codes)}", codes)
    )


def facts_of(standard_id: int) -> list[SourceFacts]:
    """What each source said of a standard."""
    return list(
        SourceFacts.objects.raw(f"SELECT * FROM {_FACTS} WHERE standard_id = %s", [standard_id])
    )
