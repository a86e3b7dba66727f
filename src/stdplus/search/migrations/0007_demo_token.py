"""The demo generator's standards carry a facet token of their own (`indexing.DEMO_TOKEN`).

A search that hides them leaves them out through it in the full-text query. Their documents are
written again, when there are any, to gain it.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    alias = schema_editor.connection.alias
    ids = list(
        apps.get_model("catalog", "Standard")
        .objects.using(alias)
        .filter(source="demo")  # catalog.models.DEMO_SOURCE
        .values_list("pk", flat=True)
    )
    if ids:
        from stdplus.search.indexing import documents_update

        documents_update(ids, with_partners=False)


class Migration(migrations.Migration):
    dependencies = [("search", "0006_fulltext_words")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
