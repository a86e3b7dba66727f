"""Self-declarations over JSON: public reads (no login), and an enterprise's drafts (token or
session of a member). Errors are the API's one shape {"code", "message", "where"}."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

try:
    from ninja import Status
except ImportError:  # django-ninja before 1.5: a (status, body) tuple

    def Status(code, body):  # noqa: N802
        return code, body


from stdplus.accounts.auth import member_auth
from stdplus.accounts.selectors import organization_for, organization_ids_for
from stdplus.accounts.services import token_authenticate
from stdplus.core.lifecycle import transition_apply
from stdplus.core.lifecycle_ui import lifecycle_payload
from stdplus.core.queries import query_read
from stdplus.core.schemas import CappedPaging, LifecycleOut, Paging, errors

from .filters import DeclarationFilter, filters_search
from .models import Declaration, EnterpriseStandard, Product
from .selectors import (
    can_read,
    declaration_findings,
    declaration_for_reader,
    declaration_products,
    enterprise_by_code,
    enterprise_declarations,
    own_declarations,
    versions_of,
)
from .services import (
    declaration_create,
    declaration_revise,
    enterprise_standard_add,
    enterprise_standard_text,
    indicator_add,
    product_add,
    standard_cite,
)


def _reader(request) -> None:
    """Public reads take no authentication; a valid token (or the session) still shows the
    reader's own drafts."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        found = token_authenticate(header[7:].strip())
        if found is not None:
            request.api_token = found
            request.user = found.user


router = Router(tags=["declarations"])


class EnterpriseOut(Schema):
    name: str
    credit_code: str


class DeclarationOut(Schema):
    id: int
    enterprise: EnterpriseOut
    version: int
    state: str
    declared_on: dt.date | None
    url: str

    @staticmethod
    def resolve_enterprise(obj) -> dict:
        return {"name": str(obj.enterprise), "credit_code": obj.enterprise.credit_code}

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class DeclarationFoundOut(DeclarationOut):
    """A declaration the search found (its page's count is capped: `count_exact`)."""


class StandardRefOut(Schema):
    canonical: str
    status: str
    mandate: str


class QStandardOut(Schema):
    id: int
    number: str
    title: str
    text_type: str
    text_size: int | None
    text_url: str | None

    @staticmethod
    def resolve_text_url(obj) -> str | None:
        return reverse("declarations:qstandard-text", args=[obj.pk]) if obj.text_size else None


class IndicatorOut(Schema):
    id: int
    name: str
    unit: str
    direction: str
    value: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    method_standard: str | None
    own_method: str
    reference_standard: str | None
    reference_clause: str
    reference_value: Decimal | None
    reference_minimum: Decimal | None
    reference_maximum: Decimal | None
    statement: str

    @staticmethod
    def resolve_method_standard(obj) -> str | None:
        return obj.method_standard.canonical if obj.method_standard else None

    @staticmethod
    def resolve_reference_standard(obj) -> str | None:
        return obj.reference_standard.canonical if obj.reference_standard else None


class ProductOut(Schema):
    id: int
    name: str
    common_name: str
    brand: str
    model: str
    specification: str
    barcode: str
    category: str
    category_title: str
    cited: list[StandardRefOut]
    enterprise_standards: list[QStandardOut]
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_cited(obj) -> list[dict]:
        return [
            {
                "canonical": c.standard.canonical,
                "status": c.standard.status,
                "mandate": c.standard.mandate,
            }
            for c in obj.cited.all()
        ]

    @staticmethod
    def resolve_enterprise_standards(obj) -> list:
        return list(obj.enterprise_standards.all())

    @staticmethod
    def resolve_indicators(obj) -> list:
        return list(obj.indicators.all())


class FindingOut(Schema):
    severity: str
    code: str
    message: str = Field(..., description="in the request's language")
    messages: dict[str, str] = Field(..., description="in English and Chinese")
    product: str
    standard: str
    indicator: str


class DeclarationDetailOut(Schema):
    id: int
    enterprise: EnterpriseOut
    version: int
    state: str
    declared_on: dt.date | None
    url: str
    commitment_at: dt.datetime | None
    versions: list[int] = Field(..., description="ids of the versions the reader may see")
    products: list[ProductOut]
    findings: list[FindingOut] = Field(..., description="for the enterprise's members only")
    lifecycle: LifecycleOut


