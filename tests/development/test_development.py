"""Numbering, ballots, public comment (email confirmation, closed drafts, edits), the
commenting template's round trip, dispositions and publication into the catalog."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from stdplus.catalog.models import Relation, Standard
from stdplus.core.errors import ApplicationError
from stdplus.core.lifecycle import transition_apply
from stdplus.development.models import Comment, Vote
from stdplus.development.numbering import number_check, number_propose
from stdplus.development.rules import ballot_count
from stdplus.development.services import comment_decide, comment_edit, comment_submit, vote_cast
from stdplus.development.sheets import comments_export, comments_import, disposition_table
from tests.programme.factories import standards

from .conftest import advance, make_project, step_data

pytestmark = pytest.mark.django_db
YEAR = dt.date.today().year


# ---------------------------------------------------------------------------------- ballots


@pytest.mark.parametrize(
    ("rule", "eligible", "positions", "passed"),
    [
        ("three_quarters_present", 4, ["approve"] * 3 + ["disapprove"], True),  # exactly 3/4
        ("three_quarters_present", 4, ["approve"] * 2 + ["disapprove"] * 2, False),  # a tie
        ("three_quarters_present", 6, ["approve"] * 3, False),  # quorum 4 of 6 not met
        ("three_quarters_present", 4, ["approve"] * 3 + ["abstain"], True),  # 3/4 present
        ("three_quarters_present", 5, ["approve"] * 3 + ["abstain"] * 2, False),  # 3/5
        ("iso", 6, ["approve"] * 3 + ["abstain"] * 3, True),  # abstentions excluded
        ("iso", 6, ["approve"] * 4 + ["disapprove"] * 2, False),  # 2/6 negative > 1/4
        ("iso", 9, ["approve"] * 6 + ["disapprove"] * 2 + ["abstain"], True),  # 6/8, 2/8
        ("iso", 3, ["abstain"] * 3, False),  # nothing cast
        ("three_quarters_present", 0, [], False),  # no eligible member
        ("iso", 4, ["approve"] * 2 + ["disapprove"] * 2, False),  # a tie under ISO's rule
        ("iso", 6, ["approve"] * 3, False),  # all approve, but 3 of 6 is no quorum
        ("four_fifths_present", 5, ["approve"] * 4 + ["abstain"], True),  # exactly 4/5
        ("four_fifths_present", 5, ["approve_comments"] * 3 + ["abstain"] * 2, False),  # 3/5
    ],
)
def test_ballot_rules(rule, eligible, positions, passed):
    result = ballot_count(rule, eligible=eligible, positions=positions)
    assert result.passed is passed
    assert result.lines[-1].startswith("Result")
    assert len(result.lines) == (4 if rule == "iso" else 3)


def test_a_drafting_organizations_expert_and_a_stranger_cannot_vote(group_team):
    project = advance(group_team, make_project(group_team), "send_to_review")
    before = Vote.objects.count()
    for person, code in (
        (group_team.conflicted_user, "conflict_of_interest"),
        (group_team.stranger, "not_on_panel"),
    ):
        with pytest.raises(ApplicationError) as refusal:
            vote_cast(project=project, user=person, position="approve")
        assert refusal.value.code == code
    assert Vote.objects.count() == before
    with pytest.raises(ApplicationError) as refusal:
        vote_cast(project=project, user=group_team.expert_user, position="disapprove")
    assert refusal.value.code == "reasons_required"
    vote_cast(project=project, user=group_team.expert_user, position="approve")
    transition_apply(project, "pass_review", actor=group_team.officer)
    event = project.events.get(action="pass_review")
    assert event.data["eligible"] == 1 and event.data["approvals"] == 1


# -------------------------------------------------------------------------------- numbering


def test_numbers_proposed_in_series_and_collisions_refused(group_team, local_team):
    project = advance(group_team, make_project(group_team), "approve_standard")
    code = group_team.owner.issuer_codes.get().code.removeprefix("T/")
    assert number_propose(project, year=YEAR) == f"T/{code} 1-{YEAR}"
    standards((f"T/{code} 7-2020", "2020-01-01"))
    assert number_propose(project, year=YEAR) == f"T/{code} 8-{YEAR}"
    for text, error in (
        (f"T/{code} 7-{YEAR}", "duplicate_number"),
        (f"T/OTHER 9-{YEAR}", "bad_number"),
        (f"T/{code} 9-2001", "bad_number"),
    ):
        with pytest.raises(ApplicationError) as refusal:
            number_check(project, text, year=YEAR)
        assert refusal.value.code == error
    local = advance(local_team, make_project(local_team), "approve_standard")
    assert number_propose(local, year=YEAR).startswith("DB4403/T ")


def test_a_revision_keeps_the_number_and_replaces_the_old_edition(local_team):
    old = standards(("DB4403/T 77-2018", "2018-01-01"))["DB4403/T 77-2018"]
    project = advance(local_team, make_project(local_team, revises=old), "approve_standard")
    assert number_propose(project, year=YEAR) == f"DB4403/T 77-{YEAR}"
    transition_apply(project, "publish", actor=local_team.officer)
    edition = Standard.objects.get(canonical=f"DB4403/T 77-{YEAR}")
    assert project.standard == edition and edition.source == "development"
    assert Relation.objects.filter(from_standard=edition, to_standard=old, type="replaces").exists()
    assert project.review_due == dt.date(
        YEAR + 5, project.published_on.month, project.published_on.day
    )


def test_publication_enters_the_catalog_and_the_search(group_team, client):
    project = advance(group_team, make_project(group_team), "publish")
    edition = project.standard
    assert edition.title_zh == project.title_zh
    assert edition.drafting_organizations == [group_team.drafter_org.name_zh]
    assert edition.participations.get().organization == group_team.drafter_org
    jump = client.get(reverse("search:search") + "?q=" + edition.canonical)
    assert jump.status_code == 302 and jump["Location"] == edition.get_absolute_url()
    found = client.get(reverse("search:search"), {"q": project.title_zh})
    assert edition.canonical in found.content.decode()


# ---------------------------------------------------------------------------- public comment


def _open(team, project):
    """Public comment open today, for 30 days."""
    advance(team, project, "start_drafting")
    today = dt.date.today()
    transition_apply(
        project,
        "open_comment",
        actor=team.officer,
        data={"opens": today.isoformat(), "closes": (today + dt.timedelta(30)).isoformat()},
    )
    return project


def test_a_notice_shorter_than_30_days_is_refused(local_team):
    project = advance(local_team, make_project(local_team), "start_drafting")
    today = dt.date.today()
    with pytest.raises(ApplicationError) as refusal:
        transition_apply(
            project,
            "open_comment",
            actor=local_team.officer,
            data={"opens": today.isoformat(), "closes": (today + dt.timedelta(29)).isoformat()},
        )
    assert refusal.value.code == "notice_too_short" and "30" in refusal.value.message
    project.refresh_from_db()
    assert project.state == "drafting" and project.comment_opens is None


def test_anonymous_comment_counts_after_email_confirmation(
    group_team, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    project = _open(group_team, make_project(group_team))
    version = project.versions.get().version
    client = Client()
    url = reverse("development:draft", args=[project.pk, version])
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            url,
            {
                "clause": "3.1",
                "type": "te",
                "text": "Say how safe.",
                "name": "Li Lei",
                "email": "li@example.org",
            },
            follow=True,
        )
    assert page.status_code == 200
    comment = Comment.objects.get()
    assert not comment.confirmed and comment.clause.ref == "3.1"
    assert "Say how safe." not in client.get(url).content.decode()
    message = mail.outbox[-1]
    link = next(word for word in message.body.split() if "/comments/confirm/" in word)
    path = link[link.index("/development/") :]
    client.post(path)
    comment.refresh_from_db()
    assert comment.confirmed
    html = client.get(url).content.decode()
    assert "Say how safe." in html and "li@example.org" not in html


def test_no_comment_on_a_closed_draft_and_no_edit_after_close(group_team):
    project = _open(group_team, make_project(group_team))
    comment = comment_submit(
        project=project, user=group_team.stranger, values={"type": "ed", "text": "typo"}
    )
    comment_edit(comment=comment, user=group_team.stranger, values={"type": "ed", "text": "typo!"})
    type(project).objects.filter(pk=project.pk).update(
        comment_closes=dt.date.today() - dt.timedelta(1)
    )
    project.refresh_from_db()
    count = Comment.objects.count()
    for attempt in (
        lambda: comment_submit(
            project=project, user=group_team.stranger, values={"type": "ed", "text": "late"}
        ),
        lambda: comment_edit(
            comment=comment, user=group_team.stranger, values={"type": "ed", "text": "x"}
        ),
    ):
        with pytest.raises(ApplicationError) as refusal:
            attempt()
        assert refusal.value.code == "comment_closed"
    assert Comment.objects.count() == count
    comment.refresh_from_db()
    assert comment.text == "typo!"


def test_the_commenting_template_round_trip_and_dispositions(
    group_team, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    project = _open(group_team, make_project(group_team))
    draft = project.versions.get()
    comment_submit(
        project=project,
        user=group_team.proposer,
        values={"type": "te", "clause": "1", "text": "Wider scope."},
    )
    # A committee's comments, filled in the exported template.
    book = load_workbook(io.BytesIO(comments_export(project, draft)))
    sheet = book.worksheets[0]
    sheet.append(
        [None, "SAC/TC 1", "12", "3.2", "", "ed", "Say daily.", "weekly → daily", "hygiene", "", ""]
    )
    out = io.BytesIO()
    book.save(out)
    assert comments_import(
        project=project, user=group_team.officer, data=out.getvalue(), file="c.xlsx"
    ) == {"added": 1}
    assert Comment.objects.filter(member_body="SAC/TC 1", clause__ref="3.2").exists()
    # Comment closes; decisions come back in the same template.
    type(project).objects.filter(pk=project.pk).update(
        comment_opens=dt.date.today() - dt.timedelta(40),
        comment_closes=dt.date.today() - dt.timedelta(1),
    )
    project.refresh_from_db()
    transition_apply(project, "close_comment", actor=None)
    with pytest.raises(ApplicationError) as refusal:
        transition_apply(project, "send_to_review", actor=group_team.officer)
    assert refusal.value.code == "comments_without_decision"
    book = load_workbook(io.BytesIO(comments_export(project, draft)))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(min_row=2))
    rows[0][9].value, rows[0][10].value = "accepted", "Scope widened."
    rows[1][9].value, rows[1][10].value = "not accepted", "Weekly suffices."
    broken = io.BytesIO()
    rows[1][9].value = "maybe"
    book.save(broken)
    with pytest.raises(ApplicationError) as refusal:
        comments_import(
            project=project, user=group_team.officer, data=broken.getvalue(), file="d.xlsx"
        )
    assert refusal.value.code == "bad_decision" and refusal.value.where.row == 3
    assert not Comment.objects.exclude(disposition="").exists()  # nothing written
    rows[1][9].value = "not accepted"
    good = io.BytesIO()
    book.save(good)
    assert comments_import(
        project=project, user=group_team.officer, data=good.getvalue(), file="d.xlsx"
    ) == {"decided": 2}
    with django_capture_on_commit_callbacks(execute=True):
        transition_apply(project, "send_to_review", actor=group_team.officer)
    assert len(mail.outbox) == 1  # the member with an account and an address was told
    table = load_workbook(io.BytesIO(disposition_table(project, draft))).active
    values = [c for row in table.iter_rows(values_only=True) for c in row if c]
    assert "Scope widened." in values and "Weekly suffices." in values


def test_only_officers_decide(group_team):
    project = _open(group_team, make_project(group_team))
    comment = comment_submit(
        project=project, user=group_team.stranger, values={"type": "ge", "text": "ok"}
    )
    with pytest.raises(ApplicationError) as refusal:
        comment_decide(
            comment=comment, user=group_team.stranger, disposition="accepted", reason="x"
        )
    assert refusal.value.status == 403


def test_a_private_proposal_is_hidden_from_the_public(group_team):
    project = make_project(group_team)
    assert Client().get(project.get_absolute_url()).status_code == 404
    transition_apply(
        project,
        "approve",
        actor=group_team.approver,
        data=step_data(group_team, "approve", project),
    )
    assert Client().get(project.get_absolute_url()).status_code == 200
