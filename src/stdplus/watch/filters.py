"""The filters of the catalog's changes, declared once for the page and the API."""

from __future__ import annotations

from typing import Literal

from django.http import QueryDict
from ninja import Field, Schema

from stdplus.catalog.choices import EventKind, Level
from stdplus.core.queries import query_read

LevelOrAll = Literal[("", *Level.values)]  # type: ignore[valid-type]
KindOrAll = Literal[("", *EventKind.values)]  # type: ignore[valid-type]


class ChangeFilter(Schema):
    """`/changes` and `GET /api/v1/watch/changes`: each filter empty for all."""

    level: LevelOrAll = ""
    body: str = Field("", max_length=40, description="Issuing body (GB, ISO, YY, ...).")
    ics: str = Field(
        "", pattern=r"^(\d{2}(\.\d{3}(\.\d{2})?)?)?$", description="ICS class (03.120)."
    )
    kind: KindOrAll = ""


def change_filters_read(query: QueryDict) -> ChangeFilter:
    """The filters of a query string; ApplicationError naming the parameter when one is bad."""
    return query_read(ChangeFilter, query)
