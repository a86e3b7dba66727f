"""Part B over JSON: the mandatory standards per category, versions compared, imports.

A router of its own, registered in `stdplus/api.py` before the first slice's router under the
same prefix, so that its fixed paths (`/declarations/mandatory`) are matched before
`/declarations/{declaration_id}`."""

from __future__ import annotations

from ninja import Router, Schema
from ninja.pagination import paginate

from stdplus.core.schemas import Paging, errors

router = Router(tags=["declarations"])


class MandatoryOut(Schema):
    category: str
    category_title: str
    standard: str
    standard_status: str
    note: str

    @staticmethod
    def resolve_category_title(obj) -> str:
        from .industries import category_title

        return category_title(obj.category)

    @staticmethod
    def resolve_standard(obj) -> str:
        return obj.standard.canonical

    @staticmethod
    def resolve_standard_status(obj) -> str:
        return obj.standard.status


@router.get(
    "/mandatory",
    response={200: list[MandatoryOut], **errors(400)},
    auth=None,
    summary="The mandatory standards that apply to each product category (the regulator's list)",
    url_name="declarations_mandatory",
)
@paginate(Paging)
def mandatory(request, category: str = ""):
    from .mandatory import mandatory_list

    return mandatory_list(category[:4])


class VersionChangeOut(Schema):
    what: str
    old: str
    new: str


class ProductDiffOut(Schema):
    name: str
    model: str
    status: str
    fields: list[VersionChangeOut]
    standards_added: list[str]
    standards_removed: list[str]
    qstandards_added: list[str]
    qstandards_removed: list[str]
    indicators: list[VersionChangeOut]


class ComparisonOut(Schema):
    old: int
    old_version: int
    new: int
    new_version: int
    products: list[ProductDiffOut]


@router.get(
    "/{declaration_id}/compare/{other_id}",
    response={200: ComparisonOut, **errors(404)},
    auth=None,
    summary="Two versions of a declaration side by side: products, standards, indicators changed",
    url_name="declarations_compare",
)
def compare(request, declaration_id: int, other_id: int):
    from dataclasses import asdict

    from django.http import Http404

    from .compare import compare_pair, versions_compare

    pair = compare_pair(request.user, declaration_id, other_id)
    if pair is None:
        raise Http404("no such pair of versions")
    old, new = pair
    return {
        "old": old.pk,
        "old_version": old.version,
        "new": new.pk,
        "new_version": new.version,
        "products": [asdict(diff) for diff in versions_compare(old, new)],
    }
