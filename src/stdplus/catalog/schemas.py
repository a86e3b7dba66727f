"""API schemas of the catalog: standards, their relations and classes, search results."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from stdplus.core.schemas import ErrorOut

from .choices import Level, Status
from .links import api_url, html_url

LevelName = Literal[tuple(Level.values)]  # type: ignore[valid-type]
StatusName = Literal[tuple(Status.values)]  # type: ignore[valid-type]
SortName = Literal["relevance", "newest", "oldest", "identifier"]
IcsCode = Annotated[str, StringConstraints(pattern=r"^\d{2}(\.\d{3}(\.\d{2})?)?$")]
# A CCS field (B), class (B32) or group (B30/39): the one pattern, for the API and the pages.
CCS_CODE_PATTERN = r"^[A-Za-z](\d{2}(/\d{2})?)?$"
CcsCode = Annotated[str, StringConstraints(pattern=CCS_CODE_PATTERN)]
BodyName = Annotated[str, StringConstraints(max_length=40)]


class StandardBriefOut(Schema):
    identifier: str = Field(..., description="The canonical identifier.")
    work: str
    level: str
    body: str
    status: str
    is_supplement: bool
    title_zh: str
    title_en: str
    published: dt.date | None
    api_url: str
    html_url: str

    @staticmethod
    def resolve_identifier(obj) -> str:
        return _canonical(obj)

    @staticmethod
    def resolve_work(obj) -> str:
        return obj["work_key"] if isinstance(obj, dict) else obj.work_key

    @staticmethod
    def resolve_api_url(obj) -> str:
        return api_url(_canonical(obj))

    @staticmethod
    def resolve_html_url(obj) -> str:
        return html_url(_canonical(obj))


def _canonical(obj) -> str:
    return obj["canonical"] if isinstance(obj, dict) else obj.canonical


class NotFoundOut(ErrorOut):
    """A standard not in the catalog: the error, with the nearest identifiers."""

    suggestions: list[StandardBriefOut] = []


class StandardFilter(Schema):
    """Search and filter parameters of `GET /standards`.

    Several values of one filter (`level=national&level=industry`) are alternatives; different
    filters combine with AND.
    """

    q: str = Field("", max_length=200, description="Words (Chinese or English) or an identifier.")
    level: list[LevelName] = Field([], description="Level of the standard.")
    body: list[BodyName] = Field(
        [], description="Issuing body, as in the facet (GB, ISO, IEC, ...)."
    )
    status: list[StatusName] = Field([], description="Derived status.")
    ics: list[IcsCode] = Field(
        [], description="ICS class or field (03, 03.120, 03.120.10), with everything below it."
    )
    ccs: list[CcsCode] = Field([], description="CCS field, class or group (B, B32, B30/39).")
    published_from: dt.date | None = Field(None, description="Published on or after (ISO date).")
    published_to: dt.date | None = Field(None, description="Published on or before (ISO date).")
    sort: SortName = "relevance"
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class FacetsOut(Schema):
    level: list[FacetValueOut]
    status: list[FacetValueOut]
    body: list[FacetValueOut]
    ics: list[FacetValueOut] = Field(..., description="Top-level ICS fields (03, 13, ...).")
    year: list[FacetValueOut] = Field(..., description="Years of publication.")


class IdentifierMatchOut(Schema):
    kind: Literal["edition", "work", "near_miss", "unknown"]
    canonical: str
    work: str
    suggestions: list[StandardBriefOut]


class MatchedThroughOut(Schema):
    kind: Literal["adoption", "translation"] = Field(
        ...,
        description="adoption: through the title of `via`, a standard this one adopts, is "
        "adopted by or is identical to; translation: through the English reading of the "
        "query's Chinese words (`detail`).",
    )
    via: str = Field("", description="The adoption partner whose title matched.")
    detail: str = Field("", description="How the Chinese words were read in English.")


class StandardHitOut(StandardBriefOut):
    matched_through: MatchedThroughOut | None = Field(
        None,
        description="Set on cross-language results (found through the other language): why "
        "the standard matched. Null for same-language matches.",
    )

    @staticmethod
    def resolve_matched_through(obj):
        found = getattr(obj, "matched_through", None)
        if found is None:
            return None
        return {"kind": found.kind, "via": found.via, "detail": found.detail}


class StandardListOut(Schema):
    count: int = Field(..., description="Matches; capped when count_exact is false.")
    count_exact: bool
    page: int
    page_size: int
    items: list[StandardHitOut]
    facets: FacetsOut
    facets_exact: bool = Field(
        ..., description="False when facets count only the first matches of a large result."
    )
    match: IdentifierMatchOut | None = Field(
        None, description="What the query names when it reads as a standard identifier."
    )


class ClassOut(Schema):
    scheme: str
    code: str
    title_en: str
    title_zh: str


class ClassPathOut(Schema):
    scheme: str
    code: str
    path: list[ClassOut]


class RelationOut(Schema):
    type: str
    direction: Literal["outgoing", "incoming"]
    label: str = Field(..., description="How the relation reads from this standard.")
    identifier: str = Field(..., description="The standard at the other end.")
    in_catalog: bool
    status: str | None
    degree: str
    inferred: bool
    date: dt.date | None


class SourceFactsOut(Schema):
    source: str
    owner: bool = Field(..., description="The source that created the standard: its values win.")
    seen: dt.date | None = Field(..., description="The day this source last gave these facts.")
    facts: dict[str, Any] = Field(..., description="The fields it gave, as it gave them.")
    set_aside: list[dict[str, Any]] = Field(
        ...,
        description="Other records of this identifier in the same source that disagree with "
        "the one kept (row, identifier, the values that differ).",
    )


class FieldSourceOut(Schema):
    field: str
    value: Any = Field(..., description="The value shown.")
    used: str = Field(
        ..., description="The source the value shown came from; empty when changed by hand."
    )
    values: dict[str, Any] = Field(..., description="Each source's value, the owner first.")


class SourcesOut(Schema):
    """Where more than one source describes the standard: what each said, field by field.
    Empty lists when only the owning source (`source`) describes it."""

    facts: list[SourceFactsOut]
    fields: list[FieldSourceOut]


class SourceDataOut(Schema):
    source: str
    as_of: str | None = Field(..., description="The date the source's data describes (ISO).")
    imported: str | None = Field(..., description="The day of its last import (ISO).")
    stale: bool = Field(
        ..., description="Older than STDPLUS_SOURCE_MAX_AGE_DAYS days, or of unknown age."
    )


class StandardOut(StandardBriefOut):
    edition_key: str
    prefix: str
    doctype: str
    mandate: str
    number: str
    part: str
    year: int | None
    scope: str
    base_status: str
    source_status: str
    stage_code: str
    published_precision: str
    effective: dt.date | None
    withdrawn: dt.date | None
    confirmed: dt.date | None
    committee: str
    drafting_organizations: list
    edition_label: str
    source: str
    source_id: str
    source_url: str
    classifications: list[ClassPathOut]
    editions: list[StandardBriefOut] = Field(..., description="The editions of its work.")
    relations: list[RelationOut] = Field(..., description="Relations in both directions.")
    replacement_chain: list[StandardBriefOut] = Field(
        ..., description="From this standard along 'replaced by' to the one in force."
    )
    sources: SourcesOut = Field(..., description="What each source said, and which value is used.")
    replacement_by_edition: list[str] = Field(
        ...,
        description="Steps of the chain that are a later edition of the same work, for which "
        "the source records no replacement.",
    )
    source_data: SourceDataOut = Field(..., description="How fresh the source's data is.")


class ClassNodeOut(Schema):
    code: str
    title_en: str
    title_zh: str
    depth: int
    count: int = Field(..., description="Standards in this node and below.")
    has_children: bool
    api_url: str
    search_url: str


class ClassBranchOut(Schema):
    scheme: str
    node: ClassNodeOut | None
    path: list[ClassNodeOut]
    children: list[ClassNodeOut]


class IssuingBodyOut(Schema):
    """An issuing body (GB, ISO, DB44, ...) with its standards and those in force."""

    body: str
    level: str
    count: int
    current: int
    search_url: str


class AuditFindingOut(Schema):
    rule: str
    identifiers: list[str] = Field(..., description="The standards involved, the subject first.")
    sources: list[str] = Field(..., description="The sources involved, the owner first.")
    detail: str = ""


class AuditRuleOut(Schema):
    explanation: str = Field(..., description="What the rule finds and what decided.")
    needs_person: bool
    count: int
    examples: list[AuditFindingOut]


class AuditOut(Schema):
    day: str = Field(..., description="The day the statuses were judged for (ISO date).")
    needs_person: bool
    rules: dict[str, AuditRuleOut]
    unknown_targets_by_source: dict[str, int] = Field(
        ..., description='Relations to unknown identifiers by "source type".'
    )
