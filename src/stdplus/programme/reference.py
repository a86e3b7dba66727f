"""Reference data shipped with the app: the region tree and the example funding scheme.

The tree is the whole country (identifiers/data/cn_regions.jsonl, from the National Bureau of Statistics'
codes; SOURCES.md of the data folder) with the curated data/regions.json on top.

Both are loaded by a data migration and by `stdplus programme load-reference` (idempotent:
existing rows are updated in place, so edits made in the admin to schemes are kept unless the
file changes the same row).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from stdplus.identifiers.regions import divisions

DATA = Path(__file__).resolve().parent / "data"


# Prefecture-level codes that only group the counties of a province or municipality (市辖区,
# 县, 省直辖县级行政区划): their counties hang directly under the province in our tree.
_GROUPING = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
_LEVELS = {"province": "province", "prefecture": "city", "county": "district"}
_DEPTH = {"country": 0, "province": 1, "city": 2, "district": 3, "area": 3}


def _code6(code: str) -> str:
    return code.ljust(6, "0")


def regions_rows() -> list[dict]:
    """The whole country's tree: every division of cn_regions.jsonl (National Bureau of
    Statistics codes, 2023), with English names in pinyin, overlaid by the curated regions.json
    (English names as used locally, local standard prefixes such as SZDB, functional areas
    without an official code). Parents come before children."""
    curated = json.loads((DATA / "regions.json").read_text(encoding="utf-8"))
    by_code = {row["code"]: row for row in curated}
    grouping = {d.code: d.parent for d in divisions() if d.name_zh in _GROUPING}
    rows: dict[str, dict] = {}
    for division in divisions():
        if division.code in grouping:
            continue
        level = _LEVELS[division.level]
        parent = grouping.get(division.parent, division.parent) if division.parent else None
        code = _code6(division.code)
        if parent and code == _code6(parent):
            continue  # a city without districts (东莞市) is listed again as its own county
        rows[code] = {
            "code": code,
            "short": division.code,
            "level": level,
            "zh": division.name_zh,
            "en": division.name_en,
            "parent": _code6(parent) if parent else "CN",
            # Provinces and cities with districts issue local standards (DB44, DB4403).
            "prefixes": [f"DB{division.code}"] if level in ("province", "city") else [],
        }
    for code, row in by_code.items():
        rows[code] = {**rows.get(code, {}), **row}
    return sorted(rows.values(), key=lambda row: (_DEPTH[row["level"]], row["code"]))


def regions_load(region_model) -> int:
    """Create or update the tree (parents before children): new rows in bulk, changed rows
    updated, rows already right left alone; so the first load of 3,400 divisions is quick."""
    existing = {region.code: region for region in region_model.objects.all()}
    fields = ["short_code", "official", "parent", "level", "name_zh", "name_en", "path"]
    fields.append("local_prefixes")
    by_code = dict(existing)
    rows = regions_rows()
    for depth in sorted({_DEPTH[row["level"]] for row in rows}):
        create, update = [], []
        for row in rows:
            if _DEPTH[row["level"]] != depth:
                continue
            parent = by_code.get(row["parent"]) if row["parent"] else None
            values = {
                "short_code": row["short"],
                "official": row.get("official", True),
                "parent": parent,
                "level": row["level"],
                "name_zh": row["zh"],
                "name_en": row["en"],
                "path": f"{parent.path if parent else '/'}{row['code']}/",
                "local_prefixes": row["prefixes"],
            }
            region = existing.get(row["code"])
            if region is None:
                region = region_model(code=row["code"], **values)
                create.append(region)
            elif any(
                (region.parent_id != (parent.pk if parent else None))
                if name == "parent"
                else getattr(region, name) != value
                for name, value in values.items()
            ):
                for name, value in values.items():
                    setattr(region, name, value)
                update.append(region)
            by_code[row["code"]] = region
        region_model.objects.bulk_create(create, batch_size=500)
        if update:
            region_model.objects.bulk_update(update, fields, batch_size=500)
    return len(rows)


def schemes_load(scheme_model, item_model, region_model) -> int:
    """Create the example schemes of funding_schemes.json when they are not there yet."""
    rows = json.loads((DATA / "funding_schemes.json").read_text(encoding="utf-8"))
    made = 0
    for row in rows:
        if scheme_model.objects.filter(code=row["code"]).exists():
            continue
        scheme = scheme_model.objects.create(
            code=row["code"],
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            region=region_model.objects.get(code=row["region"]),
            period_start=dt.date.fromisoformat(row["period_start"]),
            period_end=dt.date.fromisoformat(row["period_end"]),
            note=row.get("note", ""),
        )
        for item in row["items"]:
            item_model.objects.create(scheme=scheme, **_item_fields(item))
        made += 1
    return made


def _item_fields(item: dict) -> dict:
    """A funding item's fields as the reference files write them (funding_schemes.json and the
    new items of funding_rules.json)."""
    return {
        "code": item["code"],
        "name_zh": item["zh"],
        "name_en": item["en"],
        "subject": item["subject"],
        "standard_levels": item.get("levels", []),
        "local_prefixes": item.get("local_prefixes", []),
        "work": item.get("work", "any"),
        "role_class": item.get("role", "any"),
        "pilot_levels": item.get("pilot_levels", []),
        "cap": item["cap"],
    }


def scheme_rules_load(scheme_model, item_model, region_model) -> int:
    """Apply funding_rules.json: the rules of the example schemes (caps per organization,
    exclusions, stacking, yearly counts, evidence), their new items, and the district scheme.
    Every scheme it touches stays flagged "to be confirmed against the official text"."""
    data = json.loads((DATA / "funding_rules.json").read_text(encoding="utf-8"))
    done = 0
    for row in data["schemes"]:
        scheme = scheme_model.objects.filter(code=row["code"]).first()
        if scheme is None:
            made = row.get("create")
            if made is None:
                continue
            scheme = scheme_model.objects.create(
                code=row["code"],
                name_zh=made["name_zh"],
                name_en=made["name_en"],
                region=region_model.objects.get(code=made["region"]),
                period_start=dt.date.fromisoformat(made["period_start"]),
                period_end=dt.date.fromisoformat(made["period_end"]),
                note=made.get("note", ""),
            )
        scheme.to_be_confirmed = row.get("to_be_confirmed", True)
        scheme.excludes_state_funded = row.get("excludes_state_funded", True)
        scheme.stackable = row.get("stackable", False)
        scheme.organization_cap = row.get("organization_cap")
        scheme.save()
        for code, rules in row.get("items", {}).items():
            item_model.objects.filter(scheme=scheme, code=code).update(
                evidence_required=rules.get("evidence", [])
            )
        for item in row.get("new_items", []):
            if item_model.objects.filter(scheme=scheme, code=item["code"]).exists():
                continue
            item_model.objects.create(
                scheme=scheme,
                **_item_fields(item),
                yearly_count_cap=item.get("yearly_count_cap"),
                organization_yearly_count_cap=item.get("organization_yearly_count_cap"),
                evidence_required=item.get("evidence", []),
            )
        done += 1
    return done


def reference_ensure(**kwargs) -> None:
    """After migrate or a flush: load the tree and the example schemes if they are missing."""
    from .models import FundingItemType, FundingScheme, Region

    if not Region.objects.exists():
        regions_load(Region)
    if not FundingScheme.objects.exists():
        schemes_load(FundingScheme, FundingItemType, Region)
        scheme_rules_load(FundingScheme, FundingItemType, Region)
