"""Pages, API, permissions, drafts and their comparison, the periodic review with its reminder,
and the daily run."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from stdplus.catalog.models import Standard
from stdplus.core.errors import ApplicationError
from stdplus.core.lifecycle import transition_apply
from stdplus.development.models import DraftVersion, Reminder
from stdplus.development.services import (
    comment_answer,
    comment_decide,
    comment_submit,
    development_daily,
    dispositions_notify,
    draft_add,
)

from .conftest import advance, make_project, step_data

pytestmark = pytest.mark.django_db


def test_the_public_sees_public_steps_only(group_team):
    hidden = make_project(group_team)
    shown = advance(group_team, make_project(group_team), "start_drafting")
    anonymous = Client()
    listed = anonymous.get("/api/v1/development/projects").json()
    assert [p["id"] for p in listed["items"]] == [shown.pk]
    assert anonymous.get(f"/api/v1/development/projects/{hidden.pk}").status_code == 404
    detail = anonymous.get(f"/api/v1/development/projects/{shown.pk}").json()
    assert [e["action"] for e in detail["lifecycle"]["history"]][-2:] == [
        "approve",
        "start_drafting",
    ]
    assert not any(step["allowed"] for step in detail["lifecycle"]["steps"])
    officer = Client()
    officer.force_login(group_team.officer)
    assert officer.get(hidden.get_absolute_url()).status_code == 200
    page = anonymous.get(shown.get_absolute_url()).content.decode()
    assert 'id="work"' not in page and "data-step=" not in page.split('class="steps-refused"')[0]


def test_only_the_projects_roles_take_steps_by_the_page(group_team):
    project = advance(group_team, make_project(group_team), "approve")
    outsider = Client()
    outsider.force_login(group_team.stranger)
    answer = outsider.post(project.get_absolute_url(), {"action": "start_drafting", "note": ""})
    assert answer.status_code == 403
    project.refresh_from_db()
    assert project.state == "approved"
    officer = Client()
    officer.force_login(group_team.officer)
    officer.post(project.get_absolute_url(), {"action": "start_drafting"})
    project.refresh_from_db()
    assert project.state == "drafting"


def test_drafts_are_type_limited_versioned_and_compared(group_team):
    project = advance(group_team, make_project(group_team, draft=False), "start_drafting")
    with pytest.raises(ApplicationError) as refusal:
        draft_add(
            project=project,
            user=group_team.drafter,
            text="1 Scope\nx",
            upload=SimpleUploadedFile("x.pdf", b"<script>alert(1)</script>"),
        )
    assert refusal.value.code == "file_type"
    with pytest.raises(ApplicationError) as refusal:
        draft_add(project=project, user=group_team.stranger, text="1 Scope\nx")
    assert refusal.value.status == 403
    assert not DraftVersion.objects.filter(project=project).exists()
    draft_add(
        project=project,
        user=group_team.drafter,
        text="1 Scope\ntap water.\n2 Terms\nNone.",
        upload=SimpleUploadedFile("d.pdf", b"%PDF-1.4 x"),
    )
    draft_add(
        project=project,
        user=group_team.drafter,
        text="1 Scope\nDrinking tap water.\n3 Tests\nBoil.",
    )
    changes = Client().get(f"/api/v1/development/projects/{project.pk}/compare").json()
    assert [(c["clause"], c["status"]) for c in changes] == [
        ("1", "changed"),
        ("2", "removed"),
        ("3", "added"),
    ]
    assert changes[0]["pieces"][0] == ["added", "Drinking "]
    page = Client().get(reverse("development:compare", args=[project.pk])).content.decode()
    assert "<ins>Drinking </ins>" in page or "<ins>Drinking" in page


def test_commenters_hear_the_decision_and_answer(
    group_team, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    project = advance(group_team, make_project(group_team), "start_drafting")
    today = dt.date.today()
    transition_apply(
        project,
        "open_comment",
        actor=group_team.officer,
        data={"opens": today.isoformat(), "closes": (today + dt.timedelta(30)).isoformat()},
    )
    comment = comment_submit(
        project=project, user=group_team.proposer, values={"type": "ge", "text": "Fine."}
    )
    type(project).objects.filter(pk=project.pk).update(comment_closes=today - dt.timedelta(1))
    project.refresh_from_db()
    development_daily(today)  # the system closes the period that is over
    project.refresh_from_db()
    assert project.state == "handling"
    assert project.events.last().actor is None
    comment_decide(comment=comment, user=group_team.officer, disposition="noted", reason="Kept.")
    with django_capture_on_commit_callbacks(execute=True):
        assert dispositions_notify(project) == 1
    assert "Kept." in mail.outbox[-1].body
    comment.refresh_from_db()
    comment_answer(token=comment.token, satisfied=False, note="Want more.")
    with pytest.raises(ApplicationError):
        comment_answer(token=comment.token, satisfied=True)


def test_local_standard_filed_then_reviewed_with_a_reminder(local_team, settings, today):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    today("2026-03-02")
    project = advance(local_team, make_project(local_team), "publish")
    transition_apply(project, "file", actor=local_team.officer, data={"filing_number": "备案-1"})
    assert project.review_due == dt.date(2031, 3, 2)
    today("2030-10-01")  # five months before the review is due
    result = development_daily(dt.date(2030, 10, 1))
    project.refresh_from_db()
    assert project.state == "review_due" and result["reviews_opened"] == 1
    reminders = Reminder.objects.filter(project=project, reason="review_due")
    assert {r.user for r in reminders} == {local_team.officer, local_team.approver}
    assert any(project.title in m.subject and "2031-03-02" in m.body for m in mail.outbox)
    assert development_daily(dt.date(2030, 10, 1))["reminders"] == 0  # once a day
    client = Client()
    client.force_login(local_team.officer)
    board = client.get(reverse("development:dashboard")).content.decode()
    assert project.title in board.split('id="reviews-due"')[1]
    assert client.get("/api/v1/development/dashboard").json()["reviews_due"][0]["id"] == project.pk
    transition_apply(project, "abolish", actor=local_team.approver, note="obsolete")
    edition = Standard.objects.get(pk=project.standard_id)
    assert edition.withdrawn == dt.date(2030, 10, 1) and edition.status == "withdrawn"


def test_confirming_a_review_sets_the_next_one(group_team, today):
    today("2026-03-02")
    project = advance(group_team, make_project(group_team), "publish")
    transition_apply(project, "open_review", actor=group_team.officer)
    today("2027-01-05")
    transition_apply(project, "confirm", actor=group_team.approver)
    assert project.state == "published" and project.review_due == dt.date(2032, 1, 5)
    assert Standard.objects.get(pk=project.standard_id).confirmed == dt.date(2027, 1, 5)


def test_open_drafts_list_countdown_and_feed(group_team):
    project = advance(group_team, make_project(group_team), "start_drafting")
    today = dt.date.today()
    transition_apply(
        project,
        "open_comment",
        actor=group_team.officer,
        data={"opens": today.isoformat(), "closes": (today + dt.timedelta(30)).isoformat()},
    )
    page = Client().get(reverse("development:open"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "30 days" in page and project.title_en in page
    feed = Client().get(reverse("development:feed"))
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert f"/development/{project.pk}/drafts/1/" in feed.content.decode()
    assert Client().get("/api/v1/development/open").json()[0]["id"] == project.pk


def test_a_ballot_by_a_non_member_through_the_page_writes_nothing(group_team):
    project = advance(group_team, make_project(group_team), "send_to_review")
    client = Client()
    client.force_login(group_team.stranger)
    client.post(
        reverse("development:work", args=[project.pk]), {"what": "vote", "position": "approve"}
    )
    assert not project.ballots.get().votes.exists()
    client.force_login(group_team.expert_user)
    client.post(
        reverse("development:work", args=[project.pk]), {"what": "vote", "position": "approve"}
    )
    assert project.ballots.get().votes.get().position == "approve"
    page = client.get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "结果：通过。" in page and "回避" in page
    assert step_data  # the walk's inputs are shared with these tests


def test_a_reminder_is_written_in_each_persons_language(local_team, settings, today):
    from stdplus.accounts.services import language_remember

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for person, language in ((local_team.officer, "en"), (local_team.approver, "zh-hans")):
        person.email = f"{person.username}@example.org"
        person.save()
        language_remember(user=person, language=language)
    today("2026-03-02")
    project = advance(local_team, make_project(local_team), "publish")
    transition_apply(project, "file", actor=local_team.officer, data={"filing_number": "备案-1"})
    today("2030-10-01")
    development_daily(dt.date(2030, 10, 1))
    by_person = {m.to[0]: m for m in mail.outbox if "2031-03-02" in m.body}
    english = by_person[local_team.officer.email]
    chinese = by_person[local_team.approver.email]
    assert (
        english.subject.startswith("Periodic review due") and "is due by 2031-03-02" in english.body
    )
    assert "复审" in chinese.subject and "Periodic" not in chinese.subject + chinese.body
