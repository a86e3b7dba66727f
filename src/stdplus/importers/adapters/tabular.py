"""A generic table of standards: CSV, XLSX or JSON Lines, one standard per row.

Columns are found by their header (English or Chinese, see COLUMNS); `--map header=field`
names any other header. Only the identifier column is required. Multi-valued cells (ICS codes,
replaced standards, drafting organizations) are separated by `;`, `,`, `、` or new lines.
An adoption cell reads like `ISO 9001:2015 IDT` (or `ISO 9001:2015, IDT`; several separated
by `;`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.utils.translation import gettext, gettext_lazy

from stdplus.catalog.services import RecordError, RelationIn, StandardIn
from stdplus.core.tabular import LIMITS, file_read, table_open
from stdplus.importers.reading import (
    FieldError,
    ccs_codes,
    ics_codes,
    jsonl_rows,
    text,
    text_list,
)

from .base import Adapter

# field -> the headers that mean it (compared case-insensitively, spaces ignored)
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "identifier",
        "standard",
        "number",
        "standard number",
        "code",
        "标准号",
        "标准编号",
        "标准代号",
    ),
    "title_zh": ("title_zh", "chinese title", "标准名称", "中文名称", "中文标准名称", "名称"),
    "title_en": ("title_en", "title", "english title", "英文名称", "英文标准名称"),
    "status": ("status", "状态", "标准状态"),
    "published": ("published", "publication date", "发布日期"),
    "effective": ("effective", "implementation date", "effective date", "实施日期"),
    "withdrawn": ("withdrawn", "withdrawal date", "abolished", "废止日期"),
    "confirmed": ("confirmed", "confirmation date", "复审确认日期"),
    "ics": ("ics", "ics code", "ics分类", "国际标准分类号", "ics号"),
    "ccs": ("ccs", "ccs code", "中国标准分类号", "ccs分类"),
    "replaces": ("replaces", "代替标准", "代替", "替代标准"),
    "replaced_by": ("replaced_by", "replaced by", "被代替标准", "被替代标准", "代替情况"),
    "adopts": ("adopts", "adoption", "采标情况", "采用国际标准", "采标"),
    "committee": ("committee", "technical committee", "归口单位", "技术委员会", "归口"),
    "drafting_organizations": ("drafting_organizations", "drafting organizations", "起草单位"),
    "scope": ("scope", "适用范围", "范围"),
    "url": ("url", "link", "链接"),
    "level": ("level", "标准级别", "级别"),
    "mandate": ("mandate", "标准性质", "性质"),
}
_ADOPTION = re.compile(r"^(?P<target>.+?)[\s,，]*\(?(?P<degree>IDT|MOD|NEQ)\)?$", re.IGNORECASE)
_MANDATES = {"强制性": "mandatory", "推荐性": "recommended", "指导性": "guidance"}
# An import is run by staff from the command line and streams its rows: larger than an upload.
IMPORT_LIMITS = LIMITS.but(
    file_bytes=1024 * 1024 * 1024,
    unpacked_bytes=2 * 1024 * 1024 * 1024,
    rows=5_000_000,
    columns=256,
    cells=200_000_000,
)


def _norm(header: str) -> str:
    return re.sub(r"\s+", " ", str(header or "")).strip().lower()


def header_map(headers: list[str], mapping: dict[str, str]) -> dict[int, str]:
    """Column index -> field name; an explicit mapping wins over the known headers."""
    wanted = {_norm(k): v for k, v in mapping.items()}
    known = {_norm(alias): field for field, aliases in COLUMNS.items() for alias in aliases}
    result: dict[int, str] = {}
    for index, header in enumerate(headers):
        field = wanted.get(_norm(header)) or known.get(_norm(header))
        if field and field not in result.values():
            result[index] = field
    return result


class TabularAdapter(Adapter):
    source = "table"
    label = gettext_lazy("Table of standards (CSV, XLSX, JSON Lines)")

    def rows(self) -> Iterator[tuple[int, dict | RecordError]]:
        suffix = self.path.suffix.lower()
        if suffix in {".jsonl", ".json", ".gz", ".ndjson"}:
            yield from jsonl_rows(self.path)
            return
        # Problems with the file itself (encoding, size, a broken workbook) are ApplicationErrors
        # naming the file and sheet: they stop the import even with --skip-invalid.
        data = file_read(self.path, limits=IMPORT_LIMITS)
        table = table_open(data, file=str(self.path), limits=IMPORT_LIMITS)
        first = next(table.rows, None)
        if first is None:
            return
        headers = first.cells
        mapping = self.options.get("mapping", {})
        for field in mapping.values():
            if field not in COLUMNS:
                raise FieldError(
                    "--map",
                    gettext("unknown field %(field)s; fields are %(fields)s")
                    % {"field": repr(field), "fields": ", ".join(COLUMNS)},
                    field,
                )
        columns = header_map([str(h or "") for h in headers], mapping)
        if "id" not in columns.values():
            raise FieldError(
                gettext("(the header row)"),
                gettext(
                    "no identifier column found; name it 'id' or 标准号, "
                    "or map one with --map HEADER=id"
                ),
                ", ".join(map(str, headers)),
            )
        for row in table.rows:
            cells = row.cells
            if not any(c not in (None, "") for c in cells):
                continue
            yield row.number, {field: cells[i] for i, field in columns.items() if i < len(cells)}

    def records(self) -> Iterator[StandardIn | RecordError]:
        try:
            yield from super().records()
        except FieldError as error:  # the header row itself
            yield error.record_error(1)

    def record(self, obj: dict, row: int) -> StandardIn:
        obj = {k: (v.strip() if isinstance(v, str) else v) for k, v in obj.items()}
        if obj.get("mandate") in _MANDATES:
            obj["mandate"] = _MANDATES[obj["mandate"]]
        relations = [RelationIn("replaces", t) for t in text_list(obj, "replaces")]
        relations += [RelationIn("replaced_by", t) for t in text_list(obj, "replaced_by")]
        for cell in re.split(r"[;；\n]", text(obj, "adopts")):
            if not cell.strip():
                continue
            match = _ADOPTION.match(cell.strip())
            target, degree = (match["target"], match["degree"].upper()) if match else (cell, "")
            relations.append(RelationIn("adopts", target.strip(), degree))
        plain = {k: v for k, v in obj.items() if k not in {"replaces", "replaced_by", "adopts"}}
        plain["drafting_organizations"] = text_list(obj, "drafting_organizations")
        plain["ics"] = ics_codes(obj)
        plain["ccs"] = [c for c, _ in ccs_codes(obj)]
        record = super().record(plain, row)
        record.relations = relations
        record.source_id = record.identifier
        return record
