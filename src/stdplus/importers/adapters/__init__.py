"""One adapter per source format. `ADAPTERS` maps a source name to its adapter; `detect` picks
the adapter for a file from its name."""

from __future__ import annotations

import json
from pathlib import Path

from django.utils.translation import gettext_lazy

from stdplus.importers.reading import open_text

from .base import Adapter
from .cn import ChineseAdapter
from .iec import IecAdapter
from .ietf import IetfAdapter
from .iso import IsoAdapter
from .itu import ItuAdapter
from .nmpa import NmpaAdapter
from .tabular import TabularAdapter


class SyntheticAdapter(Adapter):
    """Synthetic benchmark records (`stdplus bench generate`), in the shared format."""

    source = "synthetic"
    label = gettext_lazy("Synthetic benchmark records")


ADAPTERS: dict[str, type[Adapter]] = {
    adapter.source: adapter
    for adapter in (
        IsoAdapter,
        IecAdapter,
        ItuAdapter,
        IetfAdapter,
        ChineseAdapter,
        NmpaAdapter,
        SyntheticAdapter,
        TabularAdapter,
    )
}

# File name patterns of the bundled and shared sources.
_NAMES = [
    ("iso_deliverables", "iso"),
    ("iec_publications", "iec"),
    ("itu_recommendations", "itu"),
    ("ietf_rfc", "ietf"),
    ("cn_nmpa", "nmpa"),
    ("cn_", "cn"),
    ("synthetic", "synthetic"),
]


def detect(path: Path) -> str:
    name = path.name.lower()
    for fragment, source in _NAMES:
        if name.startswith(fragment):
            return source
    if name.endswith((".jsonl", ".jsonl.gz")) and _first_record(path).get("synthetic"):
        return "synthetic"
    return "table"


def _first_record(path: Path) -> dict:
    try:
        with open_text(path) as handle:
            first = json.loads(handle.readline() or "{}")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, EOFError):
        return {}
    return first if isinstance(first, dict) else {}


__all__ = ["ADAPTERS", "Adapter", "detect"]
