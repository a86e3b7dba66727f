"""One language per page: every page, export and mail, in English and in Chinese, shows no text in
the other language, except the records' own names and titles, identifiers and the language
switcher.

The pages are found by walking the URL patterns, each filled in with a real record of the
fixtures, and read as the public, as an enterprise user and as regulator staff. A URL pattern the
walk does not know fails the test, so a new page is checked or skipped here with its reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from stdplus.programme.models import (
    AreaProject,
    Expert,
    FundingApplication,
    MatchCandidate,
    Pilot,
)
from stdplus.stats.indicators import INDICATORS

from ..accounts.helpers import PASSWORD

pytestmark = pytest.mark.django_db

LANGUAGE_NAMES = {"中文", "简体中文"}
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]")
# Words that read the same in both languages: the product, units, formats, proper names.
SAME_IN_BOTH = {
    "stdplus",
    "Standards+",
    "Standards",
    "JSON",
    "CSV",
    "XLSX",
    "PDF",
    "API",
    "Webhook",
    "Atom",
    "Chromium",
    "English",
    "Excel",
    "km",
    "kg",
    "dB",
    "CNY",
    "ICS",
    "CCS",
    "RFC",
    "IETF",
    "ISO",
    "IEC",
    "ITU",
    "IEEE",
    "Relaton",  # the name of the ISO, IEC and ITU data format
    "Amd",
    # The ISO commenting template's types of comment (general, technical, editorial), which
    # committees write in either language.
    "ge",
    "te",
    "ed",
    "Cor",
    "Suppl",
    "Guide",
}
# Files and feeds: tests/i18n/test_one_language_files.py reads each in both languages.
FILE = "a file or feed, read by test_one_language_files.py"
# Pages the walk leaves out, and why.
SKIPPED = {
    "checks:export": FILE,
    "watch:feed": FILE,
    "watch:changes-feed": FILE,
    "accounts:password_reset_confirm": "the link of a password mail (a signed token)",
    "watch:from-check": "an action (POST) making a watch list from a check",
    "accounts:signup-confirm": "the link of a sign-up mail; its page is the account page",
    "accounts:token-revoke": "an action (POST)",
    "accounts:logout": "an action (POST)",
    "accounts:switch": "an action (POST) switching organization",
    "checks:rerun": "an action (POST)",
    "checks:delete": "an action (POST)",
    "catalog:lookup": "redirects to a standard's page, which is walked",
    "catalog:demo-switch": "an action (POST) turning demo data on or off",
    "metrics": "Prometheus text for monitoring systems, not people",
    "jobs:detail": "a job's own page; this walk starts no job (tests/core/test_web_jobs.py)",
    "jobs:download": "a file made by a job",
    "stats:records-export": FILE,
    "search:export": FILE,
    "declarations:export": FILE,
    "declarations:feed": FILE,
    "declarations:product-new": "an action (POST)",
    "declarations:revise": "an action (POST)",
    "declarations:product-delete": "an action (POST)",
    "declarations:cite": "an action (POST)",
    "declarations:qstandard-new": "an action (POST)",
    "declarations:indicator-new": "an action (POST)",
    "declarations:qstandard-text": "a file as the enterprise uploaded it",
    "supervision:item": "an action (POST)",
    "supervision:run-export": FILE,
    "development:feed": FILE,
    "development:dispositions": FILE,
    "development:comments-file": FILE,
    "development:dispositions-pdf": FILE,
    "development:comments-import": "an action (POST)",
    "development:work": "an action (POST)",
    "development:decide": "an action (POST)",
    "development:document": "a file as uploaded",
    "development:comment-confirm": "the link of a mail (a secret token)",
    "development:comment-answer": "the link of a mail (a secret token)",
    "support:apply": "an action (POST)",
    "support:enroll": "an action (POST)",
    "support:certificate-pdf": FILE,
    "support:policies-feed": FILE,
    "programme:evidence-upload": "an action (POST)",
    "programme:evidence-download": "a file as the enterprise uploaded it",
    "programme:template": (
        "the register's upload templates carry both languages in their headers on purpose, so "
        "one file serves every person who fills it in"
    ),
}
# What people typed is shown back as typed.
QUERIES = ["质量", "quality"]
PREFIXES_SKIPPED = ("admin:", "api", "set_language", "healthz", "readyz")


class _Text(HTMLParser):
    """The visible text nodes of a page, leaving out scripts, styles, the language switcher and
    elements marked as another language (`lang=...`)."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.skip_depth = 0
        self.stack: list[bool] = []
        self.nodes: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
            return
        attrs = dict(attrs)
        lang = (attrs.get("lang") or "").lower()
        skip = bool(
            tag in ("script", "style", "textarea", "code", "time")
            or ("lang" in (attrs.get("class") or "").split() and tag == "form")
            or attrs.get("id") == "language"
            or (tag != "html" and lang and not lang.startswith(self.language[:2]))
        )
        self.stack.append(skip)
        self.skip_depth += skip

    def handle_endtag(self, tag):
        if tag in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
            return
        if self.stack:
            self.skip_depth -= self.stack.pop()

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self.skip_depth:
            self.nodes.append(text)


