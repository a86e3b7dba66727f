"""JSON twins: every HTML page that shows data names the API operation that answers the same.

    @json_twin("api:programme_pilot")               # the page's path arguments, as the API's
    def pilot_detail(request, pk): ...

    @json_twin("api:standard_list", query=True)     # and the page's query string
    def search(request): ...

    @json_twin(lambda request, identifier: api_url(identifier))
    def standard_detail(request, identifier): ...

The decorator works out the API's address before the view runs and puts it on the request
(`request.json_twin`; a view that reads its arguments into a canonical form may set a
refined address there, as the statistics do with the region and year); the context processor `json_twin_url` hands it to every template as
`json_url`, which `base.html` shows as a visible link and a `<link rel="alternate">`; after the
view, a successful HTML answer gets the header `Link: <url>; rel="alternate";
type="application/json"`. The JSON is the API's answer, so it has the API's shape (there is
no second JSON shape for a page). `tests/test_json_twins.py` walks every page of the site and
holds each one to this, except the few it lists with the reason they have no twin.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse

from .schemas import OFFSET_MAX

TwinTarget = str | Callable[..., str]


def twin_link(url: str) -> str:
    """The value of a `Link` header naming a page's JSON twin."""
    return f'<{url}>; rel="alternate"; type="application/json"'


def twin_url(target: TwinTarget, request: HttpRequest, *, query: bool, **kwargs: Any) -> str:
    """The twin's address for this request: an API URL name reversed with the page's path
    arguments, or a function of the request and those arguments; `query` adds the page's
    query string (for lists and searches whose filters the API takes alike)."""
    url = target(request, **kwargs) if callable(target) else reverse(target, kwargs=kwargs)
    if query and request.GET:
        url += ("&" if "?" in url else "?") + request.GET.urlencode()
    return url


def json_twin(target: TwinTarget, *, query: bool = False):
    """Mark an HTML view as having the JSON twin `target` (see the module's text)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            url = twin_url(target, request, query=query, **kwargs)
            request.json_twin = url  # type: ignore[attr-defined]
            response = view(request, *args, **kwargs)
            url = getattr(request, "json_twin", url)  # the view may have refined it
            html = response.get("Content-Type", "").startswith("text/html")
            if html and response.status_code == 200 and not response.has_header("Link"):
                response["Link"] = twin_link(url)
            return response

        wrapper.json_twin = target  # type: ignore[attr-defined]
        return wrapper

    return decorate


def json_twin_url(request: HttpRequest) -> dict[str, str]:
    """Context processor: `json_url`, the twin of the page being rendered (empty if none)."""
    return {"json_url": getattr(request, "json_twin", "")}


def list_twin(name: str, *, page_size: int, keep: tuple[str, ...] = (), **fixed: str):
    """The twin of a list page paged by `page` (`page_size` rows a page): the API list `name`
    at the same rows (`limit`, `offset`; see docs/api.md, "Lists"), with the page's filters
    named in `keep`, and path arguments renamed by `fixed` (`list_id="pk"`)."""

    def url(request: HttpRequest, **kwargs: Any) -> str:
        try:
            page = max(1, int(request.GET.get("page", 1)))
        except ValueError:
            page = 1
        query = QueryDict(mutable=True)
        for param in keep:
            for value in request.GET.getlist(param):
                if value:
                    query.appendlist(param, value)
        query["limit"] = str(page_size)
        query["offset"] = str(min((page - 1) * page_size, OFFSET_MAX))
        path = {api: kwargs[page_arg] for api, page_arg in fixed.items()}
        return f"{reverse(name, kwargs=path)}?{query.urlencode()}"

    return url
