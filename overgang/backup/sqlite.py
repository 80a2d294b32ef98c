"""SQLite: backup and restore through SQLite's online backup API.

The API copies the database page by page as one consistent snapshot: the server and the
worker may write meanwhile (WAL), and a backup never holds half of a transaction. Copying
the file with `cp` would not be safe: the last transactions may still be in the -wal file."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from django.core.management.base import CommandError

from overgang.backup.schema_level import Migration

# Seconds to wait for a writer's lock before giving up (the server's own setting).
BUSY_TIMEOUT = 20


def row_counts(path: Path) -> dict[str, int]:
    """Rows per table of the SQLite database at `path`."""
    with closing(_open(path, read_only=True)) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def back_up(live: Path, target: Path) -> None:
    try:
        with closing(_open(live, read_only=True)) as source, closing(_open(target)) as copy:
            # All pages in one step: the copy is the database as of one moment.
            source.backup(copy)
            # One self-contained file: no -wal or -shm beside it when it is read or moved.
            copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as error:
        raise CommandError(f"cannot back up {live}: {error}") from None


def restore(backup: Path, live: Path) -> None:
    """Replace the database at `live` with the one in `backup`, in one step: until it ends,
    others still see the old data; it waits for (or fails on) a writer's lock."""
    try:
        with closing(_open(backup, read_only=True)) as source, closing(_open(live)) as database:
            source.backup(database)
    except sqlite3.Error as error:
        raise CommandError(f"cannot restore {backup} into {live}: {error}") from None


def applied_migrations(path: Path) -> list[Migration] | None:
    """The migrations the database at `path` has applied; None if it is not Overgang's."""
    try:
        with closing(_open(path, read_only=True)) as db:
            rows = db.execute("SELECT app, name FROM django_migrations").fetchall()
    except sqlite3.DatabaseError:
        return None
    return [(app, name) for app, name in rows]


def _open(path: Path, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        # mode=ro: a mistyped path is an error, not a new empty database.
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT)
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT)
