"""The comment summary and disposition table as PDF, printed once by a background job and served
from storage: the review's start asks for both languages, the job prints and stores, the
download serves the stored bytes (never printing in the request) while the table is the one
printed, says clearly when the print is on its way or failed, an officer may ask again, and
nobody reads a print through the job pages.

Chromium's print is replaced by a stand-in here (its bytes carry the page it was given, so the
tests read what was printed); tests/development/test_dispositions.py prints real PDFs."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from stdplus.core.errors import ApplicationError
from stdplus.core.jobs import job_progress
from stdplus.core.models import Job
from stdplus.development import dispositions
from stdplus.development.models import Comment, DispositionPrint
from stdplus.development.services import comment_decide
from stdplus.development.tasks import PRINT_JOB

from .conftest import print_jobs_run
from .test_dispositions import _handled, advance_to_review

pytestmark = pytest.mark.django_db
STAND_IN = b"%PDF-1.4 stand-in print\n"


@pytest.fixture
def printed(monkeypatch) -> list[str]:
    """Chromium's print replaced: each page printed is kept, its bytes are STAND_IN + page."""
    pages: list[str] = []

    def print_page(html: str, **_options) -> bytes:
        pages.append(html)
        return STAND_IN + html.encode()

    monkeypatch.setattr(dispositions, "html_to_pdf_bytes", print_page)
    return pages


def _url(project) -> str:
    return reverse("development:dispositions-pdf", args=[project.pk])


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_review_start_prints_both_languages_once_and_the_download_serves_them(
    group_team, printed, django_capture_on_commit_callbacks
):
    project = _handled(group_team)
    with django_capture_on_commit_callbacks(execute=True):  # the worker runs what is enqueued
        advance_to_review(group_team, project)
    prints = DispositionPrint.objects.filter(project=project).select_related("job")
    assert sorted(p.language for p in prints) == ["en", "zh-hans"]
    for row in prints:
        assert row.printed and row.job.name == PRINT_JOB and row.job.state == Job.DONE
        assert row.job.started_by is None and "file" not in row.job.result  # no job file
    assert len(printed) == 2
    assert {'<html lang="en">' in page for page in printed} == {True, False}
    for language, word in (("en", "accepted in part"), ("zh-hans", "部分采纳")):
        answer = _client().get(_url(project), HTTP_ACCEPT_LANGUAGE=language)
        assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
        assert answer["Content-Disposition"].endswith(f'-{language}.pdf"')
        stored = bytes(DispositionPrint.objects.get(project=project, language=language).data)
        assert answer.content == stored and stored.startswith(b"%PDF")
        assert word.encode() in answer.content and "每周两次。".encode() in answer.content
    assert len(printed) == 2  # the downloads printed nothing
    assert Job.objects.filter(name=PRINT_JOB).count() == 2


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The PDF is being prepared; try again in a minute."),
        ("zh-hans", "PDF 文件正在准备，请一分钟后再试。"),
    ],
)
def test_before_the_job_ran_the_download_says_so_in_the_readers_language(
    group_team, printed, language, message
):
    project = _handled(group_team)
    advance_to_review(group_team, project)  # the jobs wait: nothing committed, no worker
    answer = _client().get(_url(project), HTTP_ACCEPT_LANGUAGE=language)
    assert answer.status_code == 202 and answer["Content-Type"].startswith("text/html")
    assert answer["Retry-After"] == "30"
    html = answer.content.decode()
    assert message in html and "hx-get=" in html and b"%PDF" not in answer.content
    assert printed == []  # never printed in the request
    assert Job.objects.filter(name=PRINT_JOB).count() == 2  # and asked for nothing more
    # The page follows the job: its progress, then the file.
    job = DispositionPrint.objects.get(project=project, language=language).job
    job_progress(job, 1, 3, "printing")
    polled = _client().get(_url(project), HTTP_ACCEPT_LANGUAGE=language, HTTP_HX_REQUEST="true")
    fragment = polled.content.decode()
    assert polled.status_code == 200 and 'value="1"' in fragment and "33%" in fragment
    assert not fragment.lstrip().startswith("<!DOCTYPE")
    print_jobs_run()
    polled = _client().get(_url(project), HTTP_ACCEPT_LANGUAGE=language, HTTP_HX_REQUEST="true")
    fragment = polled.content.decode()
    assert 'id="dispositions-pdf-download"' in fragment and "hx-get" not in fragment
    assert b"%PDF" not in polled.content  # the page offers the file; the link downloads it
    assert _client().get(_url(project), HTTP_ACCEPT_LANGUAGE=language).content.startswith(b"%PDF")


