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
    """{source: its age} for these sources, in one query (a source never imported by a run,
    such as records written by hand, has no date)."""
    wanted = sorted(set(sources))
    found = {
        row["source"]: row
        for row in ImportRun.objects.filter(
            source__in=wanted, finished_at__isnull=False, rolled_back_at__isnull=True
        )
        .values("source")
        .annotate(as_of=Max("data_date"), imported=Max("finished_at"))
        .order_by()
    }
    ages = {}
    for source in wanted:
        row = found.get(source)
        imported = row["imported"] if row else None
        ages[source] = SourceAge(
            source=source,
            as_of=row["as_of"] if row else None,
            imported=imported.date() if imported else None,
        )
    return ages


def source_age(source: str) -> SourceAge:
    return source_ages([source])[source]


def max_age_days() -> int:
    return settings.STDPLUS_SOURCE_MAX_AGE_DAYS
