"""HTML pages of the catalog: the home page, one standard, the jump to a typed identifier.

The pages that find standards (search, the class trees and issuing bodies with their counts)
are the search app's (stdplus/search/views.py): the catalog does not import search.
"""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from stdplus.core.dates import today
from stdplus.core.twins import json_twin

from .api import clean_text
from .choices import Level, Status
from .freshness import max_age_days
from .links import api_url
from .models import Standard
from .panels import standard_panels
from .selectors import (
    catalog_counts,
    latest_changes,
    standard_details,
    standard_resolve,
)


def _home_context(counts: dict) -> dict:
    levels = [(value, label, counts["by_level"].get(value, 0)) for value, label in Level.choices]
    statuses = [
        (value, label, counts["by_status"].get(value, 0)) for value, label in Status.choices
    ]
    return {
        "total": counts["total"],
        "levels": levels,
        "statuses": statuses,
        "changes": latest_changes(10),
    }


@require_GET
@json_twin("api:catalog_summary")
def home(request):
    if request.GET.get("format") == "json":  # the page's JSON of old: the API's answer now
        return HttpResponsePermanentRedirect(reverse("api:catalog_summary"))
    return render(request, "catalog/home.html", _home_context(catalog_counts()))


def _not_found_message(text: str, lookup) -> str:
    if lookup.match == "rejected":
        return _("%(text)s is not a standard identifier: %(reason)s") % {
            "text": text,
            "reason": lookup.error,
        }
    return _("%(canonical)s is not in the catalog.") % {"canonical": lookup.identifier.canonical}


@require_GET
@json_twin(lambda request, identifier: api_url(identifier))
def standard_detail(request, identifier: str):
    text = clean_text(identifier)[:200]
    lookup = standard_resolve(text)
    standard = lookup.edition
    if standard is None:
        context = {"error": _not_found_message(text, lookup), "suggestions": lookup.suggestions}
        return render(request, "catalog/not_found.html", context, status=404)
    if standard.canonical != identifier:
        return redirect(standard.get_absolute_url())
    editions = lookup.editions if standard.work_key == lookup.identifier.work else None
    details = standard_details(standard, editions=editions)
    age = details.source_age
    context = {
        "standard": standard,
        "details": details,
        "editions": details.editions,
        "outgoing": details.outgoing,
        "incoming": details.incoming,
        "chain": details.chain,
        "upcoming": details.upcoming,
        "sources": _sources_table(details),
        "panels": standard_panels(request, standard),
        "source_age": age,
        "source_stale": age.stale(),
        "max_age_days": max_age_days(),
    }
    return render(request, "catalog/standard_detail.html", context)


def _field_label(name: str) -> str:
    if name.startswith("extra."):
        return name.removeprefix("extra.")
    return str(Standard._meta.get_field(name).verbose_name)


def _shown(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _sources_table(details) -> dict | None:
    """The "Sources" table: a column per source, a row per field, the value used marked."""
    if not details.sources:
        return None
    names = [f.source for f in details.sources]
    rows = [
        {
            "label": _field_label(row.field),
            "agree": row.agree,
            "cells": [
                {
                    "value": _shown(row.values.get(name)),
                    "used": row.used == name,
                    "given": name in row.values,
                }
                for name in names
            ],
            "by_hand": not row.used,
        }
        for row in details.fields_by_source
    ]
    set_aside = [
        {
            "source": f.source,
            **entry,
            "values": ", ".join(f"{k}: {_shown(v)}" for k, v in entry["values"].items()),
        }
        for f in details.sources
        for entry in f.set_aside
    ]
    return {"facts": details.sources, "rows": rows, "set_aside": set_aside}


@require_GET
def lookup(request):
    """Jump to the standard a typed identifier names; say why when it names none."""
    text = clean_text(request.GET.get("q", "")).strip()
    found = standard_resolve(text)
    if found.edition is not None:
        return redirect(found.edition.get_absolute_url())
    context = _home_context(catalog_counts())
    context["error"] = _not_found_message(text, found)
    context["suggestions"] = found.suggestions
    return render(request, "catalog/home.html", context, status=404)


@require_GET
@staff_member_required
@json_twin("api:catalog_audit")
def audit(request):
    """The catalog's data quality for staff (stdplus.catalog.audit); JSON twin in the API."""
    from .audit import NEEDS_PERSON, RULES, catalog_audit_cached

    report = catalog_audit_cached(today())
    rules = [
        {
            "key": rule,
            "explanation": explanation,
            "needs_person": rule in NEEDS_PERSON,
            "count": report.counts.get(rule, 0),
            "findings": report.findings.get(rule, []),
        }
        for rule, explanation in RULES.items()
    ]
    return render(request, "catalog/audit.html", {"report": report, "rules": rules})
