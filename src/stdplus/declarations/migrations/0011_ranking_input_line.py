from django.db import migrations, models

# Each product's line of a run's record inputs, stored but for the enterprise's name
# (declarations.ranking_inputs.line_parts): every row is written again by the function that
# writes them when a version becomes public (its SQL reads the tables only, as they are here).


def inputs_fill(apps, schema_editor):
    from stdplus.declarations.ranking_inputs import ranking_inputs_write

    schema_editor.execute("DELETE FROM declarations_rankinginput")
    ranking_inputs_write()
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE declarations_rankinginput")


class Migration(migrations.Migration):
    dependencies = [
        ("declarations", "0010_ranking_inputs"),
    ]

    operations = [
        migrations.AddField(
            model_name="rankinginput",
            name="line_head",
            field=models.TextField(default=""),
        ),
        migrations.AddField(
            model_name="rankinginput",
            name="line_tail",
            field=models.TextField(default=""),
        ),
        migrations.RunPython(inputs_fill, migrations.RunPython.noop),
    ]
