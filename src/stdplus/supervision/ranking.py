"""The leader ranking (领跑者): pure functions over plain facts, no database.

A scheme names core indicators, each with a direction (higher or lower is better), a unit, a
floor (the national or industry standard's value) and tier thresholds, best first. A value
meeting threshold 1 is in tier 1, meeting threshold 2 in tier 2, and so on; a value between the
last threshold and the floor is in the bottom tier; a value worse than the floor is in no tier
(the product is excluded). So no tier falls below the floor.

A product is ranked from its declared indicators only. It is excluded, with the reason, when its
declaration fails the automatic checks (an error finding), a core indicator is not declared or
in another unit, or a value is worse than the floor. A product's tier is its worst tier over the
core indicators; products lead when that tier is among the scheme's leading tiers. Within the
list, products are ordered by tier, then by the sum of their places on each indicator; equal
keys share a place (a tie, shown as such). When every ranked product declares the same values,
no ranking is published.

`rank(...)` is deterministic: the same inputs give the same result, which the stored run
(`RankingRun`) lets anyone verify.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

HIGHER, LOWER = "higher", "lower"

# Why a product is not ranked (codes; the pages word them, see `views.EXCLUSION_TEXT`).
FAILED_CHECKS = "failed_checks"
MISSING = "indicator_missing"
UNIT = "unit_mismatch"
BELOW_FLOOR = "below_floor"
# Why a category publishes no ranking.
NOBODY = "nobody_eligible"
ALL_EQUAL = "all_equal"


@lru_cache(maxsize=4096)  # declared names repeat across a category's products
def name_key(text: str) -> str:
    return " ".join((text or "").split()).casefold()


@lru_cache(maxsize=4096)
def unit_key(text: str) -> str:
    return "".join((text or "").split()).casefold()


@dataclass(frozen=True, eq=False)
class Spec:
    """A core indicator of the scheme."""

    name_zh: str
    name_en: str
    direction: str
    unit: str
    floor: Decimal
    tiers: tuple[Decimal, ...]

    def __post_init__(self) -> None:
        # A tuple, the Chinese name first: which declared indicator counts never depends on
        # a set's (hash-randomized) order.
        names = tuple(dict.fromkeys(name_key(n) for n in (self.name_zh, self.name_en) if n))
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "unit_key", unit_key(self.unit))

    def meets(self, value: Decimal, threshold: Decimal) -> bool:
        return value >= threshold if self.direction == HIGHER else value <= threshold

    def tier(self, value: Decimal) -> int | None:
        """1 for the best tier; len(tiers) + 1 for the bottom one; None below the floor."""
        if not self.meets(value, self.floor):
            return None
        for index, threshold in enumerate(self.tiers, start=1):
            if self.meets(value, threshold):
                return index
        return len(self.tiers) + 1


@dataclass(frozen=True)
class Candidate:
    """A declared product of the category: its declared values by indicator name."""

    product_id: int
    declaration_id: int
    enterprise_id: int
    enterprise: str
    product: str
    values: tuple[tuple[str, str, Decimal | None], ...]  # (name, unit, value)
    errors: tuple[str, ...] = ()  # codes of the error findings of its declaration


@dataclass
class Exclusion:
    product_id: int
    reason: str
    indicator: str = ""
    detail: str = ""


@dataclass
class Row:
    product_id: int
    declaration_id: int
    enterprise_id: int
    enterprise: str
    product: str
    values: list[Decimal]
    tiers: list[int]
    places: list[int]  # the place on each indicator (1 = best; equal values share a place)
    tier: int = 0
    place: int = 0
    tied: bool = False
    leads: bool = False


@dataclass
class Outcome:
    ranked: bool
    reason: str = ""
    rows: list[Row] = field(default_factory=list)
    exclusions: list[Exclusion] = field(default_factory=list)


def _declared(spec: Spec, declared: dict[str, tuple]) -> tuple[str, Decimal | None] | None:
    for name in spec.names:
        found = declared.get(name)
        if found is not None:
            return found
    return None


def _by_name(candidate: Candidate) -> dict[str, tuple]:
    """The candidate's declared (unit, value) by indicator name; the first of a name counts."""
    out: dict[str, tuple] = {}
    for name, unit, value in candidate.values:
        out.setdefault(name_key(name), (unit, value))
    return out


