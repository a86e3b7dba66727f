"""Value types returned by :func:`stdplus.identifiers.parse`."""

from __future__ import annotations

from dataclasses import dataclass

LEVELS = (
    "international",
    "regional",
    "foreign",
    "national",
    "industry",
    "local",
    "group",
    "enterprise",
)


@dataclass(frozen=True, slots=True)
class Supplement:
    """An amendment, corrigendum, modification sheet or other supplement.

    ``kind`` is the canonical kind ("Amd", "Cor", "Add", "ISH", "Suppl", "Ext",
    "FRAG", "XG", "A", "AC", "Err", ...). ``stage`` is the draft stage of a
    supplement still in development ("DAM", "CD Amd", ...), else None.
    """

    kind: str
    number: int | None = None
    year: int | None = None
    stage: str | None = None

    def to_dict(self) -> dict:
        return {"kind": self.kind, "number": self.number, "year": self.year, "stage": self.stage}


@dataclass(frozen=True, slots=True)
class Identifier:
    """A parsed, canonical standard identifier.

    Chinese identifiers may also carry ``version`` (the year of an edition version after a
    partial revision, "GB 50016-2014(2018年版)" gives 2018), ``adopted`` (the canonical form of
    the international standard printed after a slash in dual numbering,
    "GB/T 19001-2016/ISO 9001:2015" gives "ISO 9001:2015"), ``region`` (the GB/T 2260 code of
    the province or city of a local standard: "44", "4403") and ``series`` (``construction``,
    ``occupational health``, ``metrology``) for the series that share a level with others.
    """

    input: str
    canonical: str
    work: str
    edition: str
    level: str
    body: str
    prefix: str
    doctype: str | None
    stage: str | None
    number: str
    part: str | None
    year: int | None
    month: int | None = None
    supplements: tuple[Supplement, ...] = ()
    consolidated: bool = False
    variant: str | None = None
    mandate: str | None = None
    version: int | None = None
    adopted: str | None = None
    region: str | None = None
    series: str | None = None

    @property
    def ok(self) -> bool:
        return True

    def to_dict(self) -> dict:
        return {
            "input": self.input,
            "canonical": self.canonical,
            "work": self.work,
            "edition": self.edition,
            "level": self.level,
            "body": self.body,
            "prefix": self.prefix,
            "doctype": self.doctype,
            "stage": self.stage,
            "number": self.number,
            "part": self.part,
            "year": self.year,
            "month": self.month,
            "supplements": [s.to_dict() for s in self.supplements],
            "consolidated": self.consolidated,
            "variant": self.variant,
            "mandate": self.mandate,
            "version": self.version,
            "adopted": self.adopted,
            "region": self.region,
            "series": self.series,
        }

    def __str__(self) -> str:
        return self.canonical


@dataclass(frozen=True, slots=True)
class Rejection:
    """Text that is not a standard identifier, with the reason in plain English."""

    input: str
    error: str

    @property
    def ok(self) -> bool:
        return False

    def to_dict(self) -> dict:
        return {"input": self.input, "error": self.error}

    def __bool__(self) -> bool:
        return False


class ParseError(ValueError):
    """Raised inside the family grammars; turned into a Rejection by parse()."""
