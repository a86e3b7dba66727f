"""The catalog's JSON documents: a standard as the API and the detail page's JSON twin give it.

The endpoints (`/api/v1/standards`, `/classifications`, `/bodies`) are the search app's
(stdplus/search/api.py), since finding a standard, suggesting one for a typo and counting
classes use the search index; the catalog does not import search.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema
from ninja.security import django_auth

from stdplus.core.dates import today
from stdplus.core.errors import PermissionDeniedError
from stdplus.core.schemas import errors
from stdplus.core.weblinks import web_url

from .links import api_url, html_url
from .schemas import AuditOut, StandardBriefOut, StandardOut
from .selectors import catalog_counts, latest_changes


def clean_text(value: str) -> str:
    """Input text without NUL and other control characters (PostgreSQL refuses NUL)."""
    return "".join(ch for ch in value if ch >= " " or ch in "\t\n")


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
    and name
    not in (
        "source_url",
        "classifications",
        "editions",
        "relations",
        "replacement_chain",
        "sources",
        "replacement_by_edition",
        "source_data",
    )
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
            "source_url": web_url(standard.url),  # http(s) only: clients render it as a link
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
            "sources": sources_json(details),
            "replacement_by_edition": [s.canonical for s in details.by_edition],
            "source_data": details.source_age.as_dict(),
        }
    )
    return data


def sources_json(details) -> dict:
    """What each source said of the standard, and where each field shown came from."""
    owner = details.standard.source
    return {
        "facts": [
            {
                "source": f.source,
                "owner": f.source == owner,
                "seen": _date(f.seen),
                "facts": f.facts,
                "set_aside": f.set_aside,
            }
            for f in details.sources
        ],
        "fields": [
            {"field": row.field, "value": row.value, "used": row.used, "values": row.values}
            for row in details.fields_by_source
        ],
    }


# GET /api/v1/catalog/summary and /audit: the home page's and the staff page's JSON twins.
router = Router(tags=["catalog"])


class CatalogChangeOut(Schema):
    identifier: str
    kind: str
    new_value: Any = None
    created_at: dt.datetime
    api_url: str


class CatalogSummaryOut(Schema):
    """What the home page shows: the catalog's size by level and by status, its last changes."""

    total: int
    by_level: dict[str, int]
    by_status: dict[str, int]
    latest_changes: list[CatalogChangeOut]


@router.get(
    "/summary",
    url_name="catalog_summary",
    summary="The catalog's size by level and status, and its latest changes",
    response={200: CatalogSummaryOut, **errors()},
)
def summary(request):
    counts = catalog_counts()
    return {
        "total": counts["total"],
        "by_level": counts["by_level"],
        "by_status": counts["by_status"],
        "latest_changes": [
            {
                "identifier": event.standard.canonical,
                "kind": event.kind,
                "new_value": event.new_value,
                "created_at": event.created_at,
                "api_url": api_url(event.standard.canonical),
            }
            for event in latest_changes(10)
        ],
    }


@router.get(
    "/audit",
    auth=django_auth,
    url_name="catalog_audit",
    summary="The catalog's data quality (staff)",
    response={200: AuditOut, **errors(401, 403)},
)
def audit(request):
    """Contradictions between sources, stale statuses, replacement cycles and relations to
    unknown identifiers, with counts, examples, the sources involved and the rule that decided.
    For staff signed in on the site."""
    from .audit import catalog_audit_cached

    if not request.user.is_staff:
        raise PermissionDeniedError(_("The catalog audit is for staff."))
    return catalog_audit_cached(today()).as_dict()
