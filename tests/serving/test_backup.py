"""`overgang backup` and `overgang restore` as an operator runs them, on a database of their
own (an SQLite file, a scratch PostgreSQL database), never the suite's test database: a
restore puts back every table as it was at the backup, and a restore that cannot be right
is refused with one line naming the file, before anything changes."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.db import connection

from tests.serving.served import BIN, ROOT, command_env, scratch_database

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs the suite's PostgreSQL server"
)

# Some of what a real installation holds: the organisations, the catalogue, a user (with
# the history of each), besides what migrate itself writes.
POPULATE = """
from overgang.aids.actions import sync_catalogue
from overgang.audit.history import system_actor
from overgang.organisations.actions import create_user, load_organisations
system = system_actor()
load_organisations(actor=system)
sync_catalogue()
create_user(actor=system, username="kari", password="not-a-real-one")
"""
# What happens after the backup: rows added in some tables, removed from another.
CHANGE = """
from django.contrib.auth.models import Permission
from overgang.audit.history import system_actor
from overgang.organisations.actions import create_user
create_user(actor=system_actor(), username="ola", password="not-a-real-one")
Permission.objects.filter(codename__startswith="view_").delete()
"""


def overgang(url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "overgang"), *args],
        cwd=ROOT,
        env=command_env(url, **env),
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def ran(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    run = overgang(url, *args)
    assert run.returncode == 0, run.stderr
    return run


@dataclass
class Database:
    url: str
    sqlite_path: Path | None  # None: PostgreSQL

    def execute(self, *statements: str) -> None:
        if self.sqlite_path is not None:
            with closing(sqlite3.connect(self.sqlite_path)) as db, db:
                for statement in statements:
                    db.execute(statement)
            return
        with psycopg.connect(self.url) as server:
            for statement in statements:
                server.execute(statement)

    def row_counts(self) -> dict[str, int]:
        """Rows in every table, read here, apart from the commands under test."""
        if self.sqlite_path is not None:
            with closing(sqlite3.connect(self.sqlite_path)) as db:
                tables = [
                    name
                    for (name,) in db.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table'"
                        " AND name NOT LIKE 'sqlite_%'"
                    )
                ]
                return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        with psycopg.connect(self.url) as db:
            tables = [
                name
                for (name,) in db.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                )
            ]
            counts = {}
            for table in tables:
                row = db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()
                assert row is not None
                counts[table] = row[0]
            return counts


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated, populated SQLite database, made once and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "overgang.sqlite3"
    url = f"sqlite:///{path}"
    ran(url, "migrate", "--no-input", "-v0")
    ran(url, "shell", "-c", POPULATE)
    return path


@pytest.fixture(scope="module")
def postgresql_scratch() -> Iterator[str]:
    """A database of its own on the suite's server, migrated and populated once."""
    with scratch_database("backup_scratch") as url:
        ran(url, "migrate", "--no-input", "-v0")
        ran(url, "shell", "-c", POPULATE)
        yield url


def with_password(url: str, password: str) -> tuple[str, str]:
    """`url` with `password` for its user (whoever the suite connects as), and as printed."""
    parts = urlsplit(url)
    user, host = parts.username or "", parts.netloc.rpartition("@")[2]
    assert parts.password is None, "the suite's own URL is expected without a password"
    return (
        urlunsplit(parts._replace(netloc=f"{user}:{password}@{host}")),
        urlunsplit(parts._replace(netloc=f"{user}:***@{host}")),
    )


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=on_postgresql)])
def database(request, tmp_path) -> Database:
    if request.param == "sqlite":
        path = tmp_path / "overgang.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return Database(f"sqlite:///{path}", path)
    return Database(request.getfixturevalue("postgresql_scratch"), None)


def backup_file(database: Database, folder: Path) -> Path:
    """A file in a folder of its own, which the backup makes."""
    return folder / "backups" / ("backup.sqlite3" if database.sqlite_path else "backup.dump")


def test_a_restore_puts_back_every_table_as_it_was_at_the_backup(database, tmp_path):
    at_backup = database.row_counts()
    backup = backup_file(database, tmp_path)
    ran(database.url, "backup", str(backup))

    ran(database.url, "shell", "-c", CHANGE)
    changed = database.row_counts()
    assert changed != at_backup
    assert changed["auth_user"] == at_backup["auth_user"] + 1
    assert changed["auth_permission"] < at_backup["auth_permission"]

    restored = ran(database.url, "restore", str(backup), "--yes")
    assert database.row_counts() == at_backup
    assert f"Restored {backup} into DATABASE_URL={database.url}." in restored.stdout
    assert "migrate" not in restored.stderr  # the backup is at the code's level


