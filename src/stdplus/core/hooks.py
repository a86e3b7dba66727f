"""Hooks: how a lower app tells the apps above it, without importing them.

A hook names, once, every listener it expects; the app that owns a listener connects it under
that name in its `AppConfig.ready()`; `connect` refuses a name the hook does not list, so the
module that declares the hook stays the complete list of who hears of it. Each app declares its
hooks in its own module (`catalog/services/hooks.py`, `accounts/hooks.py`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

Listener = Callable[..., object]


class Hook:
    """A point where a write of one app tells the listeners named in `expects`."""

    def __init__(self, name: str, *, expects: tuple[str, ...], declared_in: str):
        self.name = name
        self.expects = expects
        self.declared_in = declared_in
        self._listeners: dict[str, Listener] = {}

    def connect(self, name: str, listener: Listener) -> None:
        if name not in self.expects:
            raise ImproperlyConfigured(
                f"{name} is not a listener of the hook {self.name}: add it to "
                f"{self.declared_in}, where every listener is named"
            )
        self._listeners[name] = listener

    def listeners(self) -> dict[str, Listener]:
        """The connected listeners, in the order the hook names them."""
        return {name: self._listeners[name] for name in self.expects if name in self._listeners}

    def send(self, *args, **kwargs) -> None:
        for listener in self.listeners().values():
            listener(*args, **kwargs)
