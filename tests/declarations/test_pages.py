"""The pages: public reads without login, an enterprise's own drafts, the draft's forms, the
standard's page counting the enterprises that declare it. In both languages."""

import pytest
from django.urls import reverse

from stdplus.core.lifecycle import transition_apply
from stdplus.declarations.models import EnterpriseStandard, Product

from .conftest import CURRENT_MANDATORY, make_enterprise, make_member
from .test_services import PDF


@pytest.fixture
def declared(draft, member):
    transition_apply(draft, "declare", actor=member, data={"commitment": "yes"})
    return draft


def test_the_public_sees_only_declared_ones(client, draft, declared_other):
    search = reverse("declarations:search")
    assert str(draft.enterprise) not in client.get(search).content.decode()
    page = client.get(search, {"enterprise": declared_other.enterprise.credit_code})
    assert str(declared_other.enterprise) in page.content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(declared_other.get_absolute_url()).status_code == 200


@pytest.fixture
def declared_other(catalog):
    from stdplus.declarations.services import declaration_create, product_add, standard_cite

    enterprise = make_enterprise("公开公司")
    user = make_member(enterprise)
    declaration = declaration_create(enterprise=enterprise, user=user)
    product = product_add(
        declaration=declaration, user=user, values={"name": "保温杯", "category": "2927"}
    )
    standard_cite(product=product, user=user, text=CURRENT_MANDATORY)
    transition_apply(declaration, "declare", actor=user, data={"commitment": "yes"})
    return declaration


def test_search_by_product_and_by_any_spelling_of_a_cited_standard(client, declared_other):
    search = reverse("declarations:search")
    body = client.get(search, {"standard": "gb 4806.7-2016"}).content.decode()
    assert declared_other.get_absolute_url() in body
    body = client.get(search, {"product": "保温杯"}).content.decode()
    assert declared_other.get_absolute_url() in body
    body = client.get(search, {"product": "电视机"}).content.decode()
    assert declared_other.get_absolute_url() not in body
    unknown = client.get(search, {"standard": "GB 99999-2020"})
    assert unknown.status_code == 200 and "is not in the catalog" in unknown.content.decode()


def test_an_enterprise_page_lists_what_it_declares(client, declared_other):
    url = reverse("declarations:enterprise", args=[declared_other.enterprise.credit_code])
    body = client.get(url).content.decode()
    assert "保温杯" in body and declared_other.get_absolute_url() in body
    assert client.get(reverse("declarations:enterprise", args=["X" * 18])).status_code == 404


def test_an_enterprise_page_is_cached_yet_shows_every_change_at_once(
    client, catalog, enterprise, member, draft
):
    """The page's content is cached by the declarations' version: a declaration made public, a
    new version, a withdrawal show on the next view; a draft never does, not even to a member
    after the public's view was cached; each language has its own."""
    from stdplus.declarations.services import declaration_revise

    url = reverse("declarations:enterprise", args=[enterprise.credit_code])
    client.force_login(member)
    assert "电热水壶" not in client.get(url).content.decode()  # a draft, even for a member
    client.logout()
    assert "电热水壶" not in client.get(url).content.decode()
    transition_apply(draft, "declare", actor=member, data={"commitment": "yes"})
    body = client.get(url).content.decode()
    assert "电热水壶" in body and draft.get_absolute_url() in body
    main = body[body.index("<main") : body.index("</main>")]
    assert main in client.get(url).content.decode()  # from the cache, the same
    second = declaration_revise(declaration=draft, user=member)
    client.force_login(member)
    assert second.get_absolute_url() not in client.get(url).content.decode()  # its draft
    client.logout()
    transition_apply(second, "declare", actor=member, data={"commitment": "yes"})
    body = client.get(url).content.decode()
    assert second.get_absolute_url() in body and "Revised (a newer version is declared)" in body
    transition_apply(second, "withdraw", actor=member, note="停产")
    body = client.get(url).content.decode()
    assert "Withdrawn by the enterprise" in body
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Withdrawn by the enterprise" not in chinese and "统一社会信用代码" in chinese
    assert "Withdrawn by the enterprise" in client.get(url).content.decode()
    enterprise.name_en = "Renamed Appliances Ltd"
    enterprise.save()
    assert "Renamed Appliances Ltd" in client.get(url).content.decode()


def test_the_standard_page_counts_the_enterprises_declaring_it(client, declared_other, draft):
    page = client.get(reverse("catalog:standard-detail", args=[CURRENT_MANDATORY]))
    body = page.content.decode()
    assert 'data-declared-count="1"' in body  # the draft citing it too is not counted
    assert str(declared_other.enterprise) in body
    assert str(draft.enterprise) not in body


def test_a_member_builds_a_draft_through_the_pages(client, enterprise, member, catalog):
    client.force_login(member)
    response = client.post(reverse("declarations:mine"))
    declaration = enterprise.declarations.get()
    assert response.url == declaration.get_absolute_url()
    response = client.post(
        reverse("declarations:product-new", args=[declaration.pk]),
        {"name": "电饭煲", "category": "3854", "barcode": "6901234567892"},
    )
    product = Product.objects.get(declaration=declaration)
    client.post(reverse("declarations:cite", args=[product.pk]), {"standard": "GB4806.7-2016"})
    pdf = __import__("io").BytesIO(PDF)
    pdf.name = "q.pdf"
    client.post(
        reverse("declarations:qstandard-new", args=[product.pk]),
        {"number": "Q/SZHT 003-2024", "title": "电饭煲", "text": pdf},
    )
    client.post(
        reverse("declarations:indicator-new", args=[product.pk]),
        {"name": "热效率", "direction": "higher", "value": "86", "unit": "%", "own_method": "QM-1"},
    )
    page = client.get(declaration.get_absolute_url()).content.decode()
    assert "Q/SZHT 003-2024" in page and "热效率" in page
    assert 'data-findings="none"' in page
    client.post(declaration.get_absolute_url(), {"action": "declare", "commitment": "yes"})
    declaration.refresh_from_db()
    assert declaration.state == "declared"
    # The uploaded text comes back as a download only.
    row = EnterpriseStandard.objects.get()
    download = client.get(reverse("declarations:qstandard-text", args=[row.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download.content == PDF


def test_bad_input_on_a_page_is_a_message_not_an_error(client, draft, member):
    client.force_login(member)
    product = draft.products.get()
    response = client.post(
        reverse("declarations:qstandard-new", args=[product.pk]),
        {"number": "Q/1-24", "title": "x"},
        follow=True,
    )
    assert response.status_code == 200
    assert "is not an enterprise standard number" in response.content.decode()
    assert not EnterpriseStandard.objects.exists()


def test_another_enterprise_cannot_see_or_edit_a_draft(client, draft):
    outsider = make_member(make_enterprise("别家"))
    client.force_login(outsider)
    assert client.get(draft.get_absolute_url()).status_code == 404
    product = draft.products.get()
    response = client.post(reverse("declarations:cite", args=[product.pk]), {"standard": "x"})
    assert response.status_code == 404
    response = client.post(draft.get_absolute_url(), {"action": "declare", "commitment": "yes"})
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.state == "draft" and product.cited.count() == 1


def test_pages_in_chinese(client, declared_other):
    client.cookies["django_language"] = "zh-hans"
    body = client.get(
        reverse("declarations:search"), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "企业标准自我声明" in body
    body = client.get(
        declared_other.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "已声明" in body
