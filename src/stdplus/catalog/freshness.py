"""How fresh the catalog's sources are: the one rule every answer uses to say so.

Each import run records the date its file's data describes (`ImportRun.data_date`). A
source's data is as of the newest such date among its finished runs. An answer that relies on
a source whose data is older than `STDPLUS_SOURCE_MAX_AGE_DAYS` (or of unknown age) says so:
the standard's page, the validity check's results and its exports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max

from stdplus.core.dates import today as today_date
from stdplus.core.versions import data_stamp

from .models import ImportRun


@dataclass(frozen=True)
class SourceAge:
    source: str
    as_of: dt.date | None  # None: no run of this source says how old its data is
    imported: dt.date | None  # the day of its last import

    def age_days(self, today: dt.date | None = None) -> int | None:
        if self.as_of is None:
            return None
        return ((today or today_date()) - self.as_of).days

    def stale(self, today: dt.date | None = None) -> bool:
        """Older than the configured age, or of unknown age."""
        days = self.age_days(today)
        return days is None or days > settings.STDPLUS_SOURCE_MAX_AGE_DAYS

    def as_dict(self, today: dt.date | None = None) -> dict:
        return {
            "source": self.source,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "imported": self.imported.isoformat() if self.imported else None,
            "stale": self.stale(today),
        }


def source_ages(sources: Iterable[str]) -> dict[str, SourceAge]:
    """{source: its age} for these sources (a source never imported by a run, such as records
    written by hand, has no date)."""
    every = _every_source_age()
    return {
        source: every.get(source) or SourceAge(source=source, as_of=None, imported=None)
        for source in sorted(set(sources))
    }


def _every_source_age() -> dict[str, SourceAge]:
    """Every source's age, kept per process until an import run starts, finishes or is rolled
    back (the stamp below moves with each): every standard's page and every check asks."""
    from django.core.cache import cache

    stamp = data_stamp(
        (ImportRun, "MAX", "id"),
        (ImportRun, "COUNT", "finished_at"),
        (ImportRun, "COUNT", "rolled_back_at"),
    )
    return cache.get_or_set(f"catalog:source-ages:{stamp}", _source_ages_read, 3600)


def _source_ages_read() -> dict[str, SourceAge]:
    found = {}
    rows = (
        ImportRun.objects.filter(finished_at__isnull=False, rolled_back_at__isnull=True)
        .values("source")
        .annotate(as_of=Max("data_date"), imported=Max("finished_at"))
        .order_by()
    )
    for row in rows:
        imported = row["imported"]
        found[row["source"]] = SourceAge(
            source=row["source"],
            as_of=row["as_of"],
            imported=imported.date() if imported else None,
        )
    return found


def source_age(source: str) -> SourceAge:
    return source_ages([source])[source]


def max_age_days() -> int:
    return settings.STDPLUS_SOURCE_MAX_AGE_DAYS
