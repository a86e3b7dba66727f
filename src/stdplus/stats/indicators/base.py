"""The indicator framework: periods, scopes, splits, the `Indicator` base and its registry.

An indicator knows how to build the queryset of the records behind its figure for a region node
and a period (`base`), optionally narrowed by one split value (a level, a kind, a state). The
figure is that queryset's count, and the drill-down list is that same queryset, so a figure and
its list cannot disagree. Splits are one grouped query each; tests check that every split value
equals the count of its own list.

A concrete indicator (a class with its own `key`) registers itself when its class is defined;
the family modules of this package are imported by the package, so the registry is complete
as soon as `stdplus.stats.indicators` is imported. See docs/dev/architecture.md, "Adding an
indicator".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Case, CharField, Count, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _
from ninja import Schema

from stdplus.programme.models import Region
from stdplus.programme.selectors import region_codes

DEMO_SOURCE = "demo"  # catalog entries made by the demo generator carry this source


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @property
    def label(self) -> str:
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31):
            if self.start.year == self.end.year:
                return str(self.start.year)
            return f"{self.start.year}–{self.end.year}"
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def previous(self) -> Period:
        """The same span one year earlier (for year-over-year change)."""
        return Period(_minus_year(self.start), _minus_year(self.end))


def _minus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Scope:
    region: Region
    period: Period
    real_only: bool = False  # leave demo rows out
    # Rows read once per scope and shared by several figures (see participation_facts).
    memo: dict = field(default_factory=dict, compare=False, hash=False, repr=False)
    # What is read once about the node whatever the period (see org_driven): one dict shared
    # by the scope and its copies for other periods (the previous year, the trend's years).
    node_memo: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @cached_property
    def codes(self) -> frozenset[str]:
        return region_codes(self.region)

    def with_period(self, period: Period) -> Scope:
        return Scope(self.region, period, self.real_only, node_memo=self.node_memo)

    def with_region(self, region: Region) -> Scope:
        return Scope(region, self.period, self.real_only)


@dataclass
class Split:
    """A dimension a figure is broken down by: parameter name, label, values with labels."""

    name: str
    label: Any
    choices: list[tuple[str, Any]]


class RecordRow(Schema):
    """The base of the row schemas: one record behind a figure, as the API and pages show it.

    Each subclass names its kind in `type` (a `Literal`, so the API's list is a tagged union)
    and may name a template that shows its rows (`template`, a table's head and body); without
    one the records page shows a plain table of the schema's fields."""

    template: ClassVar[str] = ""


class Indicator:
    """One figure. Subclasses with their own `key` register themselves (see `Registry`)."""

    key: ClassVar[str] = ""
    order: ClassVar[int] = 1000  # its place among the dashboard's cards (smaller first)
    in_breakdown: ClassVar[bool] = True  # one column of the breakdown by child region
    label: Any = _("figure")
    short_label: Any = _("figure")
    unit: Any = _("records")
    model: ClassVar[type | None] = None
    row_schema: ClassVar[type[RecordRow]] = RecordRow
    ordering: ClassVar[tuple[str, ...]] = ("pk",)  # the records list's order
    splits: ClassVar[list[Split]] = []
    district_field: ClassVar[str] = ""  # path to a region code, for the breakdown by child
    # Standards-based indicators also break down by ICS field (the `ics` filter).
    is_standards: ClassVar[bool] = False
    # Whether a split's grouped count must be DISTINCT (the base query joins many-valued rows).
    distinct_rows: ClassVar[bool] = True
    # Whether rows depend on who reads them (then only anonymous readers share cached rows).
    rows_depend_on_reader: ClassVar[bool] = False
    # A sum shown with the figure (the learning hours of the people trained), if any: its label
    # here, its value from `total(scope)`, over the same records as the figure.
    total_label: Any = None
    # Whether `extra` holds the funding amounts (requested, awarded, awarded_previous) that the
    # dashboard shows as money; other figures' `extra` numbers are passed on as they are.
    has_amounts: ClassVar[bool] = False
    # The key of another figure shown beside this one (the catalog's count of local standards
    # beside those issued through development projects), with its value and its records.
    alongside: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "key" in cls.__dict__ and cls.key:
            INDICATORS.register(cls())

    # --- what each indicator defines -------------------------------------------------------

    def base(self, scope: Scope) -> QuerySet:  # pragma: no cover - each indicator defines it
        raise NotImplementedError

    def rows(self, records: list, scope: Scope, reader) -> list[RecordRow]:
        """One page of records as rows of `row_schema` (private fields never leave here)."""
        return [self.row_schema.model_validate(record, from_attributes=True) for record in records]

    # --- what most inherit ------------------------------------------------------------------

    def narrow(self, queryset: QuerySet, split: str, value: str, scope: Scope) -> QuerySet:
        return queryset.filter(**{self.split_field(split): value})

    def split_field(self, split: str) -> str:
        return split

    def filter_names(self) -> set[str]:
        names = {split.name for split in self.splits}
        if self.is_standards:
            names.add("ics")
        return names

    def filters_from(self, params) -> dict[str, str]:
        """The filters this figure understands, from request parameters (others are ignored)."""
        return {name: params.get(name) for name in sorted(self.filter_names()) if params.get(name)}

    def records(self, scope: Scope, filters: dict[str, str] | None = None) -> QuerySet:
        queryset = self.base(scope)
        for split, value in (filters or {}).items():
            if split == "ics" and self.is_standards:
                queryset = queryset.filter(
                    classifications__scheme="ics", classifications__code__startswith=value
                ).distinct()
            elif split in {s.name for s in self.splits} and value:
                queryset = self.narrow(queryset, split, value, scope)
        return queryset

    def listing(self, scope: Scope, filters: dict[str, str] | None = None) -> QuerySet:
        """The records in the list's order, with what their rows read joined or prefetched."""
        return self.records(scope, filters).order_by(*self.ordering)

    def value(self, scope: Scope, filters: dict[str, str] | None = None) -> int:
        return self.records(scope, filters).count()

    def extra(self, scope: Scope) -> dict[str, int]:
        """Further numbers shown with the figure (the funding amounts); none by default."""
        return {}

    def total(self, scope: Scope) -> int | None:
        """The sum shown with the figure (see `total_label`); None for a count alone."""
        return None

    def split_values(self, scope: Scope, split: str) -> dict[str, int]:
        rows = (
            self.base(scope)
            .order_by()
            .values(self.split_field(split))
            .annotate(n=Count("pk", distinct=self.distinct_rows))
        )
        return {row[self.split_field(split)]: row["n"] for row in rows}

    def by_child(self, scope: Scope, children: list[Region]) -> dict[str, int]:
        """The figure for each child node in one grouped query (a Case over region codes)."""
        if not children or not self.district_field:
            return {}
        whens = [
            When(
                **{f"{self.district_field}__in": list(region_codes(child))}, then=Value(child.code)
            )
            for child in children
        ]
        rows = (
            self.base(scope)
            .order_by()
            .annotate(child=Case(*whens, default=Value(""), output_field=CharField()))
            .values("child")
            .annotate(n=Count("pk", distinct=True))
        )
        found = {row["child"]: row["n"] for row in rows}
        return {child.code: found.get(child.code, 0) for child in children}


def distinct_per_child(children: list[Region], found: Iterable[tuple[str, int]]) -> dict[str, int]:
    """How many distinct records each child node holds, from (region code, record) pairs read
    for the parent node once; a code under none of the children counts for none."""
    code_child = {code: child.code for child in children for code in region_codes(child)}
    records: dict[str, set[int]] = {child.code: set() for child in children}
    for region_code, record in found:
        child = code_child.get(region_code)
        if child is not None:
            records[child].add(record)
    return {code: len(held) for code, held in records.items()}


class Registry:
    """The indicators by key, in the dashboard's order."""

    def __init__(self) -> None:
        self._by_key: dict[str, Indicator] = {}

    def register(self, indicator: Indicator) -> Indicator:
        key = indicator.key
        known = self._by_key.get(key)
        # The same class again (its module imported a second time) replaces itself.
        if known is not None and _name(known) != _name(indicator):
            raise ImproperlyConfigured(
                f"two indicators have the key {key!r}: {_name(known)} and {_name(indicator)}"
            )
        if indicator.row_schema is RecordRow:
            raise ImproperlyConfigured(f"indicator {key!r} names no row schema (row_schema)")
        self._by_key[key] = indicator
        return indicator

    def unregister(self, key: str) -> None:
        self._by_key.pop(key, None)

    def _ordered(self) -> list[Indicator]:
        return sorted(self._by_key.values(), key=lambda indicator: (indicator.order, indicator.key))

    def __getitem__(self, key: str) -> Indicator:
        return self._by_key[key]

    def get(self, key: str) -> Indicator | None:
        return self._by_key.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __iter__(self) -> Iterator[str]:
        return iter([indicator.key for indicator in self._ordered()])

    def __len__(self) -> int:
        return len(self._by_key)

    def keys(self) -> list[str]:
        return list(self)

    def values(self) -> list[Indicator]:
        return self._ordered()

    def items(self) -> list[tuple[str, Indicator]]:
        return [(indicator.key, indicator) for indicator in self._ordered()]

    def row_schemas(self) -> list[type[RecordRow]]:
        """Every row schema in use, once each, in the dashboard's order."""
        seen: list[type[RecordRow]] = []
        for indicator in self._ordered():
            if indicator.row_schema not in seen:
                seen.append(indicator.row_schema)
        return seen


def _name(indicator: Indicator) -> str:
    return f"{type(indicator).__module__}.{type(indicator).__qualname__}"


INDICATORS = Registry()


@dataclass
class Figure:
    key: str
    label: str
    value: int
    previous: int
    splits: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    extra: dict[str, int] = field(default_factory=dict)
    total: int | None = None

    @property
    def change(self) -> int:
        return self.value - self.previous

    @property
    def change_percent(self) -> float | None:
        if not self.previous:
            return None
        return round(100.0 * (self.value - self.previous) / self.previous, 1)
