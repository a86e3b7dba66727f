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

What it answers is the run's record (`Record`): the inputs as read, the exclusions with their
reasons and the result, as JSON lines, written by the database itself. The same inputs give the
same result, which the stored run lets anyone verify.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.db import connection, transaction

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
    """For each distinct declared (name, unit) naming a core indicator: for each core
    indicator N it names, `pN` the priority of the name (0 the Chinese name, 1 the English
    one) and `okN` whether the unit is the indicator's (1 or 0)."""
    out = []
    for name, unit in sorted(set(pairs)):
        key = name_key(name)
        row: dict = {"name": name, "unit": unit}
        for number, spec in enumerate(specs, start=1):
            if key in spec.names:
                row[f"p{number}"] = spec.names.index(key)
                row[f"ok{number}"] = int(unit_key(unit) == spec.unit_key)
        if len(row) > 2:
            out.append(row)
    return out


def failed_detail(errors: Iterable[str]) -> str:
    """What an exclusion for failing the automatic checks says: the distinct codes, sorted."""
    return ", ".join(sorted(set(errors)))


def findings_json(errors: dict[int, Sequence[str]]) -> str:
    """The failing declarations (those with error findings) and their codes, as found: a
    run's record keeps them beside the inputs."""
    return "".join(
        json.dumps([pk, list(codes)], ensure_ascii=False) + "\n"
        for pk, codes in sorted(errors.items())
        if codes
    )


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


def _lines_of(expr: str, order: str) -> str:
    """The rows' JSON texts as one text, a line each (SQLite keeps the order of its input)."""
    if _postgresql():
        return f"STRING_AGG(CAST({expr} AS TEXT), E'\\n' ORDER BY {order})"
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
    product, ord, name, unit, value_text; ord, the indicator's order, is unique and below
    `ORD_LIMIT`; name is NULL for a product declaring no indicator), `picks` SQL of one line
    by ord (ord, value, value_text, unit). Parameters, all JSON: the `name_map`, the failing
    declarations (declaration_id, detail), the core indicators' texts (n, name, unit, floor),
    then those of `lines`."""
    pg = _postgresql()
    numbers = list(range(1, len(specs) + 1))
    names = {"name": "text", "unit": "text"}
    for n in numbers:
        names |= {f"p{n}": "integer", f"ok{n}": "integer"}
    keys, picked, tiers, reasons, indicators, details = [], [], [], [], [], []
    for n, spec in zip(numbers, specs, strict=True):
        keys.append(
            f"MIN(CASE WHEN m.p{n} IS NOT NULL "
            f"THEN (m.p{n} * {ORD_LIMIT} + l.ord) * 2 + 1 - m.ok{n} END) AS key{n}"
        )
        picked.append(f"LEFT JOIN ({picks}) v{n} ON v{n}.ord = b.key{n} / 2 %% {ORD_LIMIT}")
        meets = ">=" if spec.direction == HIGHER else "<="
        steps = " ".join(
            f"WHEN v{n}.value {meets} {_literal(t)} THEN {i}"
            for i, t in enumerate(spec.tiers, start=1)
        )
        tiers.append(
            f"v{n}.value AS value{n}, v{n}.value_text AS text{n}, v{n}.unit AS unit{n}, "
            f"1 - b.key{n} %% 2 AS ok{n}, "
            f"CASE WHEN v{n}.value IS NULL OR NOT (v{n}.value {meets} {_literal(spec.floor)}) "
            f"THEN NULL {steps} ELSE {len(spec.tiers) + 1} END AS tier{n}"
        )
        text = f"(SELECT {{}} FROM scheme WHERE n = {n})"
        for condition, code, detail in (
            (f"value{n} IS NULL", MISSING, "''"),
            (
                f"ok{n} = 0",
                UNIT,
                f"COALESCE(NULLIF(unit{n}, ''), '—') || ' ≠ ' || {text.format('unit')}",
            ),
            (f"tier{n} IS NULL", BELOW_FLOOR, f"text{n} || ' / ' || {text.format('floor')}"),
        ):
            reasons.append(f"WHEN {condition} THEN '{code}'")
            indicators.append(f"WHEN {condition} THEN {text.format('name')}")
            details.append(f"WHEN {condition} THEN {detail}")
    columns = ", ".join(f"value{n}, text{n}, tier{n}" for n in numbers)
    worst = f"tier{numbers[0]}"
    if len(numbers) > 1:
        worst = f"{'GREATEST' if pg else 'MAX'}({', '.join(f'tier{n}' for n in numbers)})"
    places = " + ".join(f"place{n}" for n in numbers)
    differ = " OR ".join(f"MIN(value{n}) < MAX(value{n})" for n in numbers)
    ranks = ", ".join(
        f"RANK() OVER (ORDER BY value{n} {'DESC' if s.direction == HIGHER else 'ASC'}) AS place{n}"
        for n, s in zip(numbers, specs, strict=True)
    )
    declared = _array("l.ord", "l.name", "l.unit", "l.value_text")
    if pg:
        declared = (
            f"COALESCE(JSON_AGG({declared} ORDER BY l.ord) FILTER (WHERE l.name IS NOT NULL), '[]')"
        )
        grouped = "l.product_id, l.declaration_id, l.enterprise_id, l.enterprise, l.product"
    else:
        declared = f"JSON_GROUP_ARRAY(CASE WHEN l.name IS NOT NULL THEN {declared} END)"
        grouped = "l.product_id"
    ids = ("product_id", "declaration_id", "enterprise_id")
    input_line = _array(*(f"l.{i}" for i in ids), "l.enterprise", "l.product", declared)
    failed = "(SELECT detail FROM failing f WHERE f.declaration_id = judged.declaration_id)"
    exclusion = _array(
        "product_id",
        "reason",
        f"CASE WHEN reason = '{FAILED_CHECKS}' THEN '' {' '.join(indicators)} END",
        f"CASE WHEN reason = '{FAILED_CHECKS}' THEN {failed} {' '.join(details)} END",
    )
    result = _array(
        *ids,
        "tier",
        "place",
        "CASE WHEN peers > 1 THEN 1 ELSE 0 END",
        f"CASE WHEN tier <= {int(leader_tiers)} THEN 1 ELSE 0 END",
        _array(*(plain_text(f"value{n}") for n in numbers)),
        _array(*(f"tier{n}" for n in numbers)),
        _array(*(f"place{n}" for n in numbers)),
    )
    materialized = "MATERIALIZED "
    sql = f"""
