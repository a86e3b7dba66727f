"""The declared shapes of the statistics' answers: the API returns them, the pages' JSON twins
(`?format=json`) dump the same objects, and the pages render them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Union

from ninja import Schema
from pydantic import Field

from .indicators import INDICATORS


class RegionOut(Schema):
    code: str
    short_code: str
    name_zh: str
    name_en: str
    level: str
    path: list[str] = Field(description="codes of the node's ancestors and itself, from the top")


class RegionTreeOut(Schema):
    code: str
    short_code: str
    name_zh: str
    name_en: str
    level: str
    official: bool
    parent: str | None


class PeriodOut(Schema):
    start: dt.date
    end: dt.date
    label: str


class SplitValueOut(Schema):
    value: str
    label: str
    count: int
    href: str = Field(description="the page of the records behind this count")


class AmountsOut(Schema):
    requested: int
    awarded: int
    awarded_previous: int
    awarded_href: str


class TotalOut(Schema):
    label: str
    value: int


class AlongsideOut(Schema):
    key: str = Field(description="the other figure's key")
    label: str
    value: int
    href: str = Field(description="the page of the other figure's records")


class FigureOut(Schema):
    key: str
    label: str
    unit: str
    value: int
    previous: int = Field(description="the same figure for the period one year earlier")
    change: int
    change_percent: float | None
    href: str = Field(description="the page of the records behind the figure")
    api: str = Field(description="the same records in the API")
    splits: dict[str, list[SplitValueOut]]
    amounts: AmountsOut | None = None
    total: TotalOut | None = Field(
        None, description="a sum over the same records (the learning hours of the people trained)"
    )
    extra: dict[str, int] = Field(
        default_factory=dict,
        description="further numbers of the figure (development: days spent in each state, "
        "'<kind>.<state>.median', '.p90', '.count')",
    )
    alongside: AlongsideOut | None = Field(
        default=None,
        description="another figure shown beside this one, for the same region and period "
        "(the catalog's count beside the standards issued through development projects)",
    )


class ChildFigureOut(Schema):
    value: int
    href: str


class ChildOut(Schema):
    code: str
    name_zh: str
    name_en: str
    href: str
    figures: dict[str, ChildFigureOut]


class IcsFieldOut(Schema):
    field: str
    title_zh: str
    title_en: str
    count: int
    href: str


class TopOrganizationOut(Schema):
    id: int
    name_zh: str
    name_en: str
    count: int
    href: str


class TrendYearOut(Schema):
    year: int
    by_level: dict[str, int]
    total: int
    href: str


class DashboardOut(Schema):
    region: RegionOut
    period: PeriodOut
    demo_data_present: bool
    real_only: bool
    figures: list[FigureOut]
    by_child: list[ChildOut]
    ics: list[IcsFieldOut]
    top_organizations: list[TopOrganizationOut]
    trend: list[TrendYearOut]

    def figure(self, key: str) -> FigureOut | None:
        return next((figure for figure in self.figures if figure.key == key), None)


def _row_union():
    """The rows of every registered figure, told apart by their `type`."""
    schemas = tuple(INDICATORS.row_schemas())
    if len(schemas) == 1:
        return schemas[0]
    return Annotated[Union[schemas], Field(discriminator="type")]  # noqa: UP007


RecordRowOut = _row_union()


class RecordsOut(Schema):
    figure: str
    label: str
    unit: str
    region: str
    period: str
    filters: dict[str, str]
    count: int = Field(description="every record behind the figure; equals the figure")
    page: int
    pages: int
    results: list[RecordRowOut]  # type: ignore[valid-type]
