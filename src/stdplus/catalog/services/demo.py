"""Removing the demo catalog entries (source `demo`), the one deletion the catalog allows.

Standards are never deleted otherwise (they are withdrawn). The demo generator's entries are
flagged by their source; this removes them with their change events (through the immutable
tables' door for demo rows), relations and classes, and tells the listeners, so the search
index forgets them.
"""

from __future__ import annotations

from django.db import transaction

from stdplus.core.models import demo_rows_purge

from ..models import DEMO_SOURCE, ChangeEvent, ImportRun, Relation, Standard
from .hooks import STANDARDS_CHANGED
from .journal import catalog_wait_free
from .state import catalog_busy_error, generation_claim

BUSY_WAIT = 10.0  # seconds to wait for an import that is writing its rows


def standards_demo_remove() -> int:
    """Delete every demo catalog entry; return how many. Real entries are untouched."""
    if not catalog_wait_free(timeout=BUSY_WAIT):  # an import writing in steps: wait a little
        raise catalog_busy_error()
    with transaction.atomic():
        generation_claim(None)
        ids = list(Standard.objects.filter(source=DEMO_SOURCE).values_list("pk", flat=True))
        demo_rows_purge(ChangeEvent)
        Relation.objects.filter(source=DEMO_SOURCE).delete()
        Standard.classifications.through.objects.filter(standard__source=DEMO_SOURCE).delete()
        removed = (
            Standard.objects.filter(source=DEMO_SOURCE).delete()[1].get(Standard._meta.label, 0)
        )
        ImportRun.objects.filter(source=DEMO_SOURCE).delete()
        STANDARDS_CHANGED.send(ids)  # listeners: see hooks.py (search.index, declarations.recheck)
    return removed
