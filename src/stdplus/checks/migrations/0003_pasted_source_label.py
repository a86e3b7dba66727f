from django.db import migrations


def forward(apps, schema_editor):
    # Pasted text was stored as the words of the page's language; now it is stored as "" and
    # named in the reader's language when shown.
    check = apps.get_model("checks", "ValidityCheck")
    check.objects.filter(source__in=["pasted text", "粘贴文本"]).update(source="")


class Migration(migrations.Migration):
    dependencies = [("checks", "0002_cancelled_status")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
