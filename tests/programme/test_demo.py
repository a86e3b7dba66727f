"""Removing the demo data: only demo rows go, through the explicit services, with their
histories; real history stays; a real record that refers to demo data stops the removal with a
clear message and nothing is removed."""

import pytest
from django.contrib.auth.models import User

from stdplus.accounts.models import Membership
from stdplus.catalog.models import ChangeEvent, Classification, Standard
from stdplus.core.errors import ApplicationError
from stdplus.programme.models import (
    AuditEvent,
    FundingEvent,
    Participation,
    PilotEvent,
    ProjectEvent,
)
from stdplus.programme.selectors import region_get
from stdplus.programme.services.demo import ICS, DemoSize, demo_clear, demo_generate
from stdplus.search.models import SearchDocument
from stdplus.watch.alerts import alerts_process
from stdplus.watch.delivery import webhooks_deliver
from stdplus.watch.models import Alert, DeliveryEvent, WebhookDelivery
from stdplus.watch.services import watch_list_create, webhook_create

from .factories import OrganizationFactory, standards

pytestmark = pytest.mark.django_db
SIZE = DemoSize(
    organizations=12,
    participations=200,
    experts=4,
    bodies=2,
    pilots=4,
    applications=4,
    catalog_entries=60,
)


@pytest.fixture
def real(settings):
    """A real catalog entry and a real organization whose watch list sees every demo entry."""
    entry = standards(("GB/T 98001-2020", "2020-01-01"))["GB/T 98001-2020"]
    organization = OrganizationFactory(region_code="440305")
    user = User.objects.create_user("watcher")
    for code in ICS:
        Classification.objects.get_or_create(scheme="ics", code=code, defaults={"depth": 3})
    Membership.objects.create(user=user, organization=organization)
    watch_list = watch_list_create(
        organization=organization,
        user=user,
        name="everything",
        items=[("ics", code) for code in ICS],
    )
    settings.STDPLUS_WEBHOOK_TRUSTED_RECEIVERS = ["127.0.0.1/32"]
    webhook_create(watch_list=watch_list, url="http://127.0.0.1:9/closed", by=user)
    return entry, watch_list


def test_demo_data_goes_with_its_history_and_real_history_stays(real, settings):
    settings.STDPLUS_WEBHOOK_MAX_ATTEMPTS = 1
    entry, watch_list = real
    real_events = set(ChangeEvent.objects.values_list("pk", flat=True))
    demo_generate(region=region_get("4403"), size=SIZE)
    assert PilotEvent.objects.filter(demo=True).exists()
    assert FundingEvent.objects.filter(demo=True).exists()
    assert ProjectEvent.objects.filter(demo=True).exists()
    # Real people's watch lists heard of the demo entries, and a webhook was tried.
    alerts_process()
    assert Alert.objects.filter(event__standard__source="demo").exists()
    webhooks_deliver()
    assert DeliveryEvent.objects.exists()
    audit_before = AuditEvent.objects.count()

    demo_clear()

    assert not Standard.objects.filter(source="demo").exists()
    assert set(ChangeEvent.objects.values_list("pk", flat=True)) == real_events
    assert Standard.objects.filter(pk=entry.pk).exists()
    assert not SearchDocument.objects.filter(standard__source="demo").exists()
    assert SearchDocument.objects.filter(standard=entry).exists()
    for table in (PilotEvent, FundingEvent, ProjectEvent):
        assert not table.objects.exists()
    assert not Alert.objects.exists() and not WebhookDelivery.objects.exists()
    watch_list.refresh_from_db()  # the real list stays
    # The audit log keeps everything, and says that demo data was removed.
    assert AuditEvent.objects.count() == audit_before + 1
    assert AuditEvent.objects.filter(object_id="demo", action="archive").exists()


def test_a_real_record_on_demo_data_stops_the_removal(real):
    demo_generate(region=region_get("4403"), size=SIZE)
    demo_entry = Standard.objects.filter(source="demo").first()
    Participation.objects.create(
        organization=OrganizationFactory(), standard=demo_entry, role="lead"
    )
    counts = (Standard.objects.count(), ChangeEvent.objects.count(), PilotEvent.objects.count())
    with pytest.raises(ApplicationError, match="real records refer to it") as refused:
        demo_clear()
    assert refused.value.code == "demo_in_use" and "participation" in refused.value.message
    assert (
        Standard.objects.count(),
        ChangeEvent.objects.count(),
        PilotEvent.objects.count(),
    ) == counts
