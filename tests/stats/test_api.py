"""The same figures on the page, in the JSON API and behind every link."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_api_figures_link_to_lists_of_the_same_size(world, client):
    payload = client.get("/api/v1/stats/indicators", {"region": "4403", "year": 2018}).json()
    figures = {f["key"]: f for f in payload["figures"]}
    assert figures["participation"]["value"] == 4 and figures["participation"]["previous"] == 1
    assert payload["region"]["code"] == "440300" and payload["period"]["label"] == "2018"
    for figure in payload["figures"]:
        listed = client.get(figure["api"]).json()
        assert listed["count"] == figure["value"], figure["key"]
        for values in figure["splits"].values():
            for split in values:
                page = client.get(split["href"] + "&format=json", follow=True)
                assert page.json()["count"] == split["count"], split["href"]
    children = {row["code"]: row for row in payload["by_child"]}
    nanshan = children["440305"]["figures"]["participation"]
    assert nanshan["value"] == 3
    assert client.get(nanshan["href"] + "&format=json", follow=True).json()["count"] == 3
    assert [row["field"] for row in payload["ics"]] == ["03", "35"]


def test_html_dashboard_and_records(world, client):
    page = client.get(reverse("stats:dashboard"), {"region": "440305", "year": 2018})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-figure="participation">3<' in html
    assert "echarts.min.js" in html and not re.search(
        r"(src|href)=\"(https?:)?//", html
    )  # assets are our own, no CDN
    assert "data-demo-banner" not in html
    records = client.get(
        reverse("stats:records", args=["participation"]), {"region": "440305", "year": 2018}
    )
    text = records.content.decode()
    assert "ISO 91001:2018" in text and "GB/T 90001-2018" in text and "YY/T 90002-2018" not in text
    assert client.get(reverse("stats:records", args=["nothing"])).status_code == 404
    assert client.get(reverse("stats:dashboard"), {"region": "nowhere"}).status_code == 404


def test_demo_rows_show_the_banner(world, client):
    world.parts.a1.demo = True
    world.parts.a1.save()
    html = client.get(reverse("stats:dashboard"), {"region": "4403", "year": 2018}).content.decode()
    assert "data-demo-banner" in html
    real = client.get(
        "/api/v1/stats/indicators", {"region": "4403", "year": 2018, "data": "real"}
    ).json()
    assert real["demo_data_present"] and real["real_only"]


def test_funding_rows_hide_who_was_not_funded(world, client):
    import datetime as dt

    from stdplus.programme.models import FundingScheme, Participation
    from stdplus.programme.services.funding import application_decide, application_submit
    from tests.programme.factories import evidence_complete, standards

    scheme = FundingScheme.objects.get(code="SZ-2024")
    std = standards(("GB/T 96001-2024", "2024-02-01"), ("GB/T 96002-2024", "2024-02-01"))
    item = scheme.item_types.get(code="national-part")
    applications = []
    for key in std:
        participation = Participation.objects.create(
            organization=world.nanshan, standard=std[key], role="drafter"
        )
        applications.append(
            application_submit(
                scheme=scheme,
                item_type=item,
                organization=world.nanshan,
                participation=participation,
                amount_requested=200_000,
                submitted_on=dt.date(2024, 3, 1),
            )
        )
    evidence_complete(applications[0])
    application_decide(application=applications[0], approve=True, amount_awarded=150_000)
    payload = client.get("/api/v1/stats/indicators", {"region": "440305", "year": 2024}).json()
    funding = next(f for f in payload["figures"] if f["key"] == "funding")
    assert funding["value"] == 2 and funding["amounts"] == {
        "requested": 400_000,
        "awarded": 150_000,
        "awarded_previous": 0,
        "awarded_href": funding["amounts"]["awarded_href"],
    }
    rows = client.get("/api/v1/stats/records/funding", {"region": "440305", "year": 2024}).json()[
        "results"
    ]
    shown = {row["state"]: row["organization"] for row in rows}
    assert shown["approved"] == str(world.nanshan) and shown["submitted"] is None


VERSION_QUERIES = 2  # the catalog's generation, the register's version


def test_record_lists_do_not_grow_queries_with_rows(world, client, django_assert_max_num_queries):
    for key in ("participation", "experts", "pilots", "bodies", "funding", "group"):
        with django_assert_max_num_queries(12 + VERSION_QUERIES):
            assert (
                client.get(
                    f"/api/v1/stats/records/{key}", {"region": "4403", "year": 2018}
                ).status_code
                == 200
            )


def test_one_level_has_one_colour_in_every_chart(world, client):
    import json

    from stdplus.catalog.choices import Level
    from stdplus.stats.colours import LEVEL_COLOURS
    from stdplus.stats.report import svg_bars

    html = client.get(reverse("stats:dashboard"), {"region": "4403", "year": 2018}).content
    found = re.search(
        r'<script id="chart-data" type="application/json">(.*?)</script>', html.decode()
    )
    data = json.loads(found.group(1))
    names = {str(label): key for key, label in Level.choices}
    trend = {s["name"]: s["color"] for s in data["trend"]["series"]}
    pie = dict(zip(data["levels"]["names"], data["levels"]["colors"], strict=True))
    assert len(trend) >= 2 and set(pie) & set(trend)
    for name, colour in [*trend.items(), *pie.items()]:
        assert colour == LEVEL_COLOURS[names[name]], name
    # The report's SVG draws each series in the colour given, not by its position.
    svg = svg_bars(["2018"], [("a", [1]), ("b", [2])], colours=["#111111", "#222222"])
    assert 'fill="#111111"' in svg and 'fill="#222222"' in svg