def test_the_backup_says_where_it_wrote_how_big_and_what_it_holds(database, tmp_path):
    counts = database.row_counts()
    backup = backup_file(database, tmp_path)
    run = ran(database.url, "backup", str(backup))
    lines = run.stdout.splitlines()
    assert lines[0].startswith(f"Backed up DATABASE_URL={database.url} into {backup} (")
    assert lines[1] == f"{len(counts)} tables, {sum(counts.values())} rows:"
    listed = {table: int(rows) for table, rows in (line.split() for line in lines[2:])}
    assert listed == counts
    # It holds every patient's data: readable by its owner alone.
    assert backup.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in backup.parent.iterdir()] == [backup.name]  # no partial file, no -wal


def test_a_backup_does_not_overwrite_a_file(database, tmp_path):
    existing = tmp_path / "keep.dump"
    existing.write_text("an earlier backup")
    run = overgang(database.url, "backup", str(existing))
    assert run.returncode != 0
    assert run.stderr == f"CommandError: {existing} already exists: name a new file.\n"
    assert existing.read_text() == "an earlier backup"


def test_restore_without_yes_changes_nothing(database, tmp_path):
    backup = backup_file(database, tmp_path)
    ran(database.url, "backup", str(backup))
    ran(database.url, "shell", "-c", CHANGE)
    changed = database.row_counts()

    run = overgang(database.url, "restore", str(backup))
    assert run.returncode != 0
    assert run.stderr.count("\n") == 1
    assert "Run again with --yes to go on; nothing was changed." in run.stderr
    assert str(backup) in run.stderr
    assert database.row_counts() == changed
    ran(database.url, "restore", str(backup), "--yes")  # as it was, for the next test


def _refused(database: Database, path: Path, why: str) -> None:
    before = database.row_counts()
    run = overgang(database.url, "restore", str(path), "--yes")
    assert run.returncode != 0
    assert run.stderr.count("\n") == 1, run.stderr
    assert str(path) in run.stderr
    assert why in run.stderr
    assert run.stderr.rstrip().endswith("nothing was changed.")
    assert database.row_counts() == before


def test_restore_refuses_a_missing_file(database, tmp_path):
    _refused(database, tmp_path / "gone.dump", "there is no such file")


