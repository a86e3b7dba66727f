"""Tours of the site as each kind of user takes it: the public, an enterprise's standards
engineer, the regulator and an API client, in English and in Chinese, on a desktop and on a
phone. Each step saves a screenshot (artifacts/screenshots/tour-<persona>-<language>-<screen>-
<step>.png) and checks what a person would notice first: the page answers, it is in the language
asked for, its navigation speaks that language, and on a phone nothing is wider than the screen
(wide tables scroll inside their own box)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from stdplus.accounts.models import Role
from stdplus.importers.services import file_import
from stdplus.programme.permissions import regulator_group_ensure

from ..accounts.helpers import PASSWORD, OrganizationFactory, UserFactory, member
from ..conftest import CURATED
from ..programme.conftest import world  # noqa: F401 - the register's known records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CJK = re.compile(r"[\u4e00-\u9fff]")
LANGUAGES = {"en": ("en-US", "en"), "zh": ("zh-CN", "zh-Hans")}
SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
REFERENCES = "GB/T 19001-2016\nGB/T 19001-2000\nYY/T 0287-2017\nGB 99999-2099"


@dataclass
class Tour:
    page: object
    site: str
    persona: str
    language: str
    screen: str
    shot: object
    steps: int = 0

    def visit(self, path: str, name: str):
        response = self.page.goto(self.site + path)
        assert response is not None and response.status < 400, f"{path}: {response.status}"
        self.look(name)
        return response

    def look(self, name: str) -> None:
        """What every step checks, then a screenshot."""
        page = self.page
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == LANGUAGES[self.language][1], name
        nav = page.locator("header nav").first.inner_text()
        if self.language == "zh":
            assert CJK.search(nav), f"{name}: the navigation is not in Chinese: {nav!r}"
        else:
            assert not CJK.search(nav), f"{name}: Chinese in the English navigation: {nav!r}"
        if self.screen == "phone":
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 1, f"{name}: the page is {overflow} px wider than the phone"
        self.steps += 1
        self.shot(
            page, f"tour-{self.persona}-{self.language}-{self.screen}-{self.steps:02d}-{name}"
        )

    def log_in(self, username: str, landing: str) -> None:
        self.page.goto(self.site + "/account/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("form.stacked button[type=submit]")
        self.page.wait_for_url(f"**{landing}")


@pytest.fixture
def site(live_server, today, world):  # noqa: F811
    file_import(CURATED)
    enterprise = OrganizationFactory(name_zh="深圳某医疗器械有限公司", name_en="Shenzhen Med Co.")
    member(enterprise, Role.ADMIN, username="engineer")
    regulator = UserFactory(username="regulator", is_staff=True)
    regulator.groups.add(regulator_group_ensure())
    return live_server.url


def tour(browser, site, shot, persona, language, screen="desktop") -> Tour:
    context = browser.new_context(
        locale=LANGUAGES[language][0], viewport=SCREENS[screen], accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    return Tour(page, site, persona, language, screen, shot)


def on_each_screen(t: Tour):
    """The same tour on a desktop, then on a phone: one session, the window resized."""
    for screen in SCREENS:
        t.screen, t.steps = screen, 0
        t.page.set_viewport_size(SCREENS[screen])
        yield screen


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_public(browser, site, shot, language):
    t = tour(browser, site, shot, "public", language)
    for _screen in on_each_screen(t):
        t.visit("/", "home")
        query = "质量管理" if language == "zh" else "quality management"
        t.visit(f"/search/?q={query}", "search")
        assert t.page.locator("ol.hits li").count() >= 1
        t.page.locator("ol.hits li a.id").first.click()
        t.page.wait_for_url(re.compile(r"/standards/"))
        t.look("detail")
        t.visit("/classes/ics/", "ics")
        t.visit("/bodies/", "bodies")
        t.visit("/changes/", "changes")
        missing = t.page.goto(site + "/standards/GB%2099999-2099/")
        assert missing.status == 404
        t.look("not-found")
        t.visit("/stats/?region=4403&year=2018", "dashboard")
    t.page.context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_enterprise_engineer(browser, site, shot, language):
    t = tour(browser, site, shot, "engineer", language)
    t.log_in("engineer", "/checks/")
    for _screen in on_each_screen(t):
        t.visit("/checks/", "checks")
        t.page.fill("#id_text", REFERENCES)
        t.page.click("#check-form button[type=submit]")
        t.page.wait_for_selector("#results")
        assert t.page.locator("#results tbody tr").count() == 4
        t.look("results")
        with t.page.expect_download() as download:
            t.page.locator("a[href$='export.xlsx']").first.click()
        assert download.value.suggested_filename.endswith(".xlsx")
        t.visit("/watch/", "watch-lists")
        t.visit("/watch/inbox/", "inbox")
        t.visit("/account/", "account")
    t.page.context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_regulator(browser, site, shot, language):
    t = tour(browser, site, shot, "regulator", language)
    t.log_in("regulator", "/")
    for _screen in on_each_screen(t):
        t.visit("/stats/?region=4403&year=2018", "dashboard")
        t.page.locator('a.figure[data-figure="participation"]').click()
        t.page.wait_for_url(re.compile(r"/stats/records/"))
        t.look("records")
        t.visit("/programme/", "register")
        t.visit("/programme/pilots/", "pilots")
        t.visit("/programme/funding/", "funding")
        t.visit("/catalog/audit/", "audit")
        t.visit("/stats/report/", "report")
    t.page.context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_api_client(browser, site, shot, language):
    t = tour(browser, site, shot, "api", language, "desktop")
    t.page.goto(site + "/api/v1/docs")
    t.page.wait_for_selector("text=/standards", timeout=20_000)
    t.shot(t.page, f"tour-api-{language}-desktop-01-docs")
    answer = t.page.request.get(
        site + "/api/v1/standards?q=GB/T%2019001",
        headers={"Accept-Language": LANGUAGES[language][0]},
    )
    assert answer.status == 200
    assert answer.json()["items"][0]["identifier"].startswith("GB/T 19001")
    error = t.page.request.get(
        site + "/api/v1/standards/GB%2099999-2099",
        headers={"Accept-Language": LANGUAGES[language][0]},
    )
    assert error.status == 404
    message = error.json()["message"]
    assert bool(CJK.search(message)) == (language == "zh"), message
    t.page.context.close()
