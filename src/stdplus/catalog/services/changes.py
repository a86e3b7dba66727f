"""Telling other apps which standards a write changed, inside the writer's transaction.

The search index follows the catalog this way: services call `standards_changed(ids)`; the
listeners (connected in an app's `ready()`) run at once, or, inside `changes_collected()`, once
at the end with every id the block touched, still inside the transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager

Listener = Callable[[set[int]], None]

_listeners: list[Listener] = []
_state = threading.local()


def standards_changed_connect(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def _notify(ids: set[int]) -> None:
    if ids:
        for listener in list(_listeners):
            listener(ids)


def standards_changed(ids: Iterable[int]) -> None:
    """These standards were created, or one of their fields or classes changed."""
    pending = getattr(_state, "pending", None)
    if pending is not None:
        pending.update(ids)
    else:
        _notify(set(ids))


@contextmanager
def changes_collected():
    """Gather the changes of a block and tell the listeners once, when the block ends well."""
    if getattr(_state, "pending", None) is not None:  # nested: the outer block tells
        yield
        return
    _state.pending = set()
    try:
        yield
        ids = _state.pending
    finally:
        _state.pending = None
    _notify(ids)
