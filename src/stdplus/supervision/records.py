"""The record of a ranking run: what the rule read and answered, kept as one file.

`ranking.answer` has the database write it as JSON lines (`Record`); a run stores it zipped
with the scheme it ranked under (`pack`), and the pages, the API and the tables read it back
as lists (`input_rows`, `exclusion_rows`, `result_rows`). The lines come in the database's
order; the readers sort them, so that no time is spent sorting them in the database.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from stdplus.declarations.ranking_inputs import line_parts, numbers_text

if TYPE_CHECKING:
    from .ranking import Spec


@dataclass
class Record:
    """What the statement answers, the record of a run: JSON lines (UTF-8), in the order they
    come from the database (the readers below sort them).

    - inputs: [product id, declaration id, enterprise id, enterprise, product, [[indicator
      id (as text), indicator, unit, value as read], ...]] for each candidate;
    - findings: [declaration id, [error codes as found]] for each failing declaration;
    - exclusions: [product id, reason, indicator, detail];
    - result: [product id, declaration id, enterprise id, tier, place, tied (1/0), leads
      (1/0), then value, tier and place on each core indicator]; read in order of place.
    """

    reason: str  # "" when a ranking is published, else why not (NOBODY, ALL_EQUAL)
    inputs: bytes
    findings: bytes
    exclusions: bytes
    result: bytes
    judged: bytes = b""
    unknown_shapes: int = 0  # candidates whose shape the statement was not given (read again)


def findings_json(errors: dict[int, Sequence[str]]) -> str:
    """The failing declarations (those with error findings) and their codes, as found: a
    run's record keeps them beside the inputs."""
    return "".join(
        json.dumps([pk, list(codes)], ensure_ascii=False) + "\n"
        for pk, codes in sorted(errors.items())
        if codes
    )


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
        found = sorted((int(d[0]), d[1], d[2], d[3]) for d in declared if d is not None)
        values = [[n, u, v] for _, n, u, v in found]
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
    for line in json_lines(result):
        pid, did, eid, tier, place, tied, leads = line[:7]
        enterprise, product = names.get(pid, ("", ""))
        rows.append(
            [pid, did, eid, enterprise, product, line[7::3], line[8::3], line[9::3], tier, place]
            + [bool(tied), bool(leads)]
        )
    return sorted(rows, key=lambda row: (row[9], row[0]))  # the place, then the product


def result_dicts(rows: list[list]) -> list[dict]:
    """The ranked rows (`result_rows`) as the run's page and its JSON show them, by name (the
    enterprise's id left out)."""
    return [
        {
            "product_id": r[0],
            "declaration_id": r[1],
            "enterprise": r[3],
            "product": r[4],
            "values": r[5],
            "tiers": r[6],
            "places": r[7],
            "tier": r[8],
            "place": r[9],
            "tied": r[10],
            "leads": r[11],
        }
        for r in rows
    ]


def product_row(
    product_id: int,
    declaration_id: int,
    enterprise_id: int,
    enterprise: str,
    product: str,
    declared: Sequence,
) -> dict:
    """A candidate as the rule reads it (`ranking.statement`), from its declared lines
    ([indicator id, name, unit, value as text or None], any order): its input line but for
    the enterprise's name (`line_parts`, with the lines by id as a record's inputs keep
    them), the lines' (name, unit) pairs, its shape, and their values, in that order."""
    lines = sorted(([int(d[0]), d[1], d[2], d[3]] for d in declared), key=lambda d: d[0])
    head, tail = line_parts(
        (product_id, declaration_id, enterprise_id),
        product,
        _compact([[str(order), name, unit, value] for order, name, unit, value in lines]),
    )
    return {
        "product_id": product_id,
        "declaration_id": declaration_id,
        "enterprise_id": enterprise_id,
        "enterprise": enterprise,
        "line_head": head,
        "line_tail": tail,
        "shape": _compact([[name, unit] for _, name, unit, _ in lines]),
        "numbers": numbers_text([value for *_, value in lines]),
    }


_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def stored_products(inputs: bytes) -> list[dict]:
    """The candidates of a run's stored inputs, for running the rule on them again."""
    return [
        product_row(pid, did, eid, enterprise, product, [d for d in declared if d is not None])
        for pid, did, eid, enterprise, product, declared in json_lines(inputs)
    ]
