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
