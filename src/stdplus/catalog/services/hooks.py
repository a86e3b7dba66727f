"""Who else hears of a catalog change: the hooks, and the listeners each one expects, by name.

The catalog does not import the apps above it. A hook names here, once, every listener it
expects; the app that owns a listener connects it under that name in its `AppConfig.ready()`;
`connect` refuses a name the hook does not list, so this module stays the complete list.

STANDARDS_CHANGED
    Standards were created, or a field, class, relation or status of theirs changed. Sent by
    `settle.changes_settle` (step 5 of the write path) inside each short settling transaction,
    with the ids of the standards settled, after their status was derived again. On SQLite
    settling reads before it takes the write lock (`Hook.prepare`): a listener connected with
    a `prepare`, its reading half, reads then, told the statuses about to be written, and
    only its writes run in the transaction.
    Listeners:
      - ``search.index``: writes the search documents of these standards again
        (`stdplus.search.indexing.documents_update`, its reading half `documents_prepare`,
        connected in `stdplus/search/apps.py`).
      - ``declarations.recheck``: re-checks the public self-declarations naming these
        standards and records their findings (`stdplus.declarations.rechecks.standards_recheck`,
        connected in `stdplus/declarations/apps.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from stdplus.core.hooks import Hook as BaseHook


class Hook(BaseHook):
    """A point where a catalog write tells the listeners named in `expects` the ids of the
    standards it changed (nothing is sent for none)."""

    def __init__(self, name: str, *, expects: tuple[str, ...]):
        super().__init__(name, expects=expects, declared_in="stdplus/catalog/services/hooks.py")

    def send(self, ids: Iterable[int]) -> None:
        ids = set(ids)
        if ids:
            super().send(ids)

    def prepare(self, ids: Iterable[int], *, statuses: dict[int, str]) -> Callable[[], None]:
        """`send(ids)` in two halves: the listeners that can read first do it now (their
        reading half is told `statuses`, the status each standard will have once the writer's
        own writes are in); the returned function does the writes, in the writer's
        transaction."""
        ids = set(ids)
        if not ids:
            return lambda: None
        writes = self.prepare_writes((ids,), {"statuses": statuses})

        def write() -> None:
            for one in writes:
                one()

        return write


STANDARDS_CHANGED = Hook("standards_changed", expects=("search.index", "declarations.recheck"))