class ProductIn(Schema):
    name: str
    common_name: str = ""
    brand: str = ""
    model: str = ""
    specification: str = ""
    barcode: str = ""
    category: str = Field(..., description="a class of GB/T 4754-2017, e.g. 3854")


class CiteIn(Schema):
    standard: str = Field(..., description="any spelling of a catalog identifier")


class QStandardIn(Schema):
    number: str = Field(..., description="Q/ + enterprise code + sequence + year")
    title: str


class IndicatorIn(Schema):
    name: str
    direction: str = Field(..., description="higher, lower or range")
    unit: str = ""
    value: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    method_standard: str = ""
    own_method: str = ""
    reference_standard: str = ""
    reference_clause: str = ""
    reference_value: Decimal | None = None
    reference_minimum: Decimal | None = None
    reference_maximum: Decimal | None = None
    statement: str = ""


class StepIn(Schema):
    data: dict[str, Any] = {}
    note: str = ""
    on: dt.date | None = None


def _finding(finding) -> dict:
    return {
        "severity": str(finding.severity),
        "code": finding.code,
        "message": finding.text,
        "messages": finding.texts(),
        "product": finding.product,
        "standard": finding.standard,
        "indicator": finding.indicator,
    }


def _member_of(request, declaration: Declaration) -> bool:
    return declaration.enterprise_id in organization_ids_for(request)


def _detail(request, declaration: Declaration) -> dict:
    member = _member_of(request, declaration)
    return {
        "id": declaration.pk,
        "enterprise": {
            "name": str(declaration.enterprise),
            "credit_code": declaration.enterprise.credit_code,
        },
        "version": declaration.version,
        "state": declaration.state,
        "declared_on": declaration.declared_on,
        "url": declaration.get_absolute_url(),
        "commitment_at": declaration.commitment_at,
        "versions": [v.pk for v in versions_of(declaration, user=request.user)],
        "products": declaration_products(declaration),
        "findings": [_finding(f) for f in declaration_findings(declaration)] if member else [],
        "lifecycle": lifecycle_payload(declaration, request.user),
    }


def _readable(request, pk: int) -> Declaration:
    declaration = declaration_for_reader(request.user, pk)
    if declaration is None:
        raise Http404("no such declaration, or not public")
    return declaration


def _own(request, pk: int) -> Declaration:
    declaration = (
        Declaration.objects.select_related("enterprise")
        .filter(pk=pk, enterprise_id__in=organization_ids_for(request))
        .first()
    )
    if declaration is None:
        raise Http404("no such declaration in your organization")
    return declaration


def _own_product(request, declaration_id: int, product_id: int) -> Product:
    declaration = _own(request, declaration_id)
    return get_object_or_404(Product, pk=product_id, declaration=declaration)


@router.get(
    "",
    response={200: list[DeclarationFoundOut], **errors(400)},
    auth=None,
    summary=(
        "Search public declarations (in force): by enterprise, product, cited standard, "
        "category, district, date"
    ),
    url_name="declarations_search",
)
@paginate(CappedPaging)
def search(
    request,
    enterprise: str = "",
    product: str = "",
    standard: str = "",
    category: str = "",
    district: str = "",
    declared_from: str = "",  # a date, YYYY-MM-DD
    declared_to: str = "",
):
    # The parameters are listed for the OpenAPI document; the one schema reads them, as the
    # page and its exports do (a bad value is a 400 naming the parameter).
    return filters_search(query_read(DeclarationFilter, request.GET))


@router.get(
    "/enterprises/{credit_code}",
    response={200: list[DeclarationOut], **errors(404)},
    auth=None,
    summary="Every public version an enterprise declared",
    url_name="declarations_enterprise",
)
@paginate(Paging)
def enterprise(request, credit_code: str):
    found = enterprise_by_code(credit_code[:18])
    if found is None:
        raise Http404("no enterprise with this credit code")
    return enterprise_declarations(found)


@router.get(
    "/mine",
    response={200: list[DeclarationOut], **errors(401, 403)},
    auth=member_auth,
    summary="Your organization's declarations, drafts included",
    url_name="declarations_mine",
)
@paginate(Paging)
def mine(request):
    return own_declarations(organization_ids_for(request))


