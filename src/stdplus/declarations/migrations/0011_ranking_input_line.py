import stdplus.declarations.models
from django.db import migrations, models

# Each product's line of a run's record inputs, stored but for the enterprise's name
# (declarations.ranking_inputs.line_parts), and its values as numeric[] on PostgreSQL (a
# ranking no longer parses them): every row is written again by the function that
# writes them when a version becomes public (its SQL reads the tables only, as they are here).


def _numbers_type(schema_editor, kind: str) -> None:
    if schema_editor.connection.vendor == "postgresql":  # elsewhere the column stays text
        schema_editor.execute(
            "ALTER TABLE declarations_rankinginput ALTER COLUMN numbers "
            f"TYPE {kind} USING CAST(numbers AS {kind})"
        )


def numbers_array(apps, schema_editor):
    _numbers_type(schema_editor, "numeric[]")


def numbers_text(apps, schema_editor):
    _numbers_type(schema_editor, "text")


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
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="rankinginput",
                    name="numbers",
                    field=stdplus.declarations.models.NumbersField(),
                ),
            ],
            database_operations=[migrations.RunPython(numbers_array, numbers_text)],
        ),
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