class Records:
    """The names and titles of every record: text shown as it was entered."""

    def __init__(self, extra=()):
        values: set[str] = set(extra)
        for app in (
            "catalog",
            "programme",
            "accounts",
            "checks",
            "watch",
            "declarations",
            "supervision",
            "development",
            "support",
        ):
            for model in apps.get_app_config(app).get_models():
                fields = [
                    f.name
                    for f in model._meta.get_fields()
                    if getattr(f, "get_internal_type", lambda: "")() in ("CharField", "TextField")
                    and re.search(
                        r"name|title|scope|committee|host|item|body|input|canonical|key|code|"
                        r"source|note|username|email|url|where",
                        f.name,
                    )
                ]
                if not fields:
                    continue
                for row in model.objects.values_list(*fields):
                    values.update(str(v).strip() for v in row if v)
        for row in get_user_model().objects.values_list("username", "email"):
            values.update(row)
        self.values = values
        self.blob = "\n" + "\n".join(sorted(values)) + "\n"

    def allows(self, node: str) -> bool:
        """A record's own text: the whole of a value, or a long part of one; a class or a
        body may come first by its code ("03.120.10 Quality management")."""
        node = node.strip()
        bare = node.strip(" :;,.·()（）—-–|/")
        coded = re.sub(r"^(ICS |CCS )?[\w./-]*\d[\w./-]*\s+", "", bare)
        for text in (node, bare, coded):
            if not text or f"\n{text}\n" in self.blob:
                return True
        # A record's code or identifier, then its title ("GB/T 19001-2016 Quality ...").
        words = bare.split(" ")
        for cut in range(1, min(len(words), 5)):
            head, tail = " ".join(words[:cut]), " ".join(words[cut:])
            if f"\n{head}\n" in self.blob and f"\n{tail}\n" in self.blob:
                return True
        return len(bare) >= 12 and bare in self.blob

    def allows_run(self, run: str) -> bool:
        """A run of Chinese characters that is part of a record's text: the whole of a value,
        or three characters or more of one."""
        return f"\n{run}\n" in self.blob or (len(run) >= 3 and run in self.blob)


def _identifier_like(word: str) -> bool:
    return not re.search(r"[a-z]", word) or bool(re.search(r"[\d_]", word))


