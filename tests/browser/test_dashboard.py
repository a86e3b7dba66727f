"""The dashboard in a real Chromium: change region and year, click a figure, land on its list."""

from pathlib import Path

import pytest

from tests.programme.conftest import world  # noqa: F401 - the known records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture
def page(browser):
    """A desktop tab of the session's one browser (tests/browser/conftest.py)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="en-US")
    tab = context.new_page()
    yield tab
    context.close()


def figure(page, key: str) -> str:
    return page.locator(f'a.figure[data-figure="{key}"]').inner_text().strip()


def test_change_region_and_year_then_open_a_figure(world, live_server, page):  # noqa: F811
    page.goto(f"{live_server.url}/stats/?region=4403&year=2018")
    assert figure(page, "participation") == "4"
    assert page.locator("#chart-trend svg").count() == 1  # ECharts drew the trend
    page.screenshot(path=str(SHOTS / "dashboard_shenzhen_2018.png"), full_page=True)

    with page.expect_navigation():
        page.select_option("#region", "440305")
    assert "Nanshan" in page.locator("[data-region-name]").inner_text()
    assert figure(page, "participation") == "3"

    with page.expect_navigation():
        page.select_option("#year", "2017")
    assert page.locator("[data-period]").inner_text() == "2017"
    assert figure(page, "participation") == "1"

    with page.expect_navigation():
        page.select_option("#year", "2018")
    page.screenshot(path=str(SHOTS / "dashboard_nanshan_2018.png"), full_page=True)

    with page.expect_navigation():
        page.click('a.figure[data-figure="participation"]')
    assert page.locator("[data-records]").get_attribute("data-records") == "participation"
    assert page.locator("[data-count]").inner_text() == "3"
    body = page.locator("table.records").inner_text()
    assert "ISO 91001:2018" in body and "GB/T 90001-2018" in body and "YY/T 90002-2018" not in body
    page.screenshot(path=str(SHOTS / "records_nanshan_2018.png"), full_page=True)
