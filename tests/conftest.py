import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"
BUNDLED_DATA = REPO / "data"
# The real Chinese records, as bundled in the repository (the same records as shared/data).
CURATED = BUNDLED_DATA / "cn_curated.jsonl.gz"
RELATON_GB_SAMPLES = BUNDLED_DATA / "cn_samples_relaton_gb.jsonl.gz"


def pytest_configure(config):
    """Close database connections after each request in tests: the live server answers in
    threads, and a persistent connection left in one keeps PostgreSQL from dropping the test
    database at the end."""
    from django.conf import settings

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Passwords are hashed with a fast hasher in the suite: the real one (PBKDF2, a million
    # rounds) takes about 0.4 s a password on CI's machine, and tests create and log in
    # hundreds of users. What the accounts tests check (throttling, resets, wrong passwords)
    # does not depend on the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The API's rate limits are off for the suite (requests come from one address, quickly);
    # tests/core/test_security.py turns them on where it tests them.
    settings.STDPLUS_RATES = {}
    # The statistics' cache is keyed on the data's version, which starts again in every test
    # database: each test starts with an empty cache of its own process.
    settings.CACHES["stats"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "stats-tests",
    }
    # Jobs run at once in the test process (huey's immediate mode, an in-memory queue); the
    # tests of the worker itself start real worker processes on a queue file of their own.
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's default language: a request in Chinese activates Chinese
    for the thread, which would otherwise carry over into the next test's messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _reads_beside_closed():
    """The connections of the reads made beside a test's own (stdplus.core.parallel) are
    closed after it: kept open, they would keep PostgreSQL from dropping the test database."""
    yield
    from stdplus.core.parallel import connections_close

    connections_close()


@pytest.fixture(autouse=True)
def _stats_cache_empty():
    """Each test starts with empty caches: what they keep is keyed on versions (the catalog's
    generation, the data's version) that start again in every test database."""
    from django.core.cache import caches

    caches["stats"].clear()
    caches["default"].clear()


@pytest.fixture(scope="session")
def _migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite database file as `stdplus migrate` leaves it, made once a run in a process of
    its own (the migrations take some twenty seconds on CI's machine)."""
    import os
    import subprocess
    import sys

    folder = tmp_path_factory.mktemp("migrated")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "STDPLUS_TODAY"}}
    env["STDPLUS_HOME"] = str(folder)
    subprocess.run([sys.executable, "-m", "stdplus", "migrate", "-v0"], env=env, check=True)
    path = folder / "var" / "stdplus.sqlite3"
    assert path.is_file() and not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture
def migrated_sqlite(_migrated_sqlite):
    """`migrated_sqlite(path)`: a copy of a freshly migrated SQLite database at `path` (for
    the tests of commands and servers that run in processes of their own)."""
    import shutil

    def copy(path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_migrated_sqlite, path)
        return path

    return copy


@pytest.fixture
def write_jsonl(tmp_path):
    """Write records as a JSON Lines file and return its path."""

    def write(records, name="records.jsonl"):
        path = tmp_path / name
        path.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
        )
        return path

    return write


@pytest.fixture
def today(settings):
    """Pin today's date: `today("2026-11-26")`."""

    def pin(value: str):
        settings.STDPLUS_TODAY = value

    pin("2026-11-26")
    return pin


def _uses_database(item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return bool(
        item.get_closest_marker("django_db")
        or item.get_closest_marker("database")
        or item.get_closest_marker("standalone")
        or names & {"db", "transactional_db", "django_db_reset_sequences", "live_server"}
    )


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, only the tests that use the test database run: the others (pure
    functions, the command line and servers on SQLite files of their own) give the same answer
    whatever DATABASE_URL says, and the SQLite run of CI has run them. STDPLUS_TEST_ALL=1 runs
    everything."""
    import os

    from django.conf import settings

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        return
    if os.environ.get("STDPLUS_TEST_ALL") == "1":
        return
    kept, left = [], []
    for item in items:
        (kept if _uses_database(item) else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept
