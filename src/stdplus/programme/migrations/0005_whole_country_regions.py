from django.db import migrations


def load(apps, schema_editor):
    # The region tree grows from the curated Guangdong branch to the whole country.
    from stdplus.programme.reference import regions_load

    regions_load(apps.get_model("programme", "Region"))


class Migration(migrations.Migration):
    dependencies = [("programme", "0004_lifecycle_events")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