def test_a_print_is_never_served_once_the_table_changed(group_team, printed):
    """While comments are handled the officers download the table as it stands: a decision
    recorded after a print makes that print stale; it is printed again, the old one removed."""
    project = _handled(group_team)
    officer = _client(group_team.officer)
    assert officer.get(_url(project)).status_code == 202  # the first download asks for it
    assert print_jobs_run() == 1
    first = officer.get(_url(project))
    assert first.status_code == 200 and b"Corrected." in first.content
    comment = Comment.objects.get(project=project, text="Typo in the foreword.")
    comment_decide(comment=comment, user=group_team.officer, disposition="noted", reason="Kept.")
    stale = officer.get(_url(project))
    assert stale.status_code == 202 and not stale.content.startswith(b"%PDF")
    assert print_jobs_run() == 1
    second = officer.get(_url(project))
    assert second.status_code == 200 and second.content.startswith(b"%PDF")
    assert b"Kept." in second.content and b"Corrected." not in second.content
    assert DispositionPrint.objects.filter(project=project).count() == 1  # the stale one went


def test_a_job_that_finds_the_table_changed_prints_nothing_and_the_next_download_asks_again(
    group_team, printed
):
    project = _handled(group_team)
    officer = _client(group_team.officer)
    assert officer.get(_url(project)).status_code == 202
    comment = Comment.objects.get(project=project, text="Typo in the foreword.")
    comment_decide(comment=comment, user=group_team.officer, disposition="noted", reason="Kept.")
    assert print_jobs_run() == 1 and printed == []  # the job found another table: no print
    assert officer.get(_url(project)).status_code == 202  # asks for the table as it stands
    assert print_jobs_run() == 1 and len(printed) == 1
    assert b"Kept." in officer.get(_url(project)).content


