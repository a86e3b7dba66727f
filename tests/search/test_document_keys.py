"""PostgreSQL notes the key of each standard's search document (`indexing.KEYS_TABLE`, search
migration 0011), so that writing a standard's document again finds the old one without reading
every range of the key. These tests hold the note to the documents: every document is found
through it, whatever moved the document, and a note left behind never costs a document."""

import importlib

import pytest
from django.db import connection

from stdplus.catalog.models import Standard
from stdplus.catalog.services.edits import standard_update
from stdplus.search import indexing
from stdplus.search.models import SearchDocument

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's ranges of keys"),
]

migration = importlib.import_module("stdplus.search.migrations.0011_postgres_document_keys")


def noted() -> dict[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT standard_id, key FROM {indexing.KEYS_TABLE}")
        return dict(cursor.fetchall())


def documents() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for standard_id, key in SearchDocument.objects.values_list("standard_id", "key"):
        found.setdefault(standard_id, []).append(key)
    return found


def assert_notes_follow_documents() -> None:
    docs = documents()
    assert docs, "the catalog has documents"
    assert all(len(keys) == 1 for keys in docs.values()), "one document a standard"
    notes = noted()
    for standard_id, (key,) in docs.items():
        assert notes[standard_id] == key


def test_every_document_imported_is_noted(catalog):
    assert_notes_follow_documents()
    assert len(noted()) == SearchDocument.objects.count()


def test_a_document_that_moves_to_another_range_is_found_and_replaced(catalog):
    standard = Standard.objects.filter(status="current", search_document__isnull=False).first()
    before = SearchDocument.objects.get(standard=standard).key
    # Withdrawn: the status sits at the top of the key, so the document moves to another range.
    standard_update(standard=standard, changes={"source_status": "withdrawn"})
    standard.refresh_from_db()
    assert standard.status == "withdrawn"
    after = SearchDocument.objects.get(standard=standard).key
    assert after != before
    assert indexing.standard_id_of(after) == standard.pk
    assert not SearchDocument.objects.filter(key=before).exists()
    assert_notes_follow_documents()


def test_a_note_left_behind_names_no_document_and_costs_none(catalog):
    standard = Standard.objects.filter(search_document__isnull=False).first()
    old_key = SearchDocument.objects.get(standard=standard).key
    SearchDocument.objects.filter(standard=standard).delete()  # the note stays
    assert noted()[standard.pk] == old_key
    indexing.documents_update([standard.pk])
    assert SearchDocument.objects.filter(standard=standard).count() == 1
    assert_notes_follow_documents()
    # A stale note for a key another document holds cannot exist: the key holds the id.
    assert all(indexing.standard_id_of(key) == pk for pk, key in noted().items())


def test_a_rebuild_notes_every_document_again(catalog):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {indexing.KEYS_TABLE} SET key = key + 1")  # all wrong
    indexing.index_rebuild()
    assert_notes_follow_documents()
    assert len(noted()) == SearchDocument.objects.count()


def test_the_migration_notes_the_documents_already_indexed(catalog):
    with connection.schema_editor() as editor:
        migration.backwards(None, editor)
    # Written while the table is missing (as by migrations before 0011): nothing is noted.
    standard = Standard.objects.filter(search_document__isnull=False).first()
    indexing.documents_update([standard.pk])
    with connection.schema_editor() as editor:
        migration.forwards(None, editor)
    assert migration.TABLE == indexing.KEYS_TABLE
    assert_notes_follow_documents()
    assert len(noted()) == SearchDocument.objects.count()
