"""The catalog's new pages in Chromium: CCS groups, a local standard's region, the staff audit,
the site's 404; in both languages, with screenshots."""

import pytest

from stdplus.importers.services import file_import

from ..search.conftest import load_catalog
from .test_pages import new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, today, write_jsonl):
    load_catalog(write_jsonl)
    file_import(
        write_jsonl(
            [
                {
                    "id": "YY/T 9001-2020",
                    "title_zh": "医用示例",
                    "status": "current",
                    "ccs": ["C30"],
                },
                {"id": "DB4403/T 300-2022", "title_zh": "深圳地方标准示例", "status": "current"},
                {
                    "id": "ISO 9001:2015",
                    "status": "current",
                    "published": "2015-09-15",
                    "replaces": "GB/T 19001-2016",
                },
            ],
            name="truth.jsonl",
        )
    )
    return live_server.url


def test_ccs_groups_regions_audit_and_404(browser, site, shot, django_user_model):
    page = new_page(browser, locale="zh-CN")
    page.goto(site + "/classes/ccs/C/")
    page.click("text=C30/49")
    assert "/classes/ccs/C30/49/" in page.url
    assert page.locator("h1").inner_text().startswith("CCS C30/49")
    shot(page, "ccs-group-zh")

    page.goto(site + "/standards/DB4403/T 300-2022/")
    assert "深圳市 (4403)" in page.locator("dl.fields").inner_text()
    shot(page, "local-standard-region-zh")

    page.goto(site + "/no-such-page/GB-T-19001/")
    assert page.locator("h1").inner_text() == "页面没有找到"
    assert page.locator("#q").input_value() == "GB T 19001"
    shot(page, "not-found-zh")

    django_user_model.objects.create_user("staff", password="pw-12345678", is_staff=True)
    english = new_page(browser)
    english.goto(site + "/account/login/?next=/catalog/audit/")
    english.fill("input[name=username]", "staff")
    english.fill("input[name=password]", "pw-12345678")
    english.click("main form button[type=submit]")
    english.wait_for_url("**/catalog/audit/")
    assert "Catalog audit" in english.locator("h1").inner_text()
    assert english.locator("#contradiction").count() == 1
    shot(english, "catalog-audit-en")
