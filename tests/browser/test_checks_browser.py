"""The validity check in a real Chromium: paste a list, read the coloured table, download the
XLSX and read it back, then turn the result into a watch list. Screenshots go to
artifacts/screenshots/."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from stdplus.accounts.models import Role
from stdplus.importers.services import file_import

from ..accounts.helpers import PASSWORD, OrganizationFactory, member
from ..conftest import CURATED, REPO

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = REPO / "artifacts" / "screenshots"
LIST = """GB/T 19001-2016
GB/T 19001—2000
gbt 28001-2011
YY/T 0287-2017
GB/T 18384.1-2015
GB 2760-2014
GB 19001-2016
GB/T
…按照GB/T 24001—2004和GB 4943.1—2011的要求…"""


def test_paste_check_download_and_watch(live_server, browser, tmp_path, today):
    file_import(CURATED)
    organization = OrganizationFactory(name_zh="深圳某电子有限公司")
    member(organization, Role.ADMIN, username="chen")
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{live_server.url}/account/login/")
    page.fill("#id_username", "chen")
    page.fill("#id_password", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/checks/")
    page.fill("#id_text", LIST)
    page.click("#check-form button[type=submit]")
    page.wait_for_selector("#results")
    rows = page.locator("#results tbody tr")
    assert rows.count() == 10  # the paragraph gives two identifiers
    categories = [rows.nth(i).get_attribute("data-category") for i in range(rows.count())]
    assert categories == [
        "current",
        "superseded",
        "superseded",
        "superseded",
        "superseded",
        "superseded",
        "unknown",
        "rejected",
        "superseded",
        "superseded",
    ]
    colour = rows.nth(1).evaluate("row => getComputedStyle(row).backgroundColor")
    assert colour == "rgb(255, 251, 221)"  # superseded rows are yellow
    assert "GB/T 18384.1-2015 → GB 18384-2020" in rows.nth(4).inner_text()
    page.screenshot(path=str(SHOTS / "check_result.png"), full_page=True)
    # At 1280 px no badge or date breaks over lines; on a phone the table scrolls in its box.
    page.set_viewport_size({"width": 1280, "height": 900})
    heights = page.locator("#results .badge").evaluate_all("els => els.map(e => e.offsetHeight)")
    dates = page.locator("#results time").evaluate_all("els => els.map(e => e.offsetHeight)")
    line = page.locator("#results .badge").first.evaluate(
        "e => parseFloat(getComputedStyle(e).lineHeight) || 20"
    )
    assert max(heights) < 2 * line + 8 and max(dates) < 2 * line
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 392, width  # the page itself does not scroll sideways
    page.screenshot(path=str(SHOTS / "check_result_phone.png"), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})
    # Identifiers in the results are links to their standard.
    link = rows.nth(0).locator("a code").first
    assert link.inner_text() == "GB/T 19001-2016"
    assert rows.nth(4).locator("td.chain-cell a.key").count() == 2

    page.click("a[data-category=rejected]")
    page.wait_for_url("**category=rejected")
    assert page.locator("#results tbody tr").count() == 1
    page.go_back()

    with page.expect_download() as download_info:
        page.click("#download-xlsx")
    target = tmp_path / "check.xlsx"
    download_info.value.save_as(target)
    sheet = load_workbook(target).active
    table = list(sheet.iter_rows(min_row=4, values_only=True))
    header, lines = table[0], table[1:]
    by_input = {row[header.index("Input")]: row for row in lines}
    superseded = by_input["GB/T 19001—2000"]
    assert superseded[header.index("Result")] == "Superseded"
    assert superseded[header.index("Current standard")] == "GB/T 19001-2016"
    assert len(lines) == 10

    page.fill("#watch-name", "产品引用标准")
    page.click("#make-watch-list")
    page.wait_for_selector("#watched")
    watched = page.locator("#watched").inner_text()
    assert "GB/T 45001-2020" in watched and "GB 18384-2020" in watched
    page.screenshot(path=str(SHOTS / "watch_list.png"), full_page=True)

    chinese = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    chinese.add_cookies(context.cookies())
    zh = chinese.new_page()
    zh.goto(f"{live_server.url}/checks/")
    zh.click("table.data a")
    zh.wait_for_selector("#results")
    assert "被代替 7" in zh.locator("#summary").inner_text()  # the catalog's word for superseded
    zh.screenshot(path=str(SHOTS / "check_result_zh.png"), full_page=True)
    chinese.close()
    context.close()
