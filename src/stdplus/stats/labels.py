"""Display names for the codes in the statistics' rows (levels, kinds, states, roles, figure keys).

Rows keep the codes (the API's shape); pages, the report and its XLSX show them through
`label(kind, value)`, in the active language, from the choices that define them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stdplus.catalog.choices import Level
from stdplus.declarations.choices import DeclarationState, Severity
from stdplus.development.choices import Kind as DevelopmentKind
from stdplus.development.choices import State as DevelopmentState
from stdplus.programme.choices import (
    ApplicationState,
    BodyKind,
    ParticipationRole,
    PilotLevel,
    PilotState,
    PositionRole,
)

CHOICES = {
    "standard_level": dict(Level.choices),
    "pilot_level": dict(PilotLevel.choices),
    "pilot_state": dict(PilotState.choices),
    "body_kind": dict(BodyKind.choices),
    "position_role": dict(PositionRole.choices),
    "participation_role": dict(ParticipationRole.choices),
    "application_state": dict(ApplicationState.choices),
    "declaration_state": dict(DeclarationState.choices),
    "severity": dict(Severity.choices),
    "development_kind": dict(DevelopmentKind.choices),
    "development_state": dict(DevelopmentState.choices),
}

# The splits of figures and their columns in the report's sheets.
SPLITS = {
    "level": _("Level"),
    "kind": _("Kind"),
    "state": _("State"),
    "role": _("Role"),
    "body": _("Body"),
    "field": pgettext_lazy("ICS", "Field"),
    "category": _("Category"),
    "severity": _("Severity"),
}


def label(kind: str, value) -> str:
    """The display name of `value` among the choices `kind` ("standard_level", ...); the value
    itself if it is not one of them."""
    if value in (None, ""):
        return ""
    shown = CHOICES.get(kind, {}).get(str(value))
    return str(shown) if shown is not None else str(value)


def split_label(name: str) -> str:
    shown = SPLITS.get(name)
    return str(shown) if shown is not None else name


# The columns of the records' rows, as the report's XLSX heads them.
COLUMNS = {
    "canonical": _("Standard"),
    "title_zh": _("Chinese title"),
    "title_en": _("English title"),
    "level": _("Level"),
    "body": _("Issuing body"),
    "published": _("Published"),
    "year": _("Year"),
    "demo": _("Demo data"),
    "organizations": _("Organizations of the region"),
    "code": _("Code"),
    "name_zh": _("Chinese name"),
    "name_en": _("English name"),
    "kind": _("Kind"),
    "host": _("Host"),
    "since": _("Since"),
    "until": _("Until"),
    "id": _("Number"),
    "organization": _("Organization"),
    "positions": _("Positions"),
    "state": _("State at the end of the period"),
    "state_now": _("State now"),
    "start": _("Starts"),
    "item": _("Item"),
    "item_zh": _("Item (Chinese)"),
    "claim": _("Claim"),
    "submitted_on": _("Submitted on"),
    "amount_requested": _("Requested (CNY)"),
    "amount_awarded": _("Awarded (CNY)"),
}


def column_label(name: str):
    return COLUMNS.get(name, name)