@router.post(
    "/mine",
    response={201: DeclarationDetailOut, **errors(401, 403)},
    auth=member_auth,
    summary="Start a draft declaration for your organization",
)
def create(request):
    declaration = declaration_create(enterprise=organization_for(request), user=request.user)
    return Status(201, _detail(request, declaration))


@router.get(
    "/{declaration_id}",
    response={200: DeclarationDetailOut, **errors(404)},
    auth=None,
    summary="One declaration: public, or (with your token or session) a draft of yours",
    url_name="declarations_detail",
)
def detail(request, declaration_id: int):
    _reader(request)
    return _detail(request, _readable(request, declaration_id))


@router.post(
    "/{declaration_id}/products",
    response={201: ProductOut, **errors(401, 403, 404, 409, 413)},
    auth=member_auth,
    summary="Add a product or service to a draft",
)
def product_new(request, declaration_id: int, payload: ProductIn):
    product = product_add(
        declaration=_own(request, declaration_id), user=request.user, values=payload.dict()
    )
    return Status(201, product)


@router.post(
    "/{declaration_id}/products/{product_id}/standards",
    response={201: ProductOut, **errors(401, 403, 404, 409, 413)},
    auth=member_auth,
    summary="Cite a catalog standard for a product (any spelling)",
)
def cite(request, declaration_id: int, product_id: int, payload: CiteIn):
    product = _own_product(request, declaration_id, product_id)
    standard_cite(product=product, user=request.user, text=payload.standard)
    return Status(201, product)


@router.post(
    "/{declaration_id}/products/{product_id}/enterprise-standards",
    response={201: QStandardOut, **errors(401, 403, 404, 409, 413)},
    auth=member_auth,
    summary="Add the enterprise's own Q/ standard to a product",
)
def qstandard_new(request, declaration_id: int, product_id: int, payload: QStandardIn):
    product = _own_product(request, declaration_id, product_id)
    row = enterprise_standard_add(
        product=product, user=request.user, number=payload.number, title=payload.title
    )
    return Status(201, row)


@router.post(
    "/{declaration_id}/enterprise-standards/{standard_id}/text",
    response={201: QStandardOut, **errors(401, 403, 404, 409, 413)},
    auth=member_auth,
    summary="Upload the text of a Q/ standard (PDF or DOCX, at most 10 MB)",
)
def qstandard_text(request, declaration_id: int, standard_id: int, text: File[UploadedFile]):
    declaration = _own(request, declaration_id)
    row = get_object_or_404(EnterpriseStandard, pk=standard_id, product__declaration=declaration)
    return Status(201, enterprise_standard_text(row=row, user=request.user, upload=text))


@router.post(
    "/{declaration_id}/products/{product_id}/indicators",
    response={201: IndicatorOut, **errors(401, 403, 404, 409, 413)},
    auth=member_auth,
    summary="Disclose an indicator of a product",
)
def indicator_new(request, declaration_id: int, product_id: int, payload: IndicatorIn):
    product = _own_product(request, declaration_id, product_id)
    values = {k: ("" if v is None else v) for k, v in payload.dict().items()}
    return Status(201, indicator_add(product=product, user=request.user, values=values))


@router.post(
    "/{declaration_id}/revise",
    response={201: DeclarationDetailOut, **errors(401, 403, 404, 409, 413)},
    auth=member_auth,
    summary="Draft a new version of a declared version",
)
def revise(request, declaration_id: int):
    new = declaration_revise(declaration=_own(request, declaration_id), user=request.user)
    return Status(201, _detail(request, new))


@router.post(
    "/{declaration_id}/steps/{action}",
    response={200: DeclarationDetailOut, **errors(401, 403, 404, 409, 413)},
    auth=member_auth,
    summary='Take a lifecycle step (declare with data {"commitment": "yes"}, withdraw, ...)',
)
def step(request, declaration_id: int, action: str, payload: StepIn):
    declaration = declaration_for_reader(request.user, declaration_id)
    if declaration is None or not (
        can_read(request.user, declaration)
        and (
            _member_of(request, declaration)
            or request.user.has_perm("declarations.supervise_declaration")
        )
    ):
        raise Http404("no such declaration")
    transition_apply(
        declaration,
        action[:40],
        actor=request.user,
        data=payload.data,
        on=payload.on,
        note=payload.note,
    )
    return _detail(request, declaration)