def judge(
    specs: Sequence[Spec], candidate: Candidate
) -> tuple[list[Decimal], list[int], Exclusion | None]:
    """The candidate's values and tiers in the specs' order, or why it is excluded (the first
    reason)."""
    if candidate.errors:
        return (
            [],
            [],
            Exclusion(
                candidate.product_id, FAILED_CHECKS, detail=", ".join(sorted(set(candidate.errors)))
            ),
        )
    values, tiers = [], []
    by_name = _by_name(candidate)
    for spec in specs:
        declared = _declared(spec, by_name)
        name = spec.name_zh or spec.name_en
        if declared is None or declared[1] is None:
            return [], [], Exclusion(candidate.product_id, MISSING, name)
        unit, value = declared
        if unit_key(unit) != spec.unit_key:
            return (
                [],
                [],
                Exclusion(candidate.product_id, UNIT, name, f"{unit or '—'} ≠ {spec.unit}"),
            )
        tier = spec.tier(value)
        if tier is None:
            return (
                [],
                [],
                Exclusion(candidate.product_id, BELOW_FLOOR, name, f"{value} / {spec.floor}"),
            )
        values.append(value)
        tiers.append(tier)
    return values, tiers, None


def _places(values: list[Decimal], direction: str) -> list[int]:
    """Competition places (1, 1, 3): equal values share a place."""
    ordered = sorted(values, reverse=direction == HIGHER)
    first: dict[Decimal, int] = {}
    for index, value in enumerate(ordered, start=1):
        first.setdefault(value, index)
    return [first[value] for value in values]


def rank(specs: Sequence[Spec], candidates: Sequence[Candidate], *, leader_tiers: int) -> Outcome:
    rows: list[Row] = []
    exclusions: list[Exclusion] = []
    for candidate in sorted(candidates, key=lambda c: c.product_id):
        values, tiers, excluded = judge(specs, candidate)
        if excluded is not None:
            exclusions.append(excluded)
            continue
        rows.append(
            Row(
                candidate.product_id,
                candidate.declaration_id,
                candidate.enterprise_id,
                candidate.enterprise,
                candidate.product,
                values,
                tiers,
                [],
                tier=max(tiers),
            )
        )
    if not rows:
        return Outcome(False, NOBODY, [], exclusions)
    if len({tuple(row.values) for row in rows}) == 1:
        return Outcome(False, ALL_EQUAL, [], exclusions)
    columns = [
        _places([row.values[i] for row in rows], spec.direction) for i, spec in enumerate(specs)
    ]
    for index, row in enumerate(rows):
        row.places = [column[index] for column in columns]
    keyed = sorted(rows, key=lambda row: (row.tier, sum(row.places), row.product_id))
    keys = [(row.tier, sum(row.places)) for row in keyed]
    counts: dict[tuple[int, int], int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    place = 0
    previous = None
    for index, (row, key) in enumerate(zip(keyed, keys, strict=True), start=1):
        if key != previous:
            place, previous = index, key
        row.place = place
        row.tied = counts[key] > 1
        row.leads = row.tier <= leader_tiers
    return Outcome(True, "", keyed, exclusions)


@dataclass
class Holdback:
    """What keeps a product out of the leading tiers on one indicator."""

    spec: Spec
    value: Decimal | None
    tier: int | None
    needed: Decimal


def holds_back(
    specs: Sequence[Spec], candidate: Candidate, *, leader_tiers: int
) -> tuple[Exclusion | None, list[Holdback]]:
    """Why the product is not ranked at all, and each core indicator below the leading tiers
    with the value it would need (the threshold of the last leading tier)."""
    excluded = judge(specs, candidate)[2]
    if excluded is not None and excluded.reason in (FAILED_CHECKS, MISSING, UNIT):
        return excluded, []
    out = []
    by_name = _by_name(candidate)
    for spec in specs:
        declared = _declared(spec, by_name)
        value = declared[1] if declared else None
        tier = spec.tier(value) if value is not None else None
        if tier is not None and tier <= leader_tiers:
            continue
        needed = spec.tiers[leader_tiers - 1] if len(spec.tiers) >= leader_tiers else spec.floor
        out.append(Holdback(spec, value, tier, needed))
    return excluded, out
