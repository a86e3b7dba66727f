"""The acceptance list's remaining points: what the public does not see (documents kept
private, comments not confirmed), nobody changing a comment once the period is over (the
author, an officer, a committee's spreadsheet), broken commenting template rows with their
row and column and nothing written, the numbering rules of local standards and group codes,
and ballots that are not open or not the voter's."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from stdplus.core.errors import ApplicationError
from stdplus.core.lifecycle import transition_apply
from stdplus.development.choices import DocumentKind
from stdplus.development.models import Comment, ProjectDocument, Vote
from stdplus.development.numbering import number_check, number_propose
from stdplus.development.services import (
    comment_edit,
    comment_submit,
    document_add,
    group_code_register,
    vote_cast,
)
from stdplus.development.sheets import comments_export, comments_import
from stdplus.programme.models import IssuerCode
from tests.programme.factories import OrganizationFactory, standards

from .conftest import advance, make_project, pdf

pytestmark = pytest.mark.django_db
YEAR = dt.date.today().year


def _open(team, project):
    advance(team, project, "start_drafting")
    today = dt.date.today()
    transition_apply(
        project,
        "open_comment",
        actor=team.officer,
        data={"opens": today.isoformat(), "closes": (today + dt.timedelta(30)).isoformat()},
    )
    return project


def _close_by_the_calendar(project):
    """The closing day passed; the daily run has not closed the period yet."""
    type(project).objects.filter(pk=project.pk).update(
        comment_opens=dt.date.today() - dt.timedelta(40),
        comment_closes=dt.date.today() - dt.timedelta(1),
    )
    project.refresh_from_db()


def _template(project, *rows) -> bytes:
    book = load_workbook(io.BytesIO(comments_export(project, project.versions.get())))
    for row in rows:
        book.worksheets[0].append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ------------------------------------------------------------------- what the public sees


def test_private_documents_and_unconfirmed_comments_stay_private(group_team):
    project = _open(group_team, make_project(group_team))
    kept = document_add(
        project=project,
        user=group_team.officer,
        kind=DocumentKind.OTHER,
        upload=pdf("internal-minutes.pdf"),
        public=False,
    )
    comment_submit(
        project=project,
        user=None,
        values={"type": "ge", "text": "Not confirmed yet.", "name": "Wang", "email": "w@e.org"},
    )
    anonymous, officer = Client(), Client()
    officer.force_login(group_team.officer)
    public_page = anonymous.get(project.get_absolute_url()).content.decode()
    assert reverse("development:document", args=[kept.pk]) not in public_page
    assert anonymous.get(reverse("development:document", args=[kept.pk])).status_code == 404
    assert (
        reverse("development:document", args=[kept.pk])
        in officer.get(project.get_absolute_url()).content.decode()
    )
    assert officer.get(reverse("development:document", args=[kept.pk])).status_code == 200
    listed = anonymous.get(f"/api/v1/development/projects/{project.pk}/drafts/1/comments").json()
    assert listed["count"] == 0
    assert (
        "Not confirmed yet."
        not in anonymous.get(reverse("development:draft", args=[project.pk, 1])).content.decode()
    )
    # The comment template (with every comment, for the committees) is the officers' only.
    assert anonymous.get(reverse("development:comments-file", args=[project.pk])).status_code == 404


# -------------------------------------------------------------- comments after the period


def test_nobody_changes_or_adds_a_comment_once_the_period_is_over(group_team):
    project = _open(group_team, make_project(group_team))
    comment = comment_submit(
        project=project, user=group_team.proposer, values={"type": "te", "text": "Original."}
    )
    with pytest.raises(ApplicationError) as refusal:  # not even while open: not theirs
        comment_edit(comment=comment, user=group_team.officer, values={"type": "te", "text": "x"})
    assert refusal.value.code == "not_yours" and refusal.value.status == 403
    data = _template(project, [None, "TC 9", "", "1", "", "ed", "Late comment.", "", "", "", ""])
    _close_by_the_calendar(project)
    for person in (group_team.proposer, group_team.officer, group_team.approver):
        with pytest.raises(ApplicationError) as refusal:
            comment_edit(comment=comment, user=person, values={"type": "te", "text": "Changed."})
        assert refusal.value.code in ("comment_closed", "not_yours")
    with pytest.raises(ApplicationError) as refusal:  # a committee's sheet, after the close
        comments_import(project=project, user=group_team.officer, data=data, file="late.xlsx")
    assert refusal.value.code == "comment_closed" and str(project.comment_closes) in str(
        refusal.value.message
    )
    transition_apply(project, "close_comment", actor=None)
    with pytest.raises(ApplicationError) as refusal:  # while handled: decisions only
        comments_import(project=project, user=group_team.officer, data=data, file="late.xlsx")
    assert refusal.value.code == "unknown_comment"
    comment.refresh_from_db()
    assert comment.text == "Original." and Comment.objects.count() == 1


# ------------------------------------------------------------------ broken template rows


@pytest.mark.parametrize(
    ("row", "code", "column"),
    [
        (
            [None, "TC", "", "9.9", "", "te", "No such clause.", "", "", "", ""],
            "unknown_clause",
            "Clause/Subclause",
        ),
        (
            [None, "TC", "", "1", "", "xx", "Bad type.", "", "", "", ""],
            "bad_type",
            "Type of comment",
        ),
        ([None, "TC", "", "1", "", "te", "", "a change", "", "", ""], "required", "Comments"),
        ([None, "TC", "", "1", "", "te", "x" * 5001, "", "", "", ""], "too_long", "Comments"),
        ([424242, "TC", "", "1", "", "te", "Whose id?", "", "", "", ""], "unknown_comment", "Id"),
    ],
)
def test_a_broken_template_row_is_named_and_nothing_is_written(group_team, row, code, column):
    project = _open(group_team, make_project(group_team))
    good = [None, "TC 1", "", "1", "", "ge", "A good row first.", "", "", "", ""]
    data = _template(project, good, row)
    with pytest.raises(ApplicationError) as refusal:
        comments_import(project=project, user=group_team.officer, data=data, file="tc.xlsx")
    assert refusal.value.code == code
    where = refusal.value.where
    assert (where.file, where.row, where.field) == ("tc.xlsx", 3, column)
    assert not Comment.objects.exists()


def test_a_broken_template_through_the_page_shows_where_and_writes_nothing(group_team):
    project = _open(group_team, make_project(group_team))
    data = _template(project, [None, "TC", "", "7", "", "te", "No clause 7.", "", "", "", ""])
    client = Client()
    client.force_login(group_team.officer)
    for language, words in (
        ("en", ("tc.xlsx", "row 2", "The draft has no clause 7.")),
        ("zh-hans", ("tc.xlsx", "第 2 行", "章条号", "草案中没有条款 7。")),
    ):
        answer = client.post(
            reverse("development:comments-import", args=[project.pk]),
            {"file": SimpleUploadedFile("tc.xlsx", data)},
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert answer.status_code == 302
        shown = " ".join(str(m) for m in get_messages(answer.wsgi_request))
        assert all(word in shown for word in words), (language, shown)
    stranger = Client()
    stranger.force_login(group_team.stranger)
    stranger.post(
        reverse("development:comments-import", args=[project.pk]),
        {
            "file": SimpleUploadedFile(
                "tc.xlsx",
                _template(project, [None, "X", "", "1", "", "te", "Sneaked in.", "", "", "", ""]),
            )
        },
    )
    assert not Comment.objects.exists()


# ------------------------------------------------------------------------------ numbering


def test_local_numbers_follow_the_series_and_refuse_collisions(local_team):
    standards(("DB4403/T 41-2019", "2019-05-01"), ("DB4403/T 40-2018", "2018-05-01"))
    project = advance(local_team, make_project(local_team), "approve_standard")
    assert number_propose(project, year=YEAR) == f"DB4403/T 42-{YEAR}"
    assert number_check(project, f"db4403/t 42—{YEAR}", year=YEAR) == f"DB4403/T 42-{YEAR}"
    for text, code in (
        (f"DB4403/T 41-{YEAR}", "duplicate_number"),  # another standard's number
        (f"DB44/T 42-{YEAR}", "bad_number"),  # the province's series
        ("DB4403/T 42", "bad_number"),  # no year
    ):
        with pytest.raises(ApplicationError) as refusal:
            number_check(project, text, year=YEAR)
        assert refusal.value.code == code and refusal.value.where.field == "number"
    other = advance(local_team, make_project(local_team), "approve_standard")
    transition_apply(
        project, "publish", actor=local_team.officer, data={"number": f"DB4403/T 42-{YEAR}"}
    )
    assert number_propose(other, year=YEAR) == f"DB4403/T 43-{YEAR}"
    with pytest.raises(ApplicationError) as refusal:  # the number just published
        transition_apply(
            other, "publish", actor=local_team.officer, data={"number": f"DB4403/T 42-{YEAR}"}
        )
    assert refusal.value.code == "duplicate_number"
    other.refresh_from_db()
    assert other.state == "numbering" and other.number == "" and other.standard_id is None


def test_a_group_code_is_unique_among_groups(group_team, admin_user):
    taken = group_team.owner.issuer_codes.get().code.removeprefix("T/")  # kept as "T/SZT…"
    newcomer = OrganizationFactory()
    before = IssuerCode.objects.count()
    for text, code in (
        (taken.lower(), "code_taken"),
        (f"T/{taken}", "code_taken"),
        ("a", "bad_code"),
        ("AB-1", "bad_code"),
    ):
        with pytest.raises(ApplicationError) as refusal:
            group_code_register(organization=newcomer, code=text, user=admin_user)
        assert refusal.value.code == code, text
    with pytest.raises(ApplicationError) as refusal:
        group_code_register(organization=newcomer, code="NEWCODE", user=group_team.officer)
    assert refusal.value.status == 403
    assert IssuerCode.objects.count() == before
    assert group_code_register(organization=newcomer, code="t/newcode", user=admin_user).code == (
        "T/NEWCODE"
    )


# -------------------------------------------------------------------------------- ballots


def test_no_vote_outside_an_open_ballot_and_none_for_another_seat(group_team):
    project = advance(group_team, make_project(group_team), "start_drafting")
    with pytest.raises(ApplicationError) as refusal:  # no ballot yet
        vote_cast(project=project, user=group_team.expert_user, position="approve")
    assert refusal.value.code == "no_ballot" and refusal.value.status == 409
    project = advance(group_team, make_project(group_team), "send_to_review")
    expert_seat = project.panel.get(user=group_team.expert_user)
    with pytest.raises(ApplicationError) as refusal:  # a drafter casting the expert's vote
        vote_cast(project=project, user=group_team.drafter, position="approve", seat=expert_seat)
    assert refusal.value.code == "not_on_panel"
    with pytest.raises(ApplicationError) as refusal:
        vote_cast(project=project, user=group_team.expert_user, position="maybe")
    assert refusal.value.code == "bad_position" and refusal.value.where.field == "position"
    assert not Vote.objects.exists() and not Comment.objects.filter(source="review").exists()
    vote_cast(project=project, user=group_team.expert_user, position="approve")
    transition_apply(project, "pass_review", actor=group_team.officer)
    with pytest.raises(ApplicationError) as refusal:  # the ballot closed with the review
        vote_cast(
            project=project, user=group_team.expert_user, position="disapprove", comment="Too late."
        )
    assert refusal.value.code == "no_ballot"
    assert Vote.objects.get().position == "approve"
    assert ProjectDocument.objects.filter(project=project).count() == 1  # the proposal only
