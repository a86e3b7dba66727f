"""One language in every file, feed and mail: each export (CSV, XLSX, PDF), each Atom feed and
each mail stdplus writes, made in English and in Chinese, holds no text in the other language
except the records' own names and titles and identifiers (the rules of test_one_language).

The files are found by the URL patterns that the page walk leaves to this test (`FILE` in its
SKIPPED list): each must be filled in here, so a new export or feed is read in both languages.
The mails are found by the places in the code that send mail: each must be made here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from stdplus.accounts.services import language_remember
from stdplus.stats.indicators import INDICATORS
from stdplus.watch.alerts import alerts_process
from stdplus.watch.delivery import digests_send
from stdplus.watch.services import watcher_set

from ..accounts.helpers import PASSWORD, credit_code
from .conftest import new_edition
from .test_one_language import FILE, SKIPPED, Records, _Text, foreign_text

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2] / "src" / "stdplus"
ATOM = "{http://www.w3.org/2005/Atom}"


def _records() -> Records:
    from stdplus.development.models import Clause, Comment, Project

    typed = [v for row in Project.objects.values_list("title_zh", "title_en") for v in row if v]
    typed += [*Clause.objects.values_list("heading", flat=True)]
    typed += [line for t in Clause.objects.values_list("text", flat=True) for line in t.split("\n")]
    for row in Comment.objects.values_list(
        "text", "proposed_change", "reason", "author_name", "disposition_reason", "member_body"
    ):
        typed += [v for v in row if v]
    return Records(extra=typed)


def _files(site) -> dict[str, list[str]]:
    """Each file or feed the page walk leaves to this test, filled in with a real record."""
    from stdplus.supervision.models import RankingRun

    check, project = site["check"], site["project"]
    run = RankingRun.objects.order_by("pk").last()
    return {
        "checks:export": [reverse("checks:export", args=[check.pk, f]) for f in ("csv", "xlsx")],
        "search:export": [
            reverse("search:export", args=[f]) + "?q=quality" for f in ("csv", "xlsx")
        ],
        "stats:records-export": [
            reverse("stats:records-export", args=[key]) + "?region=4403" for key in INDICATORS
        ],
        "declarations:export": [reverse("declarations:export", args=[f]) for f in ("csv", "xlsx")],
        "declarations:feed": [reverse("declarations:feed")],
        "supervision:run-export": [
            reverse("supervision:run-export", args=[run.pk, f]) for f in ("csv", "xlsx")
        ],
        "development:feed": [reverse("development:feed")],
        "development:dispositions": [reverse("development:dispositions", args=[project.pk])],
        "development:comments-file": [reverse("development:comments-file", args=[project.pk])],
        "development:dispositions-pdf": [
            reverse("development:dispositions-pdf", args=[project.pk])
        ],
        "support:policies-feed": [reverse("support:policies-feed")],
        "support:certificate-pdf": [
            reverse("support:certificate-pdf", args=[_certificate(site).pk])
        ],
        "watch:feed": [reverse("watch:feed", args=[site["feed"]])],
        "watch:changes-feed": [reverse("watch:changes-feed")],
    }


def _certificate(site):
    """A training certificate of the engineer, who attended a session in Nanshan."""
    from stdplus.programme.models import Region
    from stdplus.support.models import Course, Session
    from stdplus.support.training import attendance_record, certificate_issue, enroll

    course = Course.objects.create(
        title_zh="标准化基础", title_en="Standardization basics", hours=16
    )
    session = Session.objects.create(
        course=course,
        starts_on=dt.date(2026, 5, 1),
        ends_on=dt.date(2026, 5, 2),
        place="南山",
        region=Region.objects.filter(code__startswith="4403").order_by("code").last(),
        capacity=5,
    )
    engineer = site["engineer"]
    enrollment = enroll(session=session, person=engineer, organization=site["world"].nanshan)
    return certificate_issue(attendance_record(enrollment), on=dt.date(2026, 5, 3))


def _texts(content: bytes, content_type: str, language: str) -> list[str]:
    """The text a person reads in a file or feed, without web addresses."""
    texts = _read_texts(content, content_type, language)
    texts = [re.sub(r"https?://\S+", "", text) for text in texts]
    return [text for text in texts if text.strip()]


def _read_texts(content: bytes, content_type: str, language: str) -> list[str]:
    if "csv" in content_type:
        text = content.decode("utf-8-sig")
        return [cell for row in csv.reader(io.StringIO(text)) for cell in row if cell.strip()]
    if "spreadsheetml" in content_type:
        book = load_workbook(io.BytesIO(content))
        cells = [*book.sheetnames]
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells += [v for v in row if isinstance(v, str) and v.strip()]
            for chart in sheet._charts:
                if chart.title and chart.title.tx and chart.title.tx.rich:
                    cells += [r.t for p in chart.title.tx.rich.p for r in p.r or []]
        return cells
    if "pdf" in content_type:
        if not shutil.which("pdftotext"):
            pytest.skip("pdftotext (poppler-utils) is needed to read PDF files")
        run = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
        )
        # Table cells keep their columns apart (two spaces or more); a printed address breaks
        # over lines, so its pieces (words with a slash) are dropped.
        cells = [
            re.sub(r"\S*/\S*", "", cell)
            for line in run.stdout.decode().splitlines()
            for cell in re.split(r"\s{2,}", line)
        ]
        return [cell for cell in cells if cell.strip()]
    if "xml" in content_type:
        texts = []
        for element in ET.fromstring(content).iter():
            if element.tag in (f"{ATOM}id", f"{ATOM}updated", f"{ATOM}published", "guid"):
                continue
            text = (element.text or "").strip()
            if not text:
                continue
            if element.get("type") == "html" or element.tag in ("description",):
                parser = _Text(language)
                parser.feed(text)
                texts += parser.nodes
            else:
                texts.append(text)
        return texts
    raise AssertionError(f"a file of a kind this test cannot read: {content_type}")


def _readers(site):
    return {
        "public": None,
        "engineer": site["engineer"],
        "staff": site["staff"],
        "officer": site["team"].officer,
    }


def _comment_open(team):
    """A project of `team` whose draft is in public comment from today for 30 days."""
    from stdplus.core.dates import today
    from stdplus.core.lifecycle import transition_apply

    from ..development.conftest import advance, make_project

    project = advance(team, make_project(team), "start_drafting")
    on = today()
    transition_apply(
        project,
        "open_comment",
        actor=team.officer,
        data={"opens": on.isoformat(), "closes": (on + dt.timedelta(30)).isoformat()},
    )
    project.refresh_from_db()
    return project


def _development_comment(site) -> None:
    """A public comment on a draft, decided: the comment files and the disposition table."""
    from stdplus.development.services import comment_decide, comment_submit

    team = site["team"]
    project = _comment_open(team)
    comment = comment_submit(
        project=project, user=team.proposer, values={"type": "te", "text": "条款 1 的范围过宽。"}
    )
    from stdplus.development.models import Project

    Project.objects.filter(pk=project.pk).update(state="handling")
    comment_decide(comment=comment, user=team.officer, disposition="noted", reason="已记录。")
    # The PDF is printed by a background job, in both languages, and served from storage.
    from stdplus.development.services import dispositions_print_submit

    from ..development.conftest import print_jobs_run

    dispositions_print_submit(project)
    print_jobs_run()
    site["project"] = project


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_file_and_feed_shows_one_language(site, client, language):
    _development_comment(site)
    files = _files(site)
    named = {name for name, reason in SKIPPED.items() if reason == FILE}
    assert named == set(files), (
        "files the walk leaves to this test and this test does not read: "
        f"{sorted(named - set(files))}; read here but not left by the walk: "
        f"{sorted(set(files) - named)}"
    )
    from stdplus.watch.models import FeedToken

    # A person's feed is in the language they read when they took its address.
    FeedToken.objects.filter(token=site["feed"]).update(language=language)
    records = _records()
    problems, read = [], set()
    for who, person in _readers(site).items():
        client.logout()
        if person is not None:
            client.force_login(person)
        for name, urls in files.items():
            for url in urls:
                response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
                if response.status_code in (302, 403, 404):
                    continue  # not this person's file (the permission tests cover it)
                assert response.status_code == 200, (who, url, response.status_code)
                content = b"".join(response) if response.streaming else response.content
                texts = _texts(content, response.get("Content-Type", ""), language)
                read.add(name)
                for text in foreign_text(texts, language, records):
                    problems.append(f"{who} {url}: {text[:120]}")
    assert read == set(files), f"files nobody could read: {sorted(set(files) - read)}"
    assert not problems, f"{len(problems)} texts in the other language:\n" + "\n".join(
        dict.fromkeys(problems)
    )


# The modules that send mail, and the mails of each that this test makes.
MAIL_SENDERS = {
    "accounts/views.py": "the sign-up confirmation",
    "accounts/urls.py": "the password reset (Django's view, with our template)",
    "watch/delivery.py": "the digest of alerts",
    "development/services.py": "a commenter's confirmation and the decision on the comment",
    "development/reminders.py": "reminders of steps due",
}


def test_every_module_that_sends_mail_is_read_by_the_mail_test():
    sending = re.compile(r"send_mail\(|EmailMessage\(|EmailMultiAlternatives\(|email_template_name")
    found = {
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts and sending.search(path.read_text(encoding="utf-8"))
    }
    assert found == set(MAIL_SENDERS), (
        f"mail senders the mail test does not make: {sorted(found - set(MAIL_SENDERS))}"
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_mail_shows_one_language(
    site, client, language, settings, django_capture_on_commit_callbacks
):
    from stdplus.core.dates import today
    from stdplus.development.reminders import reminders_send
    from stdplus.development.services import comment_decide, comment_submit, dispositions_notify

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    engineer, team = site["engineer"], site["team"]
    made: dict[str, int] = {}

    def count(kind: str, before: int) -> None:
        made[kind] = len(mail.outbox) - before
        assert made[kind] >= 1, f"no {kind} mail was sent"

    # Sign-up confirmation (a visitor reading the page in `language`).
    before = len(mail.outbox)
    client.post(
        reverse("accounts:signup"),
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "action": "create",
            "kind": "enterprise",
            "name_zh": "新来公司",
            "name_en": "Newcomer Ltd",
            "credit_code": credit_code("91440300MA5F9999"),
        },
        HTTP_ACCEPT_LANGUAGE=language,
    )
    count("sign-up", before)
    # Password reset.
    engineer.email = "engineer@example.org"
    engineer.save()
    before = len(mail.outbox)
    client.post(
        reverse("accounts:password_reset"),
        {"email": engineer.email},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    count("password reset", before)
    # The digest of alerts: a new edition of the watched work, the person reads `language`.
    with translation.override(language):
        watcher_set(watch_list=site["watch_list"], user=engineer, digest="daily")
    new_edition(2027)
    alerts_process()
    before = len(mail.outbox)
    digests_send(now=timezone.now() + dt.timedelta(days=1))
    count("digest", before)
    # A public comment from a visitor: the confirmation, then the decision.
    project = _comment_open(team)
    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_submit(
            project=project,
            user=AnonymousUser(),
            values={
                "type": "ge",
                "text": "Scope too wide.",
                "name": "Wang",
                "email": "wang@example.org",
            },
            language=language,
        )
    count("comment confirmation", before)
    comment.confirmed = True
    comment.save()
    type(project).objects.filter(pk=project.pk).update(state="handling")
    comment_decide(comment=comment, user=team.officer, disposition="noted", reason="Kept.")
    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        dispositions_notify(project)
    count("comment decision", before)
    # A reminder: public comment closing within three days, to the owner's people.
    for membership in project.owner.memberships.select_related("user"):
        membership.user.email = membership.user.email or f"{membership.user.username}@example.org"
        membership.user.save()
        language_remember(user=membership.user, language=language)
    type(project).objects.filter(pk=project.pk).update(
        state="comment", comment_closes=today() + dt.timedelta(2)
    )
    before = len(mail.outbox)
    reminders_send(today())
    count("reminder", before)

    records = _records()
    problems = []
    for message in mail.outbox:
        lines = [line for line in (message.subject + "\n" + message.body).splitlines()]
        lines = [re.sub(r"https?://\S+", "", line) for line in lines if line.strip()]
        for text in foreign_text([line for line in lines if line.strip()], language, records):
            problems.append(f"{message.subject[:60]}: {text[:120]}")
    assert len(made) == 6
    assert not problems, "\n".join(dict.fromkeys(problems))