def test_restore_refuses_a_file_that_is_no_backup(database, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a backup\n")
    _refused(database, notes, "is neither an SQLite database nor a PostgreSQL dump")


def test_restore_refuses_a_backup_of_the_other_database(database, tmp_path):
    if database.sqlite_path is not None:
        other = tmp_path / "other.dump"
        other.write_bytes(b"PGDMP\x01\x0f\x00" + bytes(100))
        _refused(database, other, "is a PostgreSQL dump (pg_dump --format=custom), not a backup")
    else:
        other = tmp_path / "other.sqlite3"
        with closing(sqlite3.connect(other)) as db:
            db.execute("CREATE TABLE t (x)")
        _refused(database, other, "is an SQLite database, not a backup for DATABASE_URL=")


def test_restore_refuses_an_sqlite_database_that_is_not_overgangs(tmp_path, sqlite_template):
    live = tmp_path / "overgang.sqlite3"
    shutil.copyfile(sqlite_template, live)
    stranger = tmp_path / "stranger.sqlite3"
    with closing(sqlite3.connect(stranger)) as db:
        db.execute("CREATE TABLE recipes (name)")
    _refused(Database(f"sqlite:///{live}", live), stranger, "is not a backup of Overgang")


def test_restore_refuses_a_backup_newer_than_the_code(database, tmp_path):
    future = "INSERT INTO django_migrations (app, name, applied) VALUES"
    future += " ('stays', '9999_from_a_later_version', CURRENT_TIMESTAMP)"
    database.execute(future)
    backup = backup_file(database, tmp_path)
    ran(database.url, "backup", str(backup))
    database.execute("DELETE FROM django_migrations WHERE name = '9999_from_a_later_version'")

    _refused(database, backup, "is newer than this code")
    run = overgang(database.url, "restore", str(backup), "--yes")
    assert "stays.9999_from_a_later_version" in run.stderr


def test_a_backup_older_than_the_code_is_restored_and_asks_for_migrate(database, tmp_path):
    last = "SELECT MAX(name) FROM django_migrations WHERE app = 'stays'"
    if database.sqlite_path is not None:
        with closing(sqlite3.connect(database.sqlite_path)) as db:
            (name,) = db.execute(last).fetchone()
    else:
        with psycopg.connect(database.url) as db:
            row = db.execute(last).fetchone()
            assert row is not None
            name = row[0]
    database.execute(f"DELETE FROM django_migrations WHERE app = 'stays' AND name = '{name}'")
    backup = backup_file(database, tmp_path)
    ran(database.url, "backup", str(backup))
    database.execute(
        "INSERT INTO django_migrations (app, name, applied)"
        f" VALUES ('stays', '{name}', CURRENT_TIMESTAMP)"
    )

    run = ran(database.url, "restore", str(backup), "--yes")
    assert run.stderr == (
        "The backup is older than this code: 1 migration is not applied."
        " Run `overgang migrate` before starting the server and the worker.\n"
    )
    # As the code expects again, for the next test.
    database.execute(
        "INSERT INTO django_migrations (app, name, applied)"
        f" VALUES ('stays', '{name}', CURRENT_TIMESTAMP)"
    )


def test_an_sqlite_backup_taken_while_another_connection_writes_is_consistent(
    tmp_path, sqlite_template
):
    """A writer adds sessions in transactions of 50; the backup holds whole transactions
    only, and every one committed before it started."""
    live = tmp_path / "overgang.sqlite3"
    shutil.copyfile(sqlite_template, live)
    committed = 0
    stop = threading.Event()

    def write() -> None:
        nonlocal committed
        with closing(sqlite3.connect(live, timeout=20)) as db:
            db.execute("PRAGMA journal_mode=WAL")
            batch = 0
            while not stop.is_set():
                with db:
                    db.executemany(
                        "INSERT INTO django_session (session_key, session_data, expire_date)"
                        " VALUES (?, 'x', '2099-01-01')",
                        [(f"b{batch:06d}-{n:02d}",) for n in range(50)],
                    )
                batch += 1
                committed = batch

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while committed < 20:
            time.sleep(0.01)
        before = committed
        backup = tmp_path / "backup.sqlite3"
        ran(f"sqlite:///{live}", "backup", str(backup))
        during = committed
    finally:
        stop.set()
        writer.join()

    assert during > before  # the writer went on while the backup was taken
    with closing(sqlite3.connect(backup)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        sizes = db.execute(
            "SELECT substr(session_key, 1, 7), COUNT(*) FROM django_session GROUP BY 1"
        ).fetchall()
    assert {size for _, size in sizes} == {50}
    assert len(sizes) >= before


@on_postgresql
def test_a_missing_pg_dump_is_named_in_one_line_without_the_password(postgresql_scratch, tmp_path):
    url, shown = with_password(postgresql_scratch, "s3cret")
    run = overgang(url, "backup", str(tmp_path / "b.dump"), PATH=str(tmp_path / "no-tools"))
    assert run.returncode != 0
    assert run.stderr == (
        f"CommandError: pg_dump is not installed (not on PATH): it is needed for DATABASE_URL="
        f"{shown}; install the PostgreSQL client of the server's version.\n"
    )
    assert "s3cret" not in run.stdout + run.stderr
    assert list(tmp_path.iterdir()) == []


@on_postgresql
def test_a_failing_pg_dump_is_named_in_one_line_and_leaves_no_file(postgresql_scratch, tmp_path):
    tools = tmp_path / "tools"
    tools.mkdir()
    fake = tools / "pg_dump"
    fake.write_text(
        "#!/bin/sh\necho 'pg_dump: error: server version: 99.0; pg_dump version: 15.2' >&2\n"
        'echo "$@ $PGPASSWORD" > "$(dirname "$0")/called"\nexit 1\n'
    )
    fake.chmod(0o755)
    url, shown = with_password(postgresql_scratch, "s3cret")
    target = tmp_path / "b.dump"
    run = overgang(url, "backup", str(target), PATH=f"{tools}{os.pathsep}/usr/bin:/bin")
    assert run.returncode != 0
    assert run.stderr == (
        f"CommandError: pg_dump failed for DATABASE_URL={shown}:"
        " pg_dump: error: server version: 99.0; pg_dump version: 15.2\n"
    )
    # The password reached pg_dump through its environment, not its command line.
    arguments, password = (tools / "called").read_text().rsplit(" ", 1)
    assert password.strip() == "s3cret" and "s3cret" not in arguments
    assert not target.exists() and [p.name for p in tmp_path.iterdir()] == ["tools"]


@on_postgresql
def test_restore_refuses_a_database_migrated_past_the_backup(postgresql_scratch, tmp_path):
    """pg_restore --clean recreates only the backup's tables; a table of a later migration
    would stay behind and make `migrate` fail."""
    database = Database(postgresql_scratch, None)
    backup = backup_file(database, tmp_path)
    ran(database.url, "backup", str(backup))
    database.execute("CREATE TABLE stays_from_a_later_migration (id integer)")
    try:
        _refused(database, backup, "has tables that")
        run = overgang(database.url, "restore", str(backup), "--yes")
        assert "(stays_from_a_later_migration): it was migrated past the backup" in run.stderr
    finally:
        database.execute("DROP TABLE stays_from_a_later_migration")
