"""The site's error pages: in the page's language, with the site's header, and JSON under /api/.

Django calls these for errors no view answered itself (an unknown address, a refused request,
a bug). Under /api/ they answer the API's one JSON error shape, so that a client never has to
parse HTML.
"""

from __future__ import annotations

from urllib.parse import unquote

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .api import request_too_large_message

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _search_words(path: str) -> str:
    """The last part of an unknown address, as words to search for (often a typed identifier)."""
    parts = [part for part in unquote(path).split("/") if part]
    if not parts:
        return ""
    return parts[-1].replace("-", " ").replace("_", " ")[:200] if "." not in parts[-1] else ""


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"code": "not_found", "message": _("There is no API route at this address.")},
            status=404,
        )
    return render(
        request, "404.html", {"q": _search_words(request.path), "path": request.path}, status=404
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"code": "forbidden", "message": _("You may not see or change this.")}, status=403
        )
    return render(request, "403.html", status=403)


def request_too_large(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE (or too many fields): 413, naming the limit."""
    if isinstance(exception, RequestDataTooBig):
        message = request_too_large_message()
    else:
        message = _("The request has too many fields or files.")
    if _is_api(request):
        return JsonResponse({"code": "too_large", "message": message}, status=413)
    return render(request, "413.html", {"message": message}, status=413)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Django reports a body too large as a 400 (SuspiciousOperation): it is a 413.
    if isinstance(exception, (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)):
        return request_too_large(request, exception)
    if _is_api(request):
        return JsonResponse(
            {"code": "bad_request", "message": _("The request could not be read.")}, status=400
        )
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"code": "server_error", "message": _("Something went wrong on our side.")},
            status=500,
        )
    # No context processors: the page must render even when the database is what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
