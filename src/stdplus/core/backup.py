"""Backups of a stdplus instance: one tar archive holding the database, the files worth keeping
and a manifest; and restoring one into an empty instance.

The database is copied online, while the site runs and writes go on:

- SQLite: the backup API copies every page inside one read transaction, a snapshot of the last
  commit (in WAL mode a reader blocks no writer, and no writer restarts the copy).
- PostgreSQL: a REPEATABLE READ transaction exports its snapshot; the manifest's counts and
  migration state are read in it and `pg_dump --snapshot` dumps exactly that state (custom
  format, restored with `pg_restore`).

Files: `var/secret_key` when the instance generated one (development and demo setups; a
production deployment sets STDPLUS_SECRET_KEY in its environment, which a backup does not hold):
sessions, password-reset links and other signed values need the same key after a restore. And
the uploaded files under MEDIA_ROOT when it is set. Not kept: the statistics' cache (recounted
from the data), collected static files (`stdplus collectstatic` makes them again), the file mail
backend's copies of sent mail (var/mail, a development aid the site never reads) and any other
SQLite file in var/ (a task queue's jobs: restoring them would run jobs done since).

The manifest (`manifest.json`) names the stdplus version, the database engine, the migrations
applied, the row count of every table and the time of the snapshot. A restore checks it before
writing anything and checks the counts after.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections, transaction
from django.utils.translation import gettext as _

from stdplus.core.errors import ApplicationError, Where

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
FILES_PREFIX = "files/"
SECRET_KEY_FILE = "secret_key"


class BackupError(ApplicationError):
    code = "backup"


@dataclass
class Manifest:
    engine: str
    created: str
    stdplus_version: str
    migrations: dict[str, list[str]]
    counts: dict[str, int]
    files: list[str] = field(default_factory=list)
    server_version: str = ""
    format: int = FORMAT

    def as_json(self) -> bytes:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=2, sort_keys=True).encode()


@dataclass
class RestoreResult:
    manifest: Manifest
    migrated: list[str]
    files: list[str]


def stdplus_version() -> str:
    try:
        return metadata.version("stdplus")
    except metadata.PackageNotFoundError:  # pragma: no cover - a source tree without install
        return "unknown"


def engine_of(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(
            _("Backups support SQLite and PostgreSQL; this database is %(vendor)s."),
            params={"vendor": vendor},
        )
    return vendor


def counted_tables() -> list[str]:
    """Every table of a stdplus or Django model (many-to-many tables included), sorted."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _counts_and_migrations(cursor: Any, existing: set[str]) -> tuple[dict, dict]:
    counts = {}
    for table in counted_tables():
        if table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
            counts[table] = int(cursor.fetchone()[0])
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in existing:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
    return counts, migrations


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


# --- files -----------------------------------------------------------------------------------


def kept_files() -> Iterator[tuple[str, Path]]:
    """(name in the archive, path on disk) of the files a backup keeps; see the module text."""
    var_dir = Path(settings.VAR_DIR)
    key = var_dir / SECRET_KEY_FILE
    if key.is_file():
        yield FILES_PREFIX + SECRET_KEY_FILE, key
    media = str(getattr(settings, "MEDIA_ROOT", "") or "")
    if media and Path(media).is_dir():
        root = Path(media)
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield f"{FILES_PREFIX}media/{path.relative_to(root).as_posix()}", path


def _file_target(member: str) -> Path | None:
    """Where a file member of an archive goes; None for a name that leaves its folder."""
    relative = PurePosixPath(member[len(FILES_PREFIX) :])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        return None
    if relative.as_posix() == SECRET_KEY_FILE:
        return Path(settings.VAR_DIR) / SECRET_KEY_FILE
    if relative.parts[0] == "media" and len(relative.parts) > 1:
        media = str(getattr(settings, "MEDIA_ROOT", "") or "")
        if media:
            return Path(media).joinpath(*relative.parts[1:])
    return None


# --- SQLite ----------------------------------------------------------------------------------


def _sqlite_connect(name: str, *, timeout: float = 30) -> sqlite3.Connection:
    return sqlite3.connect(name, uri=name.startswith("file:"), timeout=timeout)


