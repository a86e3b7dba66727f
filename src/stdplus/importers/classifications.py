"""Loading the ICS and CCS tables."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from stdplus.catalog.choices import Scheme
from stdplus.catalog.models import Classification
from stdplus.catalog.services import RecordError
from stdplus.catalog.services.classifications import classification_depth, classification_parent
from stdplus.core.errors import ApplicationError, Where

from .reading import jsonl_rows

CLASSIFICATION_FILES = {"ics_codes": Scheme.ICS, "ccs_classes": Scheme.CCS, "ccs_codes": Scheme.CCS}
# The depth of each `level` a class table may name (CCS: field A, group A00/09, class A01).
LEVEL_DEPTHS = {"field": 1, "group": 2, "subgroup": 3, "class": 3}


def classification_scheme(path: Path) -> str | None:
    for stem, scheme in CLASSIFICATION_FILES.items():
        if path.name.startswith(stem):
            return scheme
    return None


def _depth(scheme: str, code: str, obj: dict) -> int:
    return LEVEL_DEPTHS.get(obj.get("level"), 0) or classification_depth(scheme, code)


def classifications_import(path: Path, scheme: str) -> dict:
    """Create or update classes from a JSON Lines file (ICS: edition 7 wins over edition 6).

    Each line: code, title_en, title_zh (optional), parent (optional), notes, edition. A line
    that names a class already loaded changes only the fields it has, so a file of codes and
    Chinese titles (`ics_codes_zh.jsonl`) adds the titles and leaves the rest alone; a line
    without `title_en` for a class not loaded is refused.
    """
    rows: dict[str, dict] = {}
    for row, obj in jsonl_rows(path):
        if isinstance(obj, RecordError):
            raise ApplicationError(
                obj.describe_problem(),
                where=Where(file=str(path), row=obj.row, field=obj.field),
                code="invalid_record",
            )
        code = str(obj.get("code", "")).strip()
        if not code:
            raise ApplicationError(
                _("missing: every class needs a code"),
                where=Where(file=str(path), row=row, field="code"),
                code="invalid_record",
            )
        edition = obj.get("edition")
        known = rows.get(code)
        if known is None or (edition or 0) >= (known.get("edition") or 0):
            rows[code] = {**obj, "_row": row}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        existing = {c.code: c for c in Classification.objects.filter(scheme=scheme)}
        for code in sorted(rows, key=lambda c: (_depth(scheme, c, rows[c]), c)):
            obj = rows[code]
            parent_code = obj.get("parent") or classification_parent(scheme, code)
            values = {
                "title_en": str(obj.get("title_en") or "")[:500],
                "title_zh": str(obj.get("title_zh") or "")[:500],
                "notes": obj.get("notes")
                or ([{"text": obj["notes_zh"], "language": "zh"}] if obj.get("notes_zh") else []),
                "edition": obj.get("edition"),
                "depth": _depth(scheme, code, obj),
                "parent": existing.get(parent_code) if parent_code else None,
            }
            node = existing.get(code)
            if node is None:
                if "title_en" not in obj and "level" not in obj:
                    raise ApplicationError(
                        _(
                            "missing, and %(code)s is not in the classification yet (load the "
                            "table with titles first)"
                        ),
                        params={"code": code},
                        where=Where(file=str(path), row=obj["_row"], field="title_en"),
                        code="invalid_record",
                    )
                existing[code] = Classification.objects.create(scheme=scheme, code=code, **values)
                counts["created"] += 1
                continue
            given = set(obj) | {"depth", "parent"}
            diffs = {
                k: v
                for k, v in values.items()
                if k in given and getattr(node, k) != v and not (k == "title_zh" and not v)
            }
            if diffs:
                for key, value in diffs.items():
                    setattr(node, key, value)
                node.save()
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
    return counts
