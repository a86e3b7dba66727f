"""Reminders to a project's officers, in their development inbox and by mail: a deadline passed
(the state's clock), a comment period closing within three days, a periodic review due within
six months. One reminder per person, project and reason a day."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from stdplus.accounts.models import Membership
from stdplus.accounts.services import language_of
from stdplus.core.lifecycle_ui import clocks_of

from .choices import ACTIVE_STATES, IN_FORCE_STATES, State
from .models import Project, Reminder
from .rules import rules_for

OVERDUE, CLOSING, REVIEW = "overdue", "closing", "review_due"


def _due(on: dt.date) -> list[tuple[Project, str, dt.date]]:
    found = []
    for project in Project.objects.filter(state__in=[*ACTIVE_STATES, State.PUBLISHED]):
        for clock in clocks_of(project):
            if clock.overdue and clock.due is not None:
                found.append((project, OVERDUE, clock.due))
                break
    for project in Project.objects.filter(
        state=State.COMMENT, comment_closes__gte=on, comment_closes__lte=on + dt.timedelta(3)
    ):
        found.append((project, CLOSING, project.comment_closes))
    for project in Project.objects.filter(state__in=IN_FORCE_STATES, review_due__isnull=False):
        if project.review_due <= on + dt.timedelta(rules_for(project.kind).review_notice_days):
            found.append((project, REVIEW, project.review_due))
    return found


def reminders_send(on: dt.date) -> int:
    sent = 0
    for project, reason, due in _due(on):
        members = Membership.objects.filter(
            organization_id=project.owner_id, user__is_active=True
        ).select_related("user")
        for membership in members:
            user = membership.user
            try:
                with transaction.atomic():
                    Reminder.objects.create(
                        user=user, project=project, reason=reason, due=due, created_on=on
                    )
            except IntegrityError:
                continue  # reminded today already
            sent += 1
            if user.email:
                with translation.override(language_of(user)):
                    context = {
                        "project": project,
                        "reason": reason,
                        "due": due,
                        "link": settings.STDPLUS_SITE_URL + project.get_absolute_url(),
                    }
                    subject = render_to_string(
                        "development/mail/reminder_subject.txt", context
                    ).strip()
                    body = render_to_string("development/mail/reminder.txt", context)
                send_mail(subject, body, None, [user.email])
    return sent
