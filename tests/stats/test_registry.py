"""Figures register themselves; the API, the JSON twins and the pages share declared shapes."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from stdplus.catalog.choices import Level
from stdplus.catalog.models import Standard
from stdplus.stats.indicators import INDICATORS, Indicator, families
from stdplus.stats.indicators.standards import StandardsIndicator, standards_in_period
from stdplus.stats.schemas import DashboardOut, RecordsOut

pytestmark = pytest.mark.django_db

SHENZHEN_2018 = {"region": "4403", "year": 2018}


@pytest.fixture
def throwaway():
    """A figure added the way a new one is: one class, nothing else."""

    class InternationalIndicator(StandardsIndicator):
        key = "international_throwaway"
        order = 15
        label = "International standards of the period"
        short_label = "International"
        unit = "editions"

        def base(self, scope):
            queryset = Standard.objects.filter(level=Level.INTERNATIONAL)
            return standards_in_period(queryset, scope.period)

    yield INDICATORS["international_throwaway"]
    INDICATORS.unregister("international_throwaway")


def test_a_new_indicator_class_is_a_new_figure_everywhere(world, client, throwaway):
    assert list(INDICATORS)[:3] == ["participation", "international_throwaway", "participation_led"]
    payload = client.get("/api/v1/stats/indicators", SHENZHEN_2018).json()
    figure = next(f for f in payload["figures"] if f["key"] == "international_throwaway")
    assert figure["value"] == 2  # ISO 91001:2018 and ISO 91002:2018
    assert figure["previous"] == 0 and figure["label"] == "International standards of the period"
    listed = client.get(figure["api"]).json()
    assert listed["count"] == 2 and {row["type"] for row in listed["results"]} == {"standard"}
    assert all("international_throwaway" in row["figures"] for row in payload["by_child"])
    page = client.get(figure["href"])
    assert page.status_code == 200 and "ISO 91002:2018" in page.content.decode()
    html = client.get(reverse("stats:dashboard"), SHENZHEN_2018).content.decode()
    assert 'data-figure="international_throwaway">2<' in html
    assert 'data-child-figure="international_throwaway"' in html


def test_keys_are_unique_and_rows_declared():
    with pytest.raises(ImproperlyConfigured, match="two indicators have the key 'participation'"):

        class Again(StandardsIndicator):
            key = "participation"

    with pytest.raises(ImproperlyConfigured, match="names no row schema"):

        class Shapeless(Indicator):
            key = "shapeless_throwaway"

    assert INDICATORS["participation"].__class__.__name__ == "ParticipationIndicator"
    assert "shapeless_throwaway" not in INDICATORS


def test_every_family_module_registers_its_figures():
    modules = {type(indicator).__module__.rsplit(".", 1)[1] for indicator in INDICATORS.values()}
    assert modules == set(families())
    assert set(families()) == {
        "development",
        "funding",
        "issued",
        "participation",
        "people",
        "pilots",
        "selfdeclared",
        "training",
    }
    assert len(INDICATORS) == 18


def test_json_twins_are_the_api_answers(world, client):
    api = client.get("/api/v1/stats/indicators", SHENZHEN_2018)
    twin = client.get(reverse("stats:dashboard"), {**SHENZHEN_2018, "format": "json"}, follow=True)
    assert twin.json() == api.json()
    DashboardOut.model_validate(api.json())
    for key in INDICATORS:
        params = {**SHENZHEN_2018, "page": 1}
        api = client.get(f"/api/v1/stats/records/{key}", params).json()
        twin = client.get(
            reverse("stats:records", args=[key]), {**params, "format": "json"}, follow=True
        )
        assert twin.json() == api, key
        RecordsOut.model_validate(api)
    level = client.get(
        reverse("stats:records", args=["participation"]),
        {**SHENZHEN_2018, "level": "international", "format": "json"},
        follow=True,
    ).json()
    assert level["filters"] == {"level": "international"} and level["count"] == 2


def test_pages_link_to_their_json(world, client):
    page = client.get(reverse("stats:dashboard"), SHENZHEN_2018)
    assert page["Link"].startswith("</api/v1/stats/indicators?region=4403&year=2018>")
    assert 'rel="alternate"' in page["Link"]
    records = client.get(reverse("stats:records", args=["bodies"]), SHENZHEN_2018)
    assert "/api/v1/stats/records/bodies?" in records["Link"]
    assert 'href="/api/v1/stats/records/bodies?' in records.content.decode()


def test_the_openapi_document_declares_every_row(client):
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert {"DashboardOut", "RecordsOut", "FigureOut"} <= set(schemas)
    rows = schemas["RecordsOut"]["properties"]["results"]["items"]
    named = {ref["$ref"].rsplit("/", 1)[1] for ref in rows["oneOf"]}
    assert named == {
        "StandardRow",
        "BodyRow",
        "ExpertRow",
        "PilotRow",
        "FundingRow",
        "DeclarationRow",
        "DevelopmentRow",
        "TrainingSessionRow",
        "TraineeRow",
        "TrainingCertificateRow",
    }
    assert rows["discriminator"]["propertyName"] == "type"


def test_bad_parameters_are_named(world, client):
    missing = client.get("/api/v1/stats/records/nothing", SHENZHEN_2018)
    assert missing.status_code == 404 and missing.json()["code"] == "figure"
    nowhere = client.get("/api/v1/stats/indicators", {"region": "nowhere"})
    assert nowhere.status_code == 404 and nowhere.json()["where"] == {"field": "region"}
    far = client.get("/api/v1/stats/indicators", {"region": "4403", "year": 3000})
    assert far.status_code == 400 and "3000" in far.json()["message"]
    zh = client.get(
        "/api/v1/stats/indicators", {"region": "nowhere"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert zh.json()["message"] == "没有代码为 nowhere 的地区。"
    for page in ("-1", "0", str(2**63), "x"):
        answer = client.get(reverse("stats:records", args=["participation"]), {"page": page})
        assert answer.status_code == 200, page


def test_rows_without_a_template_show_as_a_plain_table(world, client):
    from typing import ClassVar

    from stdplus.stats.indicators import StandardRow

    class PlainRow(StandardRow):
        template: ClassVar[str] = ""

    class PlainIndicator(StandardsIndicator):
        key = "plain_throwaway"
        label = "Plain"
        row_schema = PlainRow

        def base(self, scope):
            return standards_in_period(Standard.objects.filter(level=Level.GROUP), scope.period)

    try:
        page = client.get(reverse("stats:records", args=["plain_throwaway"]), SHENZHEN_2018)
        html = page.content.decode()
        assert page.status_code == 200
        assert '<th scope="col">canonical</th>' in html and "<td>T/SZAS 90005-2018</td>" in html
    finally:
        INDICATORS.unregister("plain_throwaway")
