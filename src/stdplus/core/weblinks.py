"""Links taken from data: only http(s) addresses are stored or shown as links.

A URL in an imported file or a form is data, not trusted: `javascript:`, `data:`, `vbscript:`
and every other scheme would run or open something else when clicked. One rule, used by the
importers (a row with another scheme is refused), the models (a validator) and the templates
(the `web_url` filter of `{% load weblinks %}`, which renders nothing for anything else).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEB_SCHEMES = ("http", "https")
# Characters browsers drop from a URL before reading its scheme ("java\tscript:" is javascript:).
_DROPPED = str.maketrans("", "", "".join(chr(c) for c in range(0x21)) + "\x7f")


def web_url(value) -> str:
    """`value` if it is an absolute http(s) URL with a host, else ""."""
    if not isinstance(value, str):
        return ""
    text = value.strip()
    if not text or text != text.translate(_DROPPED):
        return ""  # control characters or spaces inside: browsers would read it differently
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return ""
    return text


def web_url_problem(value: str) -> str:
    """Why `value` is not stored as a link ("" when it is fine or empty)."""
    if not value or web_url(value):
        return ""
    return str(_("only http:// and https:// addresses are kept as links"))


def validate_web_url(value: str) -> None:
    """A model and form validator: blank or an http(s) URL."""
    if value and not web_url(value):
        raise ValidationError(
            _("only http:// and https:// addresses are kept as links"), code="invalid_scheme"
        )
