import datetime as dt

import pytest

from stdplus.catalog.models import Standard
from stdplus.catalog.services import StandardIn, standards_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def standard(today):
    standards_import(
        records=[
            StandardIn("GB 2760-2014", row=1, status_word="current", title_zh="食品添加剂使用标准")
        ],
        source="cn",
        path="t",
    )
    return Standard.objects.get()


def test_staff_edit_goes_through_the_service_and_records_events(admin_client, standard):
    url = f"/admin/catalog/standard/{standard.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200 and "食品添加剂使用标准" in page.text
    response = admin_client.post(
        url,
        {
            "title_zh": "食品安全国家标准 食品添加剂使用标准",
            "title_en": "",
            "scope": "",
            "source_status": "现行",
            "stage_code": "",
            "published": "2014-12-24",
            "effective": "2030-05-24",
            "withdrawn": "",
            "confirmed": "",
            "committee": "",
            "drafting_organizations": "[]",
            "url": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    standard.refresh_from_db()
    assert standard.effective == dt.date(2030, 5, 24) and standard.status == "upcoming"
    fields = set(standard.events.values_list("field", flat=True))
    assert {"title_zh", "published", "effective", "status"} <= fields
    assert standard.events.filter(source="admin:admin").exists()


def test_standards_cannot_be_added_or_deleted_and_events_are_read_only(admin_client, standard):
    assert admin_client.get("/admin/catalog/standard/add/").status_code == 403
    assert admin_client.get(f"/admin/catalog/standard/{standard.pk}/delete/").status_code == 403
    event = standard.events.first()
    assert admin_client.get(f"/admin/catalog/changeevent/{event.pk}/change/").status_code == 200
    assert admin_client.post(f"/admin/catalog/changeevent/{event.pk}/delete/").status_code == 403


def test_the_public_cannot_reach_the_admin(client, standard):
    response = client.get(f"/admin/catalog/standard/{standard.pk}/change/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