def foreign_text(nodes: list[str], language: str, records: Records) -> list[str]:
    """The text nodes in the other language that are not a record's own text."""
    found = []
    for node in nodes:
        if records.allows(node):
            continue
        if language == "en":
            # English words, then a record's own text ("technical 条款 1 的范围过宽。",
            # a printed table's cells run together).
            words = node.split(" ")
            if any(
                not CJK.search(" ".join(words[:cut])) and records.allows(" ".join(words[cut:]))
                for cut in range(1, len(words))
            ):
                continue
            # Each run of Chinese must be a record's own text (a name as entered, a title).
            runs = re.findall(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]+", node)
            # A language's own name in a language choice reads the same on every page.
            runs = [run for run in runs if run not in LANGUAGE_NAMES]
            if any(not records.allows_run(run) for run in runs):
                found.append(node)
        else:
            words = re.findall(r"[A-Za-z][\w'+]*", node)
            english = [
                w
                for w in words
                if len(w) >= 2
                and w not in SAME_IN_BOTH
                and not _identifier_like(w)
                and re.search(r"[a-z]", w)
                and f"\n{w}\n" not in records.blob  # a user name, a one-word name
            ]
            if english:
                rest = node
                for part in re.findall(r"[^·:;,()|/—–（）：；，。、]+", node):
                    if records.allows(part):
                        rest = rest.replace(part, " ")
                left = [
                    w
                    for w in re.findall(r"[A-Za-z][\w'+]*", rest)
                    if w in english and not _identifier_like(w)
                ]
                if left:
                    found.append(node)
    return found


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else prefix
            yield from _patterns(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name, entry


def _urls(site) -> tuple[list[tuple[str, str]], list[str]]:
    """(who, url) for every page; and the patterns nobody knows how to fill."""
    register, check = site["world"], site["check"]
    pilot = Pilot.objects.first()
    expert = Expert.objects.first()
    fill = {
        "catalog:home": [reverse("catalog:home")],
        "catalog:standard-detail": [
            reverse("catalog:standard-detail", args=[key])
            for key in ("GB/T 19001-2016", "ISO 91002:2018", "GB/T 90001-2021")
        ],
        "catalog:audit": [reverse("catalog:audit")],
        "search:search": [
            reverse("search:search") + "?q=" + QUERIES[1],
            reverse("search:search") + "?q=" + QUERIES[0],
            reverse("search:search") + "?level=national",
        ],
        "search:classes": [
            reverse("search:classes", args=["ics"]),
            reverse("search:classes", args=["ccs"]),
        ],
        "search:class-detail": [reverse("search:class-detail", args=["ics", "03.120.10"])],
        "search:bodies": [reverse("search:bodies")],
        "accounts:signup": [reverse("accounts:signup")],
        "accounts:signup-sent": [reverse("accounts:signup-sent")],
        "accounts:account": [reverse("accounts:account")],
        "accounts:organization": [reverse("accounts:organization")],
        "accounts:login": [reverse("accounts:login")],
        "accounts:password_reset": [reverse("accounts:password_reset")],
        "accounts:password_reset_done": [reverse("accounts:password_reset_done")],
        "accounts:password_reset_complete": [reverse("accounts:password_reset_complete")],
        "checks:index": [reverse("checks:index")],
        "checks:detail": [reverse("checks:detail", args=[check.pk])],
        "watch:index": [reverse("watch:index")],
        "watch:detail": [reverse("watch:detail", args=[site["watch_list"].pk])],
        "watch:inbox": [reverse("watch:inbox")],
        "watch:changes": [reverse("watch:changes")],
        "stats:dashboard": [
            reverse("stats:dashboard"),
            reverse("stats:dashboard") + "?region=440305",
        ],
        "stats:records": [reverse("stats:records", args=[key]) for key in INDICATORS],
        "programme:home": [reverse("programme:home")],
        "programme:organization-detail": [
            reverse("programme:organization-detail", args=[register.nanshan.pk])
        ],
        "programme:experts": [reverse("programme:experts")],
        "programme:expert-detail": [reverse("programme:expert-detail", args=[expert.pk])],
        "programme:pilots": [reverse("programme:pilots")],
        "programme:pilot-detail": [reverse("programme:pilot-detail", args=[pilot.pk])],
        "programme:areas": [reverse("programme:areas")],
        "programme:review": [reverse("programme:review")],
        "programme:upload": [reverse("programme:upload")],
        "programme:applications": [reverse("programme:applications")],
        "programme:project-detail": [
            reverse("programme:project-detail", args=[pk])
            for pk in AreaProject.objects.values_list("pk", flat=True)[:2]
        ],
        "programme:review-detail": [
            reverse("programme:review-detail", args=[pk])
            for pk in MatchCandidate.objects.values_list("pk", flat=True)[:2]
        ],
        "stats:report": [reverse("stats:report")],
        "importers:upload": [reverse("importers:upload")],
        "declarations:search": [
            reverse("declarations:search"),
            reverse("declarations:search") + "?district=4403&category=2927",
        ],
        "declarations:mine": [reverse("declarations:mine")],
        "declarations:import": [reverse("declarations:import")],
        **site["declared"],
        **{
            name: [url]
            for name, url in site["supervision"].items()
            if name.startswith("supervision:")
        },
        "development:index": [reverse("development:index")],
        "development:open": [reverse("development:open")],
        "development:dashboard": [reverse("development:dashboard")],
        "development:propose": [reverse("development:propose")],
        "development:project": [site["project"].get_absolute_url()],
        "development:draft": [reverse("development:draft", args=[site["project"].pk, 1])],
        "development:compare": [reverse("development:compare", args=[site["project"].pk])],
        "programme:application-detail": [
            reverse("programme:application-detail", args=[pk])
            for pk in FundingApplication.objects.values_list("pk", flat=True)[:2]
        ],
        "support:home": [reverse("support:home")],
        "support:policies": [
            reverse("support:policies"),
            reverse("support:policies") + "?region=440305&status=in_force",
        ],
        "support:policy-detail": [_policy().get_absolute_url()],
        "support:questions": [reverse("support:questions"), reverse("support:questions") + "?q=x"],
        "support:ask": [reverse("support:ask")],
        "support:training": [reverse("support:training")],
        "support:verify": [reverse("support:verify"), reverse("support:verify") + "?code=SZC-1-A"],
        "support:talent": [reverse("support:talent")],
        "support:policy-alerts": [reverse("support:policy-alerts")],
        "support:expert-profile": [reverse("support:expert-profile")],
        "support:session": [reverse("support:session", args=[_session(site).pk])],
        "support:question-detail": [_question(site).get_absolute_url()],
        "support:claims": [
            reverse("support:claims"),
            reverse("support:claims") + f"?organization={register.nanshan.pk}",
        ],
    }
    urls, unknown = [], []
    for name, _pattern in _patterns():
        if name in SKIPPED or name.startswith(PREFIXES_SKIPPED) or name in ("favicon",):
            continue
        if name not in fill:
            unknown.append(name)
            continue
        urls += fill[name]
    return urls, unknown


def _policy():
    from stdplus.programme.models import Region
    from stdplus.support.models import Policy

    return Policy.objects.create(
        title_zh="深圳市标准化资助办法",
        title_en="Shenzhen standardization funding measures",
        issuer_zh="深圳市市场监督管理局",
        issuer_en="Shenzhen Administration for Market Regulation",
        region=Region.objects.get(code="440300"),
        issued_on=dt.date(2024, 3, 1),
        summary_zh="资助主导或参与制定标准的单位。",
        summary_en="Funds organizations that lead or take part in standards.",
        full_text="第一条 为了推动标准化工作，制定本办法。",
    )


def _session(site):
    """A training session with one person attended and certified, another on the waiting list;
    the staff user is an expert of the register (its availability page)."""
    from stdplus.programme.models import Region
    from stdplus.support.models import Course, ExpertProfile, Session
    from stdplus.support.training import attendance_record, certificate_issue, enroll

    ExpertProfile.objects.create(expert=Expert.objects.first(), user=site["staff"], ics=["03.120"])
    course = Course.objects.create(
        title_zh="标准化基础", title_en="Standardization basics", hours=16
    )
    session = Session.objects.create(
        course=course,
        starts_on=dt.date(2024, 5, 1),
        ends_on=dt.date(2024, 5, 2),
        place="",
        online=True,
        region=Region.objects.get(code="440300"),
        capacity=1,
    )
    certificate_issue(attendance_record(enroll(session=session, person=site["engineer"])))
    enroll(session=session, person=site["staff"])
    return session


def _question(site):
    from stdplus.support.services import question_ask

    return question_ask(
        organization=site["world"].nanshan,
        user=site["engineer"],
        topic="standard",
        standard="GB/T 19001-2016",
        title="GB/T 19001-2016",
        public=True,
    )


def _read(client, url: str, language: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language, follow=True)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_page_shows_one_language(site, client, language):
    urls, unknown = _urls(site)
    assert not unknown, f"pages the walk does not know (fill them in or skip them): {unknown}"
    from stdplus.development.clauses import clauses_compare
    from stdplus.development.models import Clause, DraftVersion, Project

    typed = [f"{ref} {heading}" for ref, heading in Clause.objects.values_list("ref", "heading")]
    typed += [*Clause.objects.values_list("heading", flat=True)]
    versions = list(DraftVersion.objects.order_by("project", "version"))
    for old, new in zip(versions, versions[1:], strict=False):
        if old.project_id == new.project_id:
            for change in clauses_compare(list(old.clauses.all()), list(new.clauses.all())):
                typed += [text.strip() for _kind, text in change.pieces if text.strip()]
    typed += [line for t in Clause.objects.values_list("text", flat=True) for line in t.split("\n")]
    typed += [v for row in Project.objects.values_list("title_zh", "title_en") for v in row if v]
    records = Records(extra=[*QUERIES, *typed])
    problems = []
    for who in ("public", "engineer", "staff"):
        client.logout()
        if who != "public":
            client.force_login(site[who])
        client.cookies.pop("django_language", None)
        for url in urls:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            if response.status_code in (302, 403, 404, 405):
                continue  # not this person's page (the permission tests cover who sees what)
            assert response.status_code == 200, (who, url, response.status_code)
            if "html" not in response.get("Content-Type", ""):
                continue
            parser = _Text(language)
            parser.feed(response.content.decode())
            for node in foreign_text(parser.nodes, language, records):
                problems.append(f"{who} {url}: {node[:120]}")
    assert len(urls) > 40
    assert not problems, f"{len(problems)} texts in the other language:\n" + "\n".join(
        dict.fromkeys(problems)
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_checks_exports_show_one_language(site, client, language):
    records = Records()
    client.force_login(site["engineer"])
    check = site["check"]
    text = _read(client, reverse("checks:export", args=[check.pk, "csv"]), language)
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row if cell]
    from openpyxl import load_workbook

    response = client.get(
        reverse("checks:export", args=[check.pk, "xlsx"]), HTTP_ACCEPT_LANGUAGE=language
    )
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells += [str(value) for value in row if isinstance(value, str) and value]
    found = foreign_text(cells, language, records)
    assert not found, found


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_sign_up_mail_shows_one_language(db, client, language, settings):
    from ..accounts.helpers import credit_code

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "password": PASSWORD,
            "organization_kind": "enterprise",
            "kind": "enterprise",
            "name_zh": "新来公司",
            "name_en": "Newcomer Ltd",
            "credit_code": credit_code("91440300MA5F9999"),
            "action": "create",
        },
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code in (200, 302)
    if not mail.outbox:
        pytest.skip("the sign-up form took other fields; its mail is not sent here")
    records = Records()
    message = mail.outbox[-1]
    nodes = [line for line in (message.subject + "\n" + message.body).splitlines() if line.strip()]
    nodes = [re.sub(r"https?://\S+", "", line) for line in nodes]
    assert not foreign_text(nodes, language, records)


