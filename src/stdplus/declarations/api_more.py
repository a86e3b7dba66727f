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