def sqlite_copy(source: str, target: str | Path) -> None:
    """Copy the SQLite database `source` (path or file: URI) to the file `target`, online.

    `VACUUM INTO` writes the live pages inside one read transaction: a snapshot of the last
    commit, while other connections go on writing (WAL), without the free pages a database
    keeps after deletions (a copy page by page would carry them, and the archive would compress
    them). The copy is one self-contained file (rollback journal, not WAL).
    """
    src = _sqlite_connect(source)
    try:
        src.execute("VACUUM INTO ?", (str(target),))
    finally:
        src.close()
    dst = sqlite3.connect(str(target))
    try:
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()


def _sqlite_tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
    return {row[0] for row in rows}


def _sqlite_manifest_parts(path: Path) -> tuple[dict, dict]:
    conn = sqlite3.connect(str(path))
    try:
        return _counts_and_migrations(conn.cursor(), _sqlite_tables(conn))
    finally:
        conn.close()


# --- PostgreSQL ------------------------------------------------------------------------------

_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")


def _tool_major(path: str) -> int | None:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    except OSError:
        return None
    match = _VERSION.search(out.stdout)
    return int(match.group(1)) if match else None


def pg_tool(name: str, server_major: int) -> str:
    """The pg_dump, pg_restore or psql whose major version is the server's: on PATH, else in
    Debian's /usr/lib/postgresql/<major>/bin. A clear error when there is none."""
    found = []
    candidates = [shutil.which(name), f"/usr/lib/postgresql/{server_major}/bin/{name}"]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            major = _tool_major(candidate)
            if major == server_major:
                return candidate
            found.append(f"{candidate} ({major})")
    if not found:
        raise BackupError(
            _(
                "%(tool)s is not installed (not on PATH): install the PostgreSQL %(major)s "
                "client tools (Debian: apt-get install postgresql-client-%(major)s)."
            ),
            params={"tool": name, "major": server_major},
            code="pg_tool_missing",
        )
    raise BackupError(
        _(
            "The database server is PostgreSQL %(major)s but %(tool)s is another version: "
            "%(found)s. Install the PostgreSQL %(major)s client tools or put them first on PATH."
        ),
        params={"tool": name, "major": server_major, "found": ", ".join(found)},
        code="pg_tool_version",
    )


def _pg_server(alias: str) -> tuple[int, str]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        number = int(cursor.fetchone()[0])
        cursor.execute("SHOW server_version")
        text = str(cursor.fetchone()[0]).split()[0]
    return number // 10000, text


def _pg_env_args(alias: str) -> tuple[dict, list[str]]:
    settings_dict = connections[alias].settings_dict
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    args += ["--no-password", "--dbname", str(settings_dict["NAME"])]
    return env, args


def _tool_failed(tool: str, output: str, returncode: int) -> BackupError:
    """The error naming a PostgreSQL tool that failed, with the last lines it wrote."""
    detail = output.strip().splitlines()
    return BackupError(
        _("%(tool)s failed: %(detail)s"),
        params={"tool": tool, "detail": " / ".join(detail[-3:]) or returncode},
        code="pg_tool_failed",
    )


def _run_tool(command: list[str], env: dict, tool: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise _tool_failed(tool, done.stderr or done.stdout, done.returncode)


def _pg_tables(cursor: Any) -> set[str]:
    cursor.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    )
    return {row[0] for row in cursor.fetchall()}


def pg_dump(alias: str, target: Path) -> tuple[dict, dict, str]:
    """Dump the database to `target` (custom format); counts and migrations of the same
    snapshot; the server's version."""
    major, version = _pg_server(alias)
    tool = pg_tool("pg_dump", major)
    env, args = _pg_env_args(alias)
    connection = connections[alias]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts, migrations = _counts_and_migrations(cursor, _pg_tables(cursor))
        command = [tool, "--format=custom", f"--snapshot={snapshot}", "--file", str(target)]
        _run_tool(command + args, env, "pg_dump")
    return counts, migrations, version


# --- the archive -----------------------------------------------------------------------------


def backup_name(engine: str, when: dt.datetime | None = None) -> str:
    when = when or dt.datetime.now(dt.UTC)
    suffix = ".tar.gz" if engine == "sqlite" else ".tar"  # a pg_dump is compressed already
    return f"stdplus-backup-{when:%Y%m%dT%H%M%SZ}{suffix}"


