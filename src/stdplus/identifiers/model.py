"""Value types returned by :func:`stdplus.identifiers.parse`."""

from __future__ import annotations

from dataclasses import dataclass

from .series import region_of, series_of

_SET = object.__setattr__

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
    ``region`` and ``series`` are read from the body, prefix and number when asked for.
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

    # Written out rather than generated: the generated __init__ of a frozen dataclass looks up
    # object.__setattr__ for every field, and an Identifier is made for every line of every
    # import. Same parameters, order and defaults as the fields (tests/identifiers checks it).
    def __init__(
        self,
        input: str,
        canonical: str,
        work: str,
        edition: str,
        level: str,
        body: str,
        prefix: str,
        doctype: str | None,
        stage: str | None,
        number: str,
        part: str | None,
        year: int | None,
        month: int | None = None,
        supplements: tuple[Supplement, ...] = (),
        consolidated: bool = False,
        variant: str | None = None,
        mandate: str | None = None,
        version: int | None = None,
        adopted: str | None = None,
    ) -> None:
        put = _SET
        put(self, "input", input)
        put(self, "canonical", canonical)
        put(self, "work", work)
        put(self, "edition", edition)
        put(self, "level", level)
        put(self, "body", body)
        put(self, "prefix", prefix)
        put(self, "doctype", doctype)
        put(self, "stage", stage)
        put(self, "number", number)
        put(self, "part", part)
        put(self, "year", year)
        put(self, "month", month)
        put(self, "supplements", supplements)
        put(self, "consolidated", consolidated)
        put(self, "variant", variant)
        put(self, "mandate", mandate)
        put(self, "version", version)
        put(self, "adopted", adopted)

    @property
    def ok(self) -> bool:
        return True

    @property
    def region(self) -> str | None:
        """GB/T 2260 code of a local standard's province or city ("44", "4403"), else None."""
        return region_of(self.level, self.body)

    @property
    def series(self) -> str | None:
        """``construction``, ``occupational health``, ``metrology`` or None."""
        return series_of(self.level, self.body, self.prefix, self.number)

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
