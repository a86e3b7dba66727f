from django.db import migrations, models

# Indexes every write of the catalog kept up to date and no read needed:
# - work_key's and level's own indexes: the composite indexes (work_key, status) and (level,
#   status) start with them and serve every lookup of the column alone;
# - on PostgreSQL, the "_like" copies Django adds beside the index of a text column (and of a
#   unique one) for LIKE 'prefix%' (varchar_pattern_ops): no query of the catalog's standards
#   or change events filters on a prefix of these columns.
# At 5,000,000 standards these were 9 of catalog_standard's 20 indexes on PostgreSQL.
SINGLE = {
    "catalog_standard_work_key_2213c62c": ("catalog_standard", "work_key"),
    "catalog_standard_level_a5c33260": ("catalog_standard", "level"),
}
LIKE = {
    "catalog_standard_canonical_28de5f53_like": ("catalog_standard", "canonical"),
    "catalog_standard_work_key_2213c62c_like": ("catalog_standard", "work_key"),
    "catalog_standard_edition_key_2a7b291e_like": ("catalog_standard", "edition_key"),
    "catalog_standard_level_a5c33260_like": ("catalog_standard", "level"),
    "catalog_standard_body_6952b1c4_like": ("catalog_standard", "body"),
    "catalog_standard_status_f8361eea_like": ("catalog_standard", "status"),
    "catalog_standard_source_9780a660_like": ("catalog_standard", "source"),
    "catalog_changeevent_kind_8e9e7b9f_like": ("catalog_changeevent", "kind"),
}


def _names(schema_editor) -> dict[str, tuple[str, str]]:
    postgres = schema_editor.connection.vendor == "postgresql"
    return {**SINGLE, **(LIKE if postgres else {})}


def indexes_drop(apps, schema_editor):
    quote = schema_editor.quote_name
    for name in _names(schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(name)}")


def indexes_create(apps, schema_editor):
    quote = schema_editor.quote_name
    for name, (table, column) in _names(schema_editor).items():
        ops = " varchar_pattern_ops" if name in LIKE else ""
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} ({quote(column)}{ops})"
        )


class Migration(migrations.Migration):
    """Fewer indexes on the catalog's standards (see above): faster imports, the same plans."""

    dependencies = [
        ("catalog", "0010_number_prefix_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="standard",
                    name="work_key",
                    field=models.CharField(max_length=200, verbose_name="work"),
                ),
                migrations.AlterField(
                    model_name="standard",
                    name="level",
                    field=models.CharField(
                        choices=[
                            ("international", "International"),
                            ("regional", "Regional"),
                            ("foreign", "Foreign national"),
                            ("national", "National (China)"),
                            ("industry", "Industry (China)"),
                            ("local", "Local (China)"),
                            ("group", "Group"),
                            ("enterprise", "Enterprise"),
                        ],
                        max_length=16,
                        verbose_name="level",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(indexes_drop, indexes_create)],
        ),
    ]
