"""Feed addresses become personal (the shared one of each list stops working: a person who
left could still read it); each webhook acts for the person who added it (existing ones are
given to the list's creator, so they stop when that person leaves)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def webhooks_to_list_creators(apps, schema_editor):
    Webhook = apps.get_model("watch", "Webhook")
    WatchList = apps.get_model("watch", "WatchList")
    for list_id, user_id in (
        WatchList.objects.filter(webhooks__isnull=False)
        .values_list("pk", "created_by_id")
        .distinct()
    ):
        Webhook.objects.filter(watch_list_id=list_id).update(created_by_id=user_id)


class Migration(migrations.Migration):
    dependencies = [
        ("watch", "0002_delivery_lifecycle"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveField(
            model_name="watchlist",
            name="feed_token",
        ),
        migrations.AddField(
            model_name="webhook",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="added by",
            ),
        ),
        migrations.RunPython(webhooks_to_list_creators, migrations.RunPython.noop),
        migrations.CreateModel(
            name="FeedToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "token",
                    models.CharField(
                        editable=False, max_length=64, unique=True, verbose_name="feed token"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="feed_tokens",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "watch_list",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="feed_tokens",
                        to="watch.watchlist",
                    ),
                ),
            ],
            options={
                "verbose_name": "feed address",
                "verbose_name_plural": "feed addresses",
                "constraints": [
                    models.UniqueConstraint(fields=("watch_list", "user"), name="feedtoken_unique")
                ],
            },
        ),
    ]
