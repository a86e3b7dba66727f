"""Watch lists over JSON (token or session), and the public change feed."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpResponse
from ninja import Field, Router, Schema
from ninja.pagination import paginate

try:
    from ninja import Status
except ImportError:  # django-ninja before 1.5: a (status, body) tuple

    def Status(code, body):  # noqa: N802
        return code, body


from stdplus.accounts.auth import member_auth
from stdplus.accounts.selectors import organization_for, organization_ids_for
from stdplus.checks.selectors import validity_check_get
from stdplus.core.schemas import Paging, errors

from .filters import change_filters_read
from .selectors import catalog_changes, inbox, watch_list_get, watch_list_list
from .services import (
    watch_item_add,
    watch_item_remove,
    watch_list_create,
    watch_list_delete,
    watch_list_from_check,
)

router = Router(tags=["watch"], auth=member_auth)


class ItemIn(Schema):
    kind: str = Field(..., description="edition, work, ics or body")
    value: str


class ItemOut(Schema):
    id: int
    kind: str
    value: str
    created_at: dt.datetime


class WatchListIn(Schema):
    name: str
    items: list[ItemIn] = []


class WatchListOut(Schema):
    id: int
    name: str
    created_at: dt.datetime
    item_count: int = 0
    watcher_count: int = 0


class WatchListDetailOut(Schema):
    id: int
    name: str
    created_at: dt.datetime
    items: list[ItemOut]


class FromCheckIn(Schema):
    name: str = ""


class StandardRef(Schema):
    canonical: str
    title_zh: str
    title_en: str
    level: str
    body: str
    status: str


class ChangeOut(Schema):
    id: int
    kind: str
    field: str
    old_value: object | None
    new_value: object | None
    source: str
    created_at: dt.datetime
    standard: StandardRef


class NoticeOut(Schema):
    key: str = Field(description="what it is about, e.g. support.policy:17 (a new policy)")
    texts: dict[str, str] = Field(description="the sentence in each language (en, zh-hans)")
    titles: dict[str, str] = Field(description="a short title in each language")
    path: str = Field(description="its page on this site")
    created_at: dt.datetime


class NotificationOut(Schema):
    id: int
    watch_list: int = Field(..., alias="alert.watch_list_id")
    read_at: dt.datetime | None
    change: ChangeOut | None = Field(
        ..., alias="alert.event", description="the catalog change (none for a notice)"
    )
    notice: NoticeOut | None = Field(
        None,
        alias="alert.notice",
        description="news other than a catalog change (a new policy for the organization)",
    )


def _detail(watch_list) -> dict:
    return {
        "id": watch_list.pk,
        "name": watch_list.name,
        "created_at": watch_list.created_at,
        "items": list(watch_list.items.all()),
    }


def _get(request, list_id: int):
    watch_list = watch_list_get(organization=organization_for(request), pk=list_id)
    if watch_list is None:
        raise Http404("no such watch list in your organization")
    return watch_list


@router.get(
    "/lists",
    response={200: list[WatchListOut], **errors(401, 403)},
    summary="Your organization's watch lists",
)
@paginate(Paging)
def lists(request):
    return watch_list_list(organization=organization_for(request))


@router.post(
    "/lists",
    response={201: WatchListDetailOut, **errors(401, 403, 413)},
    summary="Create a watch list",
)
def list_create(request, payload: WatchListIn):
    watch_list = watch_list_create(
        organization=organization_for(request),
        user=request.user,
        name=payload.name,
        items=[(i.kind, i.value) for i in payload.items],
    )
    return Status(201, _detail(watch_list))


@router.post(
    "/lists/from-check/{check_id}",
    response={201: WatchListDetailOut, **errors(401, 403, 404, 413)},
    summary="Turn a validity check's result into a watch list",
)
def list_from_check(request, check_id: int, payload: FromCheckIn):
    check = validity_check_get(organization=organization_for(request), pk=check_id)
    if check is None:
        raise Http404("no such check in your organization")
    watch_list = watch_list_from_check(check=check, user=request.user, name=payload.name)
    return Status(201, _detail(watch_list))


@router.get(
    "/lists/{list_id}",
    response={200: WatchListDetailOut, **errors(401, 403, 404)},
    summary="One watch list",
)
def list_detail(request, list_id: int):
    return _detail(_get(request, list_id))


@router.delete(
    "/lists/{list_id}",
    response={204: None, **errors(401, 403, 404)},
    summary="Delete a watch list",
)
def list_delete(request, list_id: int):
    watch_list_delete(watch_list=_get(request, list_id))
    return HttpResponse(status=204)


@router.post(
    "/lists/{list_id}/items",
    response={201: ItemOut, **errors(401, 403, 404, 413)},
    summary="Watch one more thing",
)
def item_add(request, list_id: int, payload: ItemIn):
    return Status(201, watch_item_add(watch_list=_get(request, list_id), **payload.dict()))


@router.delete(
    "/lists/{list_id}/items/{item_id}",
    response={204: None, **errors(401, 403, 404)},
    summary="Unwatch",
)
def item_remove(request, list_id: int, item_id: int):
    watch_item_remove(watch_list=_get(request, list_id), item_id=item_id)
    return HttpResponse(status=204)


@router.get(
    "/inbox",
    response={200: list[NotificationOut], **errors(401, 403)},
    summary="Your alerts, newest first (a token's: from its organization only)",
)
@paginate(Paging)
def inbox_list(request, unread: bool = False):
    return inbox(
        user=request.user, organization_ids=organization_ids_for(request), unread_only=unread
    )


@router.get(
    "/changes",
    response={200: list[ChangeOut], **errors()},
    auth=None,
    summary="Every change to the catalog (public), filtered by level, body, ICS class, kind",
)
@paginate(Paging)
def changes(request, level: str = "", body: str = "", ics: str = "", kind: str = ""):
    """The filters are read as the page reads them (`filters.ChangeFilter`): a level or kind
    that is not one, an ICS class of another form, is a 400 naming it."""
    return catalog_changes(**change_filters_read(request.GET).model_dump())
