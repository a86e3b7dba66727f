"""Standards development in a real Chromium, in both languages: a group standard from proposal
to publication (a proposer, the association's approver and officer, an anonymous member of the
public who comments after confirming an email address, dispositions, the panel's ballot with a
drafting organization's expert excluded, the number the system proposes, publication into the
catalog, found by search; the comment summary and disposition table downloaded as PDF from
the project's public page and read back; the statistics counting the group standard issued
through the project beside the catalog's count, down to the project); the PDF before the
worker has printed it (a page that says so, follows the job, then offers the file); a local
standard whose comment period is shorter than 30 days, refused; and a review-due reminder."""

import re
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core import mail

from stdplus.development.models import Project, Vote
from tests.development.conftest import advance, make_project, make_team

from .conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-development-12345"
PDF = b"%PDF-1.4\n% proposal\n"
TEXT = "1 Scope\nThis standard applies to drinking fountains.\n2 Requirements\nClean weekly."
LOCALES = {"en": "en-US", "zh-hans": "zh-CN"}


def _person(user: User) -> User:
    user.set_password(PASSWORD)
    user.save()
    return user


def _context(browser, language):
    return browser.new_context(locale=LOCALES[language], viewport={"width": 1280, "height": 1300})


def _login(browser, base: str, user: User, language: str):
    page = _context(browser, language).new_page()
    page.goto(f"{base}/account/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")
    return page


def _submit(page, form) -> None:
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def _step(page, action: str, **values) -> None:
    form = page.locator(f'form[data-step="{action}"]')
    for name, value in values.items():
        form.locator(f"#{action}-{name}").fill(value)
    _submit(page, form)


