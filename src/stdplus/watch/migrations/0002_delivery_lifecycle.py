"""Webhook deliveries on stdplus.core.lifecycle: a `retrying` state (a delivery waiting to be
tried again after a failure, where `pending` had served both), and their history table."""

import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def retries_named(apps, schema_editor):
    WebhookDelivery = apps.get_model("watch", "WebhookDelivery")
    WebhookDelivery.objects.filter(state="pending", attempts__gt=0).update(state="retrying")


def retries_unnamed(apps, schema_editor):
    WebhookDelivery = apps.get_model("watch", "WebhookDelivery")
    WebhookDelivery.objects.filter(state="retrying").update(state="pending")


class Migration(migrations.Migration):
    dependencies = [
        ("watch", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="digestmail",
            options={
                "base_manager_name": "objects",
                "ordering": ["-id"],
                "verbose_name": "digest mail",
                "verbose_name_plural": "digest mails",
            },
        ),
        migrations.AlterModelOptions(
            name="webhookattempt",
            options={
                "base_manager_name": "objects",
                "ordering": ["delivery", "number"],
                "verbose_name": "webhook attempt",
                "verbose_name_plural": "webhook attempts",
            },
        ),
        migrations.AlterField(
            model_name="webhookdelivery",
            name="state",
            field=models.CharField(
                choices=[
                    ("pending", "pending"),
                    ("sending", "sending"),
                    ("delivered", "delivered"),
                    ("retrying", "waiting to be tried again"),
                    ("failed", "failed (gave up)"),
                ],
                default="pending",
                max_length=10,
                verbose_name="state",
            ),
        ),
        migrations.CreateModel(
            name="DeliveryEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("action", models.CharField(max_length=40, verbose_name="step")),
                ("from_state", models.CharField(blank=True, max_length=32, verbose_name="from")),
                ("to_state", models.CharField(max_length=32, verbose_name="to")),
                ("on", models.DateField(verbose_name="effective on")),
                (
                    "actor_name",
                    models.CharField(
                        blank=True,
                        help_text="The user name at the time; empty when the system took the step.",
                        max_length=150,
                        verbose_name="by (user name)",
                    ),
                ),
                ("note", models.TextField(blank=True, verbose_name="note")),
                (
                    "data",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        encoder=django.core.serializers.json.DjangoJSONEncoder,
                        verbose_name="details",
                    ),
                ),
                ("demo", models.BooleanField(default=False, verbose_name="demo data")),
                ("recorded_at", models.DateTimeField(auto_now_add=True, verbose_name="recorded")),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                (
                    "delivery",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="watch.webhookdelivery",
                        verbose_name="webhook delivery",
                    ),
                ),
            ],
            options={
                "verbose_name": "webhook delivery event",
                "verbose_name_plural": "webhook delivery events",
                "ordering": ["on", "id"],
                "abstract": False,
                "base_manager_name": "objects",
            },
        ),
        migrations.RunPython(retries_named, retries_unnamed),
    ]
