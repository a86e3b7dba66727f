"""Whether the demo generator's invented standards are shown: the one rule for every reader.

`stdplus programme demo` writes invented standards into the catalog, flagged by their source
(`models.DEMO_SOURCE`). They stay out of everything the public reads (the catalog's pages,
search, counts, issuing bodies, classes, changes and feeds, the API's lists, the validity
check) unless the setting `STDPLUS_SHOW_DEMO` is on, or the reader turned the visible switch
on (a cookie, set by `demo_switch`). Wherever they show, the page says so (the banner in
`base.html`, from `context`).

Readers ask `demo_shown()`; querysets use `Standard.objects.public()` (and
`ChangeEvent.objects.public()`), which apply it. The statistics and the regulator's dashboard
keep their own `real_only` choice and do not go through here.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

COOKIE = "stdplus_demo"
_shown: ContextVar[bool | None] = ContextVar("stdplus_demo_shown", default=None)


def demo_shown() -> bool:
    """Whether demo entries are shown to the current reader (the request's switch, else the
    setting)."""
    chosen = _shown.get()
    if chosen is not None:
        return chosen
    return bool(getattr(settings, "STDPLUS_SHOW_DEMO", False))


class DemoShown:
    """`with DemoShown(True):` shows (or hides) demo entries for the code inside."""

    def __init__(self, shown: bool) -> None:
        self.shown = shown
        self._token = None

    def __enter__(self):
        self._token = _shown.set(self.shown)
        return self

    def __exit__(self, *exc) -> None:
        _shown.reset(self._token)


def hide_demo(queryset, field: str = "source"):
    """`queryset` without demo entries unless they are shown (`field`: the path to a
    standard's source, `standard__source` for events)."""
    from .models import DEMO_SOURCE

    if demo_shown():
        return queryset
    return queryset.exclude(**{field: DEMO_SOURCE})


def visible(standard) -> bool:
    """Whether one standard (a row, or anything with `source`) is shown to the reader."""
    from .models import DEMO_SOURCE

    return standard is not None and (standard.source != DEMO_SOURCE or demo_shown())


def request_shows_demo(request) -> bool:
    if getattr(settings, "STDPLUS_SHOW_DEMO", False):
        return True
    return request.COOKIES.get(COOKIE) == "1"


class DemoVisibilityMiddleware:
    """Sets, for one request, whether demo entries are shown (the setting or the cookie)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        token = _shown.set(request_shows_demo(request))
        try:
            return self.get_response(request)
        finally:
            _shown.reset(token)


def context(request) -> dict:
    """For every page: whether demo entries show (the banner) and whether the switch may be
    turned off (not when the setting shows them). No query."""
    return {
        "demo_shown": demo_shown(),
        "demo_forced": bool(getattr(settings, "STDPLUS_SHOW_DEMO", False)),
    }


@require_POST
def demo_switch(request):
    """Turn the display of demo entries on or off for this browser, then go back."""
    show = request.POST.get("show") == "1"
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if show:
        response.set_cookie(COOKIE, "1", samesite="Lax", httponly=True)
    else:
        response.delete_cookie(COOKIE, samesite="Lax")
    return response
