"""Who else hears of a catalog change: the hooks, and the listeners each one expects, by name.

The catalog does not import the apps above it. A hook names here, once, every listener it
expects; the app that owns a listener connects it under that name in its `AppConfig.ready()`;
`connect` refuses a name the hook does not list, so this module stays the complete list.

STANDARDS_CHANGED
    Standards were created, or a field, class, relation or status of theirs changed. Sent by
    `settle.changes_settle` (step 5 of the write path) inside each short settling transaction,
    with the ids of the standards settled, after their status was derived again.
    Listeners:
      - ``search.index``: writes the search documents of these standards again
        (`stdplus.search.indexing.documents_update`, connected in `stdplus/search/apps.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured

Listener = Callable[[set[int]], object]


class Hook:
    """A point where a catalog write tells the listeners named in `expects`."""

    def __init__(self, name: str, *, expects: tuple[str, ...]):
        self.name = name
        self.expects = expects
        self._listeners: dict[str, Listener] = {}

    def connect(self, name: str, listener: Listener) -> None:
        if name not in self.expects:
            raise ImproperlyConfigured(
                f"{name} is not a listener of the catalog hook {self.name}: add it to "
                "stdplus/catalog/services/hooks.py, where every listener is named"
            )
        self._listeners[name] = listener

    def listeners(self) -> dict[str, Listener]:
        """The connected listeners, in the order the hook names them."""
        return {name: self._listeners[name] for name in self.expects if name in self._listeners}

    def send(self, ids: Iterable[int]) -> None:
        ids = set(ids)
        if ids:
            for listener in self.listeners().values():
                listener(ids)


STANDARDS_CHANGED = Hook("standards_changed", expects=("search.index",))
