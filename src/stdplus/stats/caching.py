"""Cached statistics, keyed on the version of the data they are counted from.

A figure is counted from the catalog and the programme's register. Both keep a version in the
database that every committed change moves: the catalog's generation (raised by every write of
standards, classes or relations: `catalog.services.state`) and the register's version (the
newest rows of its append-only audit and lifecycle tables, organizations' last update and the
region tree: `programme.selectors.register_version`). The key of every cached answer holds
both, read before anything else, so

- a change shows at once: the next request reads a new version and counts again;
- every process agrees: the versions are in the database, not in a process's memory, so the
  cache may be per process or shared (a shared one saves each worker counting again);
- nothing is ever cleared by hand, and old entries simply age out (`TIMEOUT`).

The key also holds the version of the code (`code_version`): a deployment that changes a
schema, a template or a translation does not read what the previous code cached; and which
database it is (`database`), for two databases sharing one cache folder.

The cache is Django's cache named "stats" (settings.CACHES; the default cache if there is no
such alias). See docs/settings.md for the choices in production.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from django.core.cache import InvalidCacheBackendError, caches
from django.db import connection
from django.utils.translation import get_language

import stdplus
from stdplus.catalog.services.state import generation_read
from stdplus.declarations.selectors import declarations_version
from stdplus.development.selectors import development_version
from stdplus.programme.selectors import regions_kept, register_version
from stdplus.support.training import training_version

T = TypeVar("T")

CACHE_ALIAS = "stats"
TIMEOUT = 24 * 3600  # entries of older versions are never read again; this only frees room
WAIT = 10.0  # seconds a reader waits for another one counting the same answer
POLL = 0.05


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the package's code, templates, translations and static files (sizes, times),
    taken once per process: it changes with every deployment that changes any of them."""
    package = Path(stdplus.__file__).resolve().parent
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(package.rglob("*")):
        if path.suffix in {".py", ".html", ".mo", ".css", ".js"}:
            stat = path.stat()
            digest.update(
                f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns};".encode()
            )
    return digest.hexdigest()


def database() -> str:
    """Which database the figures come from: two databases (the site's and a benchmark's) may
    share one cache folder and happen to be at the same versions."""
    params = connection.settings_dict
    return f"{connection.vendor}:{params.get('HOST') or ''}:{params.get('PORT') or ''}:{params['NAME']}"


def data_version() -> str:
    """The version of everything the figures read (catalog generation, register version, the
    declarations', development's and training's)."""
    return (
        f"c{generation_read()}.r{register_version()}.d{declarations_version()}"
        f".v{development_version()}.t{training_version()}"
    )


def stats_cache():
    try:
        return caches[CACHE_ALIAS]
    except InvalidCacheBackendError:
        return caches["default"]


def cache_key(kind: str, parts: tuple, version: str) -> str:
    digest = hashlib.blake2b(
        repr((database(), code_version(), version, get_language() or "", parts)).encode(),
        digest_size=16,
    ).hexdigest()
    return f"stats:{kind}:{digest}"


def cached(kind: str, parts: tuple, build: Callable[[], T], *, version: str = "") -> T:
    """`build()`'s result for these parts at the data's current version, counted at most once
    per version (and per language: labels are translated). A caller that read the version
    already (before reading any data) passes it.

    After a change every key is new, and several readers may ask for the same page at once:
    the first one counts it, and the others wait for its answer (up to `WAIT` seconds, or
    until it gives up) instead of counting the same figures in every worker."""
    version = version or data_version()  # before reading any data: a later change, a later key
    key = cache_key(kind, parts, version)
    store = stats_cache()
    found = store.get(key)
    if found is not None:
        return found
    lock = f"{key}:counting"
    if not store.add(lock, os.getpid(), WAIT):
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            time.sleep(POLL)
            found = store.get(key)
            if found is not None:
                return found
            if store.get(lock) is None:  # the other reader failed or gave up: count it here
                break
    try:
        with regions_kept():  # the tree as read once for this answer
            value = build()
        store.set(key, value, TIMEOUT)
    finally:
        store.delete(lock)
    return value
