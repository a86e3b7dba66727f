"""`stdplus backup` and `stdplus restore`: a backup restored into an empty instance holds every
row (catalog, change events, audit and lifecycle events, accounts, watch lists), on SQLite and
on PostgreSQL (DATABASE_URL); a SQLite backup taken while another connection writes is a
consistent snapshot; a restore checks its archive and refuses to overwrite data."""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
import tarfile
import threading
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from stdplus.accounts.models import Membership, Organization, Role
from stdplus.catalog.models import ChangeEvent, Relation, Standard
from stdplus.core import backup
from stdplus.core.console import language_from_environment
from stdplus.programme.models import AuditEvent, PilotEvent, StandardsBody
from stdplus.programme.services.audit import record_update
from stdplus.search.selectors import standards_search
from stdplus.watch.models import WatchItem, WatchList
from stdplus.watch.services import watch_list_create

from .programme.conftest import world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)

# The kinds of rows the restore must bring back, each present before the backup.
KEY_MODELS = [
    Standard,
    Relation,
    ChangeEvent,
    AuditEvent,
    PilotEvent,
    get_user_model(),
    Organization,
    Membership,
    WatchList,
    WatchItem,
]


def everything() -> dict[str, list]:
    """Every row of every table, by model, in primary-key order."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def empty_the_database() -> None:
    """Make the test database an empty instance: no tables at all."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
            return
        cursor.execute("PRAGMA foreign_keys = OFF")
        for _round in range(3):  # virtual tables first; their shadow tables go with them
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY sql LIKE 'CREATE VIRTUAL%' DESC"
            )
            for name, _sql in cursor.fetchall():
                # A shadow table may be gone with its virtual table.
                with contextlib.suppress(Exception):
                    cursor.execute(f'DROP TABLE IF EXISTS "{name}"')
        cursor.execute("PRAGMA foreign_keys = ON")
    assert backup.database_tables() == []


@pytest.fixture
def instance(world, tmp_path, settings):  # noqa: F811
    """A populated instance: the programme's small world (catalog, register, pilots with their
    lifecycle events), an audit trail, a person in an organization with a watch list."""
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    (settings.VAR_DIR / "secret_key").write_text("the-instance-secret")
    body = StandardsBody.objects.get(code="SAC/TC 901")
    record_update(instance=body, changes={"name_en": "Committee one"})
    user = get_user_model().objects.create_user("alice", "alice@example.com", "pw-alice-42!")
    organization = Organization.objects.create(name_zh="甲公司", kind="enterprise")
    Membership.objects.create(user=user, organization=organization, role=Role.ADMIN)
    watch_list_create(
        organization=organization,
        user=user,
        name="Our standards",
        items=[("edition", "ISO 91002:2012"), ("ics", "35.040")],
    )
    for model in KEY_MODELS:
        assert model._base_manager.exists(), model
    yield world
    # A failed test must not leave the next one an empty or older database.
    call_command("migrate", interactive=False, verbosity=0)


def test_restore_into_an_empty_instance_finds_everything(instance, tmp_path, settings):
    before = everything()
    call_command("backup", out=str(tmp_path / "backups"), stdout=io.StringIO())
    (archive,) = (tmp_path / "backups").iterdir()
    assert archive.stat().st_mode & 0o077 == 0  # the archive is for its owner only

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["engine"] == connection.vendor
    assert manifest["counts"]["catalog_changeevent"] == ChangeEvent.objects.count()
    assert manifest["counts"]["programme_auditevent"] == AuditEvent.objects.count()
    assert "0001_initial" in manifest["migrations"]["catalog"]
    assert manifest["files"] == ["files/secret_key"]

    empty_the_database()
    (settings.VAR_DIR / "secret_key").unlink()
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    assert "Restored the backup" in out.getvalue()
    assert everything() == before
    assert (settings.VAR_DIR / "secret_key").read_text() == "the-instance-secret"
    # The restored instance works: the search index came back, and new rows get new ids.
    found = standards_search(q="Title", page_size=50)
    assert found.count == Standard.objects.count() > 0
    assert "ISO 91002:2018" in {s.canonical for s in found.standards}
    newest = get_user_model().objects.create_user("bob", "bob@example.com", "pw-bob-42!!")
    assert newest.pk > max(row[0] for row in before["auth.User"])
    assert WatchItem.objects.filter(watch_list__name="Our standards").count() == 2


