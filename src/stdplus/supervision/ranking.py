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

Where each part lives: which declared indicator gives a core indicator is decided in Python,
once per distinct declared (name, unit) (`name_map`: names compare with white space collapsed
and case folded, the Chinese name before the English one; units compare with white space
removed and case folded). Everything else — the first declared of a name counting, tiers, the
floor, exclusions and their reasons, places, ties, leads, "all equal" — is `statement`, one SQL
query that SQLite and PostgreSQL both run (window functions), over *lines*: one per declared
indicator of each candidate product, one without an indicator for a product declaring none.
`leaders.ranking_run` runs it over the live tables (`leaders.live_lines`); `rank`, `holds_back`
and `leaders.run_replay` over lines given here (`candidate_lines`, a run's stored inputs).

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
from json.encoder import encode_basestring as _quote  # a JSON string, UTF-8 kept

from django.db import connection, transaction

from .records import Record, exclusion_rows, findings_json, json_lines, result_rows

HIGHER, LOWER = "higher", "lower"

# Why a product is not ranked (codes; the pages word them, see `leaders.EXCLUSION_TEXT`).
FAILED_CHECKS = "failed_checks"
MISSING = "indicator_missing"
UNIT = "unit_mismatch"
BELOW_FLOOR = "below_floor"
# Why a category publishes no ranking.
NOBODY = "nobody_eligible"
ALL_EQUAL = "all_equal"

ORD_LIMIT = 1 << 40  # indicator ids (a line's order) stay below this


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
# What Python decides: which declared (name, unit) gives which core indicator


def name_map(specs: Sequence[Spec], pairs: Iterable[tuple[str, str]]) -> list[dict]:
    """For each distinct declared (name, unit): `pair`, the two as JSON texts (`json_pair`),
    and for each core indicator N it names, `pN` the priority of the name (0 the Chinese
    name, 1 the English one) and `okN` whether the unit is the indicator's (1 or 0)."""
    out = []
    for name, unit in sorted(set(pairs)):
        key = name_key(name)
        row: dict = {"name": name, "unit": unit, "pair": json_pair(name, unit)}
        for number, spec in enumerate(specs, start=1):
            if key in spec.names:
                row[f"p{number}"] = spec.names.index(key)
                row[f"ok{number}"] = int(unit_key(unit) == spec.unit_key)
        out.append(row)
    return out


def json_pair(name: str, unit: str) -> str:
    """A declared name and unit as the inputs write them: two JSON strings and a comma. The
    escapes are those both databases write (`"`, `\\`, `\\n` and the like, `\\u00XX` for
    other control characters; the rest as is), so a line reads the same whether its pair
    was written here, once for all the lines declaring it, or by the database."""
    return f"{_quote(name)},{_quote(unit)}"


def failed_detail(errors: Iterable[str]) -> str:
    """What an exclusion for failing the automatic checks says: the distinct codes, sorted."""
    return ", ".join(sorted(set(errors)))


# ----------------------------------------------------------------------------------------------
# The statement, in the two dialects


def _postgresql() -> bool:
    return connection.vendor == "postgresql"


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


def plain_text(expr: str) -> str:
    """A number as plain text without trailing zeros (96, 96.5; six decimals at most).
    SQLite's own text of a number is that, but for the smallest ones (1.0e-05)."""
    if _postgresql():
        return f"CAST(TRIM_SCALE({expr}) AS TEXT)"
    return (
        f"CASE WHEN {expr} <> 0 AND ABS({expr}) < 0.0001 "
        f"THEN RTRIM(RTRIM(PRINTF('%%.6f', {expr}), '0'), '.') ELSE CAST({expr} AS TEXT) END"
    )


def read_text(expr: str) -> str:
    """A declared value as read, as a run's inputs keep it: PostgreSQL gives the column's six
    decimals (96.500000), SQLite its number as plain text (96.5)."""
    return f"CAST({expr} AS TEXT)" if _postgresql() else plain_text(expr)


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
    specs: Sequence[Spec], *, lines: str, picks: str, leader_tiers: int, judged: bool = False
) -> str:
    """The rule as one query answering one row: why no ranking ("" when there is one), then
    the inputs, exclusions and result as JSON lines (`Record`), and with `judged` each
    candidate's reason, values and tiers (for `holds_back`).

    `lines` is SQL of the lines (product_id, declaration_id, enterprise_id, enterprise,
    product, ord, name, unit, value, value_text; ord, the indicator's order, is unique and below
    `ORD_LIMIT`; name is NULL for a product declaring no indicator), `picks` SQL of one line
    by ord (ord, value, value_text, unit), looked up only for a product naming a core
    indicator more than once and for the details of exclusions. Parameters: the `name_map`,
    the failing declarations (declaration_id, detail), the core indicators' texts (n, name,
    unit, floor), all JSON, then those of `picks`, then those of `lines`."""
    pg = _postgresql()
    numbers = list(range(1, len(specs) + 1))
    names = {"name": "text", "unit": "text", "pair": "text"}
    for n in numbers:
        names |= {f"p{n}": "integer", f"ok{n}": "integer"}
    keys, picked, tiers, reasons, indicators, details = [], [], [], [], [], []

    def read(n: int) -> str:  # a value as read (PostgreSQL's numeric keeps 96.500000)
        if pg:
            return f"CAST(value{n} AS TEXT)"
        return f"(SELECT u.value_text FROM picks u WHERE u.ord = found{n} / 2 %% {ORD_LIMIT})"

    for n, spec in zip(numbers, specs, strict=True):
        # The line that gives the indicator: the first by (priority of its name, order), and
        # whether its unit is the indicator's, as one number: its key. Nearly every product
        # declares a core indicator once: then its one line's value is the value, read in
        # the same pass; a product naming it twice or more has the line looked up by its key.
        key = f"(m.p{n} * {ORD_LIMIT} + l.ord) * 2 + 1 - m.ok{n}"
        keys.append(
            f"MIN(CASE WHEN m.p{n} IS NOT NULL THEN {key} END) AS key{n}, "
            f"COUNT(m.p{n}) AS count{n}, "
            f"MAX(CASE WHEN m.p{n} IS NOT NULL THEN l.value END) AS one{n}"
        )
        picked.append(
            f"b.key{n} AS found{n}, CASE WHEN b.count{n} = 1 THEN b.one{n} "
            f"ELSE (SELECT u.value FROM picks u WHERE u.ord = b.key{n} / 2 %% {ORD_LIMIT}) "
            f"END AS value{n}"
        )
        unit = f"(SELECT u.unit FROM picks u WHERE u.ord = found{n} / 2 %% {ORD_LIMIT})"
        value = f"value{n}"
        meets = ">=" if spec.direction == HIGHER else "<="
        steps = " ".join(
            f"WHEN {value} {meets} {_literal(t)} THEN {i}"
            for i, t in enumerate(spec.tiers, start=1)
        )
        tiers.append(
            f"found{n}, {value}, 1 - found{n} %% 2 AS ok{n}, "
            f"CASE WHEN {value} IS NULL OR NOT ({value} {meets} {_literal(spec.floor)}) "
            f"THEN NULL {steps} ELSE {len(spec.tiers) + 1} END AS tier{n}"
        )
        scheme = f"(SELECT {{}} FROM scheme WHERE n = {n})"
        for condition, code, detail in (
            (f"value{n} IS NULL", MISSING, "''"),
            (
                f"ok{n} = 0",
                UNIT,
                f"COALESCE(NULLIF({unit}, ''), '—') || ' ≠ ' || {scheme.format('unit')}",
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
    # The product's input line: its declared lines in the order they come (the readers sort;
    # an ordered aggregate would sort each product's lines apart). SQLite builds it with its
    # JSON functions and takes a product's other columns as they are. PostgreSQL wants them
    # aggregated, and writes the line as text: its JSON functions look up how to write each
    # item on every call, which cost a quarter of its statement. Each declared line takes
    # its (name, unit) as `name_map` wrote it once (the database quotes a pair declared
    # after the map was read); the value's text is a number's, with nothing to escape; its
    # JSON puts a space after a comma between the input line's items.
    ids = ("product_id", "declaration_id", "enterprise_id")
    if pg:
        quote = "COALESCE(CAST(TO_JSON({}) AS TEXT), 'null')".format
        line = (
            f"'[\"' || CAST(l.ord AS TEXT) || '\",' || "
            f"COALESCE(m.pair, {quote('l.name')} || ',' || {quote('l.unit')}) || ',' || "
            "COALESCE('\"' || l.value_text || '\"', 'null') || ']'"
        )
        declared = f"STRING_AGG({line}, ',') FILTER (WHERE l.name IS NOT NULL)"
        own = [f"MAX(l.{c})" for c in (*ids[1:], "enterprise", "product")]
        input_line = " || ', ' || ".join(
            [
                "'[' || CAST(l.product_id AS TEXT)",
                *(f"CAST({c} AS TEXT)" for c in own[:2]),
                *(quote(c) for c in own[2:]),
                f"'[' || COALESCE({declared}, '') || ']]'",
            ]
        )
    else:
        declared = _array("CAST(l.ord AS TEXT)", "l.name", "l.unit", "l.value_text")
        declared = f"JSON_GROUP_ARRAY(CASE WHEN l.name IS NOT NULL THEN {declared} END)"
        own = [f"l.{c}" for c in (*ids[1:], "enterprise", "product")]
        input_line = _array("l.product_id", *own, declared)
    failed = "(SELECT detail FROM failing f WHERE f.declaration_id = judged.declaration_id)"
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
    sql = f"""
WITH names AS {materialized}({json_rows(names)}),
failing AS {materialized}({json_rows({"declaration_id": "bigint", "detail": "text"})}),
scheme AS {materialized}({json_rows({"n": "integer", "name": "text", "unit": "text", "floor": "text"})}),
picks AS NOT MATERIALIZED ({picks}),
base AS (
  SELECT l.product_id, {own[0]} AS declaration_id, {own[1]} AS enterprise_id,
         {input_line} AS input, {", ".join(keys)}
  FROM ({lines}) l LEFT JOIN names m ON m.name = l.name AND m.unit = l.unit
  GROUP BY l.product_id
),
picked AS (
  SELECT b.product_id, b.declaration_id, b.enterprise_id, {", ".join(picked)} FROM base b
),
tiered AS (
  SELECT product_id, declaration_id, enterprise_id, {", ".join(tiers)} FROM picked
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
     SELECT product_id, {exclusion} AS line FROM judged WHERE reason IS NOT NULL) e),
  (SELECT {_lines_of("line")} FROM (
     SELECT tier, places, REPLACE(members, '|', {shared} || {newline}) || {shared} AS line
     FROM final) r)"""  # noqa: S608 - every name and number is ours
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


def _bytes(value) -> bytes:
    if value is None:
        return b""
    return value.encode() if isinstance(value, str) else bytes(value)


def answer(
    specs: Sequence[Spec],
    *,
    lines: str,
    picks: str,
    params: Sequence = (),
    names: list[dict],
    errors: dict[int, Sequence[str]],
    leader_tiers: int,
    judged: bool = False,
) -> Record:
    """Run the rule (`statement`) over `lines`; `errors` holds the error codes of the
    failing declarations. Inside a transaction."""
    sql = statement(specs, lines=lines, picks=picks, leader_tiers=leader_tiers, judged=judged)
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
        cursor.execute(
            sql,
            [
                json.dumps(names, ensure_ascii=False),
                json.dumps(failing, ensure_ascii=False),
                json.dumps(scheme, ensure_ascii=False),
                *params,
            ],
        )
        row = cursor.fetchone()
    return Record(
        row[0],
        _bytes(row[1]),
        findings_json(errors).encode(),
        _bytes(row[2]),
        _bytes(row[3]),
        _bytes(row[4]) if judged else b"",
    )


LINES_TABLE = "supervision_ranking_lines"  # a temporary table, while a run is replayed
LINE_COLUMNS = {
    "product_id": "bigint",
    "declaration_id": "bigint",
    "enterprise_id": "bigint",
    "enterprise": "text",
    "product": "text",
    "ord": "bigint",
    "name": "text",
    "unit": "text",
    "value": "numeric",
    "value_text": "text",
}


TABLE_FROM = 500  # lines given here from this many on go through a temporary table


def answer_for(
    specs: Sequence[Spec],
    lines: list[dict],
    errors: dict[int, Sequence[str]],
    *,
    leader_tiers: int,
    judged: bool = False,
) -> Record:
    """The rule over lines given here (`candidate_lines`, `records.stored_lines`). A few are
    read straight from their JSON; many (a run replayed) are written to a temporary table
    first, so that the database finds a line by its key rather than by reading them all."""
    pairs = {(line["name"], line["unit"]) for line in lines if line["name"] is not None}
    given = json.dumps(lines, ensure_ascii=False)
    with transaction.atomic(), connection.cursor() as cursor:
        if len(lines) < TABLE_FROM:
            source, params = json_rows(LINE_COLUMNS), [given]
            picks = f"SELECT ord, value, value_text, unit FROM ({source}) j"  # noqa: S608
            params_picks = [given]
        else:
            key = "INTEGER PRIMARY KEY" if connection.vendor == "sqlite" else "bigint PRIMARY KEY"
            typed = ", ".join(
                f"{name} {key if name == 'ord' else kind}" for name, kind in LINE_COLUMNS.items()
            )
            cursor.execute(f"DROP TABLE IF EXISTS {LINES_TABLE}")
            cursor.execute(f"CREATE TEMPORARY TABLE {LINES_TABLE} ({typed})")
            cursor.execute(f"INSERT INTO {LINES_TABLE} {json_rows(LINE_COLUMNS)}", [given])
            source, params = f"SELECT * FROM {LINES_TABLE}", []  # noqa: S608
            picks = f"SELECT ord, value, value_text, unit FROM {LINES_TABLE}"  # noqa: S608
            params_picks = []
        record = answer(
            specs,
            lines=source,
            picks=picks,
            params=[*params_picks, *params],
            names=name_map(specs, pairs),
            errors=errors,
            leader_tiers=leader_tiers,
            judged=judged,
        )
        if len(lines) >= TABLE_FROM:
            cursor.execute(f"DROP TABLE {LINES_TABLE}")
    return record


def candidate_lines(
    candidates: Iterable[Candidate],
) -> tuple[list[dict], dict[int, tuple[str, ...]]]:
    """The lines of candidates given in Python, and their declarations' error codes."""
    lines: list[dict] = []
    errors: dict[int, tuple[str, ...]] = {}
    for c in candidates:
        if c.errors:
            errors[c.declaration_id] = tuple(c.errors)
        common = {
            "product_id": c.product_id,
            "declaration_id": c.declaration_id,
            "enterprise_id": c.enterprise_id,
            "enterprise": c.enterprise,
            "product": c.product,
        }
        declared = [
            (name, unit or "", None if value is None else str(value))
            for name, unit, value in c.values
        ] or [(None, None, None)]
        for name, unit, value in declared:
            lines.append(
                {
                    **common,
                    "ord": len(lines) + 1,
                    "name": name,
                    "unit": unit,
                    "value": value,
                    "value_text": value,
                }
            )
    return lines, errors


def rank(specs: Sequence[Spec], candidates: Sequence[Candidate], *, leader_tiers: int) -> Outcome:
    """The rule over candidates given in Python."""
    lines, errors = candidate_lines(candidates)
    record = answer_for(specs, lines, errors, leader_tiers=leader_tiers)
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
    lines, errors = candidate_lines([candidate])
    record = answer_for(specs, lines, errors, leader_tiers=leader_tiers, judged=True)
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
