"""Spot checks and leader rankings in a real Chromium, in both languages: the regulator (in
Chinese) draws a round, an inspector (in English) judges the checklist and records the outcome,
the regulator publishes the results; the regulator runs a ranking and nominates the leaders,
the enterprise commits, the leader list is publicly noticed; the public reads what holds a
product back on its declaration's page (in English and Chinese)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User

from stdplus.core.lifecycle import transition_apply
from stdplus.programme.permissions import REGULATOR_GROUP
from stdplus.supervision.leaders import area_create, category_create, scheme_create
from stdplus.supervision.models import LeaderEntry, SpotCheck
from stdplus.supervision.spotchecks import inspector_add
from tests.declarations.conftest import make_catalog, make_enterprise, make_member
from tests.supervision.conftest import SPECS, declare

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "x-very-secret-1"


def _login(context, base: str, username: str):
    page = context.new_page()
    page.goto(f"{base}/account/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")
    return page


def _submit(page, form) -> None:
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def _step(page, action: str, **selects) -> None:
    form = page.locator(f"form.step[data-step={action}]")
    for name, value in selects.items():
        form.locator(f'[name="{name}"]').select_option(value)
    _submit(page, form)


def test_a_round_is_drawn_and_evaluated_and_a_leader_list_published(live_server, browser, shot):
    make_catalog()
    regulator = User.objects.create_user("regulator-pw", password=PASSWORD)
    regulator.groups.add(Group.objects.get(name=REGULATOR_GROUP))
    regulator = User.objects.get(pk=regulator.pk)
    inspectors = [User.objects.create_user(f"inspector-pw{n}", password=PASSWORD) for n in (1, 2)]
    for user in inspectors:
        inspector_add(actor=regulator, user=user)
    members, declarations = [], []
    for n, (efficiency, noise) in enumerate((("96", "38"), ("91", "45"), ("93", "39"))):
        enterprise = make_enterprise(f"深圳市领跑电器{n}有限公司")
        members.append(make_member(enterprise))
        declarations.append(declare(enterprise, members[-1], efficiency=efficiency, noise=noise))
    area = area_create(
        actor=regulator,
        values={"year": "2026", "code": "HA", "name_zh": "家用电器", "name_en": "Home appliances"},
    )
    category = category_create(
        actor=regulator,
        area=area,
        values={
            "code": "KETTLE",
            "name_zh": "电水壶",
            "name_en": "Electric kettles",
            "product_category": "3854",
        },
    )
    scheme = scheme_create(actor=regulator, category=category, indicators=SPECS)
    today = dt.date.today()
    transition_apply(scheme, "announce", actor=regulator, on=today)
    transition_apply(scheme, "take_effect", actor=regulator, on=today + dt.timedelta(days=14))
    base = live_server.url

    # The regulator, in Chinese, draws a round from a seed.
    chinese = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1200})
    page = _login(chinese, base, regulator.username)
    page.goto(f"{base}/supervision/spot-checks/")
    form = page.locator("#draw form")
    form.locator("#d-title").fill("2026年第一批自我声明抽查")
    form.locator("#d-region").select_option("440300")
    form.locator("#d-count").fill("3")
    form.locator("#d-per").fill("1")
    form.locator("#d-seed").fill("pw-seed")
    _submit(page, form)
    assert page.locator("[data-seed]").inner_text() == "pw-seed"
    assert page.locator("tr[data-check]").count() == 3
    shot(page, "decl-spot-round-zh")

    # An inspector, in English, sees only their assignments, judges and records the outcome.
    check = (
        SpotCheck.objects.filter(inspectors__user=inspectors[0]).first()
        or SpotCheck.objects.filter(inspectors__user=inspectors[1]).first()
    )
    inspector = check.inspectors.get().user
    english = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 1200})
    ipage = _login(english, base, inspector.username)
    ipage.goto(f"{base}/supervision/spot-checks/mine/")
    assigned = SpotCheck.objects.filter(inspectors__user=inspector).count()
    assert ipage.locator("tr[data-check]").count() == assigned
    ipage.goto(f"{base}{check.get_absolute_url()}")
    for index in range(check.items.count()):
        form = ipage.locator("form.judge").nth(index)
        form.locator('select[name="judgment"]').select_option("pass")
        _submit(ipage, form)
    _step(ipage, "evaluate", outcome="conforming")
    assert ipage.locator("[data-outcome]").first.get_attribute("data-outcome") == "conforming"
    shot(ipage, "decl-spot-check-en")

    # The regulator publishes; the public reads the results and the conformity rate.
    page.goto(f"{base}{check.round.get_absolute_url()}")
    with page.expect_navigation():
        page.click("#publish")
    public = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 1000})
    ppage = public.new_page()
    ppage.goto(f"{base}{check.round.get_absolute_url()}")
    assert ppage.locator("[data-rate]").get_attribute("data-rate") == "100.0"
    assert ppage.locator("tr[data-check]").count() == 1
    shot(ppage, "decl-spot-results-en")

    # The regulator runs the ranking and nominates the leading product.
    page.goto(f"{base}{scheme.get_absolute_url()}")
    with page.expect_navigation():
        page.click("#run")
    assert page.locator("table.ranking tr[data-product]").count() == 3
    with page.expect_navigation():
        page.click("#nominate")
    shot(page, "decl-spot-run-zh")
    entry = LeaderEntry.objects.get()
    assert entry.declaration_id == declarations[0].pk

    # The enterprise gives its commitment; the regulator puts the list to public notice.
    enterprise_context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 1000}
    )
    mpage = _login(enterprise_context, base, members[0].username)
    mpage.goto(f"{base}{entry.get_absolute_url()}")
    _step(mpage, "commit", commitment="yes")
    page.goto(f"{base}{entry.get_absolute_url()}")
    _step(page, "announce")
    ppage.goto(f"{base}/supervision/leaders/")
    row = ppage.locator("table.leaders tr[data-leader]")
    assert row.count() == 1 and row.get_attribute("data-state") == "notice"
    shot(ppage, "decl-spot-leaders-en")

    # What holds the second product back, on its declaration's page, in both languages.
    ppage.goto(f"{base}{declarations[1].get_absolute_url()}")
    holds = ppage.locator("#holds-back")
    assert "What holds this product back" in holds.inner_text()
    assert holds.locator('[data-needed="95"]').count() == 1
    assert holds.locator('[data-needed="40"]').count() == 1
    shot(ppage, "decl-spot-holds-back-en")
    cpage = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000}).new_page()
    cpage.goto(f"{base}{declarations[1].get_absolute_url()}")
    assert "该产品距领跑档还差什么" in cpage.locator("#holds-back").inner_text()
    shot(cpage, "decl-spot-holds-back-zh")
