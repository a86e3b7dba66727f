"""Trigram indexes on the organization's names, for the declarations' search by a part of an
enterprise's name (`name_zh__icontains`, which PostgreSQL runs as `UPPER(name) LIKE ...`).

PostgreSQL only (pg_trgm, GIN on the upper-cased names, the expression Django's icontains
compares); on SQLite nothing is done: its search scans the names, as before.
"""

from django.db import migrations

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS organization_name_zh_trigrams ON accounts_organization "
    "USING gin (UPPER(name_zh) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS organization_name_en_trigrams ON accounts_organization "
    "USING gin (UPPER(name_en) gin_trgm_ops)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS organization_name_en_trigrams",
    "DROP INDEX IF EXISTS organization_name_zh_trigrams",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements:
            schema_editor.execute(statement)


def forwards(apps, schema_editor):
    _run(schema_editor, POSTGRES)


def backwards(apps, schema_editor):
    _run(schema_editor, POSTGRES_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_language_preference")]

    operations = [migrations.RunPython(forwards, backwards)]
