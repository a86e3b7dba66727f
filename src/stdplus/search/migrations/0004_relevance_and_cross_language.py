"""Cross-language words and exact title keys in the search index.

`xlang` holds the titles of the standards a standard adopts, is adopted by or is identical to
(the other language's words); `exact` the keys its titles are compared by whole. The full-text
index gains `xlang`: SQLite's FTS5 table is made again with the column, PostgreSQL's weighted
tsvector gives it weight D (with the facet tokens, which no text term reads). Then the index is
built again from the catalog, when there is one, to fill the new columns.
"""

from django.db import migrations, models

COLUMNS = "ident, title, scope, facets, xlang"
OLD_COLUMNS = "ident, title, scope, facets"


def _sqlite(columns: str) -> list[str]:
    old = ", ".join(f"old.{c.strip()}" for c in columns.split(","))
    new = ", ".join(f"new.{c.strip()}" for c in columns.split(","))
    return [
        "DROP TRIGGER IF EXISTS search_fts_update",
        "DROP TRIGGER IF EXISTS search_fts_delete",
        "DROP TABLE IF EXISTS search_fts",
        f"""CREATE VIRTUAL TABLE search_fts USING fts5(
            {columns},
            content='search_searchdocument', content_rowid='key',
            tokenize='unicode61 remove_diacritics 2', prefix='3'
        )""",
        f"""CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
            INSERT INTO search_fts(search_fts, rowid, {columns}) VALUES ('delete', old.key, {old});
        END""",
        f"""CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
            INSERT INTO search_fts(search_fts, rowid, {columns}) VALUES ('delete', old.key, {old});
            INSERT INTO search_fts(rowid, {columns}) VALUES (new.key, {new});
        END""",
    ]


POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_document_fulltext",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS document",
]


def _postgres_add(with_xlang: bool) -> list[str]:
    xlang = (
        "|| setweight(to_tsvector('simple'::regconfig, xlang), 'D')" if with_xlang else ""
    )
    return [
        f"""ALTER TABLE search_searchdocument ADD COLUMN document tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('simple'::regconfig, ident), 'A')
            || setweight(to_tsvector('simple'::regconfig, title), 'B')
            || setweight(to_tsvector('simple'::regconfig, scope), 'C')
            || setweight(to_tsvector('simple'::regconfig, facets), 'D')
            {xlang}
        ) STORED""",
        "CREATE INDEX search_document_fulltext ON search_searchdocument USING gin (document)",
    ]


def _change(apps, schema_editor, *, forwards: bool):
    vendor = schema_editor.connection.vendor
    run = schema_editor.execute
    if vendor == "sqlite":
        for statement in _sqlite(COLUMNS if forwards else OLD_COLUMNS):
            run(statement)
    elif vendor == "postgresql":
        for statement in POSTGRES_DROP:
            run(statement)
    alias = schema_editor.connection.alias
    if forwards and apps.get_model("catalog", "Standard").objects.using(alias).exists():
        from stdplus.search.indexing import index_rebuild

        index_rebuild()
    elif not forwards and vendor == "sqlite":
        run("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    if vendor == "postgresql":
        for statement in _postgres_add(forwards):
            run(statement)


def forwards(apps, schema_editor):
    _change(apps, schema_editor, forwards=True)


def backwards(apps, schema_editor):
    _change(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_fulltext_written_by_the_indexer"),
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="exact",
            field=models.TextField(blank=True, verbose_name="exact title keys"),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="xlang",
            field=models.TextField(blank=True, verbose_name="cross-language tokens"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
