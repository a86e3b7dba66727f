"""The catalog's JSON API: search and browse standards, one standard, classes, bodies."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode

from django.http import HttpResponse
from django.urls import reverse
from ninja import Query, Router, Status

from stdplus.search.browse import ClassNode, body_counts, class_branch
from stdplus.search.selectors import SearchFilters, standards_search

from .links import api_url, html_url
from .schemas import (
    BodyOut,
    ClassBranchOut,
    ErrorOut,
    NotFoundOut,
    StandardBriefOut,
    StandardFilter,
    StandardListOut,
    StandardOut,
    ValidationErrorOut,
)
from .selectors import standard_details, standard_lookup

standards = Router(tags=["standards"])
classifications = Router(tags=["classifications"])
bodies = Router(tags=["bodies"])

ERRORS = {400: ErrorOut, 422: ValidationErrorOut}


def clean_text(value: str) -> str:
    """Input text without NUL and other control characters (PostgreSQL refuses NUL)."""
    return "".join(ch for ch in value if ch >= " " or ch in "\t\n")


def search_filters(params) -> SearchFilters:
    return SearchFilters(
        level=list(params.level),
        body=[clean_text(b) for b in params.body],
        status=list(params.status),
        ics=list(params.ics),
        ccs=list(params.ccs),
        published_from=params.published_from,
        published_to=params.published_to,
    )


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
    response={200: StandardListOut, **ERRORS},
    url_name="standard_list",
    summary="Search and filter standards",
)
def standard_list(request, params: Query[StandardFilter]):
    """Words in Chinese or English (substrings of Chinese, words and prefixes of English),
    identifiers in any accepted spelling, and facet filters. Returns the page, the count and
    the facet counts. An identifier puts that standard (or the editions of its work) first;
    one not in the catalog gets `match.suggestions`."""
    result = standards_search(
        q=clean_text(params.q),
        filters=search_filters(params),
        sort=params.sort,
        page=params.page,
        page_size=params.page_size,
    )
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


def _relation(relation, direction: str) -> dict:
    outgoing = direction == "outgoing"
    other = relation.to_standard if outgoing else relation.from_standard
    return {
        "type": relation.type,
        "direction": direction,
        "label": str(relation.get_type_display() if outgoing else relation.reverse_label),
        "identifier": relation.to_key if outgoing else relation.from_key,
        "in_catalog": other is not None,
        "status": other.status if other is not None else None,
        "degree": relation.degree,
        "inferred": relation.inferred,
        "date": _date(relation.date),
    }


def _date(value) -> str | None:
    return value.isoformat() if value is not None else None


def _brief(standard) -> dict:
    """A standard as StandardBriefOut has it, as plain JSON values."""
    return {
        "identifier": standard.canonical,
        "work": standard.work_key,
        "level": standard.level,
        "body": standard.body,
        "status": standard.status,
        "is_supplement": standard.is_supplement,
        "title_zh": standard.title_zh,
        "title_en": standard.title_en,
        "published": _date(standard.published),
        "api_url": api_url(standard.canonical),
        "html_url": html_url(standard.canonical),
    }


# Fields of StandardOut taken from the standard as they are (the rest are built below).
_PLAIN_FIELDS = [
    name
    for name in StandardOut.model_fields
    if name not in StandardBriefOut.model_fields
    and name not in ("source_url", "classifications", "editions", "relations", "replacement_chain")
]


def standard_json(details) -> dict:
    """The document of `GET /standards/{id}` as plain JSON values, in StandardOut's shape.

    Built by hand rather than validated through the schema on every request: that validation
    took about a millisecond of the detail endpoint's time. A test holds the two equal."""
    standard = details.standard
    data = _brief(standard)
    for name in _PLAIN_FIELDS:
        value = getattr(standard, name)
        data[name] = _date(value) if isinstance(value, dt.date) else value
    data.update(
        {
            "source_url": standard.url,
            "classifications": [
                {
                    "scheme": c.scheme,
                    "code": c.code,
                    "path": [
                        {
                            "scheme": node.scheme,
                            "code": node.code,
                            "title_en": node.title_en,
                            "title_zh": node.title_zh,
                        }
                        for node in c.path
                    ],
                }
                for c in details.classes
            ],
            "editions": [_brief(e) for e in details.editions],
            "relations": [_relation(r, "outgoing") for r in details.outgoing]
            + [_relation(r, "incoming") for r in details.incoming],
            "replacement_chain": [_brief(s) for s in details.chain],
        }
    )
    return data


@standards.get(
    "/{path:identifier}",
    response={200: StandardOut, 404: NotFoundOut, **ERRORS},
    url_name="standard_get",
    summary="One standard, by any accepted spelling of its identifier",
)
def standard_get(request, identifier: str):
    """The standard, the editions of its work, its relations in both directions and its
    replacement chain. A work without a year names its edition in force (or its latest).
    URL-encode the identifier (`GB%2FT%2019001-2016`); its slashes may also stay as they are."""
    text = clean_text(identifier)[:200]
    found = standard_lookup(text)
    if found.match in ("rejected", "none"):
        from stdplus.search.selectors import identifier_match

        near = identifier_match(text) if found.match == "none" else None
        message = (
            f"{text} is not a standard identifier: {found.error}"
            if found.match == "rejected"
            else f"{found.identifier.canonical} is not in the catalog"
        )
        return Status(
            404,
            {
                "code": "not_found",
                "message": message,
                "suggestions": near.suggestions if near else [],
            },
        )
    standard = found.standard or found.current or found.editions[-1]
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
        "search_url": reverse("catalog:search") + "?" + urlencode({node.scheme: node.code}),
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
    response={200: ClassBranchOut, 404: ErrorOut, **ERRORS},
    url_name="classification_tree",
    summary="The top of the ICS or CCS tree, with counts",
)
def classification_tree(request, scheme: str):
    """`scheme` is `ics` or `ccs`. Each node counts the standards in it and below it."""
    branch = class_branch(scheme.lower())
    if branch is None:
        return Status(
            404, {"code": "not_found", "message": f"{scheme} is not a scheme: use ics or ccs"}
        )
    return Status(200, branch_json(branch))


@classifications.get(
    "/{scheme}/{code}",
    response={200: ClassBranchOut, 404: ErrorOut, **ERRORS},
    url_name="classification_get",
    summary="One ICS or CCS node: its path, its children, with counts",
)
def classification_get(request, scheme: str, code: str):
    branch = class_branch(scheme.lower(), clean_text(code).strip().upper()[:20])
    if branch is None:
        return Status(
            404,
            {
                "code": "not_found",
                "message": f"{scheme} {code} is not in the classification",
            },
        )
    return Status(200, branch_json(branch))


@bodies.get(
    "", response={200: list[BodyOut], **ERRORS}, url_name="body_list", summary="Issuing bodies"
)
def body_list(request):
    """Every issuing body with its standards and those in force, most standards first."""
    search = reverse("catalog:search")
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
