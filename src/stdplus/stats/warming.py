"""Dashboards counted ahead of their readers.

A dashboard is counted once per version of the data (`caching`), by its first reader after a
change. For a large node that reader waits: the province of the benchmark, 1,000,000
participations, takes about two seconds on PostgreSQL. So the dashboards that took longer than
`STDPLUS_STATS_WARM_MS` to count are remembered (in the statistics' cache, which every process
shares), and the worker's periodic task (`tasks.dashboards_warm_task`, every minute) counts
them again once the data changed, in the language they were read in: their next readers find
them counted. A page nobody asked for in `KEEP_DAYS` drops out of the list, and at most
`STDPLUS_STATS_WARM_PAGES` are kept (the most recently read).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import translation

from stdplus.core.errors import ApplicationError

from .caching import TIMEOUT, data_version, database, stats_cache
from .indicators.base import Scope
from .pages import dashboard_page
from .payloads import dashboard_json
from .selectors import scope_from

logger = logging.getLogger(__name__)

KEEP_DAYS = 14
Page = tuple[str, int, bool, str]  # region code, year, real data only, language


def _key(kind: str) -> str:
    return f"stats:warm:{kind}:{database()}"  # two databases may share one cache


@contextmanager
def noted_if_slow(scope: Scope) -> Iterator[None]:
    """Time the answer of a dashboard (page or JSON) in the block; `remember` it if slow."""
    started = time.perf_counter()
    yield
    remember(scope, time.perf_counter() - started)


def remember(scope: Scope, seconds: float) -> None:
    """Note a dashboard that took `seconds` to answer, if that is long enough to count it ahead
    of its next readers."""
    limit = settings.STDPLUS_STATS_WARM_PAGES
    if limit <= 0 or seconds * 1000 < settings.STDPLUS_STATS_WARM_MS:
        return
    page: Page = (
        scope.region.code,
        scope.period.end.year,
        scope.real_only,
        translation.get_language() or settings.LANGUAGE_CODE,
    )
    key = _key("pages")
    store = stats_cache()
    pages: dict[Page, float] = store.get(key) or {}
    pages[page] = time.time()
    # (Two processes noting a page at once may lose one of the two notes: the page is noted
    # again the next time it is slow.)
    newest = sorted(pages.items(), key=lambda item: -item[1])[:limit]
    store.set(key, dict(newest), None)


def remembered() -> list[Page]:
    """The pages to count ahead, the most recently read first."""
    pages: dict[Page, float] = stats_cache().get(_key("pages")) or {}
    oldest = time.time() - KEEP_DAYS * 86400
    return [
        page for page, seen in sorted(pages.items(), key=lambda item: -item[1]) if seen >= oldest
    ]


def dashboards_warm() -> int:
    """Count the remembered dashboards at the data's current version, unless done already;
    returns how many were counted (each page and its JSON, from one count)."""
    pages = remembered()
    if not pages:
        return 0
    version = data_version()  # before reading any data, as a reader does
    done_key = _key("version")
    store = stats_cache()
    if store.get(done_key) == version:
        return 0
    counted = 0
    for code, year, real_only, language in pages:
        with translation.override(language):
            try:
                scope = scope_from(code, year, real_only=real_only)
            except ApplicationError:  # the region left the tree, or the year the range
                continue
            started = time.perf_counter()
            try:
                dashboard_page(scope, version=version)
                dashboard_json(scope, version=version)
            except Exception:  # one page's failure must not keep the others from being counted
                logger.exception("dashboard %s %s (%s) could not be counted", code, year, language)
                continue
            logger.info(
                "dashboard %s %s (%s) counted ahead in %.2f s",
                code,
                year,
                language,
                time.perf_counter() - started,
            )
        counted += 1
    store.set(done_key, version, TIMEOUT)
    return counted
