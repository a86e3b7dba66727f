"""A check of more lines than STDPLUS_CHECK_JOB_LINES runs on the worker: the form sends the
person to the job's page, which follows its progress and then links to the saved result; a small
check still answers at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stdplus.checks.models import ValidityCheck
from stdplus.core.models import Job

pytestmark = pytest.mark.django_db
LINES = ["GB/T 19001-2016", "GB/T 19001-2000", "GB 4943.1-2011", "not a standard"]


@pytest.fixture(autouse=True)
def _small_limit(settings, tmp_path):
    settings.STDPLUS_CHECK_JOB_LINES = 3
    settings.STDPLUS_JOB_FILES = tmp_path / "jobs"


def paste(client, lines, django_capture_on_commit_callbacks, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("checks:index"), {"text": "\n".join(lines), "mode": "lines", **extra}
        )


def test_a_large_check_runs_as_a_job_and_links_to_its_result(
    curated, alice, alice_client, django_capture_on_commit_callbacks
):
    answer = paste(alice_client, LINES, django_capture_on_commit_callbacks, name="大清单")
    job = Job.objects.get(name="checks.run")
    assert answer.status_code == 302 and answer.url == reverse("jobs:detail", args=[job.pk])
    assert job.state == Job.DONE and job.started_by == alice
    check = ValidityCheck.objects.get()
    assert check.name == "大清单" and check.line_count == 4 and check.created_by == alice
    assert check.summary["current"] == 1 and check.summary["rejected"] == 1
    assert job.result["url"] == check.get_absolute_url()
    page = alice_client.get(answer.url).content.decode()
    assert f'href="{check.get_absolute_url()}"' in page and 'data-state="done"' in page
    # The lines are in the order given.
    inputs = list(check.lines.order_by("position").values_list("input", flat=True))
    assert inputs == LINES


def test_a_small_check_answers_at_once(curated, alice_client, django_capture_on_commit_callbacks):
    answer = paste(alice_client, LINES[:3], django_capture_on_commit_callbacks)
    check = ValidityCheck.objects.get()
    assert answer.url == check.get_absolute_url()
    assert not Job.objects.exists()


def test_the_check_job_reports_its_progress(
    curated, alice_client, django_capture_on_commit_callbacks, monkeypatch
):
    from stdplus.checks import tasks

    seen = []
    monkeypatch.setattr(
        tasks, "job_progress", lambda job, done, total, stage="": seen.append((done, total, stage))
    )
    paste(alice_client, LINES, django_capture_on_commit_callbacks)
    assert seen[-1][0] == seen[-1][1]  # it ends at 100 %
    done = [step[0] for step in seen]
    assert done == sorted(done)  # never going back
    assert {step[2] for step in seen} >= {"reading the identifiers", "writing the answers"}


def test_bob_cannot_follow_alices_check_job(
    curated, alice_client, bob, django_capture_on_commit_callbacks
):
    answer = paste(alice_client, LINES, django_capture_on_commit_callbacks)
    alice_client.force_login(bob)
    assert alice_client.get(answer.url).status_code == 404
