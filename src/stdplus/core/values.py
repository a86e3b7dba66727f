"""Values a person types into a form or an API body, checked by one rule each."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .errors import ApplicationError, Where


def text_value(
    values: Mapping[str, Any], name: str, label, *, max_length: int, required: bool = False
) -> str:
    """`values[name]` as text without surrounding spaces ("" when absent). An ApplicationError
    naming the field (`label`, in the reader's language) when it is required and empty
    (`required`) or longer than `max_length` characters (`too_long`)."""
    value = str(values.get(name) or "").strip()
    if required and not value:
        raise ApplicationError(
            _("%(field)s is required."),
            params={"field": capfirst(label)},
            where=Where(field=name),
            code="required",
        )
    if len(value) > max_length:
        raise ApplicationError(
            _("%(field)s is longer than %(max)s characters."),
            params={"field": capfirst(label), "max": max_length},
            where=Where(field=name),
            code="too_long",
        )
    return value
