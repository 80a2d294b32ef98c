"""PostgreSQL: backup with pg_dump --format=custom, restore with pg_restore.

The tools get the connection through the environment (PGHOST, PGUSER, PGPASSWORD …), never
on their command line, where every user of the machine could read the password (ps). What
is printed names the database by overgang.database.shown: without its password."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psycopg
from django.core.management.base import CommandError
from psycopg.conninfo import make_conninfo

from overgang.backup.schema_level import Migration

# Django's OPTIONS that libpq also reads from the environment.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}
# A line of `pg_restore --list`: "215; 1259 16390 TABLE public aids_aidtype owner".
LISTED_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ")


class Database:
    """The database of DATABASE_URL, as pg_dump, pg_restore and psycopg reach it."""

    def __init__(self, settings_dict: dict[str, Any], shown_url: str) -> None:
        self.settings = settings_dict
        self.shown_url = shown_url

    @property
    def name(self) -> str:
        return str(self.settings["NAME"])

    def tool_env(self) -> dict[str, str]:
        env = dict(os.environ)
        given = {
            "PGHOST": self.settings.get("HOST"),
            "PGPORT": self.settings.get("PORT"),
            "PGUSER": self.settings.get("USER"),
            "PGPASSWORD": self.settings.get("PASSWORD"),
            "PGDATABASE": self.name,
        }
        options = self.settings.get("OPTIONS", {})
        given.update({variable: options.get(key) for key, variable in LIBPQ_OPTIONS.items()})
        env.update({variable: str(value) for variable, value in given.items() if value})
        return env

    def connect(self) -> psycopg.Connection[Any]:
        """A connection of its own, outside Django's pool."""
        try:
            return psycopg.connect(make_conninfo("", **self.libpq_params()))
        except psycopg.OperationalError as error:
            why = _last_line(str(error))
            raise CommandError(f"cannot connect to DATABASE_URL={self.shown_url}: {why}") from None

    def libpq_params(self) -> dict[str, str]:
        env = self.tool_env()
        names = {"PGHOST": "host", "PGPORT": "port", "PGUSER": "user", "PGPASSWORD": "password"}
        params = {param: env[variable] for variable, param in names.items() if variable in env}
        options = self.settings.get("OPTIONS", {})
        params.update({key: str(options[key]) for key in LIBPQ_OPTIONS if options.get(key)})
        return {**params, "dbname": self.name}

    def run(self, tool: str, arguments: Sequence[str]) -> subprocess.CompletedProcess[str]:
        """Run a PostgreSQL client tool; a missing tool or its failure ends the command with
        one line naming the tool and the database."""
        found = shutil.which(tool)
        if found is None:
            raise CommandError(
                f"{tool} is not installed (not on PATH): it is needed for DATABASE_URL="
                f"{self.shown_url}; install the PostgreSQL client of the server's version."
            )
        ran = subprocess.run(
            [found, *arguments], env=self.tool_env(), capture_output=True, text=True
        )
        if ran.returncode != 0:
            raise CommandError(
                f"{tool} failed for DATABASE_URL={self.shown_url}: {_last_line(ran.stderr)}"
            )
        return ran


def dump(database: Database, target: Path) -> dict[str, int]:
    """Dump the database into `target`; the rows per table the dump holds.

    The rows are counted in the very snapshot pg_dump dumps (pg_export_snapshot): the
    counts are those of the file, not of a moment before or after."""
    with database.connect() as db:
        db.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with db.transaction():
            row = db.execute("SELECT pg_export_snapshot()").fetchone()
            assert row is not None
            database.run(
                "pg_dump",
                ["--format=custom", f"--snapshot={row[0]}", f"--file={target}", "--no-password"],
            )
            return row_counts(db)


def row_counts(db: psycopg.Connection[Any]) -> dict[str, int]:
    counts = {}
    for table in sorted(_tables(db)):
        row = db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()
        assert row is not None
        counts[table] = int(row[0])
    return counts


def live_tables(database: Database) -> set[str]:
    with database.connect() as db:
        return _tables(db)


def _tables(db: psycopg.Connection[Any]) -> set[str]:
    """The tables of the schema Overgang's tables are in (the connection's current one)."""
    query = (
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
    )
    return {name for (name,) in db.execute(query)}


def tables_in(database: Database, backup: Path) -> set[str]:
    """The tables the dump `backup` creates (its table of contents)."""
    listed = database.run("pg_restore", ["--list", str(backup)]).stdout
    return {m.group(2) for line in listed.splitlines() if (m := LISTED_TABLE.match(line))}


def applied_migrations(database: Database, backup: Path) -> list[Migration] | None:
    """The migrations the dump has applied; None if it holds no Django migrations table."""
    if "django_migrations" not in tables_in(database, backup):
        return None
    script = database.run(
        "pg_restore", ["--data-only", "--table=django_migrations", "--file=-", str(backup)]
    ).stdout
    return _copied_rows(script, "django_migrations")


def restore(database: Database, backup: Path) -> None:
    """Replace the database's tables with the dump's, in one transaction: a restore that
    fails leaves the database as it was."""
    database.run(
        "pg_restore",
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={database.name}",
            str(backup),
        ],
    )


def _copied_rows(script: str, table: str) -> list[Migration]:
    """(app, name) of the rows a pg_restore script COPYs into django_migrations."""
    lines = iter(script.splitlines())
    for line in lines:
        header = re.match(rf"^COPY \S*{table} \((.*)\) FROM stdin;$", line)
        if header is None:
            continue
        columns = [c.strip().strip('"') for c in header.group(1).split(",")]
        app, name = columns.index("app"), columns.index("name")
        rows = []
        for row in csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row == ["\\."]:
                break
            rows.append((row[app], row[name]))
        return rows
    return []


def _last_line(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return lines[-1] if lines else "no message"
