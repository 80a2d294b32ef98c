"""`overgang backup [PATH]`: a backup of the database of DATABASE_URL, while it is in use.

SQLite: a copy through SQLite's online backup API. PostgreSQL: pg_dump --format=custom.
Without PATH the file goes to var/backups/overgang-<UTC time>.sqlite3 (or .dump)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from overgang.backup import postgresql, sqlite
from overgang.backup.counts import counts_lines
from overgang.backup.files import default_path, size_shown, written_whole
from overgang.database import shown


class Command(BaseCommand):
    help = "Back up the database of DATABASE_URL into a file (docs/operations.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            help="The file to write; a new one (default: var/backups/overgang-<UTC time>).",
        )

    def handle(self, *args: Any, path: Path | None, verbosity: int, **options: Any) -> None:
        url = shown(settings.DATABASE_URL)
        if connection.vendor == "sqlite":
            live = Path(connection.settings_dict["NAME"])
            if not live.is_file():
                raise CommandError(f"there is no database at {live} (DATABASE_URL={url}).")
            target = path or default_path(".sqlite3")
            with written_whole(target) as partial:
                sqlite.back_up(live, partial)
            counts = sqlite.row_counts(target)
        else:
            database = postgresql.Database(connection.settings_dict, url)
            target = path or default_path(".dump")
            with written_whole(target) as partial:
                counts = postgresql.dump(database, partial)
        self.stdout.write(f"Backed up DATABASE_URL={url} into {target} ({size_shown(target)}).")
        if verbosity >= 1:
            self.stdout.write("\n".join(counts_lines(counts)))
