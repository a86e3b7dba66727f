"""Today's date, which tests and demos may pin with STDPLUS_TODAY."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import ApplicationError, Where


def today() -> dt.date:
    pinned = getattr(settings, "STDPLUS_TODAY", "")
    if pinned:
        return dt.date.fromisoformat(pinned)
    return timezone.localdate()


def date_or_none(value: str, *, field: str) -> dt.date | None:
    """A date typed in a form (YYYY-MM-DD), None when empty; a clear error naming the field."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApplicationError(
            _("%(value)s is not a date (YYYY-MM-DD)"),
            params={"value": value[:20]},
            where=Where(field=field),
            code="invalid_date",
        ) from None
