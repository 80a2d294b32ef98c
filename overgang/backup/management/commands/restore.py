"""`overgang restore PATH --yes`: replace the data of DATABASE_URL with a backup.

Everything that is checked is checked before anything changes: the file is a backup of the
right kind (SQLite for SQLite, a pg_dump for PostgreSQL), of Overgang, and not newer than
this code. Stop the server and the worker first (docs/operations.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from overgang.backup import postgresql, sqlite
from overgang.backup.counts import counts_lines
from overgang.backup.kinds import Kind, kind_of
from overgang.backup.schema_level import described, unknown_to_the_code
from overgang.database import shown

UNCHANGED = "nothing was changed"


class Command(BaseCommand):
    help = "Replace the data of DATABASE_URL with a backup made by `overgang backup`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The backup file.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Replace the current data without asking (it is lost; see docs/operations.md).",
        )

    def handle(self, *args: Any, path: Path, yes: bool, verbosity: int, **options: Any) -> None:
        url = shown(settings.DATABASE_URL)
        if not path.is_file():
            raise CommandError(f"{path}: there is no such file; {UNCHANGED}.")
        on_sqlite = connection.vendor == "sqlite"
        kind = kind_of(path)
        if kind is not (Kind.SQLITE if on_sqlite else Kind.PG_DUMP):
            raise CommandError(
                f"{path} is {kind.value}, not a backup for DATABASE_URL={url}"
                f" ({connection.display_name}); {UNCHANGED}."
            )
        database = postgresql.Database(connection.settings_dict, url)
        applied = (
            sqlite.applied_migrations(path)
            if on_sqlite
            else postgresql.applied_migrations(database, path)
        )
        if not applied:
            raise CommandError(
                f"{path} is not a backup of Overgang (it has no migrations); {UNCHANGED}."
            )
        if newer := unknown_to_the_code(applied):
            raise CommandError(
                f"{path} is newer than this code: it has migrations the code does not know"
                f" ({described(newer)}). Restore it with the version of Overgang that made it;"
                f" {UNCHANGED}."
            )
        if not on_sqlite:
            self._refuse_tables_the_backup_lacks(database, path, url)
        self._confirm(path, url, yes)

        connection.close()
        if on_sqlite:
            live = Path(connection.settings_dict["NAME"])
            sqlite.restore(path, live)
            counts = sqlite.row_counts(live)
        else:
            postgresql.restore(database, path)
            with database.connect() as db:
                counts = postgresql.row_counts(db)
        self.stdout.write(f"Restored {path} into DATABASE_URL={url}.")
        if verbosity >= 1:
            self.stdout.write("\n".join(counts_lines(counts)))
        self._tell_of_migrations_to_apply()

    def _refuse_tables_the_backup_lacks(
        self, database: postgresql.Database, path: Path, url: str
    ) -> None:
        """pg_restore --clean drops and recreates the tables in the dump only. Tables of later
        migrations would stay behind, and `migrate` would fail to create them again."""
        extra = sorted(postgresql.live_tables(database) - postgresql.tables_in(database, path))
        if extra:
            names = ", ".join(extra[:3]) + (f" and {len(extra) - 3} more" if len(extra) > 3 else "")
            raise CommandError(
                f"DATABASE_URL={url} has tables that {path} has not ({names}): it was migrated"
                " past the backup. Restore into an empty database (drop and create it again,"
                f" then run restore); {UNCHANGED}."
            )

    def _confirm(self, path: Path, url: str, yes: bool) -> None:
        if yes:
            return
        question = f"This replaces all data of DATABASE_URL={url} with {path}; what was"
        question += " written since that backup is lost."
        if not sys.stdin.isatty():
            raise CommandError(f"{question} Run again with --yes to go on; {UNCHANGED}.")
        if input(f"{question} Type yes to go on: ").strip().lower() != "yes":
            raise CommandError(f"{path} not restored: not confirmed; {UNCHANGED}.")

    def _tell_of_migrations_to_apply(self) -> None:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            missing = "1 migration is" if len(pending) == 1 else f"{len(pending)} migrations are"
            self.stderr.write(
                f"The backup is older than this code: {missing} not applied."
                " Run `overgang migrate` before starting the server and the worker."
            )
