"""Staff upload a large file to import: it is kept for the worker, imported as a background job
with its progress, and the job's page tells what changed; a bad file says where it is bad."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stdplus.catalog.models import Standard
from stdplus.core.models import Job
from tests.accounts.helpers import UserFactory

pytestmark = pytest.mark.django_db
RECORDS = [
    {
        "id": "GB 9706.1-2020",
        "title_zh": "医用电气设备 第1部分",
        "published": "2020-04-09",
        "status": "current",
    },
    {"id": "GB 9706.1-2007", "title_zh": "医用电气设备 旧版", "status": "superseded"},
]


@pytest.fixture(autouse=True)
def _job_files(settings, tmp_path):
    settings.STDPLUS_JOB_FILES = tmp_path / "jobs"


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="curator", is_staff=True))
    return client


def upload(client, django_capture_on_commit_callbacks, records, name="cn_upload.jsonl", **form):
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("importers:upload"),
            {"file": SimpleUploadedFile(name, body), **form},
        )


def test_staff_upload_a_file_and_follow_its_import(
    staff_client, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from stdplus.importers import tasks

    seen = []
    real = tasks.job_progress
    monkeypatch.setattr(
        tasks,
        "job_progress",
        lambda job, done, total, stage="": (
            seen.append((done, total)),
            real(job, done, total, stage),
        ),
    )
    assert staff_client.get(reverse("importers:upload")).status_code == 200
    answer = upload(staff_client, django_capture_on_commit_callbacks, RECORDS)
    job = Job.objects.get(name="importers.upload")
    assert answer.status_code == 302 and answer.url == reverse("jobs:detail", args=[job.pk])
    assert job.state == Job.DONE, job.error
    assert set(Standard.objects.values_list("canonical", flat=True)) >= {
        "GB 9706.1-2020",
        "GB 9706.1-2007",
    }
    assert job.result["counts"]["created"] == 2
    # The file was kept where the worker reads it, under the upload's name (it names the source).
    assert job.params["path"].startswith(str(settings.STDPLUS_JOB_FILES / "uploads"))
    assert job.params["path"].endswith("/cn_upload.jsonl")
    page = staff_client.get(answer.url).content.decode()
    assert "2 records read: 2 new, 0 changed" in page
    assert seen[-1][0] == seen[-1][1] and [d for d, _t in seen] == sorted(d for d, _t in seen)
    # The same file again changes nothing (an import can safely run twice).
    upload(staff_client, django_capture_on_commit_callbacks, RECORDS)
    again = Job.objects.filter(name="importers.upload").latest("pk")
    assert again.result["counts"]["created"] == 0 and again.result["counts"]["unchanged"] == 2


def test_a_bad_row_fails_the_job_naming_the_row_and_writes_nothing(
    staff_client, django_capture_on_commit_callbacks
):
    bad = [RECORDS[0], {"id": "GB 9706.1-2007", "published": "the ninth of April"}]
    upload(staff_client, django_capture_on_commit_callbacks, bad)
    job = Job.objects.get(name="importers.upload")
    assert job.state == Job.FAILED
    assert "cn_upload.jsonl" in job.error and "row 2" in job.error
    assert not Standard.objects.exists()
    page = staff_client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'data-state="failed"' in page and "row 2" in page


def test_only_staff_upload_and_only_data_files(client, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(username="someone"))
    assert client.get(reverse("importers:upload")).status_code == 302  # to the admin log-in
    refused = upload(client, django_capture_on_commit_callbacks, RECORDS)
    assert refused.status_code == 302 and not Job.objects.exists()
    client.force_login(UserFactory(username="curator", is_staff=True))
    wrong = upload(client, django_capture_on_commit_callbacks, RECORDS, name="notes.exe")
    assert wrong.status_code == 400 and "notes.exe: choose a .jsonl" in wrong.content.decode()
    assert not Job.objects.exists()
