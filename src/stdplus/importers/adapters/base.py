"""The common shape of the shared/data standards files, read into StandardIn records."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext, gettext_lazy

from stdplus.catalog.services import RecordError, RelationIn, StandardIn
from stdplus.importers.reading import (
    FieldError,
    ccs_codes,
    ics_codes,
    jsonl_rows,
    parse_date,
    text,
    text_list,
)

# The relation words the shared files use (normalised there), as catalog source words.
RELATION_WORDS = {
    "replaces": "replaces",
    "replaced_by": "replaced_by",
    "amends": "amends",
    "amended_by": "amended_by",
    "corrects": "corrects",
    "corrected_by": "corrected_by",
    "updates": "updates",
    "updated_by": "updated_by",
    "also_known_as": "also_known_as",
    "partof": "part_of",
    "part_of": "part_of",
    "adopts": "adopts",
    "identical": "identical",
    "references": "references",
}
DEGREES = {"IDT", "MOD", "NEQ"}


class Adapter:
    """Reads one source format. Subclasses adjust `record` and may add `post_parse`."""

    source = "base"
    label = gettext_lazy("stdplus JSON Lines")

    def __init__(self, path: Path, *, source: str | None = None, options: dict | None = None):
        self.path = path
        self.source_name = source or self.source
        self.options = options or {}

    def rows(self) -> Iterator[tuple[int, dict | RecordError]]:
        """(row number, object) for each line of the file; a table adapter reads its own."""
        return jsonl_rows(self.path)

    def records(self) -> Iterator[StandardIn | RecordError]:
        for row, obj in self.rows():
            if isinstance(obj, RecordError):
                yield obj
                continue
            try:
                yield self.record(obj, row)
            except FieldError as error:
                yield error.record_error(row)

    def post_parse(self, parsed: dict) -> None:
        """A hook run over all parsed records of the file before they are written."""

    def record(self, obj: dict, row: int) -> StandardIn:
        identifier = text(obj, "id", limit=300)
        if not identifier:
            raise FieldError("id", gettext("missing: every record needs an identifier"))
        published, precision = parse_date(obj.get("published"), "published")
        effective, _ = parse_date(obj.get("effective"), "effective")
        withdrawn, _ = parse_date(obj.get("withdrawn"), "withdrawn")
        confirmed, _ = parse_date(obj.get("confirmed"), "confirmed")
        extra = {}
        for name in (
            "publishers",
            "other_dates",
            "authors",
            "plan_number",
            "gb_prefix",
            "fetched",
            "also_identified_as",
        ):
            if obj.get(name):
                extra[name] = obj[name]
        return StandardIn(
            identifier=identifier,
            row=row,
            title_en=text(obj, "title_en"),
            title_zh=text(obj, "title_zh"),
            scope=text(obj, "scope", limit=100_000),
            source_status=text(obj, "status_raw") or text(obj, "status"),
            status_word=text(obj, "status"),
            stage_code=text(obj, "stage", limit=10),
            published=published,
            published_precision=precision,
            effective=effective,
            withdrawn=withdrawn,
            confirmed=confirmed,
            ics=ics_codes(obj),
            ccs=ccs_codes(obj),
            committee=text(obj, "committee", limit=200),
            drafting_organizations=text_list(obj, "drafting_organizations"),
            edition_label=text(obj, "edition", limit=20),
            url=text(obj, "url", limit=500),
            source_id=identifier,
            doctype=text(obj, "doctype", limit=40),
            level=text(obj, "level", limit=16),
            mandate=text(obj, "mandate", limit=12),
            extra=extra,
            relations=self.relations(obj),
        )

    def relations(self, obj: dict) -> list[RelationIn]:
        value = obj.get("relations") or []
        if not isinstance(value, list):
            raise FieldError("relations", gettext("expected a list"), value)
        relations = []
        for index, item in enumerate(value):
            where = f"relations[{index}]"
            if not isinstance(item, dict):
                raise FieldError(where, gettext("expected an object with type and target"), item)
            word = str(item.get("type", "")).strip().lower()
            if word not in RELATION_WORDS:
                raise FieldError(
                    f"{where}.type", gettext("unknown relation type"), item.get("type")
                )
            target = item.get("target")
            if not isinstance(target, str) or not target.strip():
                raise FieldError(f"{where}.target", gettext("missing target identifier"), target)
            degree = str(item.get("degree") or "").strip().upper()
            if degree and degree not in DEGREES:
                raise FieldError(f"{where}.degree", gettext("expected IDT, MOD or NEQ"), degree)
            date, _ = parse_date(item.get("date"), f"{where}.date")
            relations.append(RelationIn(RELATION_WORDS[word], target.strip(), degree, date))
        return relations