WITH names AS {materialized}({json_rows(names)}),
failing AS {materialized}({json_rows({"declaration_id": "bigint", "detail": "text"})}),
scheme AS {materialized}({json_rows({"n": "integer", "name": "text", "unit": "text", "floor": "text"})}),
base AS (
  SELECT l.product_id, l.declaration_id, l.enterprise_id, {input_line} AS input, {", ".join(keys)}
  FROM ({lines}) l LEFT JOIN names m ON m.name = l.name AND m.unit = l.unit
  GROUP BY {grouped}
),
tiered AS (
  SELECT b.product_id, b.declaration_id, b.enterprise_id, {", ".join(tiers)}
  FROM base b {" ".join(picked)}
),
judged AS (
  SELECT tiered.*,
         CASE WHEN declaration_id IN (SELECT declaration_id FROM failing) THEN '{FAILED_CHECKS}'
              {" ".join(reasons)} END AS reason
  FROM tiered
),
ranked AS (
  SELECT product_id, declaration_id, enterprise_id, {columns}, {worst} AS tier
  FROM judged WHERE reason IS NULL
),
outcome AS (
  SELECT CASE WHEN COUNT(*) = 0 THEN '{NOBODY}' WHEN {differ} THEN '' ELSE '{ALL_EQUAL}' END
         AS reason
  FROM ranked
),
placed AS (SELECT ranked.*, {ranks} FROM ranked WHERE (SELECT reason FROM outcome) = ''),
final AS (
  SELECT placed.*, {places} AS places, RANK() OVER w AS place,
         COUNT(*) OVER (w RANGE BETWEEN CURRENT ROW AND CURRENT ROW) AS peers
  FROM placed WINDOW w AS (ORDER BY tier, {places})
)
SELECT (SELECT reason FROM outcome),
  (SELECT {_lines_of("input", "product_id")} FROM base),
  (SELECT {_lines_of("line", "product_id")} FROM (
     SELECT product_id, {exclusion} AS line FROM judged WHERE reason IS NOT NULL
     ORDER BY product_id) e),
  (SELECT {_lines_of("line", "tier, places, product_id")} FROM (
     SELECT tier, places, product_id, {result} AS line FROM final
     ORDER BY tier, places, product_id) r)"""  # noqa: S608 - every name and number is ours
    if judged:
        judgement = _array(
            "product_id",
            "reason",
            _array(*(f"text{n}" for n in numbers)),
            _array(*(f"tier{n}" for n in numbers)),
        )
        sql += f",\n  (SELECT {_lines_of(judgement, 'product_id')} FROM judged)"
    return sql


# ----------------------------------------------------------------------------------------------
# Running it


@dataclass
class Record:
    """What the statement answers, the record of a run: JSON lines (UTF-8), in the order of
    the database (the readers below sort).

    - inputs: [product id, declaration id, enterprise id, enterprise, product, [[indicator
      id, indicator, unit, value as read], ...]] for each candidate;
    - findings: [declaration id, [error codes as found]] for each failing declaration;
    - exclusions: [product id, reason, indicator, detail];
    - result: [product id, declaration id, enterprise id, tier, place, tied (1/0), leads
      (1/0), [values], [tiers], [places]] in order.
    """

    reason: str  # "" when a ranking is published, else why not (NOBODY, ALL_EQUAL)
    inputs: bytes
    findings: bytes
    exclusions: bytes
    result: bytes
    judged: bytes = b""


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


def answer_for(
    specs: Sequence[Spec],
    lines: list[dict],
    errors: dict[int, Sequence[str]],
    *,
    leader_tiers: int,
    judged: bool = False,
) -> Record:
    """The rule over lines given here (`candidate_lines`, `stored_lines`): they are written
    to a temporary table first, so that the database looks a line up by its key."""
    typed = ", ".join(
        f"{name} {'INTEGER PRIMARY KEY' if name == 'ord' and not _postgresql() else kind}"
        + (" PRIMARY KEY" if name == "ord" and _postgresql() else "")
        for name, kind in LINE_COLUMNS.items()
    )
    pairs = {(line["name"], line["unit"]) for line in lines if line["name"] is not None}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {LINES_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {LINES_TABLE} ({typed})")
        cursor.execute(
            f"INSERT INTO {LINES_TABLE} {json_rows(LINE_COLUMNS)}",  # noqa: S608
            [json.dumps(lines, ensure_ascii=False)],
        )
        record = answer(
            specs,
            lines=f"SELECT * FROM {LINES_TABLE}",  # noqa: S608
            picks=f"SELECT ord, value, value_text, unit FROM {LINES_TABLE}",  # noqa: S608
            names=name_map(specs, pairs),
            errors=errors,
            leader_tiers=leader_tiers,
            judged=judged,
        )
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


def stored_lines(inputs: bytes) -> list[dict]:
    """The lines of a run's stored inputs, for running the rule on them again."""
    lines: list[dict] = []
    for pid, did, eid, enterprise, product, declared in json_lines(inputs):
        common = {
            "product_id": pid,
            "declaration_id": did,
            "enterprise_id": eid,
            "enterprise": enterprise,
            "product": product,
        }
        found = [d for d in declared if d is not None]
        for ord_, name, unit, value in found or [(-pid, None, None, None)]:
            lines.append(
                {
                    **common,
                    "ord": ord_,
                    "name": name,
                    "unit": unit,
                    "value": value,
                    "value_text": value,
                }
            )
    return lines


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


