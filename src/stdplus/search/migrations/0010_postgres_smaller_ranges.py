"""PostgreSQL: the search table's ranges cut to grow along each status (`search.ranges`: a
dense word's first matches then cost a small range, not a band of years holding hundreds of
thousands of documents). Nothing on a small catalog or on SQLite; minutes at 5,000,000
standards (the documents of the ranges cut are copied).
`stdplus search ranges` does the same after the catalog has grown."""

from django.db import migrations


def forwards(apps, schema_editor):
    from stdplus.search.ranges import ranges_split

    ranges_split()


class Migration(migrations.Migration):
    # (not in one transaction: each range is cut in its own)
    atomic = False

    dependencies = [("search", "0009_postgres_words")]

    # Backwards: nothing to undo (any ranges give the same answers; 0008's backwards makes
    # the table one again).
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
