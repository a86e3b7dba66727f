"""Reference data shipped with the app: the region tree and the example funding scheme.

Both are loaded by a data migration and by `stdplus programme load-reference` (idempotent:
existing rows are updated in place, so edits made in the admin to schemes are kept unless the
file changes the same row).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def regions_rows() -> list[dict]:
    return json.loads((DATA / "regions.json").read_text(encoding="utf-8"))


def regions_load(region_model) -> int:
    """Create or update the tree from regions.json (parents before children)."""
    by_code = {}
    for row in regions_rows():
        parent = by_code.get(row["parent"]) if row["parent"] else None
        path = f"{parent.path if parent else '/'}{row['code']}/"
        region, _ = region_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "short_code": row["short"],
                "official": row.get("official", True),
                "parent": parent,
                "level": row["level"],
                "name_zh": row["zh"],
                "name_en": row["en"],
                "path": path,
                "local_prefixes": row["prefixes"],
            },
        )
        by_code[row["code"]] = region
    from .selectors import region_codes_clear

    region_codes_clear()
    return len(by_code)


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
            item_model.objects.create(
                scheme=scheme,
                code=item["code"],
                name_zh=item["zh"],
                name_en=item["en"],
                subject=item["subject"],
                standard_levels=item.get("levels", []),
                local_prefixes=item.get("local_prefixes", []),
                work=item.get("work", "any"),
                role_class=item.get("role", "any"),
                pilot_levels=item.get("pilot_levels", []),
                cap=item["cap"],
            )
        made += 1
    return made


def reference_ensure(**kwargs) -> None:
    """After migrate or a flush: load the tree and the example schemes if they are missing."""
    from .models import FundingItemType, FundingScheme, Region

    if not Region.objects.exists():
        regions_load(Region)
    if not FundingScheme.objects.exists():
        schemes_load(FundingScheme, FundingItemType, Region)
