"""PostgreSQL: the words of the full-text index, listed for long prefix queries (as on SQLite).

A prefix of four characters or more is spelled out as the words of the index it begins
(`backends.base.spelled`), which the GIN index reads one after the other, skipping through a
long list, instead of a prefix, for which it first gathers every match of every word it begins.
The list is written with the documents (`indexing.words_insert`); here it is filled from the
documents already indexed: the words of the word columns (`indexing.WORD_COLUMNS`) of at least
`text.WORD_MIN` characters, and the folded form of those with other than ASCII letters
(`text.index_words`). "C" collation: a range of the list holds the words beginning with a prefix,
compared character by character, as the full-text index compares them. About a minute at
5,000,000 standards.
"""

from django.db import migrations

TABLE = "search_fts_words"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite's list is search 0006's
    from stdplus.search.indexing import words_insert
    from stdplus.search.text import WORD_MIN, index_words

    schema_editor.execute(f'CREATE TABLE {TABLE} (word text COLLATE "C" PRIMARY KEY)')
    schema_editor.execute(
        f"INSERT INTO {TABLE}(word) SELECT DISTINCT w FROM search_searchdocument d, "
        "unnest(string_to_array(concat_ws(' ', d.ident, d.title, d.scope, d.xlang), ' ')) w "
        "WHERE length(w) >= %s",
        [WORD_MIN],
    )
    with schema_editor.connection.cursor() as cursor:
        # (a character other than ASCII takes more than one byte)
        cursor.execute(f"SELECT word FROM {TABLE} WHERE octet_length(word) > length(word)")
        words_insert(index_words(row[0] for row in cursor.fetchall()))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("search", "0008_postgres_key_partitions")]

    operations = [migrations.RunPython(forwards, backwards)]
