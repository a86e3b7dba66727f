"""The JSON API for finding standards: search with facets, one standard by any spelling of its
identifier (with suggestions when it is not in the catalog), the ICS/CCS trees and the issuing
bodies with their counts. The documents themselves are built by the catalog
(stdplus/catalog/api.py)."""

from __future__ import annotations

import json
from typing import Literal
from urllib.parse import urlencode

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from stdplus.catalog.api import clean_text, standard_json
from stdplus.catalog.schemas import (
    ClassBranchOut,
    IssuingBodyOut,
    NotFoundOut,
    StandardFilter,
    StandardListOut,
    StandardOut,
)
from stdplus.catalog.selectors import standard_details, standard_resolve
from stdplus.core.schemas import errors

from .browse import ClassNode, body_counts, class_branch
from .exports import standards_export
from .filters import search_run

standards = Router(tags=["standards"])
classifications = Router(tags=["classifications"])
bodies = Router(tags=["bodies"])


def _facet_dicts(facets) -> dict:
    return {
        name: [
            {"value": f.value, "label": f.label, "count": f.count, "selected": f.selected}
            for f in values
        ]
        for name, values in facets.items()
    }


@standards.get(
    "",
    response={200: StandardListOut, **errors()},
    url_name="standard_list",
    operation_id="stdplus_catalog_api_standard_list",
    summary="Search and filter standards",
)
def standard_list(request, params: Query[StandardFilter]):
    """Words in Chinese or English (substrings of Chinese, words and prefixes of English),
    identifiers in any accepted spelling, and facet filters. Returns the page, the count and
    the facet counts. An identifier puts that standard (or the editions of its work) first;
    one not in the catalog gets `match.suggestions`."""
    result = search_run(params)
    match = None
    if result.match is not None:
        match = {
            "kind": result.match.kind,
            "canonical": result.match.canonical,
            "work": result.match.work,
            "suggestions": result.match.suggestions,
        }
    return {
        "count": result.count,
        "count_exact": result.count_exact,
        "page": result.page,
        "page_size": result.page_size,
        "items": result.standards,
        "facets": _facet_dicts(result.facets),
        "facets_exact": result.facets_exact,
        "match": match,
    }


class ExportIn(Schema):
    format: Literal["csv", "xlsx"] = Field("csv", description="csv or xlsx.")


@standards.get(
    "/export",
    response=errors(),
    url_name="standard_export",
    operation_id="stdplus_search_api_standard_export",
    summary="Search results as a CSV or XLSX file",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file",
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                        "schema": {"type": "string", "format": "binary"}
                    },
                },
            }
        }
    },
)
def standard_export(request, params: Query[StandardFilter], file: Query[ExportIn]):
    """The same parameters as the search (`page` and `page_size` aside): the first
    2,000 results (`EXPORT_MAX`) in its order, column names and display names in the request's
    language. When there are more, the file's first line says so and the headers
    `X-Export-Truncated: true`, `X-Result-Count` and `X-Export-Rows` tell programs."""
    return standards_export(params, file.format, page_url=request.build_absolute_uri)


@standards.get(
    "/{path:identifier}",
    response={200: StandardOut, **errors(404), 404: NotFoundOut},
    url_name="standard_get",
    operation_id="stdplus_catalog_api_standard_get",
    summary="One standard, by any accepted spelling of its identifier",
)
def standard_get(request, identifier: str):
    """The standard, the editions of its work, its relations in both directions and its
    replacement chain. A work without a year names its edition in force (or its latest).
    URL-encode the identifier (`GB%2FT%2019001-2016`); its slashes may also stay as they are."""
    text = clean_text(identifier)[:200]
    found = standard_resolve(text)
    standard = found.edition
    if standard is None:
        message = (
            _("%(text)s is not a standard identifier: %(error)s")
            % {"text": text, "error": found.error}
            if found.match == "rejected"
            else _("%(identifier)s is not in the catalog")
            % {"identifier": found.identifier.canonical}
        )
        return Status(
            404, {"code": "not_found", "message": message, "suggestions": found.suggestions}
        )
    editions = found.editions if standard.work_key == found.identifier.work else None
    data = standard_json(standard_details(standard, editions=editions))
    return HttpResponse(json.dumps(data), content_type="application/json; charset=utf-8")


def _class_node(node: ClassNode) -> dict:
    return {
        "code": node.code,
        "title_en": node.title_en,
        "title_zh": node.title_zh,
        "depth": node.depth,
        "count": node.count,
        "has_children": node.has_children,
        "api_url": reverse(
            "api:classification_get", kwargs={"scheme": node.scheme, "code": node.code}
        ),
        "search_url": reverse("search:search") + "?" + urlencode({node.scheme: node.code}),
    }


def branch_json(branch) -> dict:
    return {
        "scheme": branch.scheme,
        "node": _class_node(branch.node) if branch.node else None,
        "path": [_class_node(n) for n in branch.path],
        "children": [_class_node(n) for n in branch.children],
    }


@classifications.get(
    "/{scheme}",
    response={200: ClassBranchOut, **errors(404)},
    url_name="classification_tree",
    operation_id="stdplus_catalog_api_classification_tree",
    summary="The top of the ICS or CCS tree, with counts",
)
def classification_tree(request, scheme: str):
    """`scheme` is `ics` or `ccs`. Each node counts the standards in it and below it."""
    branch = class_branch(scheme.lower())
    if branch is None:
        return Status(
            404,
            {
                "code": "not_found",
                "message": _("%(scheme)s is not a scheme: use ics or ccs") % {"scheme": scheme},
            },
        )
    return Status(200, branch_json(branch))


@classifications.get(
    "/{scheme}/{path:code}",
    response={200: ClassBranchOut, **errors(404)},
    url_name="classification_get",
    operation_id="stdplus_catalog_api_classification_get",
    summary="One ICS or CCS node: its path, its children, with counts",
)
def classification_get(request, scheme: str, code: str):
    branch = class_branch(scheme.lower(), clean_text(code).strip().upper()[:20])
    if branch is None:
        return Status(
            404,
            {
                "code": "not_found",
                "message": _("%(scheme)s %(code)s is not in the classification")
                % {"scheme": scheme, "code": code},
            },
        )
    return Status(200, branch_json(branch))


@bodies.get(
    "",
    response={200: list[IssuingBodyOut], **errors()},
    url_name="body_list",
    operation_id="stdplus_catalog_api_body_list",
    summary="Issuing bodies",
)
def body_list(request):
    """Every issuing body with its standards and those in force, most standards first."""
    search = reverse("search:search")
    return [
        {
            "body": b.body,
            "level": b.level,
            "count": b.count,
            "current": b.current,
            "search_url": search + "?" + urlencode({"body": b.body}),
        }
        for b in body_counts()
    ]


__all__ = ["bodies", "classifications", "standards"]
