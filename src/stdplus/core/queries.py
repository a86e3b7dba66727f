"""Reading a page's query string through a declared schema, the one the API reads it with.

`query_read(StandardFilter, request.GET)` gives the schema's object, or raises ApplicationError
worded as the API's 422 (`offset: must be at least 0`) with `where.field` naming the parameter,
for the page to show. Empty values (a form's unselected "all") are no value; parameters the
schema does not name (`page`) are left to the page."""

from __future__ import annotations

import typing
from collections.abc import Callable

from django.http import QueryDict
from pydantic import BaseModel, ValidationError

from .api import validation_json
from .errors import ApplicationError, Where

S = typing.TypeVar("S", bound=BaseModel)


def list_fields(schema: type[BaseModel]) -> tuple[str, ...]:
    """The parameters that take several values (`level=national&level=industry`)."""
    return tuple(
        name
        for name, field in schema.model_fields.items()
        if typing.get_origin(field.annotation) is list
    )


def query_read(schema: type[S], query: QueryDict, *, clean: Callable[[str], str] = str.strip) -> S:
    data: dict[str, typing.Any] = {}
    several = list_fields(schema)
    for name in schema.model_fields:
        values = [clean(v) for v in query.getlist(name)]
        if name in several:
            data[name] = [v for v in values if v.strip()]
        elif values and values[-1].strip():
            data[name] = values[-1]
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        body = validation_json([{**e, "loc": ("query", *e["loc"])} for e in error.errors()])
        raise ApplicationError(
            body["message"],
            where=Where(field=body.get("where", {}).get("field", "")),
            code="invalid_request",
        ) from None
