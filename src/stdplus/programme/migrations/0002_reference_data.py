from django.db import migrations


def load(apps, schema_editor):
    from stdplus.programme.reference import regions_load, schemes_load

    region = apps.get_model("programme", "Region")
    regions_load(region)
    schemes_load(
        apps.get_model("programme", "FundingScheme"),
        apps.get_model("programme", "FundingItemType"),
        region,
    )


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
