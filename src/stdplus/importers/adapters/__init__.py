"""One adapter per source format. `ADAPTERS` maps a source name to its adapter; `detect` picks
the adapter for a file from its name."""

from __future__ import annotations

from pathlib import Path

from .base import Adapter
from .cn import ChineseAdapter
from .iec import IecAdapter
from .ietf import IetfAdapter
from .iso import IsoAdapter
from .itu import ItuAdapter
from .tabular import TabularAdapter

ADAPTERS: dict[str, type[Adapter]] = {
    adapter.source: adapter
    for adapter in (IsoAdapter, IecAdapter, ItuAdapter, IetfAdapter, ChineseAdapter,
                    TabularAdapter)
}

# File name patterns of the bundled and shared sources.
_NAMES = [
    ("iso_deliverables", "iso"),
    ("iec_publications", "iec"),
    ("itu_recommendations", "itu"),
    ("ietf_rfc", "ietf"),
    ("cn_", "cn"),
]


def detect(path: Path) -> str:
    name = path.name.lower()
    for fragment, source in _NAMES:
        if name.startswith(fragment):
            return source
    return "table"


__all__ = ["ADAPTERS", "Adapter", "detect"]
