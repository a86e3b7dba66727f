"""Search in Chinese and English, click a facet, open a standard, follow its replacement chain,
switch language; with and without JavaScript; on a desktop and a phone-sized screen."""

import re

import pytest

from ..search.conftest import load_catalog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, today, write_jsonl):
    load_catalog(write_jsonl)
    return live_server.url


def new_page(browser, *, locale="en-US", phone=False, javascript=True):
    context = browser.new_context(
        locale=locale,
        java_script_enabled=javascript,
        viewport={"width": 390, "height": 844} if phone else {"width": 1280, "height": 900},
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_search_facet_detail_chain_and_language(browser, site, shot):
    page = new_page(browser)
    page.goto(site + "/")
    shot(page, "home-en")
    page.fill("#q", "quality management")
    page.click("form[role=search] button")
    page.wait_for_url(re.compile(r"/search/\?q=quality"))
    assert page.locator("ol.hits li").count() >= 4
    assert page.locator("ol.hits mark").first.inner_text().lower().startswith("quality")
    shot(page, "search-en")

    # A facet click: htmx swaps the results in place and pushes the URL.
    page.locator("a[data-facet=level]", has_text="Industry").click()
    page.wait_for_url(re.compile(r"level=industry"))
    page.wait_for_function("document.querySelectorAll('ol.hits li').length === 1")
    assert page.locator("ol.hits li a.id").inner_text() == "YY/T 0287-2017"
    shot(page, "search-facet-en")

    # The standard, and along its replacement chain to the one in force.
    page.locator("ol.hits li a.id").click()
    page.wait_for_url(re.compile(r"/standards/YY/T%200287-2017/"))
    assert "Superseded" in page.locator("h1").inner_text()
    shot(page, "detail-en")
    page.locator("#chain ~ ol.chain a", has_text="GB/T 42061-2022").click()
    page.wait_for_url(re.compile(r"/standards/GB/T%2042061-2022/"))
    assert "Current" in page.locator("h1").inner_text()

    # Switch language: the choice is remembered on the next page.
    page.select_option("#language", "zh-hans")
    page.click("form.lang button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert "现行" in page.locator("h1").inner_text()
    shot(page, "detail-zh")
    page.goto(site + "/search/?q=质量管理")
    assert page.locator("#results h2.summary").inner_text().endswith("项标准")
    page.context.close()


def test_chinese_by_browser_language_and_on_a_phone(browser, site, shot):
    page = new_page(browser, locale="zh-CN", phone=True)
    page.goto(site + "/")
    assert "检索标准" in page.content()
    page.fill("#q", "质量管理")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"/search/"))
    hits = page.locator("ol.hits li a.id").all_inner_texts()
    assert hits[:2] in (
        ["GB/T 42061-2022", "GB/T 19001-2016"],
        ["GB/T 19001-2016", "GB/T 42061-2022"],
    )
    assert page.locator("ol.hits mark").first.inner_text() == "质量管理"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the results page scrolls sideways on a phone"
    shot(page, "search-zh-phone")
    page.goto(site + "/standards/GB/T 19001-2016/")
    shot(page, "detail-zh-phone")
    page.goto(site + "/classes/ics/03.120/")
    shot(page, "ics-zh-phone")
    page.goto(site + "/classes/ics/")
    fields = page.locator("main").inner_text()
    assert "信息技术" in fields and "医药卫生技术" in fields, "ICS fields named in Chinese"
    shot(page, "ics-fields-zh-phone")
    page.context.close()


def test_works_without_javascript(browser, site, shot):
    page = new_page(browser, javascript=False)
    page.goto(site + "/search/?q=gbt19001")
    assert "Editions of GB/T 19001" in page.content()
    page.locator("a[data-facet=status]", has_text="Superseded").click()
    page.wait_for_url(re.compile(r"status=superseded"))
    assert page.locator("ol.hits li a.id").all_inner_texts() == [
        "GB/T 19001-2008",
        "GB/T 19001-2000",
    ]
    page.fill("#q", "GB/T 19001—2008")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"/standards/GB/T%2019001-2008/"))
    page.goto(site + "/bodies/")
    shot(page, "bodies-en")
    page.goto(site + "/classes/ccs/")
    shot(page, "ccs-en")
    page.goto(site + "/api/v1/docs")
    page.context.close()


def test_keyboard_reaches_the_search_box_and_focus_is_visible(browser, site):
    page = new_page(browser)
    page.goto(site + "/search/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    for _ in range(30):  # past the skip link, the navigation and the language switch
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.context.close()