def _archive_fill(
    archive: tarfile.TarFile,
    manifest: Manifest,
    database: Path,
    member: str,
    files: list[tuple[str, Path]],
) -> None:
    data = manifest.as_json()
    info = tarfile.TarInfo(MANIFEST)
    info.size = len(data)
    info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))
    archive.add(database, arcname=member)
    for name, path in files:
        archive.add(path, arcname=name)


def backup_create(out_dir: Path, alias: str = "default") -> tuple[Path, Manifest]:
    """Write one archive of the database and the kept files into `out_dir`."""
    engine = engine_of(alias)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(
            _("Cannot make the folder %(folder)s: %(error)s"),
            params={"folder": out_dir, "error": error.strerror or error},
        ) from None
    try:
        return _backup_write(out_dir, alias, engine)
    except (OSError, sqlite3.DatabaseError) as error:
        raise BackupError(
            _("Cannot write the backup into %(folder)s: %(error)s"),
            params={"folder": out_dir, "error": getattr(error, "strerror", None) or error},
        ) from None


def _backup_write(out_dir: Path, alias: str, engine: str) -> tuple[Path, Manifest]:
    created = _now()
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".stdplus-backup-") as work:
        if engine == "sqlite":
            member = SQLITE_MEMBER
            database = Path(work) / member
            sqlite_copy(str(connections[alias].settings_dict["NAME"]), database)
            counts, migrations = _sqlite_manifest_parts(database)
            server_version = sqlite3.sqlite_version
        else:
            member = PG_MEMBER
            database = Path(work) / member
            counts, migrations, server_version = pg_dump(alias, database)
        files = list(kept_files())
        manifest = Manifest(
            engine=engine,
            created=created,
            stdplus_version=stdplus_version(),
            migrations=migrations,
            counts=counts,
            files=[name for name, _path in files],
            server_version=server_version,
        )
        target = out_dir / backup_name(engine)
        partial = Path(work) / "archive.partial"
        # gzip level 6 (gzip's own default), not tarfile's 9: faster, hardly larger.
        if engine == "sqlite":
            with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
                _archive_fill(archive, manifest, database, member, files)
        else:  # a pg_dump in custom format is compressed already
            with tarfile.open(partial, "w") as archive:
                _archive_fill(archive, manifest, database, member, files)
        partial.chmod(0o600)  # password hashes, tokens and perhaps the secret key
        os.replace(partial, target)
    return target, manifest


def _open_archive(path: Path) -> tarfile.TarFile:
    where = Where(file=str(path))
    if not path.is_file():
        raise BackupError(_("There is no such file."), where=where)
    try:
        return tarfile.open(path, "r:*")
    except (tarfile.TarError, OSError):
        raise BackupError(
            _("This is not a stdplus backup (not a tar archive)."), where=where
        ) from None


def manifest_read(archive: tarfile.TarFile, path: Path) -> Manifest:
    where = Where(file=str(path), field=MANIFEST)
    try:
        member = archive.extractfile(MANIFEST)
        data = json.loads(member.read()) if member else None
    except (KeyError, tarfile.TarError, ValueError, OSError):
        data = None
    if not isinstance(data, dict):
        raise BackupError(
            _("This is not a stdplus backup: it has no readable manifest.json."), where=where
        )
    if data.get("format") != FORMAT:
        raise BackupError(
            _("This backup's format %(format)s is not one this stdplus reads (%(expected)s)."),
            params={"format": data.get("format"), "expected": FORMAT},
            where=where,
        )
    try:
        manifest = Manifest(**data)
    except TypeError:
        manifest = None
    if (
        manifest is None
        or not isinstance(manifest.engine, str)
        or not isinstance(manifest.counts, dict)
        or not all(isinstance(n, int) for n in manifest.counts.values())
        or not isinstance(manifest.migrations, dict)
        or not all(isinstance(names, list) for names in manifest.migrations.values())
        or not isinstance(manifest.files, list)
    ):
        raise BackupError(
            _("This backup's manifest.json is damaged (unexpected fields)."), where=where
        )
    return manifest


