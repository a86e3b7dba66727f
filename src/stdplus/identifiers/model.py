"""Value types returned by :func:`stdplus.identifiers.parse`."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    """Text that is not a standard identifier, with the reason in plain English (`error`) and
    as a stable code with its parameters (`code`, `params`), which pages and the API translate
    (`stdplus.core.rejections.rejection_message`)."""

    input: str
    error: str
    code: str = "unreadable"
    params: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def ok(self) -> bool:
        return False

    def to_dict(self) -> dict:
        return {"input": self.input, "error": self.error}

    def __bool__(self) -> bool:
        return False


# Every reason an identifier is rejected for: a stable code and its English text. The codes are
# the contract with the pages and the API, which translate them (`core/rejections.py` holds the
# same codes); a parameter may itself be a reason (`{"code": ..., "params": ...}`).
REASONS: dict[str, str] = {
    "not_text": "not text but {type}",
    "unreadable": "could not be read as an identifier ({type})",
    "too_long": "too long: {length} characters (an identifier has at most {limit})",
    "control_characters": "contains control characters",
    "empty": "empty text",
    "sql": "looks like an SQL fragment, not an identifier",
    "markup": "looks like markup, not an identifier",
    "bad_characters": "contains characters that do not belong in an identifier: '{characters}'",
    "version_without_standard": "an edition version '{version}' without a standard",
    "no_prefix_start": "malformed: '{text}' does not start with a standards body prefix",
    "no_known_prefix": "no known standards body prefix in '{text}'",
    "bare_number": "a bare number '{text}' without a standards body prefix",
    "unknown_body": "unknown standards body '{body}' in '{text}'",
    "bare_prefix": "a bare prefix '{text}' without a number",
    "bare_prefix_followed": "a bare prefix '{body}' followed by '{rest}', not a number",
    "malformed": "malformed {family} identifier '{text}'",
    "malformed_unread": "malformed {family} identifier '{text}': cannot read '{rest}'",
    "no_number_before_year": "malformed {family} identifier '{text}': no number before the year",
    "malformed_adopted": "malformed adopted identifier '{text}'",
    "adopted_unreadable": "cannot read the adopted standard '{text}': {reason}",
    "adopted_not_international": (
        "the adopted standard '{text}' is not an international or European standard"
    ),
    "version_not_chinese": (
        "an edition version ({version}年版) belongs to Chinese standards, not to '{standard}'"
    ),
    "dual_numbering_not_chinese": "dual numbering belongs to Chinese standards, not to '{standard}'",
    "version_needs_date": "an edition version ({version}年版) needs the dated standard",
    "version_older": "the edition version {version} is older than the standard '{standard}'",
    "implausible_year": "implausible year {year} (expected {min} to {max})",
    "month_out_of_range": "month {month} is outside 1 to 12",
    "two_stages": "two draft stages in '{text}'",
    "two_supplement_stages": "two draft stages in a supplement of '{text}'",
    "two_doctypes": "two document types in '{text}'",
    "fragment_without_number": "a fragment without a number in '{text}'",
    "space_in_number": "a space inside the number '{number}' of an undated identifier",
    "modification_needs_date": "a modification sheet (XG) needs the dated standard it modifies",
    "all_parts_no_year": "'(all parts)' refers to the whole work and takes no year",
    "unknown_chinese_prefix": "unknown Chinese standard prefix '{prefix}' in '{text}'",
    "printed_without_mark": "'{code}' is printed without /{mark}",
    "two_t_marks": "two /T marks in '{text}'",
    "unknown_province": "unknown province code '{code}' in local standard '{text}'",
}


def reason_text(code: str, params: dict) -> str:
    """The English text of a reason (nested reasons written out too)."""
    values = {
        key: reason_text(value["code"], value["params"]) if isinstance(value, dict) else value
        for key, value in params.items()
    }
    return REASONS[code].format(**values)


class ParseError(ValueError):
    """Raised inside the family grammars; turned into a Rejection by parse().

    `ParseError("unknown_body", body="WD", text="WD 123")`: a code of `REASONS` and its
    parameters; `str()` is the English text."""

    def __init__(self, code: str, /, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(reason_text(code, params))

    def as_reason(self) -> dict:
        return {"code": self.code, "params": self.params}
