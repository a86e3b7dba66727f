"""The Standards+ indicators: a registry that the family modules of this package fill.

Each module of this package other than `base` and `standards` is one family of figures
(participation, issued, people, pilots, funding); each figure is one `Indicator` subclass with
its own `key`, which registers it when the class is defined. Importing this package imports
every family, so `INDICATORS` is complete for whoever imports it. Adding a figure is one class
in one of these modules (or a new module here): see docs/dev/architecture.md.
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import DEMO_SOURCE, INDICATORS, Figure, Indicator, Period, RecordRow, Scope, Split
from .participation import participation_facts, top_organizations
from .standards import StandardRow, ics_fields, standard_year, standards_trend

_FRAMEWORK = {"base", "standards"}


def families() -> list[str]:
    """The family modules of this package, by name."""
    return sorted(
        info.name for info in pkgutil.iter_modules(__path__) if info.name not in _FRAMEWORK
    )


for _name in families():
    importlib.import_module(f"{__name__}.{_name}")


def indicator_get(key: str) -> Indicator | None:
    return INDICATORS.get(key)


__all__ = [
    "DEMO_SOURCE",
    "INDICATORS",
    "Figure",
    "Indicator",
    "Period",
    "RecordRow",
    "Scope",
    "Split",
    "StandardRow",
    "families",
    "ics_fields",
    "indicator_get",
    "participation_facts",
    "standard_year",
    "standards_trend",
    "top_organizations",
]
