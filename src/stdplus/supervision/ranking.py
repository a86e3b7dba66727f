"""The leader ranking (领跑者): the rule, written once, as one SQL statement.

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

Where each part lives: what a run reads of each product is stored when its version becomes
public (`declarations.models.RankingInput`: its line of the record's inputs but for the
enterprise's name, and its declared lines' (name, unit) pairs, its *shape*). Which declared line gives a core indicator is decided
in Python, once per distinct shape (`shape_map`: names compare with white space collapsed and
case folded, the Chinese name before the English one, the first declared of a name counting;
units compare with white space removed and case folded). Everything else — tiers, the floor,
exclusions and their reasons, places, ties, leads, "all equal" — is `statement`, one SQL query
that SQLite and PostgreSQL both run (window functions), over one row per candidate product.
`leaders.ranking_run` runs it over the stored rows of the versions in force
(`leaders.live_products`); `rank`, `holds_back` and `leaders.run_replay` over rows given here
(`candidate_rows`, a run's stored inputs: `records.stored_products`), made alike
(`records.product_row`).

What it answers is the run's record (`records.Record`): the inputs as read, the exclusions with
their reasons and the result, as JSON lines, written by the database itself. The same inputs
give the same result, which the stored run lets anyone verify.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.db import connection, transaction
from psycopg.adapt import Loader

from stdplus.declarations.ranking_inputs import plain_text
from stdplus.declarations.ranking_inputs import postgresql as _postgresql

from .records import Record, exclusion_rows, findings_json, json_lines, product_row, result_rows

HIGHER, LOWER = "higher", "lower"

# Why a product is not ranked (codes; the pages word them, see `leaders.EXCLUSION_TEXT`).
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

    @property
    def name(self) -> str:
        return self.name_zh or self.name_en


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
    values: list[str]  # as plain text (96, 96.5)
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


# ----------------------------------------------------------------------------------------------
# What Python decides: which declared line gives which core indicator, per shape


def shape_map(specs: Sequence[Spec], shapes: Iterable[str]) -> list[dict]:
    """For each distinct shape (a product's declared (name, unit) pairs, a JSON list, in the
    order of its declared lines): for each core indicator N it names, `posN` the line that
    gives it (the first by the priority of its name, 0 the Chinese name and 1 the English
    one, then by order), `pathN` the path to that line's value (SQLite), `okN` whether its
    unit is the indicator's (1 or 0) and `unitN` the unit declared."""
    out = []
    for shape in sorted(set(shapes)):
        keys = [name_key(name) for name, _ in json.loads(shape)]
        units = [unit for _, unit in json.loads(shape)]
        row: dict = {"shape": shape, "known": 1}
        for number, spec in enumerate(specs, start=1):
            found = [
                (spec.names.index(key), at) for at, key in enumerate(keys) if key in spec.names
            ]
            if found:
                at = min(found)[1]
                row |= {
                    f"pos{number}": at,
                    f"path{number}": f"$[{at}]",
                    f"ok{number}": int(unit_key(units[at]) == spec.unit_key),
                    f"unit{number}": units[at],
                }
        out.append(row)
    return out


def failed_detail(errors: Iterable[str]) -> str:
    """What an exclusion for failing the automatic checks says: the distinct codes, sorted."""
    return ", ".join(sorted(set(errors)))


# ----------------------------------------------------------------------------------------------
# The statement, in the two dialects


def json_rows(columns: dict[str, str]) -> str:
    """A relation read from one parameter: a JSON array of objects with these keys."""
    if _postgresql():
        typed = ", ".join(f"{name} {kind}" for name, kind in columns.items())
        return f"SELECT * FROM jsonb_to_recordset(CAST(%s AS jsonb)) AS j({typed})"
    typed = ", ".join(
        f"CAST(json_extract(j.value, '$.{name}') AS {kind}) AS {name}"
        for name, kind in columns.items()
    )
    return f"SELECT {typed} FROM json_each(%s) AS j"  # noqa: S608 - the names are ours


def _array(*items: str) -> str:
    return f"{'json_build_array' if _postgresql() else 'json_array'}({', '.join(items)})"


def _lines_of(expr: str) -> str:
    """The rows' JSON texts as one text, a line each, as they come (the readers sort)."""
    if _postgresql():
        return f"STRING_AGG(CAST({expr} AS TEXT), E'\\n')"
    return f"CAST(GROUP_CONCAT({expr}, CHAR(10)) AS BLOB)"


def _literal(value: Decimal) -> str:
    return f"({format(Decimal(value), 'f')})"


