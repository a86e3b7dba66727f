"""Self-declaration in a real Chromium: an enterprise's engineer (in Chinese) drafts a
declaration, sees the automatic findings, fixes them, adds its own Q/ standard and an
indicator, acknowledges the commitment and declares; the public (in English, no login) finds
it by a cited standard and on the standard's page."""

import pytest

from stdplus.declarations.models import Declaration
from tests.declarations.conftest import (
    CURRENT_MANDATORY,
    SUCCESSOR,
    SUPERSEDED,
    make_catalog,
    make_enterprise,
    make_member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "x-very-secret-1"


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/account/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")


def _submit(page, form) -> None:
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _add_product(page, name: str) -> None:
    form = page.locator("#add-product form")
    form.locator("#p-name").fill(name)
    form.locator("#p-brand").fill("测试")
    form.locator("#p-category").select_option("3854")
    _submit(page, form)


def _open(product, summary_text: str):
    product.locator("summary", has_text=summary_text).click()
    return product.locator("details[open] form").last


def test_an_enterprise_declares_and_the_public_finds_it(live_server, browser, shot):
    make_catalog()
    enterprise = make_enterprise("深圳市浏览器电器有限公司")
    member = make_member(enterprise)

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1400})
    page = context.new_page()
    _login(page, live_server.url, member.username)
    page.goto(f"{live_server.url}/declarations/mine/")
    with page.expect_navigation():
        page.click("#new-declaration")
    _add_product(page, "电饭煲")
    product = page.locator("article.product").first
    form = _open(product, "引用标准")
    form.locator('input[name="standard"]').fill(SUPERSEDED.lower())
    _submit(page, form)
    finding = page.locator('li.finding[data-code="standard_superseded"]')
    assert f"已被 {SUCCESSOR} 代替" in finding.inner_text()
    shot(page, "declarations-findings-zh")
    # Declaring is refused while an error stands, with the reason.
    assert "自动检查发现 1 个错误" in page.locator("li[data-step=declare]").inner_text()

    # Fix: the product again, citing the standard in force, with its own Q/ standard.
    with page.expect_navigation():
        page.locator("article.product button.secondary").click()
    _add_product(page, "电饭煲")
    product = page.locator("article.product").first
    form = _open(product, "引用标准")
    form.locator('input[name="standard"]').fill(CURRENT_MANDATORY)
    _submit(page, form)
    product = page.locator("article.product").first
    form = _open(product, "添加企业自己的标准")
    form.locator('input[name="number"]').fill("q/szlq 1-2024")
    form.locator('input[name="title"]').fill("电饭煲")
    _submit(page, form)
    product = page.locator("article.product").first
    form = _open(product, "公开指标")
    form.locator('input[name="name"]').fill("热效率")
    form.locator('select[name="direction"]').select_option("higher")
    form.locator('input[name="value"]').fill("86")
    form.locator('input[name="unit"]').fill("%")
    form.locator('input[name="own_method"]').fill("企业方法 QM-01")
    _submit(page, form)
    assert page.locator('[data-findings="none"]').count() == 1
    assert "Q/SZLQ 001-2024" in page.locator("article.product").first.inner_text()
    declare = page.locator('form[data-step="declare"]')
    declare.locator('select[name="commitment"]').select_option("yes")
    _submit(page, declare)
    assert page.locator("h1 [data-state]").get_attribute("data-state") == "declared"
    shot(page, "declarations-declared-zh")
    context.close()
    declaration = Declaration.objects.get(enterprise=enterprise)
    assert declaration.state == "declared" and declaration.commitment_by == member

    public = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 1000})
    page = public.new_page()
    page.goto(f"{live_server.url}/declarations/?standard=gb4806.7-2016")
    rows = page.locator("table.declarations tbody tr[data-declaration]")
    assert rows.count() == 1 and str(enterprise) in rows.first.inner_text()  # English page
    shot(page, "declarations-search-en")
    page.goto(f"{live_server.url}/standards/{CURRENT_MANDATORY}/")
    assert page.locator("[data-declared-count]").get_attribute("data-declared-count") == "1"
    public.close()
