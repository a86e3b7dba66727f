"""The Content-Security-Policy breaks no page: every page of the site, with its scripts (htmx,
ECharts, the dashboard, Swagger UI, the admin), loads in Chromium without one violation."""

import pytest

from tests.programme.conftest import world  # noqa: F401 - the region's known records

from ..accounts.helpers import member, org_a  # noqa: F401
from ..search.conftest import load_catalog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Recorded in the page before any of its own scripts run (init scripts are not subject to CSP).
LISTEN = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""

PAGES = [
    "/",
    "/search/?q=quality+management",
    "/standards/YY/T%200287-2017/",
    "/bodies/",
    "/classes/ics/",
    "/stats/?region=4403&year=2018",
    "/api/v1/docs",
    "/admin/login/",
    "/account/login/",
    "/account/signup/",
    "/account/",
    "/checks/",
]


def test_no_page_violates_the_policy(browser, live_server, today, write_jsonl, world, org_a):  # noqa: F811
    load_catalog(write_jsonl)
    person = member(org_a, username="csp")
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.set_default_timeout(15_000)
    console = []
    page.on("console", lambda message: console.append(message.text))

    page.goto(live_server.url + "/account/login/")
    page.fill("#id_username", person.username)
    page.fill("#id_password", "correct horse battery staple 42")
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()

    found = {}
    for path in PAGES:
        response = page.goto(live_server.url + path)
        assert response.status < 400, path
        assert "Content-Security-Policy" in {k.title() for k in response.headers} or (
            "content-security-policy" in response.headers
        ), path
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__violations")
        if violations:
            found[path] = violations
    assert page.goto(live_server.url + "/stats/?region=4403&year=2018")
    assert page.locator("#chart-trend svg").count() == 1  # ECharts still draws
    assert not found, found
    assert not [text for text in console if "Content Security Policy" in text], console
    context.close()