def test_the_credit_code_error_reads_in_chinese():
    from stdplus.accounts.credit_code import credit_code_error

    with translation.override("zh-hans"):
        error = credit_code_error("91440300MA5F00000")
    assert error and CJK.search(error), error


def test_the_admin_is_titled_in_the_page_language(site, client):
    client.force_login(site["staff"])
    chinese = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "stdplus 管理" in chinese and "Django" not in chinese
    english = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "stdplus administration" in english and "管理" not in english


def test_an_organization_shows_its_english_name_on_english_pages(site, client):
    nanshan = site["world"].nanshan
    url = reverse("programme:organization-detail", args=[nanshan.pk])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nanshan Test Tech Co., Ltd." in english
    with translation.override("en"):
        assert str(nanshan) == "Nanshan Test Tech Co., Ltd."
    with translation.override("zh-hans"):
        assert str(nanshan) == "深圳南山测试科技有限公司"


def test_the_scan_finds_text_in_the_other_language():
    records = Records.__new__(Records)
    records.values, records.blob = {"深圳南山测试科技有限公司"}, "\n深圳南山测试科技有限公司\n"
    assert foreign_text(["粘贴文本"], "en", records) == ["粘贴文本"]
    assert foreign_text(["深圳南山测试科技有限公司"], "en", records) == []
    assert foreign_text(["line 3"], "zh-hans", records) == ["line 3"]
    assert foreign_text(["GB/T 19001-2016 现行"], "zh-hans", records) == []
