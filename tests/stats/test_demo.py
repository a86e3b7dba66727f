import pytest

from stdplus.accounts.models import Organization
from stdplus.catalog.models import Standard
from stdplus.core.dates import today
from stdplus.declarations.models import Declaration, DeclarationEvent
from stdplus.programme.models import OrganizationProfile, Participation, Pilot
from stdplus.programme.selectors import region_get
from stdplus.programme.services.demo import DemoSize, demo_clear, demo_generate
from stdplus.stats.indicators import INDICATORS, Period, Scope
from tests.programme.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_demo_data_is_flagged_and_removable():
    real = OrganizationFactory(region_code="440305")
    size = DemoSize(
        organizations=30,
        participations=200,
        experts=20,
        bodies=5,
        pilots=4,
        applications=5,
        catalog_entries=150,
    )
    report = demo_generate(region=region_get("4403"), size=size)
    assert (
        report.organizations == 30 and report.participations > 0 and report.catalog_entries == 150
    )
    assert OrganizationProfile.objects.filter(demo=True).count() == 30
    assert not Participation.objects.filter(demo=False).exists()
    assert all(
        name.endswith("（示例）")
        for name in Organization.objects.exclude(pk=real.pk).values_list("name_zh", flat=True)
    )
    assert Standard.objects.filter(source="demo").count() == 150
    assert Pilot.objects.filter(demo=True).count() == 4
    # Self-declarations of the demo enterprises, flagged demo, counted by the dashboard.
    declared = Declaration.objects.filter(demo=True)
    assert declared.count() > 0 and not Declaration.objects.filter(demo=False).exists()
    assert not declared.exclude(state="declared").exists()
    assert INDICATORS["declared"].value(Scope(region_get("4403"), Period.year(today().year))) > 0
    scope = Scope(region_get("4403"), Period(Period.year(2005).start, Period.year(2030).end))
    assert INDICATORS["participation"].value(scope) > 0
    assert INDICATORS["participation"].value(Scope(scope.region, scope.period, real_only=True)) == 0
    with pytest.raises(Exception, match="already loaded"):
        demo_generate(region=region_get("4403"), size=size)
    demo_clear()
    assert list(Organization.objects.all()) == [real]
    assert not Standard.objects.filter(source="demo").exists() and not Pilot.objects.exists()
    assert not Declaration.objects.exists() and not DeclarationEvent.objects.exists()