def statement(
    specs: Sequence[Spec], *, products: str, leader_tiers: int, judged: bool = False
) -> str:
    """The rule as one query answering one row: why no ranking ("" when there is one), then
    the inputs, exclusions and result as JSON lines (`Record`), the number of candidates
    whose shape the map did not have, and with `judged` each candidate's reason, values and
    tiers (for `holds_back`).

    `products` is SQL of the candidates (product_id, declaration_id, enterprise_id,
    enterprise, line_head, line_tail, shape, numbers: `declarations.models.RankingInput`'s
    texts), in the order their inputs are written. Parameters: the `shape_map`, the failing
    declarations (declaration_id, detail), the core indicators' texts (n, name, unit,
    floor), all JSON, then those of `products`."""
    pg = _postgresql()
    numbers = list(range(1, len(specs) + 1))
    shapes = {"shape": "text", "known": "integer"}
    for n in numbers:
        shapes |= {
            f"pos{n}": "integer",
            f"path{n}": "text",
            f"ok{n}": "integer",
            f"unit{n}": "text",
        }
    texts, valued, tiers, reasons, indicators, details = [], [], [], [], [], []

    def read(n: int) -> str:  # a value as read (PostgreSQL's numeric keeps 96.500000)
        return f"CAST(value{n} AS TEXT)" if pg else f"text{n}"

    for n, spec in zip(numbers, specs, strict=True):
        # The line's value, found by the line's place in `numbers`: on PostgreSQL a number,
        # read once here (`base` is materialized; a cast in a subquery it flattens would be
        # cast again at every use); on SQLite the text as the inputs keep it.
        if pg:
            texts.append(f"r.numbers[m.pos{n} + 1] AS value{n}")
            valued.append(f"value{n}, ok{n}, unit{n}")
        else:
            texts.append(f"json_extract(r.numbers, m.path{n}) AS text{n}")
            valued.append(f"text{n}, ok{n}, unit{n}, CAST(text{n} AS NUMERIC) AS value{n}")
        value = f"value{n}"
        meets = ">=" if spec.direction == HIGHER else "<="
        steps = " ".join(
            f"WHEN {value} {meets} {_literal(t)} THEN {i}"
            for i, t in enumerate(spec.tiers, start=1)
        )
        tiers.append(
            f"{'' if pg else f'text{n}, '}{value}, ok{n}, unit{n}, "
            f"CASE WHEN {value} IS NULL OR NOT ({value} {meets} {_literal(spec.floor)}) "
            f"THEN NULL {steps} ELSE {len(spec.tiers) + 1} END AS tier{n}"
        )
        scheme = f"(SELECT {{}} FROM scheme WHERE n = {n})"
        for condition, code, detail in (
            (f"value{n} IS NULL", MISSING, "''"),
            (
                f"ok{n} = 0",
                UNIT,
                f"COALESCE(NULLIF(unit{n}, ''), '—') || ' ≠ ' || {scheme.format('unit')}",
            ),
            (
                f"tier{n} IS NULL",
                BELOW_FLOOR,
                f"{read(n)} || ' / ' || {scheme.format('floor')}",
            ),
        ):
            reasons.append(f"WHEN {condition} THEN '{code}'")
            indicators.append(f"WHEN {condition} THEN {scheme.format('name')}")
            details.append(f"WHEN {condition} THEN {detail}")
    values = ", ".join(f"value{n}" for n in numbers)
    worst = f"tier{numbers[0]}"
    if len(numbers) > 1:
        worst = f"{'GREATEST' if pg else 'MAX'}({', '.join(f'tier{n}' for n in numbers)})"
    places = " + ".join(f"place{n}" for n in numbers)
    # The number of products (c) better than or as good as a combination of values, less those
    # as good: those better; one more is its place. Equal values, equal places.
    ranks = ", ".join(
        f"SUM(c) OVER (ORDER BY value{n} {'DESC' if s.direction == HIGHER else 'ASC'}) "
        f"- SUM(c) OVER (ORDER BY value{n} {'DESC' if s.direction == HIGHER else 'ASC'} "
        f"RANGE BETWEEN CURRENT ROW AND CURRENT ROW) + 1 AS place{n}"
        for n, s in zip(numbers, specs, strict=True)
    )
    # The product's input line: its ids and names, and its declared lines, stored but for the
    # enterprise's name (`declarations.ranking_inputs.line_parts`), which is put between them.
    ids = ("product_id", "declaration_id", "enterprise_id")
    quote = "COALESCE(CAST(TO_JSON({}) AS TEXT), 'null')" if pg else "json_quote({})"
    input_line = f"r.line_head || {quote.format('r.enterprise')} || r.line_tail"
    failed = "f.detail"
    exclusion = _array(
        "product_id",
        "reason",
        f"CASE WHEN reason = '{FAILED_CHECKS}' THEN '' {' '.join(indicators)} END",
        f"CASE WHEN reason = '{FAILED_CHECKS}' THEN {failed} {' '.join(details)} END",
    )
    # A result line is its product's ids, then what all products of its combination share.
    member = "'[' || " + " || ',' || ".join(f"CAST({i} AS TEXT)" for i in ids)
    shared = " || ".join(
        [
            "',' || CAST(tier AS TEXT)",
            "',' || CAST(place AS TEXT)",
            "CASE WHEN peers > 1 THEN ',1' ELSE ',0' END",
            f"CASE WHEN tier <= {int(leader_tiers)} THEN ',1' ELSE ',0' END",
            *(
                f"',\"' || {plain_text(f'value{n}')} || '\",' || CAST(tier{n} AS TEXT) "
                f"|| ',' || CAST(place{n} AS TEXT)"
                for n in numbers
            ),
            "']'",
        ]
    )
    newline = "E'\\n'" if pg else "CHAR(10)"
    members = f"STRING_AGG({member}, '|')" if pg else f"GROUP_CONCAT({member}, '|')"
    materialized = "MATERIALIZED "
    # PostgreSQL reads each candidate's numbers as an array once (OFFSET 0: not flattened).
    candidates = (
        f"(SELECT p.product_id, p.declaration_id, p.enterprise_id, p.enterprise, p.line_head, "
        f"p.line_tail, p.shape, CAST(p.numbers AS numeric[]) AS numbers FROM ({products}) p "
        "OFFSET 0)"
        if pg
        else f"({products})"
    )
    sql = f"""
WITH shapes AS {materialized}({json_rows(shapes)}),
failing AS {materialized}({json_rows({"declaration_id": "bigint", "detail": "text"})}),
scheme AS {materialized}({json_rows({"n": "integer", "name": "text", "unit": "text", "floor": "text"})}),
base AS (
  SELECT r.product_id, r.declaration_id, r.enterprise_id, {input_line} AS input, m.known,
         {", ".join(texts)}, {", ".join(f"m.ok{n} AS ok{n}, m.unit{n} AS unit{n}" for n in numbers)}
  FROM {candidates} r LEFT JOIN shapes m ON m.shape = r.shape
),
valued AS (
  SELECT product_id, declaration_id, enterprise_id, {", ".join(valued)} FROM base
),
tiered AS (
  SELECT product_id, declaration_id, enterprise_id, {", ".join(tiers)} FROM valued
),
judged AS (
  SELECT tiered.*,
         CASE WHEN declaration_id IN (SELECT declaration_id FROM failing) THEN '{FAILED_CHECKS}'
              {" ".join(reasons)} END AS reason
  FROM tiered
),
ranked AS (
  SELECT product_id, declaration_id, enterprise_id, {values}, {", ".join(f"tier{n}" for n in numbers)},
         {worst} AS tier
  FROM judged WHERE reason IS NULL
),
combos AS (  -- the products declaring the same values: the same tiers, places and ties
  SELECT {values}, MAX(tier) AS tier, {", ".join(f"MAX(tier{n}) AS tier{n}" for n in numbers)},
         COUNT(*) AS c, {members} AS members
  FROM ranked GROUP BY {values}
),
outcome AS (
  SELECT CASE WHEN COUNT(*) = 0 THEN '{NOBODY}' WHEN COUNT(*) = 1 THEN '{ALL_EQUAL}' ELSE ''
         END AS reason
  FROM combos
),
placed AS (SELECT combos.*, {ranks} FROM combos WHERE (SELECT reason FROM outcome) = ''),
final AS (
  SELECT placed.*, {places} AS places, SUM(c) OVER w - SUM(c) OVER p + 1 AS place,
         SUM(c) OVER p AS peers
  FROM placed
  WINDOW w AS (ORDER BY tier, {places}), p AS (w RANGE BETWEEN CURRENT ROW AND CURRENT ROW)
)
SELECT (SELECT reason FROM outcome),
  (SELECT {_lines_of("input")} FROM base),
  (SELECT {_lines_of("line")} FROM (
     SELECT product_id, {exclusion} AS line
     FROM judged LEFT JOIN failing f ON f.declaration_id = judged.declaration_id
     WHERE reason IS NOT NULL) e),
  (SELECT {_lines_of("line")} FROM (
     SELECT tier, places, REPLACE(members, '|', {shared} || {newline}) || {shared} AS line
     FROM final) r),
  (SELECT COUNT(*) FROM base WHERE known IS NULL)"""  # noqa: S608 - every name and number is ours
    if judged:
        judgement = _array(
            "product_id",
            "reason",
            _array(*(read(n) for n in numbers)),
            _array(*(f"tier{n}" for n in numbers)),
        )
        sql += f",\n  (SELECT {_lines_of(judgement)} FROM judged)"
    return sql


