"""/api/v1/declarations: public reads without login; an enterprise's drafts with its token."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stdplus.accounts.services import token_create
from stdplus.declarations.models import CitedStandard, EnterpriseStandard, Indicator, Product

from .conftest import CURRENT_MANDATORY, METHOD, WITHDRAWN, make_enterprise, make_member
from .test_services import PDF

BASE = "/api/v1/declarations"


@pytest.fixture
def token(enterprise, member):
    return token_create(user=member, organization=enterprise, name="api test")[1]


def _post(client, path, body=None, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(
        BASE + path, json.dumps(body or {}), content_type="application/json", **headers
    )


def _get(client, path, token=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(BASE + path, params, **headers)


def test_the_whole_flow_with_a_token(client, catalog, token):
    created = _post(client, "/mine", token=token)
    assert created.status_code == 201, created.content
    declaration = created.json()
    assert declaration["state"] == "draft" and declaration["version"] == 1
    did = declaration["id"]
    product = _post(
        client,
        f"/{did}/products",
        {"name": "电热水壶", "brand": "测试", "category": "3854", "barcode": "6901234567892"},
        token,
    )
    assert product.status_code == 201, product.content
    pid = product.json()["id"]
    cited = _post(client, f"/{did}/products/{pid}/standards", {"standard": "gb 4806.7-2016"}, token)
    assert [c["canonical"] for c in cited.json()["cited"]] == [CURRENT_MANDATORY]
    q = _post(
        client,
        f"/{did}/products/{pid}/enterprise-standards",
        {"number": "Q/SZHT 7-2024", "title": "电热水壶"},
        token,
    )
    assert q.status_code == 201 and q.json()["number"] == "Q/SZHT 007-2024"
    upload = client.post(
        f"{BASE}/{did}/enterprise-standards/{q.json()['id']}/text",
        {"text": SimpleUploadedFile("q.pdf", PDF)},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert upload.status_code == 201, upload.content
    assert upload.json()["text_type"] == "pdf" and upload.json()["text_url"]
    indicator = _post(
        client,
        f"/{did}/products/{pid}/indicators",
        {
            "name": "迁移量",
            "direction": "lower",
            "unit": "mg/kg",
            "value": 12,
            "method_standard": METHOD,
            "reference_standard": CURRENT_MANDATORY,
            "reference_value": 10,
        },
        token,
    )
    assert indicator.status_code == 201, indicator.content
    detail = _get(client, f"/{did}", token).json()
    (finding,) = detail["findings"]
    assert finding["code"] == "below_mandatory" and finding["severity"] == "error"
    assert "强制性标准" in finding["messages"]["zh-hans"] and finding["indicator"] == "迁移量"
    refused = _post(client, f"/{did}/steps/declare", {"data": {"commitment": "yes"}}, token)
    assert refused.status_code == 400 and refused.json()["code"] == "declaration_has_errors"
    # Below a mandatory standard cannot be stated away (明示 is for recommended ones): the
    # indicator goes (the draft has no API to remove one yet; the page removes whole products).
    Indicator.objects.filter(pk=indicator.json()["id"]).delete()
    missing = _post(client, f"/{did}/steps/declare", {}, token)
    assert missing.status_code == 400 and missing.json()["where"]["field"] == "commitment"
    declared = _post(client, f"/{did}/steps/declare", {"data": {"commitment": "yes"}}, token)
    assert declared.status_code == 200, declared.content
    assert declared.json()["state"] == "declared"
    # Public now, without login.
    public = _get(client, f"/{did}").json()
    assert public["findings"] == [] and public["products"][0]["name"] == "电热水壶"
    found = _get(client, "", standard="GB 4806.7-2016").json()
    assert [item["id"] for item in found["items"]] == [did]
    revised = _post(client, f"/{did}/revise", token=token)
    assert revised.status_code == 201 and revised.json()["version"] == 2


def test_public_reads_show_only_public_declarations(client, draft, token):
    assert _get(client, "").json() == {"items": [], "count": 0, "count_exact": True}
    assert _get(client, f"/{draft.pk}").status_code == 404
    assert _get(client, f"/{draft.pk}", token).status_code == 200
    code = draft.enterprise.credit_code
    assert _get(client, f"/enterprises/{code}").json()["count"] == 0
    assert _get(client, "/enterprises/NOSUCHCODE").status_code == 404
    assert _get(client, "/mine").status_code == 401
    assert _get(client, "/mine", token).json()["count"] == 1


def test_another_enterprise_neither_reads_nor_writes_a_draft(client, draft):
    stranger = make_enterprise("别家")
    raw = token_create(user=make_member(stranger), organization=stranger, name="x")[1]
    product = draft.products.get()
    assert _get(client, f"/{draft.pk}", raw).status_code == 404
    response = _post(
        client, f"/{draft.pk}/products/{product.pk}/standards", {"standard": WITHDRAWN}, raw
    )
    assert response.status_code == 404
    response = _post(client, f"/{draft.pk}/steps/declare", {"data": {"commitment": "yes"}}, raw)
    assert response.status_code == 404
    assert CitedStandard.objects.count() == 1


def test_bad_input_is_a_clear_error_and_writes_nothing(client, draft, token):
    product = draft.products.get()
    base = f"/{draft.pk}/products/{product.pk}"
    before = (
        Product.objects.count(),
        CitedStandard.objects.count(),
        EnterpriseStandard.objects.count(),
    )
    bad_number = _post(
        client, f"{base}/enterprise-standards", {"number": "Q/SZHT-2024", "title": "x"}, token
    )
    assert bad_number.status_code == 400
    assert bad_number.json()["code"] == "bad_number"
    assert bad_number.json()["where"] == {"field": "number"}
    unknown = _post(client, f"{base}/standards", {"standard": "GB 99999-2020"}, token)
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_standard"
    category = _post(client, f"/{draft.pk}/products", {"name": "x", "category": "0000"}, token)
    assert category.status_code == 400 and category.json()["where"] == {"field": "category"}
    search = _get(client, "", standard="not a standard")
    assert search.status_code == 400 and search.json()["code"] == "not_an_identifier"
    after = (
        Product.objects.count(),
        CitedStandard.objects.count(),
        EnterpriseStandard.objects.count(),
    )
    assert after == before


def test_a_wrong_type_upload_is_refused(client, draft, member, token):
    from stdplus.declarations.services import enterprise_standard_add

    row = enterprise_standard_add(
        product=draft.products.get(), user=member, number="Q/SZHT 1-2024", title="壶"
    )
    response = client.post(
        f"{BASE}/{draft.pk}/enterprise-standards/{row.pk}/text",
        {"text": SimpleUploadedFile("q.pdf", b"#!/bin/sh\nrm -rf /\n")},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400 and response.json()["code"] == "file_type"
    row.refresh_from_db()
    assert row.text is None and row.text_size is None
