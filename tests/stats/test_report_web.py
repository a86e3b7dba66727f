"""The annual report from the web: a regulator chooses region, year, format and language, the
report is made as a background job, and its page offers the file; others may not start it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from openpyxl import load_workbook

from stdplus.core.jobs import job_result_file
from stdplus.core.models import Job
from stdplus.programme.permissions import REGULATOR_GROUP
from tests.accounts.helpers import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _job_files(settings, tmp_path):
    settings.STDPLUS_JOB_FILES = tmp_path / "jobs"


@pytest.fixture
def regulator(db):
    user = UserFactory(username="regulator")
    user.groups.add(Group.objects.get(name=REGULATOR_GROUP))
    return user


def start(client, django_capture_on_commit_callbacks, **form):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("stats:report"), form)


def test_a_regulator_makes_the_report_and_downloads_it(
    world, regulator, client, django_capture_on_commit_callbacks
):
    client.force_login(regulator)
    page = client.get(reverse("stats:report"))
    assert page.status_code == 200 and b'id="report-form"' in page.content
    answer = start(
        client,
        django_capture_on_commit_callbacks,
        region="4403",
        year="2018",
        format="xlsx",
        language="en",
    )
    job = Job.objects.get(name="stats.report")
    assert answer.status_code == 302 and answer["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.state == Job.DONE and job.started_by == regulator
    assert job.params["region"] == "440300" and job.params["year"] == 2018
    html = client.get(answer["Location"]).content.decode()
    assert "stdplus-report-440300-2018-en.xlsx" in html
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    book = load_workbook(job_result_file(job))
    sheet = book["Figures"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=3) if row[0].value}
    assert rows["Standards participated in"][1].value == 4
    assert rows["Standards participated in"][1].number_format == "#,##0"
    link = rows["Standards participated in"][4].hyperlink.target
    assert link.startswith("http") and "/stats/records/participation/" in link
    # Display names, never internal keys, in every sheet.
    texts = " ".join(
        str(cell)
        for worksheet in book.worksheets
        for row in worksheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )
    for key in ("participation_led", "national_tc", "vice_chair", "funding_requested"):
        assert key not in texts
    assert any(name.startswith("Participated") for name in book.sheetnames)
    # The regulator's list of recent reports links to the job.
    assert (
        reverse("jobs:detail", args=[job.pk])
        in client.get(reverse("stats:report")).content.decode()
    )


def test_the_html_report_in_chinese(world, regulator, client, django_capture_on_commit_callbacks):
    client.force_login(regulator)
    start(
        client,
        django_capture_on_commit_callbacks,
        region="4403",
        year="2018",
        format="html",
        language="zh-hans",
    )
    job = Job.objects.get(name="stats.report")
    html = job_result_file(job).read_text(encoding="utf-8")
    assert job_result_file(job).name == "stdplus-report-440300-2018-zh-hans.html"
    assert "深圳市" in html and "ISO 91001:2018" in html


def test_a_bad_region_or_year_is_named_and_starts_nothing(
    world, regulator, client, django_capture_on_commit_callbacks
):
    client.force_login(regulator)
    answer = start(
        client,
        django_capture_on_commit_callbacks,
        region="9999",
        year="2018",
        format="pdf",
        language="en",
    )
    assert answer.status_code == 400
    assert "There is no region with the code 9999." in answer.content.decode()
    answer = start(
        client, django_capture_on_commit_callbacks, region="4403", year="1800", format="pdf"
    )
    assert answer.status_code == 400
    assert not Job.objects.exists()


def test_only_regulators_and_staff_make_reports(world, client, django_capture_on_commit_callbacks):
    url = reverse("stats:report")
    assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(UserFactory(username="someone"))
    assert client.get(url).status_code == 403
    assert (
        start(
            client, django_capture_on_commit_callbacks, region="4403", year="2018", format="html"
        ).status_code
        == 403
    )
    assert not Job.objects.exists()
    client.force_login(UserFactory(username="staff", is_staff=True))
    assert client.get(url).status_code == 200