# ----------------------------------------------------------------------------------------------
# Running it


class _Utf8Loader(Loader):
    """Texts from PostgreSQL as the bytes that come (UTF-8, Django's client encoding)."""

    def load(self, data) -> bytes:
        return bytes(data)


def _bytes(value) -> bytes:
    if value is None:
        return b""
    return value.encode() if isinstance(value, str) else bytes(value)


def answer(
    specs: Sequence[Spec],
    *,
    products: str,
    params: Sequence = (),
    shapes: list[dict],
    errors: dict[int, Sequence[str]],
    leader_tiers: int,
    judged: bool = False,
) -> Record:
    """Run the rule (`statement`) over `products`; `errors` holds the error codes of the
    failing declarations. Inside a transaction."""
    sql = statement(specs, products=products, leader_tiers=leader_tiers, judged=judged)
    failing = [
        {"declaration_id": pk, "detail": failed_detail(codes)}
        for pk, codes in errors.items()
        if codes
    ]
    scheme = [
        {"n": n, "name": spec.name, "unit": spec.unit, "floor": str(spec.floor)}
        for n, spec in enumerate(specs, start=1)
    ]
    with connection.cursor() as cursor:
        if _postgresql():  # the sorts in memory; no compiling for one run
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL jit = off")
            # The record's texts (about 20 MB) are kept as the bytes that come (UTF-8: Django
            # sets the connection's encoding), not decoded to str and encoded again.
            cursor.cursor.adapters.register_loader("text", _Utf8Loader)
        cursor.execute(
            sql,
            [
                json.dumps(shapes, ensure_ascii=False),
                json.dumps(failing, ensure_ascii=False),
                json.dumps(scheme, ensure_ascii=False),
                *params,
            ],
        )
        row = cursor.fetchone()
    return Record(
        _bytes(row[0]).decode(),
        _bytes(row[1]),
        findings_json(errors).encode(),
        _bytes(row[2]),
        _bytes(row[3]),
        _bytes(row[5]) if judged else b"",
        unknown_shapes=row[4],
    )


