"""HTML pages that find standards: search with facets, the ICS/CCS trees and the issuing
bodies with their counts. Thin views over the search selectors; htmx requests get the results
partial only. (The catalog's own pages are in stdplus/catalog/views.py.)"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from stdplus.catalog.api import clean_text
from stdplus.catalog.choices import Level
from stdplus.core.errors import ApplicationError
from stdplus.core.twins import json_twin

from .browse import body_counts, class_branch
from .exports import EXPORT_MAX, standards_export
from .filters import filters_read, search_run
from .text import highlight

SORT_LABELS = {
    "relevance": gettext_lazy("relevance"),
    "newest": gettext_lazy("newest first"),
    "oldest": gettext_lazy("oldest first"),
    "identifier": gettext_lazy("identifier"),
}


def _with(params: list[tuple[str, str]], **changes) -> str:
    """The query string with some parameters replaced (None drops them); `page` always drops."""
    kept = [(k, v) for k, v in params if k not in changes and k != "page"]
    for name, value in changes.items():
        if value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            kept.append((name, item))
    return "?" + urlencode(kept)


def _toggle(params: list[tuple[str, str]], name: str, value: str) -> str:
    chosen = [v for k, v in params if k == name]
    chosen = [v for v in chosen if v != value] if value in chosen else [*chosen, value]
    return _with(params, **{name: chosen})


@require_GET
@vary_on_headers("HX-Request")
@json_twin("api:standard_list", query=True)
def search(request):
    """Search results with facets; an identifier goes straight to its standard. The query
    string is read through the API's schema (`filters.filters_read`)."""
    params = [(k, clean_text(v)) for k, values in request.GET.lists() for v in values]
    q = clean_text(request.GET.get("q", ""))
    context = {"q": q, "params": params, "sort_choices": SORT_LABELS}
    status = 200
    try:
        result = search_run(filters_read(request.GET))
    except ApplicationError as error:
        context["error"] = error.message
        result, status = None, 400
    if (
        result is not None
        and result.match is not None
        and result.match.kind == "edition"
        and result.standards
        and result.standards[0] == result.match.standards[0]
        and "HX-Request" not in request.headers
    ):
        return redirect(result.standards[0].get_absolute_url())
    if result is not None:
        context.update(_results_context(result, params))
    template = "search/_results.html" if "HX-Request" in request.headers else "search/search.html"
    return render(request, template, context, status=status)


@require_GET
def export(request, fmt: str):
    """The search's results as CSV or XLSX (the first EXPORT_MAX), with the page's filters."""
    try:
        params = filters_read(request.GET)
    except ApplicationError as error:
        context = {"q": clean_text(request.GET.get("q", "")), "error": error.message}
        return render(request, "search/search.html", context, status=400)
    try:
        return standards_export(params, fmt, page_url=request.build_absolute_uri)
    except ApplicationError as error:
        context = {"q": params.q, "error": error.message}
        return render(request, "search/search.html", context, status=400)


def _results_context(result, params) -> dict:
    rows = [
        {
            "standard": s,
            "title_zh": highlight(s.title_zh, result.terms),
            "title_en": highlight(s.title_en, result.terms),
        }
        for s in result.standards
    ]
    facets = []
    names = {
        "level": _("Level"),
        "status": _("Status"),
        "body": _("Issuing body"),
        "ics": _("ICS field"),
        "year": _("Year of publication"),
    }
    year_from = dict(params).get("published_from", "")
    for name in ("level", "status", "body", "ics", "year"):
        values = []
        for facet in result.facets[name]:
            if name == "year":
                start, end = f"{facet.value}-01-01", f"{facet.value}-12-31"
                selected = year_from == start and dict(params).get("published_to") == end
                url = (
                    _with(params, published_from=None, published_to=None)
                    if selected
                    else _with(params, published_from=start, published_to=end)
                )
            else:
                selected = facet.selected
                url = _toggle(params, name, facet.value)
            label = facet.label if name != "ics" else f"{facet.value} {facet.label}".strip()
            values.append({"label": label, "count": facet.count, "selected": selected, "url": url})
        if values:
            facets.append({"name": name, "title": names[name], "values": values})
    export = [(k, v) for k, v in params if k != "page"]
    query = "?" + urlencode(export) if export else ""
    return {
        "result": result,
        "rows": rows,
        "facets": facets,
        "export_csv": reverse("search:export", kwargs={"fmt": "csv"}) + query,
        "export_xlsx": reverse("search:export", kwargs={"fmt": "xlsx"}) + query,
        "export_max": EXPORT_MAX,
        "previous_url": _with(params, page=str(result.page - 1)) if result.page > 1 else "",
        "next_url": _with(params, page=str(result.page + 1)) if result.page < result.pages else "",
        "clear_url": _with([("q", result.q)] if result.q else []),
    }


def _class_twin(request, scheme: str, code: str = "") -> str:
    if code:
        return reverse("api:classification_get", kwargs={"scheme": scheme, "code": code})
    return reverse("api:classification_tree", kwargs={"scheme": scheme})


@require_GET
@json_twin(_class_twin)
def classes(request, scheme: str, code: str = ""):
    """Browse the ICS or CCS tree: a node, its path and its children, with counts."""
    branch = class_branch(scheme, code or None)
    if branch is None:
        raise Http404(_("%(code)s is not in the classification") % {"code": code})
    language = get_language() or "en"
    return render(
        request,
        "search/classes.html",
        {
            "scheme": scheme,
            "scheme_label": "ICS" if scheme == "ics" else "CCS",
            "branch": branch,
            "node_title": branch.node.title(language) if branch.node else "",
            "path": [(n, n.title(language)) for n in branch.path],
            "children": [(n, n.title(language)) for n in branch.children],
            "search_url": reverse("search:search") + "?" + urlencode({scheme: code})
            if code
            else "",
        },
    )


@require_GET
@json_twin("api:body_list")
def bodies(request):
    """Issuing bodies with their counts, each linking to its standards."""
    search_url = reverse("search:search")
    labels = dict(Level.choices)
    rows = [
        {
            "body": b,
            "level": labels.get(b.level, b.level),
            "url": search_url + "?" + urlencode({"body": b.body}),
        }
        for b in body_counts()
    ]
    return render(
        request,
        "search/bodies.html",
        {"rows": rows},
    )
