"""The comment summary and disposition table (征求意见汇总处理表) as XLSX and PDF: one language
per file, the comments and decisions in both, page numbers and repeated headers in the PDF,
the same permissions for both (the officers while comments are handled, everyone who sees the
project once the review starts). The PDF is printed by a background job and served from
storage: tests/development/test_disposition_prints.py."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from stdplus.core.lifecycle import transition_apply
from stdplus.development.dispositions import disposition_html, disposition_rows, page_number_css
from stdplus.development.services import comment_decide, comment_submit

from .conftest import advance, make_project, print_jobs_run

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("chromium") is None,
    reason="pdftotext (poppler-utils) and chromium print and read the PDF",
)


def _handled(team, *, comments: int = 2):
    """A project whose public comment closed, with decided comments (one on the whole text)."""
    project = advance(team, make_project(team), "start_drafting")
    today = dt.date.today()
    transition_apply(
        project,
        "open_comment",
        actor=team.officer,
        data={"opens": today.isoformat(), "closes": (today + dt.timedelta(30)).isoformat()},
    )
    made = [
        comment_submit(
            project=project,
            user=team.proposer,
            values={
                "type": "te",
                "clause": "3.2",
                "text": "清洁频次太低",
                "proposed_change": "Clean daily.",
            },
        ),
        comment_submit(
            project=project,
            user=team.stranger,
            values={"type": "ed", "text": "Typo in the foreword."},
        ),
    ]
    for n in range(comments - 2):
        made.append(
            comment_submit(
                project=project,
                user=team.stranger,
                values={"type": "ge", "clause": "1", "text": f"Long comment {n} " + "x " * 200},
            )
        )
    type(project).objects.filter(pk=project.pk).update(
        comment_opens=today - dt.timedelta(40), comment_closes=today - dt.timedelta(1)
    )
    project.refresh_from_db()
    transition_apply(project, "close_comment", actor=None)
    decisions = [("partly", "每周两次。"), ("accepted", "Corrected.")]
    for comment, (decision, reason) in zip(
        made, decisions + [("noted", "Kept.")] * (comments - 2), strict=True
    ):
        comment_decide(comment=comment, user=team.officer, disposition=decision, reason=reason)
    return project


def advance_to_review(team, project):
    transition_apply(project, "send_to_review", actor=team.officer)


def _text(pdf: bytes) -> str:
    run = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return run.stdout.decode("utf-8")


def _pages(pdf: bytes) -> int:
    run = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    line = next(x for x in run.stdout.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def test_the_rows_are_in_clause_order_with_counts(group_team):
    project = _handled(group_team)
    table = disposition_rows(project, project.versions.get())
    assert [(line.number, line.clause) for line in table.lines] == [(1, "whole text"), (2, "3.2")]
    assert table.lines[1].decision == "accepted in part"
    assert ("accepted", 1) in table.counts and ("not accepted", 0) in table.counts


def test_the_page_number_is_one_translated_sentence_around_two_counters():
    from django.utils import translation

    with translation.override("en"):
        assert page_number_css() == '"Page " counter(page) " of " counter(pages)'
    with translation.override("zh-hans"):
        assert page_number_css() == '"第 " counter(page) " 页，共 " counter(pages) " 页"'


def test_the_print_page_is_in_one_language_and_escapes_the_title(group_team):
    from django.utils import translation

    project = _handled(group_team)
    project.title_en = 'Fountains "</style><script>x</script>'
    project.title_zh = ""
    project.save()
    table = disposition_rows(project, project.versions.get())
    with translation.override("en"):
        html = disposition_html(table)
    assert '<html lang="en">' in html and "Comment summary and disposition table" in html
    assert "征求意见" not in html and "</style><script>" not in html
    assert "thead { display: table-header-group; }" in html
    with translation.override("zh-hans"):
        html = disposition_html(disposition_rows(project, project.versions.get()))
    assert '<html lang="zh-Hans">' in html and "征求意见汇总处理表" in html
    assert "Comment summary" not in html and "Reason for the decision" not in html


@needs_poppler
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Comment summary and disposition table", "accepted in part", "Page 1 of 1"]),
        ("zh-hans", ["征求意见汇总处理表", "部分采纳", "第 1 页，共 1 页"]),
    ],
)
def test_the_pdf_holds_the_comments_and_decisions(group_team, language, words):
    project = _handled(group_team)
    client = Client()
    answer = client.get(
        reverse("development:dispositions-pdf", args=[project.pk]),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert answer.status_code == 404  # not public while comments are handled
    client.force_login(group_team.officer)
    answer = client.get(  # the officer's first download asks for the print
        reverse("development:dispositions-pdf", args=[project.pk]),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert answer.status_code == 202
    assert print_jobs_run() == 1  # the worker prints it, in the reader's language
    answer = client.get(
        reverse("development:dispositions-pdf", args=[project.pk]),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"].startswith("attachment;")
    pdf = answer.content
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    text = _text(pdf)
    for word in [*words, "清洁频次太低", "每周两次。", "Typo in the foreword.", "Corrected."]:
        assert word in text, word


@needs_poppler
def test_a_long_table_numbers_its_pages_and_repeats_its_header(group_team):
    project = _handled(group_team, comments=40)
    advance_to_review(group_team, project)
    assert print_jobs_run() == 2  # the review's start asked for both languages
    answer = Client().get(  # public now: the review started
        reverse("development:dispositions-pdf", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert answer.status_code == 200
    pages = _pages(answer.content)
    assert pages >= 3
    text = _text(answer.content)
    assert f"Page {pages} of {pages}" in text
    assert text.count("Reason for the decision") == pages  # the table's header on every page
    assert text.count("Comment summary and disposition table") >= pages  # the running head


def test_both_files_follow_the_same_permissions(group_team):
    project = _handled(group_team)
    names = ("development:dispositions", "development:dispositions-pdf")
    anonymous, stranger, officer = Client(), Client(), Client()
    stranger.force_login(group_team.stranger)
    officer.force_login(group_team.officer)
    readable = {"officer": officer, "anonymous": anonymous, "stranger": stranger}
    # While comments are handled: the officers only, and the public page does not link them
    # (the officers' PDF is printed in the test above).
    for who, client in readable.items():
        for name in names if who != "officer" else names[:1]:
            status = client.get(reverse(name, args=[project.pk])).status_code
            assert status == (200 if who == "officer" else 404), (who, name)
    assert 'id="dispositions-pdf"' not in anonymous.get(project.get_absolute_url()).content.decode()
    officer_page = officer.get(project.get_absolute_url()).content.decode()
    assert 'id="dispositions-pdf"' in officer_page and "not yet public" in officer_page
    advance_to_review(group_team, project)
    page = anonymous.get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert 'id="dispositions-pdf"' in html and "征求意见汇总处理表" in html
    book = load_workbook(
        io.BytesIO(anonymous.get(reverse(names[0], args=[project.pk])).content)
    ).active
    values = [c for row in book.iter_rows(values_only=True) for c in row if c]
    assert "清洁频次太低" in values and "每周两次。" in values


def test_no_table_for_a_private_proposal_or_a_project_without_a_draft(group_team):
    hidden = make_project(group_team)
    bare = advance(group_team, make_project(group_team, draft=False), "start_drafting")
    officer = Client()
    officer.force_login(group_team.officer)
    for name in ("development:dispositions", "development:dispositions-pdf"):
        assert Client().get(reverse(name, args=[hidden.pk])).status_code == 404
        assert officer.get(reverse(name, args=[bare.pk])).status_code == 404
