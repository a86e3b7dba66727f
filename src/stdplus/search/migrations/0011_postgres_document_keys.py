"""PostgreSQL: the key of each standard's search document, one row per standard
(`indexing.KEYS_TABLE`), filled from the documents already indexed. The documents are kept in
ranges of the key (0008, 0010); without this, finding a standard's document reads every range.
Nothing on SQLite, whose documents are one table with one index of standards."""

from django.db import migrations

TABLE = "search_document_key"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE TABLE {TABLE} (standard_id bigint PRIMARY KEY, key bigint NOT NULL)"
    )
    schema_editor.execute(
        f"INSERT INTO {TABLE} (standard_id, key) SELECT standard_id, key "
        "FROM search_searchdocument ON CONFLICT (standard_id) DO NOTHING"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("search", "0010_postgres_smaller_ranges")]

    operations = [migrations.RunPython(forwards, backwards)]
