"""Cell readers of the register's spreadsheets: a cell in, the value a service takes out.

A reader raises `ApplicationError` without a place (the loader in `sheets.py` adds the file,
sheet, row and field) and carries a `hint`, what to write, that the template shows beside the
column's name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Organization
from stdplus.catalog.models import Standard
from stdplus.core.errors import ApplicationError
from stdplus.core.rejections import rejection_message
from stdplus.core.tabular import cell_text
from stdplus.identifiers import Identifier, parse

from ..models import Expert, Region


def _invalid(message, **params) -> ApplicationError:
    return ApplicationError(message, params=params, code="invalid_cell")


def reader_mark(hint: Promise | str = ""):
    def mark(function: Callable) -> Callable:
        function.hint = hint  # type: ignore[attr-defined]
        return function

    return mark


@reader_mark()
def read_text(value, limit: int = 300) -> str:
    text = cell_text(value)
    if len(text) > limit:
        raise _invalid(_("is longer than %(limit)s characters"), limit=limit)
    return text


def read_choice(choices) -> Callable:
    """A reader of one of `choices` ((value, label) pairs, or TextChoices), by value or label."""
    pairs = list(getattr(choices, "choices", choices))

    @reader_mark()
    def reader(value):
        text = cell_text(value)
        if not text:
            return ""
        for choice_value, label in pairs:
            if text.lower() in (str(choice_value).lower(), str(label).lower()):
                return choice_value
        raise _invalid(
            _("%(value)s is not one of %(choices)s"),
            value=repr(text),
            choices=", ".join(str(v) for v, _label in pairs),
        )

    reader.choices = [str(v) for v, _label in pairs]  # type: ignore[attr-defined]
    return reader


@reader_mark(_("YYYY-MM-DD"))
def read_date(value):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(cell_text(value))
    except ValueError:
        raise _invalid(
            _("%(value)s is not a date (YYYY-MM-DD)"), value=repr(cell_text(value))
        ) from None


@reader_mark()
def read_int(value):
    if value in (None, ""):
        return None
    try:
        number = int(float(cell_text(value).replace(",", "")))
    except ValueError:
        raise _invalid(_("%(value)s is not a whole number"), value=repr(cell_text(value))) from None
    if number < 0:
        raise _invalid(_("cannot be negative"))
    return number


@reader_mark(_("separated by ;"))
def read_list(value) -> list[str]:
    return [part.strip() for part in cell_text(value).replace("；", ";").split(";") if part.strip()]


@reader_mark(_("name, credit code or id"))
def read_organization(value):
    text = cell_text(value)
    if not text:
        return None
    if text.isdigit():
        found = Organization.objects.filter(pk=int(text)).first()
    else:
        found = Organization.objects.filter(credit_code=text.upper()).first()
        if found is None:
            matches = list(Organization.objects.filter(Q(name_zh=text) | Q(name_en=text))[:2])
            if len(matches) > 1:
                raise _invalid(
                    _("several organizations are named %(value)s; give the credit code or id"),
                    value=repr(text),
                )
            found = matches[0] if matches else None
    if found is None:
        raise _invalid(
            _("no registry organization %(value)s (name, credit code or id)"), value=repr(text)
        )
    return found


@reader_mark(_("identifier of the edition"))
def read_standard(value):
    text = cell_text(value)
    if not text:
        return None
    identifier = parse(text)
    if not isinstance(identifier, Identifier):
        raise _invalid(
            _("%(value)s is not a standard identifier: %(error)s"),
            value=repr(text),
            error=rejection_message(identifier),
        )
    standard = Standard.objects.filter(canonical=identifier.canonical).first()
    if standard is None:
        raise _invalid(_("%(identifier)s is not in the catalog"), identifier=identifier.canonical)
    return standard


@reader_mark(_("region code, e.g. 440305"))
def read_region(value):
    text = cell_text(value)
    if not text:
        return None
    region = Region.objects.filter(Q(code=text) | Q(short_code=text)).first()
    if region is None:
        raise _invalid(_("%(value)s is not a region code of the tree"), value=repr(text))
    return region


@reader_mark(_("region code, e.g. 440305"))
def read_region_code(value) -> str:
    region = read_region(value)
    return region.code if region else ""


@reader_mark(_("name or id"))
def read_expert(value):
    text = cell_text(value)
    if not text:
        return None
    if text.isdigit():
        found = Expert.objects.live().filter(pk=int(text)).first()
    else:
        matches = list(Expert.objects.live().filter(Q(name_zh=text) | Q(name_en=text))[:2])
        if len(matches) > 1:
            raise _invalid(
                _("several experts are named %(value)s; give the expert's id"), value=repr(text)
            )
        found = matches[0] if matches else None
    if found is None:
        raise _invalid(_("no expert %(value)s (name or id)"), value=repr(text))
    return found


def read_by_code(model: type[models.Model]) -> Callable:
    @reader_mark(_("code"))
    def reader(value):
        text = cell_text(value)
        if not text:
            return None
        found = model.objects.live().filter(code=text).first()  # type: ignore[attr-defined]
        if found is None:
            raise _invalid(
                _("no %(record)s with the code %(value)s"),
                record=model._meta.verbose_name,
                value=repr(text),
            )
        return found

    return reader
