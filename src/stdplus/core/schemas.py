"""API schemas shared by every app: the error shape, the paging contract of lists, and an
object's lifecycle (state, next steps, history)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination


class WhereOut(Schema):
    """Where an error is: any of file, sheet, row and field (a parameter or a body path such as
    `lines[3]`). `stdplus.core.errors.Where.as_dict` leaves out the empty parts."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    field: str | None = None


class ErrorOut(Schema):
    """Every error of the API has this shape (`ApplicationError.as_dict`)."""

    code: str = Field(..., description="A stable word for programs: not_found, invalid, ...")
    message: str = Field(..., description="For people, in the request's language.")
    where: WhereOut | None = None


class FieldErrorOut(Schema):
    loc: list[str | int] = Field(..., description="Source and path: ['query', 'offset'].")
    msg: str
    type: str


class ValidationErrorOut(ErrorOut):
    """A 422: `message` and `where` name the first parameter in error, `errors` lists all."""

    errors: list[FieldErrorOut] = []


# The errors an operation can answer besides its own: 400 (a body that cannot be read, or an
# input the service refuses), 422 (a parameter out of its schema) and 429 (throttled).
# `errors(401, 403, 404)` adds what the operation adds: 401/403 for those needing a token or a
# session, 404 for one thing named in the path, 413 for a body.
_ERROR_SCHEMAS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    422: ValidationErrorOut,
    429: ErrorOut,
}
BASE_ERRORS = (400, 422, 429)


def errors(*statuses: int) -> dict[int, type[Schema]]:
    """The error responses of an operation, for `response={200: X, **errors(404)}`."""
    return {status: _ERROR_SCHEMAS[status] for status in (*BASE_ERRORS, *statuses)}


# Paging: every list of the API takes `limit` and `offset` and answers `{"items", "count"}`.
# The bounds keep every value inside what the databases take (an offset of 2**63 used to
# overflow SQLite's integers): out of range is a 422 naming the parameter.
LIMIT_DEFAULT = 100
LIMIT_MAX = 500
OFFSET_MAX = 1_000_000_000


class PageIn(Schema):
    limit: int = Field(LIMIT_DEFAULT, ge=1, le=LIMIT_MAX, description="Items per page.")
    offset: int = Field(0, ge=0, le=OFFSET_MAX, description="Items to skip.")


class Paging(LimitOffsetPagination):
    """`@paginate(Paging)` on every list operation (see docs/api.md, "Lists")."""

    class Input(PageIn):
        pass

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=LIMIT_MAX, **kwargs)


# A list whose filters can match a large share of a big table counts its matches only up to
# COUNT_CAP (`count_capped`): counting every one of a million matches costs more than reading
# the page. `count_exact` false says the count is "more than COUNT_CAP", as the standards
# search says it.
COUNT_CAP = 10_000


def count_capped(queryset: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """(count, exact): the number of rows up to `cap` (COUNT_CAP); (cap, False) when there
    are more."""
    cap = cap or COUNT_CAP
    counted = queryset.order_by().values("pk")[: cap + 1].count()
    return (counted, True) if counted <= cap else (cap, False)


class CappedPaging(Paging):
    """`@paginate(CappedPaging)`: `Paging` whose `count` stops at COUNT_CAP, with
    `count_exact` (false: there are more than `count`)."""

    class Output(Schema):
        items: list[Any]
        count: int = Field(..., description=f"Exact up to {COUNT_CAP:,}; see count_exact.")
        count_exact: bool = Field(..., description="False: more than `count` match.")

    def paginate_queryset(self, queryset, pagination, request, **params):
        limit = min(pagination.limit, self.max_limit)
        count, exact = count_capped(queryset)
        return {
            self.items_attribute: queryset[pagination.offset : pagination.offset + limit],
            "count": count,
            "count_exact": exact,
        }


class CappedPaginator(Paginator):
    """Django's Paginator for the pages of such a list: `count` stops at COUNT_CAP, so the
    pages go as far as COUNT_CAP; `count_exact` false tells the page to say "more than"."""

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        return count_capped(self.object_list)

    @cached_property
    def count(self) -> int:
        return self._counted[0]

    @property
    def count_exact(self) -> bool:
        return self._counted[1]


class ChoiceOut(Schema):
    value: str
    label: str


class InputOut(Schema):
    name: str
    label: str
    kind: str
    required: bool
    choices: list[ChoiceOut]
    help: str


class StepOut(Schema):
    """A step from the current state, for the caller: may they take it now, and if not, why."""

    action: str
    label: str
    to: str
    to_label: str
    allowed: bool
    reasons: list[str]
    inputs: list[InputOut]
    note_required: bool


class EventOut(Schema):
    action: str
    action_label: str
    from_state: str
    to_state: str
    to_label: str
    on: dt.date
    by: str | None
    note: str
    data: dict[str, Any]
    recorded_at: dt.datetime


class LifecycleOut(Schema):
    """`stdplus.core.lifecycle.lifecycle_payload`: the same as the object's page shows."""

    lifecycle: str
    state: str
    state_label: str
    final: bool
    steps: list[StepOut]
    history: list[EventOut]