def test_after_the_review_started_decisions_stay_and_a_corrected_title_is_printed_again(
    group_team, printed
):
    project = _handled(group_team)
    advance_to_review(group_team, project)
    assert print_jobs_run() == 2
    comment = Comment.objects.get(project=project, text="Typo in the foreword.")
    with pytest.raises(ApplicationError) as refused:  # decisions are recorded while handling
        comment_decide(comment=comment, user=group_team.officer, disposition="noted", reason="x")
    assert refused.value.code == "not_deciding"
    project.title_en = "Drinking water fountains in parks"  # corrected in the admin
    project.save()
    answer = _client().get(_url(project), HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 202  # the print of the old title is not served
    assert print_jobs_run() == 1
    answer = _client().get(_url(project), HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200 and b"Drinking water fountains in parks" in answer.content


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "The PDF could not be printed."), ("zh-hans", "PDF 文件未能打印。")],
)
def test_a_failed_print_says_so_and_an_officer_asks_again(
    group_team, monkeypatch, language, message
):
    def broken(html: str, **_options) -> bytes:
        raise ApplicationError(
            "Chromium could not print the page: %(error)s", params={"error": "gone"}, code="pdf"
        )

    monkeypatch.setattr(dispositions, "html_to_pdf_bytes", broken)
    project = _handled(group_team)
    advance_to_review(group_team, project)
    print_jobs_run()
    assert set(Job.objects.filter(name=PRINT_JOB).values_list("state", flat=True)) == {Job.FAILED}
    answer = _client().get(_url(project), HTTP_ACCEPT_LANGUAGE=language)
    html = answer.content.decode()
    assert answer.status_code == 200 and message in html
    assert "dispositions-pdf-retry" not in html and "hx-get" not in html
    assert Job.objects.filter(name=PRINT_JOB).count() == 2  # a reader's visit asks nothing again
    for person in (None, group_team.stranger, group_team.drafter):
        assert _client(person).post(_url(project)).status_code == 404
    assert Job.objects.filter(name=PRINT_JOB).count() == 2
    officer = _client(group_team.officer)
    html = officer.get(_url(project), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "dispositions-pdf-retry" in html and "gone" in html  # the officers see why
    answer = officer.post(_url(project), HTTP_ACCEPT_LANGUAGE=language)
    assert answer.status_code == 302 and answer["Location"] == _url(project)
    row = DispositionPrint.objects.get(project=project, language=language)
    assert row.job.state == Job.QUEUED and Job.objects.filter(name=PRINT_JOB).count() == 3
    again = officer.get(_url(project), HTTP_ACCEPT_LANGUAGE=language)
    told = {"en": "The PDF is being printed again.", "zh-hans": "PDF 文件正在重新打印。"}
    assert again.status_code == 202 and told[language] in again.content.decode()
    monkeypatch.setattr(dispositions, "html_to_pdf_bytes", lambda html, **_: STAND_IN)
    assert print_jobs_run() == 1
    answer = _client().get(_url(project), HTTP_ACCEPT_LANGUAGE=language)
    assert answer.status_code == 200 and answer.content == STAND_IN


def test_nobody_reads_a_print_earlier_than_the_table_or_through_the_job_pages(group_team, printed):
    project = _handled(group_team)
    staff = User.objects.create_user("staff-reader", is_staff=True)
    officer = _client(group_team.officer)
    assert officer.get(_url(project)).status_code == 202
    assert print_jobs_run() == 1
    assert officer.get(_url(project)).content.startswith(b"%PDF")  # the officers' while handling
    row = DispositionPrint.objects.get(project=project)
    others = {
        "anonymous": _client(),
        "stranger": _client(group_team.stranger),
        "drafter": _client(group_team.drafter),
        "staff": _client(staff),
    }
    for who, client in others.items():
        for answer in (client.get(_url(project)), client.post(_url(project))):
            assert answer.status_code == 404, who
    everyone = {**others, "officer": officer}
    for who, client in everyone.items():
        detail = client.get(reverse("jobs:detail", args=[row.job_id]))
        download = client.get(reverse("jobs:download", args=[row.job_id]))
        assert download.status_code in (302, 404), who  # (302: to the sign-in page)
        assert b"%PDF" not in detail.content and b"%PDF" not in download.content, who
        if who == "staff":  # staff see every job's state, and no file: the job hands none back
            assert detail.status_code == 200
            assert 'id="job-download"' not in detail.content.decode()
        else:
            assert detail.status_code in (302, 404), who
    # Published when the review starts: the same table, so the same print serves everyone.
    advance_to_review(group_team, project)
    assert print_jobs_run() == 1  # only the other language was left to print
    for who, client in others.items():
        answer = client.get(_url(project))
        assert answer.status_code == 200 and answer.content.startswith(b"%PDF"), who


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_pages_saying_so_are_in_one_language(group_team, monkeypatch, language):
    from django.utils.translation import gettext_lazy

    from tests.i18n.test_one_language import Records, _Text, foreign_text

    def broken(html: str, **_options) -> bytes:
        raise ApplicationError(
            gettext_lazy("Chromium could not print the page: %(error)s"),
            params={"error": "139"},
            code="pdf",
        )

    project = _handled(group_team)
    advance_to_review(group_team, project)
    officer = _client(group_team.officer)
    pages = {
        "waiting": _client().get(_url(project), HTTP_ACCEPT_LANGUAGE=language),
        "polled": officer.get(_url(project), HTTP_ACCEPT_LANGUAGE=language, HTTP_HX_REQUEST="1"),
    }
    monkeypatch.setattr(dispositions, "html_to_pdf_bytes", broken)
    print_jobs_run()
    pages["failed"] = _client().get(_url(project), HTTP_ACCEPT_LANGUAGE=language)
    pages["failed, to the officer"] = officer.get(_url(project), HTTP_ACCEPT_LANGUAGE=language)
    records = Records(extra=[project.title_zh, project.title_en])
    for state, page in pages.items():
        parser = _Text(language)
        parser.feed(page.content.decode())
        assert not foreign_text(parser.nodes, language, records), state
    assert "dispositions-pdf-retry" in pages["failed, to the officer"].content.decode()
