"""The catalog's generation: raised by every write of standards, their classes or relations.

An import plans its changes without holding the write lock and applies them only if the
catalog's generation is still the one it planned at (`generation_claim`); otherwise it plans
again. On PostgreSQL the claim also locks the row, so two writers apply one after the other.
"""

from __future__ import annotations

from django.db.models import F

from stdplus.catalog.models import CatalogState


def generation_read() -> int:
    value = CatalogState.objects.filter(pk=1).values_list("generation", flat=True).first()
    return value or 0


def generation_claim(expected: int | None) -> bool:
    """In the writer's transaction: raise the generation, unless it is no longer `expected`
    (None: any). Returns whether the writer may go on."""
    state, _created = CatalogState.objects.select_for_update().get_or_create(pk=1)
    if expected is not None and state.generation != expected:
        return False
    CatalogState.objects.filter(pk=1).update(generation=F("generation") + 1)
    return True
