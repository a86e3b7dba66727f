"""A job started from the web: its page shows the state and progress (polled by htmx), then its
file to download; only the person who started it, and staff, see either (404 to anyone else)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stdplus.core.jobs import job_file, job_progress, job_result_file, job_submit, web_job_key
from stdplus.core.models import Job
from tests.accounts.helpers import UserFactory
from tests.core import jobs_for_tests  # noqa: F401 (registers the jobs)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _job_files(settings, tmp_path):
    from huey.contrib.djhuey import HUEY

    settings.STDPLUS_JOB_FILES = tmp_path / "jobs"
    HUEY.storage.flush_all()  # progress kept from an earlier test's job of the same id


def start(django_capture_on_commit_callbacks, user, *, run=True, **params) -> Job:
    with django_capture_on_commit_callbacks(execute=run):
        job = job_submit(
            name="tests.file",
            key=web_job_key("tests.file"),
            params={"text": "所得 result", **params},
            started_by=user,
        )
    job.refresh_from_db()
    return job


def test_the_starter_follows_the_job_and_downloads_its_file(
    client, django_capture_on_commit_callbacks
):
    alice = UserFactory(username="alice")
    job = start(django_capture_on_commit_callbacks, alice)
    assert job.started_by == alice and job.state == Job.DONE
    assert job_result_file(job).read_text(encoding="utf-8") == "所得 result"
    client.force_login(alice)
    page = client.get(reverse("jobs:detail", args=[job.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-state="done"' in html and "A test file" in html
    assert "hx-trigger" not in html  # finished: the page stops polling
    assert reverse("jobs:download", args=[job.pk]) in html
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).decode() == "所得 result"
    assert 'filename="result.txt"' in download["Content-Disposition"]


def test_a_running_job_shows_its_progress_and_polls(client, django_capture_on_commit_callbacks):
    alice = UserFactory(username="alice")
    job = start(django_capture_on_commit_callbacks, alice, run=False)  # the worker has not run it
    client.force_login(alice)
    waiting = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'data-state="queued"' in waiting and "Waiting for the worker" in waiting
    Job.objects.filter(pk=job.pk).update(state=Job.RUNNING)
    job_progress(job, 3, 4, "comparing")
    partial = client.get(reverse("jobs:detail", args=[job.pk]), headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert html.startswith('<section id="job-status"') and "<html" not in html
    assert 'hx-trigger="every 1s"' in html
    assert 'value="3"' in html and "75%" in html and "comparing" in html
    assert reverse("jobs:download", args=[job.pk]) not in html  # no file yet
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_another_user_gets_404_and_staff_see_it(client, django_capture_on_commit_callbacks):
    alice = UserFactory(username="alice")
    job = start(django_capture_on_commit_callbacks, alice)
    mallory = UserFactory(username="mallory")
    admin = UserFactory(username="admin", is_staff=True)
    for url in (reverse("jobs:detail", args=[job.pk]), reverse("jobs:download", args=[job.pk])):
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
        client.force_login(mallory)
        assert client.get(url).status_code == 404
        client.force_login(admin)
        assert client.get(url).status_code == 200
        client.logout()
    # A job nobody started from the web (the system's) is staff's only.
    with django_capture_on_commit_callbacks(execute=True):
        system = job_submit(name="tests.file", key="system-file", params={"text": "x"})
    client.force_login(alice)
    assert client.get(reverse("jobs:detail", args=[system.pk])).status_code == 404


def test_a_refused_job_says_why_in_the_language_it_was_started_in(
    client, django_capture_on_commit_callbacks
):
    alice = UserFactory(username="alice")
    with django_capture_on_commit_callbacks(execute=True):
        job = job_submit(
            name="tests.refuse", key="refuse", params={"language": "zh-hans"}, started_by=alice
        )
    job.refresh_from_db()
    assert job.state == Job.FAILED
    assert job.error == "没有代码为 99 的地区。" or "99" in job.error and "region" not in job.error
    client.force_login(alice)
    html = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'data-state="failed"' in html and job.error in html


def test_a_job_file_is_a_plain_name_in_the_jobs_own_folder(
    settings, django_capture_on_commit_callbacks
):
    job = start(django_capture_on_commit_callbacks, UserFactory(), run=False)
    assert job_file(job, "a.pdf") == settings.STDPLUS_JOB_FILES / str(job.pk) / "a.pdf"
    for bad in ("../a.pdf", "x/a.pdf", ".hidden", ""):
        with pytest.raises(ValueError):
            job_file(job, bad)
    # A result naming a path outside its folder offers nothing to download.
    Job.objects.filter(pk=job.pk).update(state=Job.DONE, result={"file": "../../etc/passwd"})
    job.refresh_from_db()
    assert job_result_file(job) is None