def code_migrations() -> dict[str, set[str]]:
    """The migrations this version of stdplus has, per app."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known: dict[str, set[str]] = {}
    for app, name in loader.disk_migrations:
        known.setdefault(app, set()).add(name)
    return known


def migrations_compare(manifest: Manifest) -> list[str]:
    """The migrations this code has that the backup lacks (run after restoring). A backup
    from a newer stdplus (with migrations this code does not know) is refused."""
    known = code_migrations()
    newer = sorted(
        f"{app}.{name}"
        for app, names in manifest.migrations.items()
        for name in names
        if name not in known.get(app, set())
    )
    if newer:
        raise BackupError(
            _(
                "This backup comes from a newer stdplus (%(version)s): its database has "
                "migrations this version does not know (%(migrations)s). Install stdplus "
                "%(version)s or later, then restore."
            ),
            params={"version": manifest.stdplus_version, "migrations": ", ".join(newer[:5])},
            code="backup_newer",
        )
    return sorted(
        f"{app}.{name}"
        for app, names in known.items()
        for name in names
        if name not in set(manifest.migrations.get(app, []))
    )


def database_tables(alias: str = "default") -> list[str]:
    """The tables the target database holds (empty for an empty database)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
            return sorted(row[0] for row in cursor.fetchall())
        return sorted(_pg_tables(cursor))


def _member(archive: tarfile.TarFile, name: str, path: Path) -> tarfile.TarInfo:
    try:
        member = archive.getmember(name)
    except KeyError:
        raise BackupError(
            _("The backup lacks its database file %(member)s."),
            params={"member": name},
            where=Where(file=str(path)),
        ) from None
    if not member.isfile():
        raise BackupError(
            _("The backup's %(member)s is not a file."),
            params={"member": name},
            where=Where(file=str(path)),
        )
    return member


