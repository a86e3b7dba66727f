"""The policy library: search, the region and the regions above it, industry, tag, status, the
Atom feed, the API; bad filters are a clear 400."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from stdplus.programme.models import Region
from stdplus.support.models import Policy

pytestmark = pytest.mark.django_db


def policy(region, title, issued, **fields):
    return Policy.objects.create(
        title_zh=title,
        title_en=fields.pop("title_en", f"{title} (en)"),
        issuer_zh="市场监督管理局",
        issuer_en="Administration for Market Regulation",
        region=Region.objects.get(code=region),
        issued_on=dt.date.fromisoformat(issued),
        **fields,
    )


@pytest.fixture
def library(today):
    today("2025-06-01")
    return {
        "national": policy(
            "CN",
            "国家标准化发展纲要",
            "2021-10-10",
            document_number="中发〔2021〕",
            tags=["strategy"],
            summary_en="National outline for standardization development",
            summary_zh="国家标准化发展纲要摘要",
        ),
        "shenzhen": policy(
            "440300",
            "深圳市标准化资助办法",
            "2024-03-01",
            effective_on=dt.date(2024, 4, 1),
            expires_on=dt.date(2029, 3, 31),
            tags=["funding"],
            industries=["26", "39"],
            full_text="第一条 为了推动标准化工作……",
        ),
        "futian": policy(
            "440304", "福田区标准化扶持措施", "2023-01-01", expires_on=dt.date(2024, 12, 31)
        ),
        "nanshan": policy("440305", "南山区标准化扶持办法", "2025-01-01", tags=["funding"]),
        "upcoming": policy(
            "440300", "深圳市团体标准管理办法", "2025-05-01", effective_on=dt.date(2025, 9, 1)
        ),
    }


def titles(client, **params):
    data = client.get(reverse("api:support_policies"), params).json()
    return {item["title_zh"] for item in data["items"]}


def test_a_futian_enterprise_sees_its_region_and_those_above(library, client):
    assert titles(client, region="440304") == {
        "国家标准化发展纲要",
        "深圳市标准化资助办法",
        "福田区标准化扶持措施",
        "深圳市团体标准管理办法",
    }
    assert "南山区标准化扶持办法" in titles(client, region="4403") | titles(client, region="440305")


def test_industry_tag_status_and_words(library, client):
    # Policies for every industry, and those naming the enterprise's.
    assert "深圳市标准化资助办法" in titles(client, industry="2682")
    assert "深圳市标准化资助办法" not in titles(client, industry="1411")
    assert titles(client, tag="funding") == {"深圳市标准化资助办法", "南山区标准化扶持办法"}
    assert titles(client, status="expired") == {"福田区标准化扶持措施"}
    assert titles(client, status="upcoming") == {"深圳市团体标准管理办法"}
    assert "福田区标准化扶持措施" not in titles(client, status="in_force")
    assert titles(client, q="推动标准化") == {"深圳市标准化资助办法"}  # in the full text
    assert titles(client, q="outline") == {"国家标准化发展纲要"}


def test_bad_filters_are_a_clear_400(library, client):
    with translation.override("en"):
        page = client.get(reverse("support:policies"), {"region": "atlantis"})
    assert page.status_code == 400 and "Unknown region: atlantis" in page.content.decode()
    api = client.get(reverse("api:support_policies"), {"status": "cancelled"})
    assert api.status_code == 400 and api.json()["where"]["field"] == "status"


def test_the_page_its_twin_the_detail_and_the_feed(library, client):
    with translation.override("en"):
        page = client.get(reverse("support:policies"), {"region": "440304", "tag": "funding"})
    text = page.content.decode()
    assert page.status_code == 200 and "Shenzhen" in text and "深圳市标准化资助办法 (en)" in text
    twin = page.headers["Link"].split(";")[0].strip("<>")
    assert "region=440304" in twin and client.get(twin).json()["count"] == 1
    detail = client.get(library["shenzhen"].get_absolute_url())
    assert "第一条" in detail.content.decode()
    assert client.get(detail.headers["Link"].split(";")[0].strip("<>")).json()["full_text"]
    feed = client.get(reverse("support:policies-feed"), {"region": "440304"})
    assert feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert "深圳市标准化资助办法" in body and "南山区标准化扶持办法" not in body
    assert client.get(reverse("support:policy-detail", args=[999999])).status_code == 404