PRODUCT_COLUMNS = {
    "product_id": "bigint",
    "declaration_id": "bigint",
    "enterprise_id": "bigint",
    "enterprise": "text",
    "line_head": "text",
    "line_tail": "text",
    "shape": "text",
    "numbers": "text",
}


def answer_for(
    specs: Sequence[Spec],
    products: list[dict],
    errors: dict[int, Sequence[str]],
    *,
    leader_tiers: int,
    judged: bool = False,
) -> Record:
    """The rule over candidates given here (`product_row`: `candidate_rows`,
    `records.stored_products`), read from their JSON."""
    with transaction.atomic():
        return answer(
            specs,
            products=json_rows(PRODUCT_COLUMNS),
            params=[json.dumps(products, ensure_ascii=False)],
            shapes=shape_map(specs, {p["shape"] for p in products}),
            errors=errors,
            leader_tiers=leader_tiers,
            judged=judged,
        )


def candidate_rows(
    candidates: Iterable[Candidate],
) -> tuple[list[dict], dict[int, tuple[str, ...]]]:
    """The rows of candidates given in Python, and their declarations' error codes."""
    rows: list[dict] = []
    errors: dict[int, tuple[str, ...]] = {}
    order = 0
    for c in candidates:
        if c.errors:
            errors[c.declaration_id] = tuple(c.errors)
        declared = []
        for name, unit, value in c.values:
            order += 1
            declared.append((order, name, unit or "", None if value is None else str(value)))
        rows.append(
            product_row(
                c.product_id, c.declaration_id, c.enterprise_id, c.enterprise, c.product, declared
            )
        )
    return rows, errors


def rank(specs: Sequence[Spec], candidates: Sequence[Candidate], *, leader_tiers: int) -> Outcome:
    """The rule over candidates given in Python."""
    rows, errors = candidate_rows(candidates)
    record = answer_for(specs, rows, errors, leader_tiers=leader_tiers)
    names = {c.product_id: (c.enterprise, c.product) for c in candidates}
    return Outcome(
        record.reason == "",
        record.reason,
        [Row(*row) for row in result_rows(record.result, names)],
        [Exclusion(*row) for row in exclusion_rows(record.exclusions)],
    )


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
    rows, errors = candidate_rows([candidate])
    record = answer_for(specs, rows, errors, leader_tiers=leader_tiers, judged=True)
    excluded = next((Exclusion(*row) for row in exclusion_rows(record.exclusions)), None)
    if excluded is not None and excluded.reason in (FAILED_CHECKS, MISSING, UNIT):
        return excluded, []
    ((_, _, texts, tiers),) = json_lines(record.judged)
    out = []
    for spec, text, tier in zip(specs, texts, tiers, strict=True):
        if tier is not None and tier <= leader_tiers:
            continue
        needed = spec.tiers[leader_tiers - 1] if len(spec.tiers) >= leader_tiers else spec.floor
        out.append(Holdback(spec, None if text is None else Decimal(text), tier, needed))
    return excluded, out