def _extract(archive: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> None:
    source = archive.extractfile(member)
    if source is None:  # pragma: no cover - checked by _member
        raise BackupError(_("The backup's %(member)s is not a file."), params={"member": member})
    with source, open(target, "wb") as out:
        shutil.copyfileobj(source, out, 1 << 20)


def _counts_check(manifest: Manifest, counts: dict[str, int], path: Path) -> None:
    wrong = [
        f"{table}: {counts.get(table)} / {expected}"
        for table, expected in sorted(manifest.counts.items())
        if counts.get(table) != expected
    ]
    if wrong:
        raise BackupError(
            _(
                "The restored database does not hold what the backup's manifest counts "
                "(restored / expected: %(tables)s); the archive is damaged."
            ),
            params={"tables": "; ".join(wrong[:5])},
            where=Where(file=str(path)),
            code="backup_counts",
        )


def _sqlite_restore(archive: tarfile.TarFile, manifest: Manifest, path: Path, alias: str) -> None:
    target = str(connections[alias].settings_dict["NAME"])
    with tempfile.TemporaryDirectory(prefix="stdplus-restore-") as work:
        copy = Path(work) / SQLITE_MEMBER
        _extract(archive, _member(archive, SQLITE_MEMBER, path), copy)
        try:
            counts, _migrations = _sqlite_manifest_parts(copy)
        except sqlite3.DatabaseError:
            raise BackupError(
                _("The backup's database file is damaged (not a SQLite database)."),
                where=Where(file=str(path)),
            ) from None
        _counts_check(manifest, counts, path)
        connections[alias].close()
        # The backup API writes the pages into the target in one transaction: readers see the
        # old database or the restored one, and the target's WAL stays consistent.
        src = sqlite3.connect(str(copy))
        dst = _sqlite_connect(target)
        try:
            src.backup(dst, pages=-1)
        finally:
            dst.close()
            src.close()


# Empties the schema the dump is restored into (tables with their partitions, sequences,
# trigger functions: all of it), in the restore's own transaction: pg_restore's `--clean` drops
# object by object and cannot drop what a partition inherits (the search table is partitioned
# by key on PostgreSQL: search migration 0008). The user of DATABASE_URL owns the database
# (docs/deploy.md), so owns `public` (PostgreSQL 15: `pg_database_owner`).
_PG_EMPTY = "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;"


def _pg_stream(
    restore_tool: str, psql: str, dump: Path, env: dict, args: list[str], logs: dict[str, Path]
) -> tuple[str, int] | None:
    """pg_restore's script into psql (`_pg_restore`); the tool that failed and its exit
    status, if one did."""
    command = [psql, "--no-psqlrc", "--quiet", "--single-transaction"]
    command += ["--set", "ON_ERROR_STOP=1", "--command", _PG_EMPTY, "--file", "-"]
    with logs["psql"].open("wb") as psql_log, logs["pg_restore"].open("wb") as script_log:
        loader = subprocess.Popen(
            command + args, env=env, stdin=subprocess.PIPE, stdout=psql_log, stderr=psql_log
        )
        script = subprocess.Popen(
            [restore_tool, "--no-owner", "--no-privileges", "--file", "-", str(dump)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=script_log,
        )
        assert script.stdout is not None and loader.stdin is not None
        broken = False
        try:
            shutil.copyfileobj(script.stdout, loader.stdin, 1 << 20)
        except BrokenPipeError:  # psql stopped at an error
            broken = True
            script.kill()
        script.stdout.close()
        if script.wait() != 0 and not broken:
            loader.kill()  # before the end of its input: its transaction is rolled back
        with contextlib.suppress(BrokenPipeError):
            loader.stdin.close()
        loader.wait()
    if broken or (script.returncode == 0 and loader.returncode != 0):
        return "psql", loader.returncode
    if script.returncode != 0:
        return "pg_restore", script.returncode
    return None


def _pg_restore(archive: tarfile.TarFile, manifest: Manifest, path: Path, alias: str) -> None:
    """Restore the dump through psql in one transaction: the schema emptied, then pg_restore's
    script (objects, rows, indexes), streamed. psql commits only at the end of a script that
    pg_restore finished; on any error it is stopped first, and nothing changes."""
    major, _version = _pg_server(alias)
    restore_tool = pg_tool("pg_restore", major)
    psql = pg_tool("psql", major)
    env, args = _pg_env_args(alias)
    with tempfile.TemporaryDirectory(prefix="stdplus-restore-") as work:
        dump = Path(work) / PG_MEMBER
        _extract(archive, _member(archive, PG_MEMBER, path), dump)
        connections[alias].close()
        logs = {name: Path(work) / f"{name}.log" for name in ("pg_restore", "psql")}
        failed = _pg_stream(restore_tool, psql, dump, env, args, logs)
        if failed:
            tool, returncode = failed
            raise _tool_failed(tool, logs[tool].read_text("utf-8", "replace"), returncode)
    with connections[alias].cursor() as cursor:
        counts, _migrations = _counts_and_migrations(cursor, _pg_tables(cursor))
    _counts_check(manifest, counts, path)


def restore(path: Path, *, force: bool = False, alias: str = "default") -> RestoreResult:
    """Restore the archive at `path` into the database (empty unless `force`) and the kept
    files; run the migrations the archive lacks. Checks before writing: the manifest, the
    engine, the migrations; after: the row counts."""
    engine = engine_of(alias)
    with _open_archive(path) as archive:
        manifest = manifest_read(archive, path)
        if manifest.engine != engine:
            raise BackupError(
                _(
                    "This backup is of a %(archive)s database; this instance uses %(engine)s. "
                    "Restore it into a %(archive)s instance (DATABASE_URL)."
                ),
                params={"archive": manifest.engine, "engine": engine},
                where=Where(file=str(path)),
                code="backup_engine",
            )
        missing = migrations_compare(manifest)
        tables = database_tables(alias)
        if tables and not force:
            raise BackupError(
                _(
                    "The database is not empty (%(count)s tables). Restoring replaces "
                    "everything in it: add --force to do so, or restore into an empty database."
                ),
                params={"count": len(tables)},
                code="backup_target_not_empty",
            )
        if engine == "sqlite":
            _sqlite_restore(archive, manifest, path, alias)
        else:
            _pg_restore(archive, manifest, path, alias)
        restored = []
        for member in archive.getmembers():
            if not member.name.startswith(FILES_PREFIX) or not member.isfile():
                continue
            target = _file_target(member.name)
            if target is None:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            _extract(archive, member, target)
            if target.name == SECRET_KEY_FILE:
                target.chmod(0o600)
            restored.append(member.name[len(FILES_PREFIX) :])
    if missing:
        from django.core.management import call_command

        call_command("migrate", database=alias, interactive=False, verbosity=0)
    from django.core.cache import caches

    # Figures are cached under the data's version numbers, which the restore set back.
    caches["stats"].clear()
    return RestoreResult(manifest=manifest, migrated=missing, files=restored)
