"""Catalog writes. Everything that changes the catalog goes through these functions."""

from .edits import standard_update
from .imports import standards_import
from .inputs import ImportResult, RecordError, RelationIn, StandardIn
from .recompute import statuses_recompute
from .relations import relations_resolve

__all__ = [
    "ImportResult",
    "RecordError",
    "RelationIn",
    "StandardIn",
    "relations_resolve",
    "standard_update",
    "standards_import",
    "statuses_recompute",
]