def _state(page) -> str:
    return page.locator("section.lifecycle").get_attribute("data-state")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_group_standard_from_proposal_to_publication(
    live_server, browser, shot, settings, language
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STDPLUS_SITE_URL = live_server.url
    settings.STDPLUS_TODAY = "2026-03-02"
    team = make_team("group")
    for person in (
        team.proposer,
        team.approver,
        team.officer,
        team.expert_user,
        team.conflicted_user,
    ):
        _person(person)
    base = live_server.url
    tag = f"devel-group-{language}"

    # The proposal, with its document.
    page = _login(browser, base, team.proposer, language)
    page.goto(f"{base}/development/propose/")
    page.select_option("#p-kind", "group")
    page.select_option("#p-owner", str(team.owner.pk))
    page.fill("#p-zh", "公园直饮水设施技术规范")
    page.fill("#p-en", "Drinking fountains in parks")
    page.set_input_files(
        "#p-file", files=[{"name": "proposal.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    _submit(page, page.locator("main form"))
    project = Project.objects.get()
    url = f"{base}{project.get_absolute_url()}"
    assert _state(page) == "proposed"

    # The approver sets up the project (立项).
    approver = _login(browser, base, team.approver, language)
    approver.goto(url)
    _step(approver, "approve", plan_number="SZT-2026-01", deadline="2026-12-31")
    assert _state(approver) == "approved"

    # The officer names the drafters (the conflicted expert's organization) and the panel.
    officer = _login(browser, base, team.officer, language)
    officer.goto(url)
    officer.fill("#w-org", str(team.drafter_org.pk))
    officer.check("#w-lead")
    _submit(officer, officer.locator("#w-org").locator("xpath=ancestor::form"))
    for expert, account in (
        (team.expert, team.expert_user),
        (team.conflicted, team.conflicted_user),
    ):
        officer.select_option("#w-expert", str(expert.pk))
        officer.fill("#w-account", account.username)
        _submit(officer, officer.locator("#w-expert").locator("xpath=ancestor::form"))
    _step(officer, "start_drafting")
    officer.fill("#w-text", TEXT)
    _submit(officer, officer.locator("#w-text").locator("xpath=ancestor::form"))
    _step(officer, "open_comment", opens="2026-03-02", closes="2026-04-01")
    assert _state(officer) == "comment"

    # An anonymous member of the public comments, then confirms by the mailed link.
    public = _context(browser, language).new_page()
    public.goto(f"{base}/development/comment/")
    assert (
        public.locator(f'tr[data-project="{project.pk}"] .countdown').inner_text().startswith("30")
    )
    shot(public, f"{tag}-open")
    public.goto(f"{base}/development/{project.pk}/drafts/1/")
    public.select_option("#c-clause", "2")
    public.select_option("#c-type", "te")
    public.fill("#c-text", "Weekly is too rare.")
    public.fill("#c-change", "Clean daily.")
    public.fill("#c-name", "Li Lei")
    public.fill("#c-email", "li@example.org")
    _submit(public, public.locator("#comment-form form"))
    link = re.search(r"https?://\S+/comments/confirm/\S+", mail.outbox[-1].body)[0]
    public.goto(link)
    with public.expect_navigation():
        public.click("#confirm")
    assert public.locator("#confirmed").count() == 1
    public.goto(f"{base}/development/{project.pk}/drafts/1/")
    assert "Weekly is too rare." in public.locator("#comments").inner_text()
    shot(public, f"{tag}-comment")

    # The period is over: closed, the comment decided, the review opened.
    settings.STDPLUS_TODAY = "2026-04-02"
    officer.goto(url)
    _step(officer, "close_comment")
    assert _state(officer) == "handling"
    officer.goto(f"{base}/development/{project.pk}/drafts/1/")
    decide = officer.locator("form.decide").first
    decide.locator("select").select_option("partly")
    decide.locator("input[name=reason]").fill("Cleaned twice a week.")
    _submit(officer, decide)
    officer.goto(url)
    _step(officer, "send_to_review")
    assert _state(officer) == "review"
    assert len([m for m in mail.outbox if "li@example.org" in m.to]) == 2  # told the decision

    # The ballot: the drafting organization's expert may not vote; the other approves.
    conflicted = _login(browser, base, team.conflicted_user, language)
    conflicted.goto(url)
    conflicted.select_option("#vote-position", "approve")
    _submit(conflicted, conflicted.locator("#vote-form"))
    refused = conflicted.locator("main").inner_text()
    assert ("may not vote" in refused) if language == "en" else ("不能表决" in refused)
    assert not Vote.objects.filter(seat__expert=team.conflicted).exists()
    expert = _login(browser, base, team.expert_user, language)
    expert.goto(url)
    expert.select_option("#vote-position", "approve")
    _submit(expert, expert.locator("#vote-form"))
    arithmetic = expert.locator("#ballot-arithmetic").inner_text()
    assert (
        ("1 of 1" in arithmetic)
        if language == "en"
        else ("1 名有表决权的成员中 1 名参加" in arithmetic)
    )
    shot(expert, f"{tag}-ballot")
    officer.goto(url)
    _step(officer, "pass_review")
    approver.goto(url)
    _step(approver, "approve_standard")
    officer.goto(url)
    proposed = officer.locator("#proposed-number").inner_text()
    code = team.owner.issuer_codes.get().code.removeprefix("T/")
    assert proposed == f"T/{code} 1-2026"
    _step(officer, "publish")
    assert _state(officer) == "published"
    assert officer.locator("#published-standard").inner_text() == proposed
    shot(officer, f"{tag}-published")

    # Found by search, as a catalog edition.
    public.goto(f"{base}/search/?q=公园直饮水设施")
    assert proposed in public.locator("main").inner_text()
    shot(public, f"{tag}-search")

    # The comment summary and disposition table is published on the project's public page,
    # as XLSX and as a PDF in the page's language.
    public.goto(url)
    _dispositions_pdf(public, language, f"devel2-dispositions-{language}", shot)

    # The statistics count the group standard issued through this project, beside the
    # catalog's count, with the project behind the figure.
    _statistics(public, base, language, project, proposed, shot)


def _dispositions_pdf(page, language: str, name: str, shot) -> None:
    links = page.locator("#dispositions")
    assert (
        ("disposition table" in links.inner_text())
        if language == "en"
        else ("征求意见汇总处理表" in links.inner_text())
    )
    shot(page, name)
    with page.expect_download() as waiting:
        page.click("#dispositions-pdf")
    download = waiting.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Weekly is too rare." in text and "Cleaned twice a week." in text
    if language == "en":
        assert "accepted in part" in text and "Page 1 of 1" in text
    else:
        assert "部分采纳" in text and "第 1 页，共 1 页" in text and "Comment summary" not in text
    # The first page as an image beside the screenshots, for a reader of the report.
    out = SCREENSHOTS / f"{name}-pdf"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-singlefile", "-", str(out)], input=pdf, check=True
    )


def _statistics(page, base: str, language: str, project, number: str, shot) -> None:
    page.goto(f"{base}/stats/?region=4403&year=2026")
    card = page.locator('[data-card="group_projects"]')
    assert card.locator('[data-figure="group_projects"]').inner_text() == "1"
    assert card.locator('[data-alongside="group_projects"]').inner_text() == "1"
    heading = card.locator("h2").inner_text()
    assert (
        ("through development projects" in heading)
        if language == "en"
        else ("通过标准制修订项目发布的团体标准" in heading)
    )
    card.scroll_into_view_if_needed()
    shot(page, f"devel2-stats-{language}")
    with page.expect_navigation():
        card.locator('[data-figure="group_projects"]').click()
    table = page.locator("main table").first.inner_text()
    assert number in table and (project.title_en in table or project.title_zh in table)
    shot(page, f"devel2-stats-records-{language}")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_local_standards_short_comment_period_is_refused(
    live_server, browser, shot, settings, language
):
    settings.STDPLUS_TODAY = "2026-03-02"
    team = make_team("local")
    _person(team.officer)
    project = advance(team, make_project(team), "start_drafting")
    officer = _login(browser, live_server.url, team.officer, language)
    officer.goto(f"{live_server.url}{project.get_absolute_url()}")
    _step(officer, "open_comment", opens="2026-03-02", closes="2026-03-22")
    assert _state(officer) == "drafting"
    text = officer.locator("main").inner_text()
    assert ("at least 30 days" in text) if language == "en" else ("不得少于 30 天" in text)
    shot(officer, f"devel-local-short-{language}")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_review_due_reminder_on_the_dashboard(live_server, browser, shot, settings, language):
    from stdplus.core.lifecycle import transition_apply
    from stdplus.development.services import development_daily

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STDPLUS_TODAY = "2021-03-02"
    team = make_team("local")
    _person(team.officer)
    project = advance(team, make_project(team), "publish")
    transition_apply(project, "file", actor=team.officer, data={"filing_number": "F-1"})
    settings.STDPLUS_TODAY = "2025-10-01"
    development_daily()
    officer = _login(browser, live_server.url, team.officer, language)
    officer.goto(f"{live_server.url}/development/dashboard/")
    reminders = officer.locator("#reminders").inner_text()
    assert project.title_en in reminders or project.title_zh in reminders
    assert "2026-03-02" in reminders
    assert any("2026-03-02" in m.body for m in mail.outbox)
    shot(officer, f"devel-reminder-{language}")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_pdf_is_prepared_in_the_background_and_offered_when_printed(
    live_server, browser, shot, monkeypatch, language
):
    """The review's start asks for the print; until the worker has printed it, the PDF link
    opens a page that says so and follows the job, then offers the file."""
    from stdplus.core import jobs
    from stdplus.development.models import DispositionPrint
    from tests.development.test_dispositions import _handled, advance_to_review

    queued: list[int] = []
    monkeypatch.setattr(jobs, "job_run", queued.append)  # the worker runs it when the test says
    team = make_team("group")
    project = _handled(team)
    advance_to_review(team, project)
    assert len(queued) == 2  # both languages, asked for when the step committed
    page = _context(browser, language).new_page()
    page.goto(f"{live_server.url}{project.get_absolute_url()}")
    with page.expect_navigation():
        page.click("#dispositions-pdf")
    status = page.locator("#dispositions-pdf-status")
    assert status.get_attribute("data-state") == "waiting"
    waiting = status.inner_text()
    assert ("The PDF is being prepared" in waiting) if language == "en" else ("正在准备" in waiting)
    job = DispositionPrint.objects.get(project=project, language=language).job
    jobs.job_progress(job, 1, 3, "…")
    page.wait_for_selector("#dispositions-pdf-progress[value='1']", timeout=10_000)
    shot(page, f"devel-dispositions-pdf-waiting-{language}")
    assert jobs.job_execute(job.pk)  # the worker prints it (Chromium)
    page.wait_for_selector("#dispositions-pdf-download", timeout=15_000)
    assert status.get_attribute("data-state") == "ready"
    shot(page, f"devel-dispositions-pdf-ready-{language}")
    with page.expect_download() as waiting_download:
        page.click("#dispositions-pdf-download")
    pdf = Path(waiting_download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert pdf == bytes(DispositionPrint.objects.get(project=project, language=language).data)
