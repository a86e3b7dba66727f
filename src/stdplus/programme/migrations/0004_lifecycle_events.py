"""Every lifecycle on stdplus.core.lifecycle: pilot events get a step name and details;
funding applications, matches to review and strategic projects get their history tables,
filled from what the records already say (submission and decision dates, decisions made)."""

import datetime as dt

import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


PILOT_ACTIONS = {
    ("", "approved"): "create",
    ("approved", "in_progress"): "begin",
    ("in_progress", "under_evaluation"): "submit_for_evaluation",
    ("under_evaluation", "in_progress"): "send_back",
    ("under_evaluation", "completed"): "complete",
}


def _by(user):
    return {"actor_id": user.pk if user else None, "actor_name": user.username if user else ""}


def histories_fill(apps, schema_editor):
    PilotEvent = apps.get_model("programme", "PilotEvent")
    for event in PilotEvent.objects.all():
        event.action = PILOT_ACTIONS.get((event.from_state, event.to_state), "terminate")
        if event.evaluation_result:
            event.data = {"evaluation_result": event.evaluation_result}
        if event.actor_id:
            event.actor_name = event.actor.username
        event.save(update_fields=["action", "data", "actor_name"])

    FundingApplication = apps.get_model("programme", "FundingApplication")
    FundingEvent = apps.get_model("programme", "FundingEvent")
    for application in FundingApplication.objects.select_related("decided_by"):
        FundingEvent.objects.create(
            application=application,
            action="submit",
            from_state="",
            to_state="submitted",
            on=application.submitted_on,
            demo=application.demo,
        )
        if application.state in ("approved", "rejected"):
            FundingEvent.objects.create(
                application=application,
                action="approve" if application.state == "approved" else "reject",
                from_state="submitted",
                to_state=application.state,
                on=application.decided_on or application.submitted_on,
                note=application.decision_note,
                data=(
                    {"amount_awarded": application.amount_awarded}
                    if application.amount_awarded
                    else {}
                ),
                demo=application.demo,
                **_by(application.decided_by),
            )

    MatchCandidate = apps.get_model("programme", "MatchCandidate")
    MatchEvent = apps.get_model("programme", "MatchEvent")
    for candidate in MatchCandidate.objects.exclude(state="pending").select_related(
        "decided_by", "standard"
    ):
        decided = candidate.decided_at or candidate.created_at
        MatchEvent.objects.create(
            candidate=candidate,
            action="accept" if candidate.state == "accepted" else "reject",
            from_state="pending",
            to_state=candidate.state,
            on=decided.date(),
            data={"organization": candidate.organization_id}
            if candidate.state == "accepted"
            else {},
            demo=candidate.standard.source == "demo",
            **_by(candidate.decided_by),
        )

    AreaProject = apps.get_model("programme", "AreaProject")
    ProjectEvent = apps.get_model("programme", "ProjectEvent")
    for project in AreaProject.objects.all():
        ProjectEvent.objects.create(
            project=project,
            action="create",
            from_state="",
            to_state=project.state,
            on=project.created_at.date() if project.created_at else dt.date.today(),
            demo=project.demo,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0003_participation_covering_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "base_manager_name": "objects",
                "ordering": ["-at", "-id"],
                "verbose_name": "audit event",
                "verbose_name_plural": "audit events",
            },
        ),
        migrations.AlterModelOptions(
            name="pilotevent",
            options={
                "base_manager_name": "objects",
                "ordering": ["on", "id"],
                "verbose_name": "pilot event",
                "verbose_name_plural": "pilot events",
            },
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="pilotevent",
            name="action",
            field=models.CharField(default="", max_length=40, verbose_name="step"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="pilotevent",
            name="actor_name",
            field=models.CharField(
                blank=True,
                help_text="The user name at the time; empty when the system took the step.",
                max_length=150,
                verbose_name="by (user name)",
            ),
        ),
        migrations.AddField(
            model_name="pilotevent",
            name="data",
            field=models.JSONField(
                blank=True,
                default=dict,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                verbose_name="details",
            ),
        ),
        migrations.AlterField(
            model_name="pilotevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="by",
            ),
        ),
        migrations.AlterField(
            model_name="pilotevent",
            name="from_state",
            field=models.CharField(blank=True, max_length=32, verbose_name="from"),
        ),
        migrations.AlterField(
            model_name="pilotevent",
            name="pilot",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="programme.pilot",
                verbose_name="pilot project",
            ),
        ),
        migrations.AlterField(
            model_name="pilotevent",
            name="to_state",
            field=models.CharField(max_length=32, verbose_name="to"),
        ),
        migrations.CreateModel(
            name="FundingEvent",
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
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="programme.fundingapplication",
                        verbose_name="funding application",
                    ),
                ),
            ],
            options={
                "verbose_name": "funding application event",
                "verbose_name_plural": "funding application events",
                "ordering": ["on", "id"],
                "abstract": False,
                "base_manager_name": "objects",
            },
        ),
        migrations.CreateModel(
            name="MatchEvent",
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
                    "candidate",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="programme.matchcandidate",
                        verbose_name="match to review",
                    ),
                ),
            ],
            options={
                "verbose_name": "match decision",
                "verbose_name_plural": "match decisions",
                "ordering": ["on", "id"],
                "abstract": False,
                "base_manager_name": "objects",
            },
        ),
        migrations.CreateModel(
            name="ProjectEvent",
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
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="programme.areaproject",
                        verbose_name="strategic project",
                    ),
                ),
            ],
            options={
                "verbose_name": "strategic project event",
                "verbose_name_plural": "strategic project events",
                "ordering": ["on", "id"],
                "abstract": False,
                "base_manager_name": "objects",
            },
        ),
        migrations.RunPython(histories_fill, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="pilotevent",
            name="evaluation_result",
        ),
    ]
