from django.db import migrations


def load(apps, schema_editor):
    from stdplus.programme.reference import scheme_rules_load

    scheme_rules_load(
        apps.get_model("programme", "FundingScheme"),
        apps.get_model("programme", "FundingItemType"),
        apps.get_model("programme", "Region"),
    )


class Migration(migrations.Migration):
    dependencies = [("programme", "0007_funding_rules_evidence")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
