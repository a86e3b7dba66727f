"""The one application error type: a message a person can act on, and where it happened.

Messages are translatable strings with named parameters, never f-strings, so that a page shows
one language:

    raise ApplicationError(
        _("%(value)s is not a date (YYYY-MM-DD)"),
        params={"value": value},
        where=Where(file="refs.xlsx", sheet="Sheet1", row=12, field="published"),
        code="invalid_date",
    )

`where` is structured (file, sheet, row, field), so nobody parses message text to find the
field of an error; `where.field` is what forms attach the error to. `status` is the HTTP status
the API answers with (400 unless a subclass says otherwise).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from django.utils.translation import gettext as _


@dataclass(frozen=True, slots=True)
class Where:
    """The place of an error: any of file, sheet, row (1-based as people count) and field."""

    file: str = ""
    sheet: str = ""
    row: int | None = None
    field: str = ""

    def __bool__(self) -> bool:
        return bool(self.file or self.sheet or self.row is not None or self.field)

    def but(self, **changes: Any) -> Where:
        """A copy with some parts changed (`where.but(field="title")`)."""
        return replace(self, **changes)

    def within(self, outer: Where) -> Where:
        """This place inside an outer one: the outer's parts fill what this one leaves empty."""
        return Where(
            file=self.file or outer.file,
            sheet=self.sheet or outer.sheet,
            row=self.row if self.row is not None else outer.row,
            field=self.field or outer.field,
        )

    def describe(self) -> str:
        """In the active language: "refs.xlsx, sheet Sheet1, row 12, field 'published'"."""
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(_("sheet %(sheet)s") % {"sheet": self.sheet})
        if self.row is not None:
            parts.append(_("row %(row)s") % {"row": self.row})
        if self.field:
            parts.append(_("field '%(field)s'") % {"field": self.field})
        return _(", ").join(parts) if parts else ""

    def as_dict(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value not in ("", None)}


def _as_where(value: Where | str | None) -> Where:
    if isinstance(value, Where):
        return value
    return Where(field=value) if value else Where()


class ApplicationError(Exception):
    """A failure caused by the input or the state of the data, not by a bug.

    `message` may be a lazy translatable string with `%(name)s` placeholders filled from
    `params` when shown; `where` names the place; a plain string `where` is a field name.
    """

    code = "invalid"
    status = 400

    def __init__(
        self,
        message: Any,
        *,
        params: dict | None = None,
        where: Where | str | None = None,
        code: str | None = None,
        status: int | None = None,
    ) -> None:
        self.template = message
        self.params = params or {}
        self.where = _as_where(where)
        if code:
            self.code = code
        if status:
            self.status = status
        super().__init__(message)

    @property
    def message(self) -> str:
        """The message in the active language, parameters filled in."""
        text = str(self.template)
        if self.params:
            try:
                return text % self.params
            except (KeyError, TypeError, ValueError):
                return text
        return text

    def describe(self) -> str:
        """Place and message, as a line for a person: "refs.csv, row 3: ..."."""
        where = self.where.describe()
        return f"{where}: {self.message}" if where else self.message

    def at(self, where: Where) -> ApplicationError:
        """The same error placed inside `where` (for example a row error inside a file)."""
        self.where = self.where.within(where)
        return self

    def __str__(self) -> str:
        return self.describe()

    def as_dict(self) -> dict:
        """The JSON error shape every API error shares."""
        body: dict = {"code": self.code, "message": self.message}
        if self.where:
            body["where"] = self.where.as_dict()
        return body


class NotFoundError(ApplicationError):
    code = "not_found"
    status = 404


class PermissionDeniedError(ApplicationError):
    code = "forbidden"
    status = 403
