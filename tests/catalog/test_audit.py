"""The catalog audit: contradictions between sources, stale statuses, rings, unknown targets."""

import io
import json

import pytest
from django.core.management import call_command

from stdplus.catalog.models import Relation, Standard
from stdplus.importers.services import file_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(today, write_jsonl):
    file_import(
        write_jsonl(
            [
                {"id": "ISO 9001:2008", "status": "current", "published": "2008-11-14"},
                {
                    "id": "ISO/CD 9001",
                    "status": "cancelled",
                    "stage": "30.98",
                    "relations": [{"type": "replaces", "target": "ISO 9001:2008"}],
                },
                {
                    "id": "ISO 2000:2010",
                    "status": "current",
                    "published": "2010-01-01",
                    "relations": [{"type": "replaces", "target": "ISO 2000:2005"}],
                },
                {
                    "id": "ISO 2000:2005",
                    "status": "current",
                    "published": "2005-01-01",
                    "relations": [{"type": "replaces", "target": "ISO 2000:2010"}],
                },
                {
                    "id": "ISO 3000:2020",
                    "status": "current",
                    "published": "2020-01-01",
                    "relations": [{"type": "replaces", "target": "ISO 3000:2010"}],
                },
            ],
            name="iso.jsonl",
        ),
        source="iso",
    )
    file_import(
        write_jsonl(
            [
                {
                    "id": "ISO 9001:2015",
                    "status": "current",
                    "published": "2015-09-15",
                    "replaces": "ISO 9001:2008",
                }
            ],
            name="other.jsonl",
        ),
        source="table",
    )


def audit(*args):
    out = io.StringIO()
    code = 0
    try:
        call_command("catalog", "audit", *args, stdout=out)
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue()


def test_the_audit_names_each_finding_with_its_sources_and_rule(catalog):
    code, text = audit("--json")
    report = json.loads(text)
    rules = report["rules"]
    # ISO's own file says ISO 9001:2008 is current; another source records its replacement.
    [contradiction] = rules["contradiction"]["examples"]
    assert contradiction["identifiers"] == ["ISO 9001:2008", "ISO 9001:2015"]
    assert contradiction["sources"] == ["iso", "table"]
    assert Standard.objects.get(canonical="ISO 9001:2008").status == "superseded"
    # The cancelled draft that "replaces" it is no finding: the status rule decides.
    assert Standard.objects.get(canonical="ISO/CD 9001").status == "cancelled"
    # Two published editions replacing each other: a ring that needs a person.
    assert rules["cycle"]["count"] == 1
    assert rules["cycle"]["examples"][0]["identifiers"] == ["ISO 2000:2005", "ISO 2000:2010"]
    # ISO 3000:2010 is not in the catalog.
    assert report["unknown_targets_by_source"]["iso replaces"] == 1
    assert rules["stale_status"]["count"] == 0
    assert code == 1 and report["needs_person"]


def test_a_stale_status_is_found_and_the_text_report_reads(catalog):
    Standard.objects.filter(canonical="ISO 9001:2008").update(status="current")
    Relation.objects.filter(from_key__in=["ISO 2000:2005"]).delete()
    code, text = audit()
    assert code == 1
    assert "stale_status" in text and "ISO 9001:2008 / ISO 9001:2015  [iso, table]" in text


def test_the_staff_page_and_its_json_twin(client, catalog, django_user_model):
    assert client.get("/catalog/audit/").status_code == 302  # to the login
    assert client.get("/api/v1/catalog/audit").status_code == 401
    user = django_user_model.objects.create_user("clerk", password="pw-12345678")
    client.force_login(user)
    assert client.get("/api/v1/catalog/audit").status_code == 403
    user.is_staff = True
    user.save()
    page = client.get("/catalog/audit/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert "ISO 9001:2015" in html and 'href="/api/v1/catalog/audit"' in html
    assert "/api/v1/catalog/audit" in page["Link"]
    data = client.get("/api/v1/catalog/audit").json()
    assert data["rules"]["cycle"]["count"] == 1


def test_status_disagreements_and_records_listed_twice_are_reported(today, write_jsonl):
    file_import(
        write_jsonl(
            [
                {"id": "ISO Guide 73:2009", "stage": "95.99", "status": "withdrawn"},
                {"id": "ISO 5000:2020", "stage": "60.60", "status": "current", "title_en": "A"},
                {"id": "ISO 5000:2020", "stage": "95.99", "status": "withdrawn", "title_en": "B"},
            ],
            name="iso.jsonl",
        ),
        source="iso",
    )
    file_import(
        write_jsonl(
            [{"id": "ISO Guide 73:2009", "status": "current", "status_raw": "PUBLISHED"}],
            name="iec.jsonl",
        ),
        source="iec",
    )
    code, text = audit("--json")
    rules = json.loads(text)["rules"]
    [disagreement] = rules["status_disagreement"]["examples"]
    assert disagreement["identifiers"] == ["ISO Guide 73:2009"]
    assert disagreement["sources"] == ["iso", "iec"]  # the owner, whose word is kept, first
    assert (
        "iso: withdrawn" in disagreement["detail"]
        and "iec: current (PUBLISHED)" in (disagreement["detail"])
    )
    assert Standard.objects.get(canonical="ISO Guide 73:2009").status == "withdrawn"
    [duplicate] = rules["same_source_duplicate"]["examples"]
    assert duplicate["identifiers"] == ["ISO 5000:2020"] and duplicate["sources"] == ["iso"]
    assert "stage_code=60.60" in duplicate["detail"] and "title_en=A" in duplicate["detail"]
    assert not rules["status_disagreement"]["needs_person"]
    assert code == 0  # both decided by a rule: nobody needs to act
    code, text = audit()
    assert "status_disagreement" in text and "ISO Guide 73:2009  [iso, iec]" in text
