"""A long job from the web in a real Chromium: the regulator asks for the annual report, the job's
page follows it with htmx (waiting, then the progress the worker reports, then done) and the
report downloads. The worker is played by the test, so that each state can be seen."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from openpyxl import load_workbook

from stdplus.core import jobs
from stdplus.core.models import Job
from stdplus.programme.permissions import REGULATOR_GROUP
from tests.programme.conftest import world  # noqa: F401 - the known records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-regulator-12345"


def test_the_regulator_starts_the_report_follows_it_and_downloads_it(
    world,  # noqa: F811
    live_server,
    browser,
    shot,
    settings,
    tmp_path,
    monkeypatch,
):
    settings.STDPLUS_JOB_FILES = tmp_path / "jobs"
    queued: list[int] = []
    monkeypatch.setattr(jobs, "job_run", queued.append)  # the worker runs it when the test says
    user = User.objects.create_user("zhang", password=PASSWORD)
    user.groups.add(Group.objects.get(name=REGULATOR_GROUP))

    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/account/login/")
    page.fill("#id_username", "zhang")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")
    page.goto(f"{live_server.url}/stats/report/")
    page.fill("#id_region", "4403")
    page.select_option("#id_year", "2018")
    page.select_option("#id_format", "xlsx")
    page.select_option("#id_language", "en")
    with page.expect_navigation():
        page.click("#report-form button[type=submit]")
    job = Job.objects.get(name="stats.report")
    assert page.url.endswith(f"/jobs/{job.pk}/") and queued == [job.pk]
    status = page.locator("#job-status")
    assert status.get_attribute("data-state") == "queued"
    assert "Waiting for the worker" in status.inner_text()

    # The worker has started and reports how far it is: the page shows it without a reload.
    Job.objects.filter(pk=job.pk).update(state=Job.RUNNING)
    jobs.job_progress(job, 1, 4, "figures")
    page.wait_for_selector("#job-percent", timeout=10_000)
    assert page.locator("#job-percent").inner_text() == "25%"
    assert page.locator("#job-progress").get_attribute("value") == "1"
    shot(page, "job-report-progress")

    Job.objects.filter(pk=job.pk).update(state=Job.QUEUED)
    assert jobs.job_execute(job.pk)
    page.wait_for_selector("#job-download", timeout=15_000)
    assert page.locator("#job-status").get_attribute("data-state") == "done"
    assert "stdplus-report-440300-2018-en.xlsx" in page.locator("#job-download").inner_text()
    shot(page, "job-report-done")
    with page.expect_download() as download_info:
        page.click("#job-download")
    target = tmp_path / "report.xlsx"
    download_info.value.save_as(target)
    book = load_workbook(target)
    assert "Figures" in book.sheetnames
    # The page stopped polling once the job was done.
    assert page.locator("#job-status").get_attribute("hx-trigger") is None

    # Another person does not see the job.
    User.objects.create_user("li", password=PASSWORD)
    other = browser.new_context()
    stranger = other.new_page()
    stranger.goto(f"{live_server.url}/account/login/")
    stranger.fill("#id_username", "li")
    stranger.fill("#id_password", PASSWORD)
    with stranger.expect_navigation():
        stranger.click("form.stacked button[type=submit]")
    answer = stranger.goto(f"{live_server.url}/jobs/{job.pk}/")
    assert answer is not None and answer.status == 404
    other.close()
    context.close()
