"""Why a text is not a standard identifier, in the reader's language.

The identifier engine (`stdplus.identifiers`, pure Python) gives every rejection a stable code
and its parameters (`Rejection.code`, `Rejection.params`) besides its English text. Pages, the
API, the validity check and the importers show a rejection through `rejection_message`, which
translates the code here; `tests/core/test_messages.py` holds these codes to the engine's
`REASONS`.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

REASONS = {
    "not_text": _("not text but %(type)s"),
    "unreadable": _("could not be read as an identifier (%(type)s)"),
    "too_long": _("too long: %(length)s characters (an identifier has at most %(limit)s)"),
    "control_characters": _("contains control characters"),
    "empty": _("empty text"),
    "sql": _("looks like an SQL fragment, not an identifier"),
    "markup": _("looks like markup, not an identifier"),
    "bad_characters": _(
        "contains characters that do not belong in an identifier: '%(characters)s'"
    ),
    "version_without_standard": _("an edition version '%(version)s' without a standard"),
    "no_prefix_start": _("malformed: '%(text)s' does not start with a standards body prefix"),
    "no_known_prefix": _("no known standards body prefix in '%(text)s'"),
    "bare_number": _("a bare number '%(text)s' without a standards body prefix"),
    "unknown_body": _("unknown standards body '%(body)s' in '%(text)s'"),
    "bare_prefix": _("a bare prefix '%(text)s' without a number"),
    "bare_prefix_followed": _("a bare prefix '%(body)s' followed by '%(rest)s', not a number"),
    "malformed": _("malformed %(family)s identifier '%(text)s'"),
    "malformed_unread": _("malformed %(family)s identifier '%(text)s': cannot read '%(rest)s'"),
    "no_number_before_year": _(
        "malformed %(family)s identifier '%(text)s': no number before the year"
    ),
    "malformed_adopted": _("malformed adopted identifier '%(text)s'"),
    "adopted_unreadable": _("cannot read the adopted standard '%(text)s': %(reason)s"),
    "adopted_not_international": _(
        "the adopted standard '%(text)s' is not an international or European standard"
    ),
    "version_not_chinese": _(
        "an edition version (%(version)s年版) belongs to Chinese standards, not to '%(standard)s'"
    ),
    "dual_numbering_not_chinese": _(
        "dual numbering belongs to Chinese standards, not to '%(standard)s'"
    ),
    "version_needs_date": _("an edition version (%(version)s年版) needs the dated standard"),
    "version_older": _("the edition version %(version)s is older than the standard '%(standard)s'"),
    "implausible_year": _("implausible year %(year)s (expected %(min)s to %(max)s)"),
    "month_out_of_range": _("month %(month)s is outside 1 to 12"),
    "two_stages": _("two draft stages in '%(text)s'"),
    "two_supplement_stages": _("two draft stages in a supplement of '%(text)s'"),
    "two_doctypes": _("two document types in '%(text)s'"),
    "fragment_without_number": _("a fragment without a number in '%(text)s'"),
    "space_in_number": _("a space inside the number '%(number)s' of an undated identifier"),
    "modification_needs_date": _("a modification sheet (XG) needs the dated standard it modifies"),
    "all_parts_no_year": _("'(all parts)' refers to the whole work and takes no year"),
    "unknown_chinese_prefix": _("unknown Chinese standard prefix '%(prefix)s' in '%(text)s'"),
    "printed_without_mark": _("'%(code)s' is printed without /%(mark)s"),
    "two_t_marks": _("two /T marks in '%(text)s'"),
    "unknown_province": _("unknown province code '%(code)s' in local standard '%(text)s'"),
}

# The families the engine names in words; the others are bodies' names (ISO/IEC, ITU, IEEE).
FAMILIES = {
    "Chinese standard": _("Chinese standard"),
    "local engineering construction standard": _("local engineering construction standard"),
    "CECS association standard": _("CECS association standard"),
    "local standard": _("local standard"),
    "group standard": _("group standard"),
    "enterprise standard": _("enterprise standard"),
    "European": _("European"),
    "foreign": _("foreign"),
}


def reason_message(code: str, params: dict | None = None) -> str:
    """The reason `code` with its parameters, in the active language."""
    template = REASONS.get(code)
    if template is None:
        return gettext("not a standard identifier")
    values: dict[str, Any] = {}
    for key, value in (params or {}).items():
        if isinstance(value, dict) and "code" in value:
            value = reason_message(value["code"], value.get("params"))
        elif key == "family":
            value = FAMILIES.get(value, value)
        values[key] = value
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return str(template)


def rejection_message(rejection: Any) -> str:
    """A `Rejection`'s reason in the active language (its English `error` if it has no code)."""
    code = getattr(rejection, "code", None)
    if not code:
        return getattr(rejection, "error", "") or gettext("not a standard identifier")
    return reason_message(code, getattr(rejection, "params", None))
