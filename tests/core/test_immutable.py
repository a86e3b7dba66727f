"""Every event and audit table refuses change and deletion: through the model, the queryset and
the admin. The tables are discovered (every concrete ImmutableModel), so a new one is covered
without a new test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from stdplus.catalog.models import ChangeEvent
from stdplus.core.admin import ImmutableAdmin
from stdplus.core.lifecycle import lifecycles
from stdplus.core.models import ImmutableRowError, demo_rows_purge, immutable_models
from stdplus.programme.models import AuditEvent
from stdplus.watch.models import DigestMail, WebhookAttempt, WebhookDelivery

from .test_lifecycle_walks import KITS, _take

SRC = Path(__file__).resolve().parents[2] / "src" / "stdplus"
TABLES = immutable_models()
IDS = [model._meta.label for model in TABLES]


def test_the_known_history_tables_are_all_immutable():
    labels = set(IDS)
    assert {
        "catalog.ChangeEvent",
        "programme.PilotEvent",
        "programme.AuditEvent",
        "programme.FundingEvent",
        "programme.MatchEvent",
        "programme.ProjectEvent",
        "watch.DeliveryEvent",
        "watch.WebhookAttempt",
        "watch.DigestMail",
    } <= labels
    # Every lifecycle keeps its history in one of them.
    assert {lifecycle.event_model for lifecycle in lifecycles()} <= set(TABLES)


def _stored(model):
    """An instance as if read from the database (no row needed to test the model's guard)."""
    names = [field.attname for field in model._meta.concrete_fields]
    return model.from_db("default", names, [1 if name == "id" else None for name in names])


@pytest.mark.parametrize("model", TABLES, ids=IDS)
def test_the_model_refuses_to_save_a_stored_row_or_delete(model):
    with pytest.raises(ImmutableRowError):
        _stored(model).save()
    with pytest.raises(ImmutableRowError):
        _stored(model).delete()


@pytest.mark.django_db
@pytest.mark.parametrize("model", TABLES, ids=IDS)
@pytest.mark.parametrize("manager", ["objects", "_default_manager", "_base_manager"])
def test_the_querysets_refuse_update_and_delete(model, manager):
    queryset = getattr(model, manager).all()
    some_field = next(f.name for f in model._meta.concrete_fields if not f.primary_key)
    with pytest.raises(ImmutableRowError):
        queryset.update(**{some_field: None})
    with pytest.raises(ImmutableRowError):
        queryset.delete()
    with pytest.raises(ImmutableRowError):
        queryset.bulk_update([], [some_field])
    with pytest.raises(ImmutableRowError):
        queryset.filter(pk=1).update_or_create(pk=1, defaults={})


@pytest.mark.parametrize("model", TABLES, ids=IDS)
def test_the_admin_is_read_only(model, django_user_model):
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        return  # not in the admin at all
    assert isinstance(model_admin, ImmutableAdmin)
    request = RequestFactory().get("/")
    request.user = django_user_model(is_superuser=True, is_staff=True, is_active=True)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert "delete_selected" not in model_admin.get_actions(request)


@pytest.fixture
def history(db, today):
    """At least one real row in each history table."""
    for kit_factory, lifecycle in zip(
        (KITS[lifecycle.name] for lifecycle in lifecycles()), lifecycles(), strict=True
    ):
        kit = kit_factory()
        obj = kit.new(min(lifecycle.initial))
        step = lifecycle.steps_from(lifecycle.state_of(obj))[0]
        _take(kit, obj, step)
    delivery = WebhookDelivery.objects.first()
    WebhookAttempt.objects.create(
        delivery=delivery, number=1, started_at=timezone.now(), status_code=503
    )
    DigestMail.objects.create(user=User.objects.create_user("digest-reader"), alert_count=0)


@pytest.mark.django_db
@pytest.mark.parametrize("model", TABLES, ids=IDS)
def test_the_admin_pages_refuse_to_change_or_delete_a_row(model, history, admin_client):
    row = model.objects.order_by("pk").first()
    assert row is not None, f"add a {model._meta.label} row to the `history` fixture"
    before = model.objects.filter(pk=row.pk).values().get()
    meta = model._meta
    if model not in admin.site._registry:
        return
    change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk])
    delete = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[row.pk])
    changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    assert admin_client.get(change).status_code == 200  # staff read it
    assert admin_client.post(change, {}).status_code == 403
    assert admin_client.get(delete).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [row.pk]})
    add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
    assert admin_client.get(add).status_code == 403
    assert model.objects.filter(pk=row.pk).values().get() == before


@pytest.mark.django_db
def test_demo_rows_are_the_only_door(history):
    with pytest.raises(ImmutableRowError):
        demo_rows_purge(AuditEvent)  # the audit log holds no demo rows: never purged
    real = ChangeEvent.objects.count()
    assert real and demo_rows_purge(ChangeEvent) == 0
    assert ChangeEvent.objects.count() == real


# Ways around the guard. Only the purge of demo rows (core/models.py) and the search index's
# own table (search/indexing.py, not a history table) may use them.
BYPASSES = re.compile(
    r"QuerySet\.(delete|update|bulk_update)\(|_raw_delete\(|Model\.(save|delete)\("
)
ALLOWED = {"core/models.py", "search/indexing.py"}


def test_no_code_goes_around_the_guard():
    found: dict[str, int] = {}
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        hits = len(BYPASSES.findall(path.read_text(encoding="utf-8")))
        if hits:
            found[str(path.relative_to(SRC))] = hits
    assert set(found) <= ALLOWED and found["core/models.py"] == 1


def test_no_code_updates_or_deletes_history_through_a_manager():
    names = "|".join(model.__name__ for model in TABLES)
    pattern = re.compile(
        rf"\b({names})\.(objects|_default_manager|_base_manager)\b[^\n]*\.(update|delete|bulk_update)\("
    )
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