# ----------------------------------------------------------------------------------------------
# The stored record: one ZIP of JSON lines, and the digest of what was read

MEMBERS = ("scheme.json", "findings.jsonl", "inputs.jsonl", "exclusions.jsonl", "result.jsonl")


def plain(value: Decimal) -> str:
    """A number as text without trailing zeros (96, 96.5)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def scheme_json(specs: Sequence[Spec], leader_tiers: int) -> bytes:
    """The scheme a run ranked under, as its record keeps it."""
    scheme = [
        [s.name_zh, s.name_en, s.direction, s.unit, plain(s.floor), [plain(t) for t in s.tiers]]
        for s in specs
    ]
    return json.dumps([scheme, leader_tiers], ensure_ascii=False, separators=(",", ":")).encode()


def pack(scheme: bytes, record: Record) -> bytes:
    """The record as one compressed file (fixed dates: the same record, the same bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        parts = (scheme, record.findings, record.inputs, record.exclusions, record.result)
        for name, data in zip(MEMBERS, parts, strict=True):
            member = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, data, compresslevel=1)
    return out.getvalue()


def unpack(blob: bytes) -> dict[str, bytes]:
    if not blob:
        return dict.fromkeys(MEMBERS, b"")
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        return {name: archive.read(name) for name in MEMBERS}


def json_lines(data: bytes) -> list:
    return [json.loads(line) for line in data.splitlines() if line.strip()]


def input_rows(inputs: bytes, findings: bytes) -> list[list]:
    """[product id, declaration id, enterprise id, enterprise, product, [[indicator, unit,
    value or None], ...], [error codes]] for each candidate, by product id."""
    codes = {pk: found for pk, found in json_lines(findings)}
    out = []
    for pid, did, eid, enterprise, product, declared in json_lines(inputs):
        values = [[n, u, v] for _, n, u, v in sorted(d for d in declared if d is not None)]
        out.append([pid, did, eid, enterprise, product, values, codes.get(did, [])])
    return sorted(out, key=lambda row: row[0])


def exclusion_rows(exclusions: bytes) -> list[list]:
    """[product id, reason, indicator, detail] for each product excluded, by product id."""
    return sorted(json_lines(exclusions), key=lambda row: row[0])


def result_rows(result: bytes, names: dict[int, tuple[str, str]]) -> list[list]:
    """[product id, declaration id, enterprise id, enterprise, product, [values], [tiers],
    [places], tier, place, tied, leads] for each product ranked, in order; `names` gives the
    enterprise and the product by product id (from the inputs)."""
    rows = []
    for pid, did, eid, tier, place, tied, leads, values, tiers, places in json_lines(result):
        enterprise, product = names.get(pid, ("", ""))
        rows.append(
            [pid, did, eid, enterprise, product, values, tiers, places, tier, place]
            + [bool(tied), bool(leads)]
        )
    return sorted(rows, key=lambda row: (row[9], row[0]))  # the place, then the product
