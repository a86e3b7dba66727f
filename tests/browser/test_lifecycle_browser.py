"""Lifecycles in a real Chromium, in both languages: the regulator sees a pilot's next steps and
takes one from the page; the public sees the same page without the forms, with the reasons."""

import pytest
from django.contrib.auth.models import Group, User

from stdplus.programme.permissions import REGULATOR_GROUP
from tests.programme.conftest import world  # noqa: F401 - the known records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-regulator-12345"


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/account/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")


def test_the_regulator_takes_a_step_and_the_public_reads_the_history(
    world,  # noqa: F811
    live_server,
    browser,
    shot,
):
    user = User.objects.create_user("zhang", password=PASSWORD)
    user.groups.add(Group.objects.get(name=REGULATOR_GROUP))
    pilot = world.pilots.running
    url = f"{live_server.url}/programme/pilots/{pilot.pk}/"

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    _login(page, live_server.url, "zhang")
    page.goto(url)
    panel = page.locator("section.lifecycle")
    assert "状态与后续步骤" in panel.inner_text()
    assert panel.get_attribute("data-state") == "in_progress"
    form = page.locator('form[data-step="submit_for_evaluation"]')
    assert "提交评估" in form.inner_text()
    # Sending back needs a reason: the browser itself asks for the note.
    assert (
        page.locator('form[data-step="terminate"] input[name="note"]').get_attribute("required")
        is not None
    )
    shot(page, "lifecycle-pilot-zh")
    form.locator('input[name="on"]').fill("2018-09-01")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "已完成“提交评估”" in page.locator("ul.messages").inner_text()
    assert page.locator("section.lifecycle").get_attribute("data-state") == "under_evaluation"
    last = page.locator("table.history tbody tr").last
    assert last.get_attribute("data-event") == "submit_for_evaluation"
    assert "2018-09-01" in last.inner_text() and "zhang" in last.inner_text()
    # A step the table refuses is explained, not offered: completing needs a passing result.
    complete = page.locator('form[data-step="complete"]')
    assert complete.locator('select[name="evaluation_result"] option').count() == 2
    context.close()

    public = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 1000})
    page = public.new_page()
    page.goto(url)
    assert page.locator("section.lifecycle form").count() == 0
    refused = page.locator("li[data-refused]").first.inner_text()
    assert "Only regulator staff" in refused
    history = page.locator("table.history").inner_text()
    assert "Submit for evaluation" in history and "Start work" in history
    assert (
        page.locator('link[rel="alternate"]')
        .get_attribute("href")
        .endswith(f"/api/v1/programme/pilots/{pilot.pk}")
    )
    shot(page, "lifecycle-pilot-en-public")
    public.close()
