"""Display names for the codes the catalog keeps as the sources gave them.

Sources name document types, statuses and themselves with codes ("international-standard",
"under_development", "iso"); relation events store a small dict. Pages, exports and mails show
these through the functions here, in the reader's language, never the code or the dict itself.
A code not listed shows as it is (a new source's code is better seen than hidden).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from .choices import REVERSE_LABELS, EventKind, Level, RelationType, Status

DOCTYPES = {
    "international-standard": _("International Standard"),
    "technical-report": _("Technical Report"),
    "technical-specification": _("Technical Specification"),
    "publicly-available-specification": _("Publicly Available Specification"),
    "guide": _("Guide"),
    "system-reference-deliverable": _("System Reference Deliverable"),
    "international-workshop-agreement": _("International Workshop Agreement"),
    "directive": _("Directive"),
    "rfc": _("Request for Comments (RFC)"),
    "recommendation": _("Recommendation"),
    "recommendation-amendment": _("Amendment to a Recommendation"),
    "recommendation-supplement": _("Supplement to a Recommendation"),
    "recommendation-corrigendum": _("Corrigendum to a Recommendation"),
    "recommendation-annex": _("Annex to a Recommendation"),
    "question": _("Study Group question"),
    "resolution": _("Resolution"),
    "handbook": _("Handbook"),
    "other": _("Other"),
    "wp": _("Working paper"),
    "tec": _("Technical document"),
    "sttr": _("Technical report (ST)"),
    "tmop": _("Technical document (TMOP)"),
}

SOURCE_STATUSES = {
    **{value: label for value, label in Status.choices},
    "under_development": _("Under development"),
    "under_publication": _("Under publication"),
    "historic": _("Historic"),
}

SOURCES = {
    "cn": _("Chinese standards (curated)"),
    "iso": _("ISO deliverables"),
    "iec": _("IEC publications"),
    "itu": _("ITU-T Recommendations"),
    "ietf": _("IETF RFC index"),
    "nmpa": _("NMPA medical device standards"),
    "table": _("Spreadsheet"),
    "manual": _("Entered by hand"),
    "synthetic": _("Generated test data"),
    "demo": _("Demo data"),
    "development": _("Standards development projects"),
}


def _shown(table: dict, value: Any) -> str:
    if value in (None, ""):
        return ""
    label = table.get(str(value))
    return str(label) if label is not None else str(value)


def doctype_label(value: str | None) -> str:
    return _shown(DOCTYPES, value)


def source_status_label(value: str | None) -> str:
    return _shown(SOURCE_STATUSES, value)


def source_label(value: str | None) -> str:
    return _shown(SOURCES, value)


def level_label(value: str | None) -> str:
    return _shown(dict(Level.choices), value)


def status_label(value: str | None) -> str:
    return _shown(dict(Status.choices), value)


def relation_label(value: str | None, *, reverse: bool = False) -> str:
    if reverse:
        return _shown({str(k): v for k, v in REVERSE_LABELS.items()}, value)
    return _shown(dict(RelationType.choices), value)


def event_value_label(kind: str, value: Any) -> str:
    """A change event's old or new value for a person: a status's name, a relation as
    "adopts ISO 9001:2015", dates and texts as they are; never a dict."""
    if value in (None, "", {}, []):
        return ""
    if kind == EventKind.STATUS:
        return status_label(value)
    if isinstance(value, dict):
        if "type" in value:
            other = value.get("to") or value.get("target") or value.get("from") or ""
            reverse = "from" in value and not ("to" in value or "target" in value)
            label = relation_label(value["type"], reverse=reverse)
            return f"{label} {other}".strip()
        return "; ".join(
            f"{key}: {event_value_label('', item)}" for key, item in value.items() if item
        )
    if isinstance(value, list):
        return "; ".join(event_value_label(kind, item) for item in value if item)
    return str(value)


AUDIT_RULES = {
    "contradiction": _("Sources contradict each other"),
    "stale_status": _("Status not derived again"),
    "cycle": _("Replacements in a ring"),
    "unknown_target": _("Relations to standards not in the catalog"),
}


def audit_rule_label(rule: str) -> str:
    return _shown(AUDIT_RULES, rule)


def audit_detail_label(rule: str, detail: str) -> str:
    """A finding's detail of the catalog audit (`catalog/audit.py` writes it for the command
    line: "cn: current", "shown current", a relation type) for a page."""
    if not detail:
        return ""
    if rule == "stale_status" and detail.startswith("shown "):
        return str(_("shown %(status)s")) % {"status": status_label(detail[len("shown ") :])}
    if rule == "contradiction" and ": " in detail:
        source, status = detail.split(": ", 1)
        return f"{source_label(source)}: {status_label(status)}"
    if rule == "unknown_target":
        if " " in detail:
            source, kind = detail.split(" ", 1)
            return f"{source_label(source)} · {relation_label(kind)}"
        return relation_label(detail)
    return detail
