"""Catalog writes. Everything that changes the catalog goes through these functions.

The modules, each importing only those above it in this list (docs/dev/architecture.md):

    inputs, keys      what importers and editors hand in; identifiers as catalog keys
    fields            the fields sources and editors write, and how values compare
    events            change events: built and inserted the same way by every writer
    hooks             who else hears of a change (the search index), named in one place
    state             the catalog's generation, which a plan is checked against
    statuses          deriving the status again
    settle            after a write: statuses, then the hooks' listeners, in short steps
    journal           an import's rows in short steps, each with its undo; taking out a run
                      that failed or was killed (the next catalog write does it)
    reading           step 1 of an import: parse and merge the records
    standards, classifications, relations, facts
                      plan (read only) and apply (write) one kind of change each (facts:
                      what each source said, where more than one describes a standard)
    imports           the orchestrator: read, plan, apply, settle
    edits             one standard changed by hand, through the same steps
    demo              removing the demo generator's entries (the one deletion allowed)
"""

from .edits import standard_update
from .imports import standards_import
from .inputs import ImportResult, RecordError, RelationIn, StandardIn
from .relations import relations_resolve
from .settle import changes_settle
from .statuses import statuses_recompute

__all__ = [
    "ImportResult",
    "RecordError",
    "RelationIn",
    "StandardIn",
    "changes_settle",
    "relations_resolve",
    "standard_update",
    "standards_import",
    "statuses_recompute",
]