def test_restore_refuses_a_database_that_holds_data_unless_forced(instance, tmp_path):
    call_command("backup", out=str(tmp_path), stdout=io.StringIO())
    (archive,) = tmp_path.glob("stdplus-backup-*")
    before = everything()
    get_user_model().objects.create_user("carol", "carol@example.com", "pw-carol-42!")

    with pytest.raises(CommandError, match="not empty.*--force"):
        call_command("restore", str(archive))
    assert get_user_model().objects.filter(username="carol").exists()

    call_command("restore", str(archive), force=True, stdout=io.StringIO())
    assert not get_user_model().objects.filter(username="carol").exists()
    assert everything() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_restore streamed into psql")
def test_a_forced_restore_that_fails_halfway_changes_nothing(instance, tmp_path):
    """The dump's rows are cut short: pg_restore fails after psql has emptied the schema and
    begun loading, in its one transaction, which is rolled back."""
    call_command("backup", out=str(tmp_path), stdout=io.StringIO())
    (archive,) = tmp_path.glob("stdplus-backup-*")
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == backup.PG_MEMBER:
                data = data[: len(data) * 2 // 3]
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    get_user_model().objects.create_user("carol", "carol@example.com", "pw-carol-42!")
    before = everything()

    with pytest.raises(CommandError, match="pg_restore failed"):
        call_command("restore", str(damaged), force=True)
    assert everything() == before


def _rewritten(archive: Path, target: Path, **changes) -> Path:
    """A copy of `archive` whose manifest has `changes` applied."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                for key, value in changes.items():
                    if callable(value):
                        value(manifest)
                    else:
                        manifest[key] = value
                data = json.dumps(manifest).encode()
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


def test_restore_checks_the_archive_before_writing(instance, tmp_path):
    call_command("backup", out=str(tmp_path), stdout=io.StringIO())
    (archive,) = tmp_path.glob("stdplus-backup-*")
    empty_the_database()
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    cases = {
        "not a tar archive": tmp_path / "notes.txt",
        f"backup is of a {other} database": _rewritten(archive, tmp_path / "e.tar", engine=other),
        "newer stdplus.*catalog.9999_future": _rewritten(
            archive,
            tmp_path / "n.tar",
            migrations=lambda m: m["migrations"]["catalog"].append("9999_future"),
        ),
        "format 7": _rewritten(archive, tmp_path / "f.tar", format=7),
        "manifest.json is damaged": _rewritten(archive, tmp_path / "d.tar", counts="many"),
        "does not hold what the backup's manifest counts": _rewritten(
            archive,
            tmp_path / "c.tar",
            counts=lambda m: m["counts"].update(catalog_standard=1_000_000),
        ),
    }
    (tmp_path / "notes.txt").write_text("not an archive")
    for message, path in cases.items():
        with pytest.raises(CommandError, match=message):
            call_command("restore", str(path))
        # Refused before anything was written (SQLite checks the counts on the copy too).
        if "counts" not in message or connection.vendor == "sqlite":
            assert backup.database_tables() == []


def test_an_older_backup_is_migrated_after_the_restore(instance, tmp_path):
    # An older stdplus: the database before the checks app's later migrations.
    call_command("migrate", "checks", "0001_initial", interactive=False, verbosity=0)
    call_command("backup", out=str(tmp_path), stdout=io.StringIO())
    (archive,) = tmp_path.glob("stdplus-backup-*")
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["migrations"]["checks"] == ["0001_initial"]
    later = sorted(backup.code_migrations()["checks"] - {"0001_initial"})
    assert later, "the checks app has a second migration"

    empty_the_database()
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    assert ", ".join(f"checks.{name}" for name in later) in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM django_migrations WHERE app = 'checks' ORDER BY name")
        assert [row[0] for row in cursor.fetchall()] == ["0001_initial", *later]
    assert WatchList.objects.filter(name="Our standards").exists()


def test_a_sqlite_backup_while_another_connection_writes_is_a_consistent_snapshot(tmp_path):
    """A writer commits all the time (each commit adds an order and raises the total in the
    same transaction); the backup runs meanwhile; writes go on during it, and the copy holds
    one committed state: its orders and its total agree, and it passes the integrity check."""
    source = tmp_path / "live.sqlite3"
    setup = sqlite3.connect(source)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, payload TEXT)")
    setup.execute("CREATE TABLE totals (n INTEGER)")
    setup.execute("INSERT INTO totals VALUES (0)")
    # Enough pages that copying them takes a while.
    setup.executemany(
        "INSERT INTO orders (payload) VALUES (?)", (("x" * 2000,) for _ in range(40_000))
    )
    setup.execute("UPDATE totals SET n = (SELECT COUNT(*) FROM orders)")
    setup.commit()
    setup.close()

    commits: list[float] = []
    stop = threading.Event()

    def writer():
        conn = sqlite3.connect(source, timeout=30, isolation_level=None)
        while not stop.is_set():
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO orders (payload) VALUES ('new')")
            conn.execute("UPDATE totals SET n = n + 1")
            conn.execute("COMMIT")
            commits.append(time.monotonic())
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(commits) < 20:  # the writer is running
            time.sleep(0.01)
        started = time.monotonic()
        backup.sqlite_copy(str(source), tmp_path / "copy.sqlite3")
        finished = time.monotonic()
        time.sleep(0.05)
    finally:
        stop.set()
        thread.join()

    during = [t for t in commits if started < t < finished]
    assert during, "no write committed while the backup ran"
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    (orders,) = copy.execute("SELECT COUNT(*) FROM orders").fetchone()
    (total,) = copy.execute("SELECT n FROM totals").fetchone()
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy.close()
    assert orders == total
    assert 40_000 + 20 <= orders < 40_000 + len(commits)  # a snapshot, not the final state


def test_pg_tools_missing_or_of_another_version_are_named(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(backup.BackupError) as missing:
        backup.pg_tool("pg_dump", 99)
    assert "pg_dump is not installed" in missing.value.message
    assert "postgresql-client-99" in missing.value.message

    fake = tmp_path / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 14.9'\n")
    fake.chmod(0o755)
    with pytest.raises(backup.BackupError) as other:
        backup.pg_tool("pg_dump", 99)
    assert "PostgreSQL 99" in other.value.message
    assert f"{fake} (14)" in other.value.message


def test_messages_follow_the_terminal_language(tmp_path, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert language_from_environment() == "zh-hans"
    (tmp_path / "notes.txt").write_text("not an archive")
    with pytest.raises(CommandError, match="不是 stdplus 备份"):
        call_command("restore", str(tmp_path / "notes.txt"))
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    with pytest.raises(CommandError, match="none.tar: There is no such file"):
        call_command("restore", str(tmp_path / "none.tar"))


def test_a_backup_folder_that_cannot_be_made_is_named(db, tmp_path):
    (tmp_path / "plain-file").write_text("")
    with pytest.raises(CommandError, match="Cannot make the folder .*plain-file/backups"):
        call_command("backup", out=str(tmp_path / "plain-file" / "backups"))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a new SQLite instance in a folder")
def test_stdplus_restore_makes_a_new_instance_in_an_empty_folder(instance, tmp_path):
    """As a person runs it: `stdplus restore` in a folder with no database yet, then the
    restored catalog answers `stdplus show`."""
    from .test_cli import run

    call_command("backup", out=str(tmp_path / "backups"), stdout=io.StringIO())
    (archive,) = (tmp_path / "backups").iterdir()
    home = tmp_path / "new"
    home.mkdir()
    env = {"STDPLUS_HOME": str(home), "DATABASE_URL": "", "LANG": "C.UTF-8", "LANGUAGE": ""}
    restored = run(["restore", str(archive)], env=env)
    assert restored.returncode == 0, restored.stderr
    assert "Restored the backup" in restored.stdout
    assert (home / "var" / "secret_key").read_text() == "the-instance-secret"
    shown = run(["show", "ISO 91002:2018"], env=env)
    assert shown.returncode == 0, shown.stderr
    assert "Title of ISO 91002:2018" in shown.stdout
