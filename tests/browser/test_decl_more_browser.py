"""Part B in a real Chromium, in both languages: a catalog change (a real import of a new
edition) raises a finding on the declaration citing the old edition and an alert in its
enterprise's inbox; the public finds the declaration by district and category and exports the
results as CSV."""

import datetime as dt
from pathlib import Path

import pytest

from stdplus.catalog.services import RelationIn, StandardIn, standards_import
from stdplus.core.lifecycle import transition_apply
from stdplus.declarations.services import declaration_create, product_add, standard_cite
from stdplus.watch.alerts import alerts_process
from tests.declarations.conftest import (
    CURRENT_MANDATORY,
    CURRENT_RECOMMENDED,
    make_catalog,
    make_enterprise,
    make_member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "x-very-secret-1"
WORDS = {
    "en": {"locale": "en-US", "finding": "superseded by GB/T 97100-2025", "alert": "replaced"},
    "zh-hans": {"locale": "zh-CN", "finding": "已被 GB/T 97100-2025 代替", "alert": "代替"},
}


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/account/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_catalog_change_alerts_and_the_public_exports(live_server, browser, shot, language):
    words = WORDS[language]
    make_catalog()
    enterprise = make_enterprise("深圳市复查电器有限公司")
    member = make_member(enterprise)
    declaration = declaration_create(enterprise=enterprise, user=member)
    product = product_add(
        declaration=declaration, user=member, values={"name": "电热水壶", "category": "3854"}
    )
    standard_cite(product=product, user=member, text=CURRENT_MANDATORY)
    standard_cite(product=product, user=member, text=CURRENT_RECOMMENDED)
    transition_apply(declaration, "declare", actor=member, data={"commitment": "yes"})
    alerts_process()

    # The catalog changes: a real import of a new edition replacing the cited one.
    standards_import(
        records=[
            StandardIn(
                "GB/T 97100-2025",
                row=1,
                title_en="New edition",
                status_word="current",
                published=dt.date(2025, 3, 1),
                relations=[RelationIn("replaces", CURRENT_RECOMMENDED)],
            )
        ],
        source="test",
        path="change.jsonl",
    )
    alerts_process()

    context = browser.new_context(locale=words["locale"], viewport={"width": 1280, "height": 1200})
    page = context.new_page()
    _login(page, live_server.url, member.username)
    page.goto(f"{live_server.url}{declaration.get_absolute_url()}")
    finding = page.locator('#recheck li.finding[data-code="standard_superseded"]')
    assert words["finding"] in finding.inner_text()
    shot(page, f"decl-more-finding-{language}")
    page.goto(f"{live_server.url}/watch/inbox/")
    body = page.locator("main").inner_text()
    assert "GB/T 97100-2025" in body and words["alert"] in body
    shot(page, f"decl-more-alert-{language}")
    context.close()

    # The public, no login: search by district and category, then export what it found.
    public = browser.new_context(
        locale=words["locale"], viewport={"width": 1280, "height": 1000}, accept_downloads=True
    )
    page = public.new_page()
    page.goto(f"{live_server.url}/declarations/")
    page.fill("#q-district", "4403")
    page.select_option("#q-category", "3854")
    with page.expect_navigation():
        page.locator("form.lookup button[type=submit]").click()
    row = page.locator(f'tr[data-declaration="{declaration.pk}"]')
    assert enterprise.credit_code in row.inner_text()
    shot(page, f"decl-more-search-{language}")
    with page.expect_download() as download:
        page.click("#export-csv")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert enterprise.credit_code in text and "电热水壶" in text
    header = text.splitlines()[0]
    assert ("Enterprise" in header) if language == "en" else ("企业" in header)
    public.close()
