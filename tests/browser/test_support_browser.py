"""Support for enterprises in a real Chromium, in both languages: an enterprise sees what it can
claim and why not, applies with evidence; the reviewer asks for more, then approves."""

import pytest

from stdplus.programme.models import FundingApplication
from tests.support.conftest import firm  # noqa: F401 - the enterprise and its people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-support-12345"
PDF = b"%PDF-1.4\n% evidence for the browser test\n"

WORDS = {
    "en-US": {
        "claims": "What your organization can claim",
        "why": "was published (2019-07-01) between 2023-01-01 and 2024-12-31",
        "missing": "Evidence still missing",
        "approved": "Approved",
    },
    "zh-CN": {
        "claims": "本机构可申请的资助",
        "why": "2019-07-01",
        "missing": "仍缺少证明材料",
        "approved": "已批准",
    },
}


def _login(context, base: str, username: str):
    page = context.new_page()
    page.goto(f"{base}/account/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")
    return page


def _attach(page, kind: str) -> None:
    form = page.locator("#evidence-form")
    form.locator('select[name="kind"]').select_option(kind)
    form.locator('input[name="file"]').set_input_files(
        {"name": f"{kind}.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _step(page, action: str, **fields) -> None:
    form = page.locator(f'form[data-step="{action}"]')
    for name, value in fields.items():
        form.locator(f'[name="{name}"]').fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_an_enterprise_claims_applies_and_is_approved(firm, live_server, browser, shot, locale):  # noqa: F811
    words = WORDS[locale]
    tag = "en" if locale == "en-US" else "zh"
    for user in (firm.member, firm.regulator):
        user.set_password(PASSWORD)
        user.save()
    base = live_server.url
    enterprise = browser.new_context(locale=locale, viewport={"width": 1280, "height": 1000})
    page = _login(enterprise, base, "member")
    page.goto(f"{base}/support/claims/")
    assert words["claims"] in page.locator("h1").inner_text()
    row = page.locator('#eligible tr[data-scheme="SZ-2024"][data-item="national-lead"]')
    assert "GB/T 93001-2024" in row.inner_text() and "500000" in row.inner_text().replace(",", "")
    why = page.locator('#not-eligible tr[data-claim="YY/T 93003-2019"]').first.inner_text()
    assert words["why"] in why
    shot(page, f"support-claims-{tag}")
    row.locator('input[name="amount"]').fill("400000")
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    application = FundingApplication.objects.get()
    assert application.state == "draft"
    # Submitting before the evidence is attached is refused, with what is missing.
    assert words["missing"] in page.locator('li[data-step="submit"]').inner_text()
    _attach(page, "publication")
    _attach(page, "foreword")
    _step(page, "submit")
    assert page.locator("section.lifecycle").get_attribute("data-state") == "submitted"
    shot(page, f"support-application-{tag}")

    reviewer_context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 1000})
    reviewer = _login(reviewer_context, base, "regulator")
    url = f"{base}/programme/funding/{application.pk}/"
    reviewer.goto(url)
    assert (
        reviewer.locator('#evidence-checklist tr[data-kind="foreword"]').get_attribute("data-ok")
        == "1"
    )
    _step(reviewer, "review")
    _step(reviewer, "request_evidence", note="Attach the attendance records / 请补充出席记录")
    assert reviewer.locator("section.lifecycle").get_attribute("data-state") == "more_evidence"

    page.goto(url)
    assert "Attach the attendance records" in page.locator("table.history").inner_text()
    _attach(page, "attendance")
    _step(page, "resubmit")

    reviewer.goto(url)
    _step(reviewer, "approve", amount_awarded="350000")
    assert reviewer.locator("section.lifecycle").get_attribute("data-state") == "approved"
    assert words["approved"] in reviewer.locator("[data-current-state]").inner_text()
    shot(reviewer, f"support-approved-{tag}")
    application.refresh_from_db()
    assert (application.state, application.amount_awarded) == ("approved", 350_000)
    assert application.evidence.count() == 3 and application.events.count() == 6
    enterprise.close()
    reviewer_context.close()


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_a_question_is_answered_by_an_expert_and_found_by_the_public(
    firm,  # noqa: F811
    live_server,
    browser,
    shot,
    locale,
):
    from django.contrib.auth.models import User

    from stdplus.catalog.models import Classification
    from stdplus.programme.models import Expert
    from stdplus.support.models import ExpertProfile

    tag = "en" if locale == "en-US" else "zh"
    standard = firm.national.standard
    ics, _ = Classification.objects.get_or_create(
        scheme="ics", code="03.120.10", defaults={"depth": 3}
    )
    standard.classifications.add(ics)
    expert_user = User.objects.create_user("expert", password=PASSWORD)
    ExpertProfile.objects.create(
        expert=Expert.objects.create(name_zh="李专家", name_en="Expert Li", email="li@example.org"),
        user=expert_user,
        ics=["03.120"],
    )
    firm.member.set_password(PASSWORD)
    firm.member.save()
    base = live_server.url
    enterprise = browser.new_context(locale=locale, viewport={"width": 1280, "height": 1000})
    page = _login(enterprise, base, "member")
    page.goto(f"{base}/support/questions/ask/")
    page.select_option("#topic", "standard")
    page.fill("#standard", "GB/T 93001-2024")
    page.fill("#title", "Which sampling plan fits clause 6?")
    page.check('input[name="public"]')
    with page.expect_navigation():
        page.click("#ask-form button[type=submit]")
    assert (
        "Expert Li" in page.locator("#suggestions").inner_text()
        or "李专家" in page.locator("#suggestions").inner_text()
    )
    question_url = page.url

    expert_context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 1000})
    expert_page = _login(expert_context, base, "expert")
    expert_page.goto(f"{base}/support/questions/")
    with expert_page.expect_navigation():
        expert_page.locator("#for-me a").first.click()
    _step(expert_page, "accept")
    _step(
        expert_page,
        "answer",
        answer_text="Use sampling plan B of clause 6.2 / 采用 6.2 条抽样方案 B",
    )
    assert expert_page.locator("section.lifecycle").get_attribute("data-state") == "answered"

    page.goto(question_url)
    rate = page.locator('form[data-step="rate"]')
    rate.locator('select[name="stars"]').select_option("5")
    with page.expect_navigation():
        rate.locator("button[type=submit]").click()
    assert page.locator("section.lifecycle").get_attribute("data-state") == "rated"

    public = browser.new_context(locale=locale, viewport={"width": 1280, "height": 1000})
    reader = public.new_page()
    reader.goto(f"{base}/support/questions/?q=sampling")
    with reader.expect_navigation():
        reader.locator("#answers a").first.click()
    assert "clause 6.2" in reader.locator("#answer").inner_text()
    assert "li@example.org" not in reader.content()
    shot(reader, f"support-question-{tag}")
    reader.goto(f"{base}{standard.get_absolute_url()}")
    assert "Which sampling plan" in reader.locator("#support-answers").inner_text()
    for context in (enterprise, expert_context, public):
        context.close()


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_enrollment_attendance_certificate_and_a_third_party_check(
    firm,  # noqa: F811
    live_server,
    browser,
    shot,
    locale,
    tmp_path,
):
    """A person enrolls; the organizer records attendance and issues the certificate on the
    session's roster; the person downloads it as a PDF (in the page's language, with the QR
    code); a third party checks the code; the training statistics count it, in both languages."""
    import datetime as dt
    import subprocess

    from stdplus.programme.models import Region
    from stdplus.support.models import Certificate, Course, Session

    from .conftest import SCREENSHOTS

    tag = "en" if locale == "en-US" else "zh"
    words = {
        "en-US": {
            "title": "Training certificate",
            "people": "People trained",
            "hours": "learning hours",
        },
        "zh-CN": {"title": "培训证书", "people": "培训人数", "hours": "学时"},
    }[locale]
    course = Course.objects.create(
        title_zh="标准化基础", title_en="Standardization basics", hours=16
    )
    session = Session.objects.create(
        course=course,
        starts_on=dt.date(2026, 5, 1),
        ends_on=dt.date(2026, 5, 2),
        place="Futian",
        region=Region.objects.get(code="440304"),
        capacity=1,
        waiting_places=0,
    )
    for user in (firm.member, firm.regulator):
        user.set_password(PASSWORD)
        user.save()
    base = live_server.url
    person = browser.new_context(locale=locale, viewport={"width": 1280, "height": 1000})
    page = _login(person, base, "member")
    page.goto(f"{base}/support/training/")
    with page.expect_navigation():
        page.locator(f'#sessions tr[data-session="{session.pk}"] button').click()
    assert "1 / 1" in page.locator(f'#sessions tr[data-session="{session.pk}"]').inner_text()

    # The organizer records attendance and issues the certificate on the session's roster.
    organizer_context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 1000})
    organizer = _login(organizer_context, base, "regulator")
    organizer.goto(f"{base}/support/training/")
    with organizer.expect_navigation():
        organizer.locator(f'#sessions tr[data-session="{session.pk}"] a.roster').click()
    row = organizer.locator('#roster tr[data-person="member"]')
    row.locator('input[name="attended_on"]').fill("2026-05-02")
    with organizer.expect_navigation():
        row.locator('form[data-form="attend"] button').click()
    with organizer.expect_navigation():
        organizer.locator(
            '#roster tr[data-person="member"] form[data-form="certify"] button'
        ).click()
    certificate = Certificate.objects.get()
    assert certificate.code in organizer.locator("#roster").inner_text()
    shot(organizer, f"support2-roster-{tag}")

    page.goto(f"{base}/support/training/")
    assert certificate.code in page.locator("#mine").inner_text()
    assert "16" in page.locator("#hours").inner_text()
    shot(page, f"support-training-{tag}")
    # The certificate as a PDF, in the page's language, with its code and the holder's name.
    with page.expect_download() as download_info:
        page.locator("#mine a.certificate-pdf").click()
    pdf = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    for word in (words["title"], "member", certificate.code, "16"):
        assert word in text, word
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-singlefile",
            str(pdf),
            str(SCREENSHOTS / f"support2-certificate-pdf-{tag}"),
        ],
        check=True,
    )

    third = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    checker = third.new_page()
    checker.goto(f"{base}/support/certificates/verify/")
    checker.fill('input[name="code"]', certificate.code)
    with checker.expect_navigation():
        checker.click("#verify-form button[type=submit]")
    assert checker.locator("#verdict").get_attribute("data-valid") == "1"
    shot(checker, f"support-certificate-valid-{tag}")
    altered = certificate.code[:-1] + ("A" if certificate.code[-1] != "A" else "B")
    checker.fill('input[name="code"]', altered)
    with checker.expect_navigation():
        checker.click("#verify-form button[type=submit]")
    assert checker.locator("#verdict").get_attribute("data-valid") == "0"
    shot(checker, f"support-certificate-refused-{tag}")

    # The training statistics, by region and year, with the records behind each figure.
    checker.goto(f"{base}/stats/?region=4403&year=2026")
    card = checker.locator('[data-card="training_people"]')
    assert words["people"] in card.inner_text() and words["hours"] in card.inner_text()
    assert card.locator('[data-figure="training_people"]').inner_text() == "1"
    assert card.locator('[data-total="training_people"]').inner_text() == "16"
    assert checker.locator('[data-figure="training_certificates"]').inner_text() == "1"
    shot(checker, f"support2-training-stats-{tag}")
    with checker.expect_navigation():
        checker.locator('[data-figure="training_sessions"]').click()
    assert f'data-session="{session.pk}"' in checker.content()
    course_title = "标准化基础" if tag == "zh" else "Standardization basics"
    assert course_title in checker.locator("table").first.inner_text()
    shot(checker, f"support2-training-sessions-{tag}")
    for context in (person, organizer_context, third):
        context.close()


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_a_new_policy_is_in_the_enterprises_inbox(firm, live_server, browser, shot, locale):  # noqa: F811
    import datetime as dt

    from stdplus.core.dates import today
    from stdplus.programme.models import Region
    from stdplus.support.models import Policy
    from stdplus.support.policy_alerts import policies_alert

    tag = "en" if locale == "en-US" else "zh"
    Policy.objects.create(
        title_zh="深圳市标准化资助办法",
        title_en="Shenzhen standardization funding measures",
        issuer_zh="深圳市市场监督管理局",
        issuer_en="Shenzhen Administration for Market Regulation",
        region=Region.objects.get(code="440300"),
        issued_on=today() - dt.timedelta(days=3),
    )
    assert policies_alert().people == 2  # the Futian firm's member, the Nanshan one's
    firm.member.set_password(PASSWORD)
    firm.member.save()
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    page = _login(context, live_server.url, "member")
    page.goto(f"{live_server.url}/watch/inbox/")
    said = page.locator("#inbox").inner_text()
    expected = (
        "A new policy for your region and industry: Shenzhen standardization funding measures"
        if tag == "en"
        else "适用于本机构所在地区和行业的新政策：深圳市标准化资助办法"
    )
    assert expected in said
    shot(page, f"support2-policy-alert-{tag}")
    context.close()
