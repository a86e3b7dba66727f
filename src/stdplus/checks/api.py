"""The validity check over JSON: POST a list, get one object per line back, in input order."""

from __future__ import annotations

from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from stdplus.accounts.auth import member_auth
from stdplus.accounts.selectors import organization_for
from stdplus.core.errors import ApplicationError, Where
from stdplus.core.schemas import Paging, errors
from stdplus.core.tabular import line_check

from .engine import check_run
from .extract import MAX_LINES, MODES, InputLine, inputs_from_text
from .models import Category
from .schemas import CheckIn, CheckOut, CheckSummaryOut, LineOut, LinesPageIn
from .selectors import check_lines, validity_check_get, validity_check_list
from .services import validity_check_create, validity_check_delete

router = Router(tags=["checks"], auth=member_auth)


def _summary(check) -> dict:
    return {
        "id": check.pk,
        "name": check.name,
        "source": check.source,
        "created_at": check.created_at.isoformat(),
        "as_of": check.as_of.isoformat() if check.as_of else None,
        "day": check.day.isoformat(),
        "line_count": check.line_count,
        "summary": check.summary,
        "sources": check.sources,
    }


def _inputs(payload: CheckIn) -> list[InputLine]:
    if payload.mode not in MODES:
        raise ApplicationError(
            _("mode must be one of %(modes)s"), params={"modes": ", ".join(MODES)}, where="mode"
        )
    if len(payload.lines) > MAX_LINES:
        raise ApplicationError(
            _("%(count)s lines; a check takes at most %(limit)s"),
            params={"count": f"{len(payload.lines):,}", "limit": f"{MAX_LINES:,}"},
            where="lines",
            code="too_many_lines",
        )
    inputs = []
    for number, text in enumerate(payload.lines, start=1):
        line_check(text, number=number, where=Where(field="lines"))  # one huge line is refused
        if payload.mode == "lines":
            inputs.append(InputLine(text.strip(), f"line {number}"))
            continue
        found, _complete = inputs_from_text(text, mode=payload.mode)
        inputs.extend(InputLine(t, f"line {number}") for t in found)
    if not inputs:
        raise ApplicationError(_("there is nothing to check"), where="lines", code="empty")
    return inputs


@router.post(
    "",
    response={200: CheckOut, **errors(401, 403, 413)},
    summary="Check the validity of standards",
)
def check_create(request, payload: CheckIn | list[str]):
    """One object per input line, in input order: `input`, `canonical`, `match` (edition,
    work, none, rejected), `status`, `current`, `chain`, `suggestions`, `error`, and details.

    The body is either a JSON list of identifiers (`["GB/T 19001-2008", ...]`, checked as of
    today and kept) or an object with `lines` and the options `as_of`, `mode`, `name`, `save`.
    With `save` (the default) the result is kept for your organization."""
    if isinstance(payload, list):
        payload = CheckIn(lines=payload)
    inputs = _inputs(payload)
    if payload.save:
        check, outcome = validity_check_create(
            organization=organization_for(request),
            user=request.user,
            inputs=inputs,
            source="API",
            as_of=payload.as_of,
            name=payload.name,
        )
        head = _summary(check)
    else:
        outcome = check_run(inputs, day=payload.as_of)
        head = {
            "id": None,
            "name": payload.name,
            "source": "API",
            "created_at": None,
            "as_of": payload.as_of.isoformat() if payload.as_of else None,
            "day": outcome.day.isoformat(),
            "line_count": len(outcome.results),
            "summary": outcome.summary,
            "sources": [age.as_dict(outcome.day) for age in outcome.sources],
        }
    # Built by hand, not validated again: 100,000 lines must stay fast.
    body = {**head, "results": [r.as_dict() for r in outcome.results]}
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@router.get(
    "",
    response={200: list[CheckSummaryOut], **errors(401, 403)},
    summary="Your organization's checks",
)
@paginate(Paging)
def check_list(request):
    return validity_check_list(organization=organization_for(request))


@router.get(
    "/{check_id}",
    response={200: CheckOut, **errors(401, 403, 404)},
    summary="One check with its lines",
)
def check_detail(
    request,
    check_id: int,
    page: Query[LinesPageIn],
    category: str = Query("", description=f"only lines of: {', '.join(Category.values)}"),
):
    """The check and its lines in input order; `limit` and `offset` page through the lines
    (all of them by default)."""
    check = validity_check_get(organization=organization_for(request), pk=check_id)
    if check is None:
        raise Http404(_("no such check in your organization"))
    lines = check_lines(check=check, category=category)[page.offset : page.offset + page.limit]
    body = {**_summary(check), "results": [line.contract() for line in lines]}
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@router.delete(
    "/{check_id}", response={204: None, **errors(401, 403, 404)}, summary="Delete a check"
)
def check_delete(request, check_id: int):
    check = validity_check_get(organization=organization_for(request), pk=check_id)
    if check is None:
        raise Http404(_("no such check in your organization"))
    validity_check_delete(check=check)
    return HttpResponse(status=204)


__all__ = ["router", "LineOut"]
