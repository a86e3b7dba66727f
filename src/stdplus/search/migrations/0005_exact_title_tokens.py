"""Exact title tokens in the search index.

Each document's facet tokens gain one token per exact title key (`indexing.exact_token`), so
that a broad query finds a title equal to it through the full-text index. The index is built
again from the catalog, when there is one, to write them.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    alias = schema_editor.connection.alias
    if apps.get_model("catalog", "Standard").objects.using(alias).exists():
        from stdplus.search.indexing import index_rebuild

        index_rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_relevance_and_cross_language"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
