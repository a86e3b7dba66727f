"""SQLite: the indexer writes FTS5 rows itself, in key order, so the insert trigger goes.

Then the standards already in the catalog are indexed, if the index is empty.

The delete and update triggers stay: a document deleted or changed by any means leaves the
full-text index with it.
"""

from django.db import migrations

INSERT_TRIGGER = """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
    INSERT INTO search_fts(rowid, ident, title, scope, facets)
    VALUES (new.key, new.ident, new.title, new.scope, new.facets);
END"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS search_fts_insert")
    # A catalog that had standards before the search app: index them once.
    alias = schema_editor.connection.alias
    Standard = apps.get_model("catalog", "Standard")
    SearchDocument = apps.get_model("search", "SearchDocument")
    if (
        Standard.objects.using(alias).exists()
        and not SearchDocument.objects.using(alias).exists()
    ):
        from stdplus.search.indexing import index_rebuild

        index_rebuild()


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(INSERT_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(forwards, backwards)]
