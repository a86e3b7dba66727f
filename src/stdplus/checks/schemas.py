from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from stdplus.core.schemas import PageIn

from .extract import MAX_LINES


class CheckIn(Schema):
    lines: list[str] = Field(..., description="identifiers, one per item (or text, see mode)")
    as_of: dt.date | None = Field(None, description="answer as of this day (default: today)")
    mode: str = Field(
        "lines",
        description="lines: each item is one identifier; extract: pick identifiers out of "
        "each item's text; auto: an item that is not one identifier is searched for some",
    )
    name: str = ""
    save: bool = Field(True, description="keep the result for the organization")


class AdoptionOut(Schema):
    relation: str
    key: str
    degree: str


class LineOut(Schema):
    position: int
    where: str
    input: str
    canonical: str | None
    match: str
    status: str | None
    current: str | None
    chain: list[str]
    suggestions: list[str]
    error: str | None
    edition: str | None
    known_from: str
    title_zh: str
    title_en: str
    published: str | None
    effective: str | None
    withdrawn: str | None
    work_current: str | None
    upcoming: str | None
    replaced_by: list[str]
    adoptions: list[AdoptionOut]
    year_not_found: bool
    source: str = Field("", description="The source of the edition judged.")
    source_as_of: str | None = Field(None, description="The date its data describes (ISO).")
    source_stale: bool = Field(
        False, description="Older than STDPLUS_SOURCE_MAX_AGE_DAYS, or of unknown age."
    )
    chain_by_edition: list[str] = Field(
        default_factory=list,
        description="Steps of the chain that are a later edition of the same work, for which "
        "the source records no replacement.",
    )


class CheckSourceOut(Schema):
    source: str
    as_of: dt.date | None
    imported: dt.date | None
    stale: bool


class CheckSummaryOut(Schema):
    id: int | None
    name: str
    source: str
    created_at: dt.datetime | None
    as_of: dt.date | None
    day: dt.date
    line_count: int
    summary: dict[str, int]
    sources: list[CheckSourceOut] = Field(
        default_factory=list,
        description="The sources the answers rely on, how fresh their data is, and whether it "
        "is older than STDPLUS_SOURCE_MAX_AGE_DAYS (or of unknown age).",
    )


class CheckOut(CheckSummaryOut):
    results: list[LineOut]


class LinesPageIn(PageIn):
    """The lines of one check: the paging of every list, up to a whole check at once."""

    limit: int = Field(MAX_LINES, ge=1, le=MAX_LINES, description="Lines per page.")
