"""SQLite: the words of the full-text index, listed for long prefix queries.

A prefix longer than FTS5's prefix index (3 characters) is spelled out as the words of the index
it begins (`backends.sqlite`), which FTS5 reads lazily, instead of a prefix query, for which it
merges the whole list of every such word before the first row. The list is written with the
documents (`indexing.words_insert`); here it is filled from the documents already indexed.
"""

from django.db import migrations

TABLE = "search_fts_words"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f"CREATE TABLE {TABLE} (word TEXT PRIMARY KEY) WITHOUT ROWID")
    from stdplus.search.indexing import words_insert
    from stdplus.search.text import index_words

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT ident, title, scope, xlang FROM search_searchdocument")
        while rows := cursor.fetchmany(20_000):
            words_insert(index_words(column for row in rows for column in row))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("search", "0005_exact_title_tokens")]

    operations = [migrations.RunPython(forwards, backwards)]
