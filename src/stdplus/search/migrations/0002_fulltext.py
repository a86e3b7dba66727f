"""The full-text index for the database in use (0003 indexes the standards already there).

SQLite: an FTS5 table over the token columns, external content, kept in step by triggers.
PostgreSQL: a generated, weighted tsvector column with a GIN index.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        ident, title, scope, facets,
        content='search_searchdocument', content_rowid='key',
        tokenize='unicode61 remove_diacritics 2', prefix='3'
    )""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, ident, title, scope, facets)
        VALUES (new.key, new.ident, new.title, new.scope, new.facets);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, ident, title, scope, facets)
        VALUES ('delete', old.key, old.ident, old.title, old.scope, old.facets);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, ident, title, scope, facets)
        VALUES ('delete', old.key, old.ident, old.title, old.scope, old.facets);
        INSERT INTO search_fts(rowid, ident, title, scope, facets)
        VALUES (new.key, new.ident, new.title, new.scope, new.facets);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES = [
    """ALTER TABLE search_searchdocument ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, ident), 'A')
        || setweight(to_tsvector('simple'::regconfig, title), 'B')
        || setweight(to_tsvector('simple'::regconfig, scope), 'C')
        || setweight(to_tsvector('simple'::regconfig, facets), 'D')
    ) STORED""",
    "CREATE INDEX search_document_fulltext ON search_searchdocument USING gin (document)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS search_document_fulltext",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS document",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(
        schema_editor, SQLITE if vendor == "sqlite" else POSTGRES if vendor == "postgresql" else []
    )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(
        schema_editor,
        SQLITE_REVERSE
        if vendor == "sqlite"
        else POSTGRES_REVERSE
        if vendor == "postgresql"
        else [],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("catalog", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
