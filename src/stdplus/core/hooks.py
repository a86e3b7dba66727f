"""Hooks: how a lower app tells the apps above it, without importing them.

A hook names, once, every listener it expects; the app that owns a listener connects it under
that name in its `AppConfig.ready()`; `connect` refuses a name the hook does not list, so the
module that declares the hook stays the complete list of who hears of it. Each app declares its
hooks in its own module (`catalog/services/hooks.py`, `accounts/hooks.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.core.exceptions import ImproperlyConfigured

Listener = Callable[..., object]
# A listener's reading half: takes what the listener takes, reads (writes nothing) and returns
# the writes still to do, which must then do what the listener would have done.
Preparer = Callable[..., Callable[[], object]]


class Hook:
    """A point where a write of one app tells the listeners named in `expects`."""

    def __init__(self, name: str, *, expects: tuple[str, ...], declared_in: str):
        self.name = name
        self.expects = expects
        self.declared_in = declared_in
        self._listeners: dict[str, Listener] = {}
        self._preparers: dict[str, Preparer] = {}

    def connect(self, name: str, listener: Listener, *, prepare: Preparer | None = None) -> None:
        """Connect `listener` under `name`; `prepare`, if given, is its reading half
        (`prepare_writes`)."""
        if name not in self.expects:
            raise ImproperlyConfigured(
                f"{name} is not a listener of the hook {self.name}: add it to "
                f"{self.declared_in}, where every listener is named"
            )
        self._listeners[name] = listener
        if prepare is not None:
            self._preparers[name] = prepare
        else:
            self._preparers.pop(name, None)

    def listeners(self) -> dict[str, Listener]:
        """The connected listeners, in the order the hook names them."""
        return {name: self._listeners[name] for name in self.expects if name in self._listeners}

    def send(self, *args, **kwargs) -> None:
        for listener in self.listeners().values():
            listener(*args, **kwargs)

    def prepare_writes(self, args: tuple, prepare_kwargs: dict) -> list[Callable[[], object]]:
        """What `send(*args)` would do, split so that a writer can read before taking its
        write lock: the reading half of each listener that has one runs now (given `args` and
        `prepare_kwargs`: what the writer will have written by then), the others are left
        whole. Returns the writes, in the listeners' order, to run in the writer's transaction.
        """
        writes: list[Callable[[], object]] = []
        for name, listener in self.listeners().items():
            preparer = self._preparers.get(name)
            if preparer is not None:
                writes.append(preparer(*args, **prepare_kwargs))
            else:
                writes.append(partial(listener, *args))
        return writes
