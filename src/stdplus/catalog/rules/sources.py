"""Which source each field of a standard came from, where more than one source describes it.

The merge rule is the write path's (`catalog.services.fields.field_differences`): the source
that created a standard owns it, its values replace ours; another source only fills what is
blank, and never the status fields. So the value shown for a field came from the owner when the
owner gave that value, otherwise from the first other source that gave it; when no source gave
it, it was changed by hand. One pure function, over plain values, for the page and the API.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

# The fields a source's facts keep: what a record says of a document, beyond its identifier
# (the level, body, number and year come from the identifier itself).
FACT_FIELDS = (
    "base_status",
    "source_status",
    "stage_code",
    "published",
    "published_precision",
    "effective",
    "withdrawn",
    "confirmed",
    "title_en",
    "title_zh",
    "scope",
    "mandate",
    "doctype",
    "committee",
    "drafting_organizations",
    "edition_label",
    "url",
    "source_id",
    "extra",
)


def fact_value(value: Any) -> Any:
    """A field value as facts keep it (JSON: dates as ISO text)."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def facts_from(values: Mapping[str, Any]) -> dict[str, Any]:
    """The facts a record (or a standard's row) gives: the non-blank FACT_FIELDS."""
    return {
        name: fact_value(values[name])
        for name in FACT_FIELDS
        if name in values and not _blank(values[name])
    }


@dataclass
class FieldSources:
    """One field of a standard: the value shown, what each source said, which one is used."""

    field: str
    value: Any
    values: dict[str, Any] = dataclass_field(
        default_factory=dict
    )  # source -> its value (owner first)
    used: str = ""  # the source the value shown came from; "" when none did (changed by hand)

    @property
    def agree(self) -> bool:
        return len({repr(v) for v in self.values.values()}) <= 1


def _flat(facts: Mapping[str, Any]) -> dict[str, Any]:
    """Facts with `extra` opened up: one entry per key (`extra.categories`)."""
    flat = {k: v for k, v in facts.items() if k != "extra"}
    for key, value in (facts.get("extra") or {}).items():
        flat[f"extra.{key}"] = value
    return flat


def fields_by_source(
    shown: Mapping[str, Any], owner: str, facts: Iterable[tuple[str, Mapping[str, Any]]]
) -> list[FieldSources]:
    """Field by field, the value shown (`shown`: the standard's fields), each source's value and
    the source it came from. `facts`: (source, facts) pairs; only fields some source gave."""
    by_source = {source: _flat(f) for source, f in facts}
    order = sorted(by_source, key=lambda s: (s != owner, s))
    shown_flat = _flat({name: fact_value(shown.get(name)) for name in FACT_FIELDS})
    names = [n for n in FACT_FIELDS if n != "extra"] + sorted(
        {n for f in by_source.values() for n in f if n.startswith("extra.")}
    )
    rows = []
    for name in names:
        values = {s: by_source[s][name] for s in order if name in by_source[s]}
        if not values:
            continue
        value = shown_flat.get(name)
        used = next((s for s, v in values.items() if v == value), "")
        rows.append(FieldSources(name, value, values, used))
    return rows
