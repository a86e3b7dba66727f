"""Python's cycle collector during work that builds many objects at once: one place.

CPython collects its youngest objects every 700 allocations beyond frees, and every object of
the process on every tenth collection of the middle generation. Work that builds tens or
hundreds of thousands of objects living until it ends makes the collector run again and again
over objects that are all still alive. Two ways out, by how long the work lasts:

- `collector_paused`: off for the block, for a short piece of work whose objects are freed by
  reference counting when it ends (the validity check's view of the catalog: about a tenth of
  a 10,000-line check). The one collection owed runs after the block.
- `bulk_allocations`: collections made rarer, for long work in a process that lives on (an
  import: 3 of 25 seconds of 100,000 records went to 4,349 young and 11 full collections that
  found almost nothing to free; off altogether, cycles would pile up in a long-lived worker).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Within the block the cyclic collector does not run; afterwards it is as it was. Nested
    or concurrent blocks are fine: the outermost one that paused it turns it back on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# During bulk work: young collections every 50,000 allocations, full ones seldom (the same
# 100,000-record import: 60 young, 2 middle, no full collection, 23.1 against 25.3 s; with the
# collector off altogether 22.3 s, which would let cycles pile up in a long-lived worker).
BULK_THRESHOLDS = (50_000, 20, 100)


@contextmanager
def bulk_allocations() -> Iterator[None]:
    """Collect cycles less often inside; the thresholds before are restored after. Process-
    wide (the collector is): other threads collect less often meanwhile too. Nested uses keep
    the outer one's thresholds."""
    before = gc.get_threshold()
    if before[0] >= BULK_THRESHOLDS[0]:
        yield
        return
    gc.set_threshold(*BULK_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
