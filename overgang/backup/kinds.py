"""What a file is, by its first bytes: an SQLite database, a pg_dump archive or neither.

The restore reads this before it changes anything, so a file of the wrong kind is refused
with its name instead of failing half-way through the database."""

from __future__ import annotations

import enum
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
# pg_dump --format=custom starts with this; the plain and directory formats do not.
PG_DUMP_HEADER = b"PGDMP"


class Kind(enum.Enum):
    SQLITE = "an SQLite database"
    PG_DUMP = "a PostgreSQL dump (pg_dump --format=custom)"
    OTHER = "neither an SQLite database nor a PostgreSQL dump"


def kind_of(path: Path) -> Kind:
    with path.open("rb") as file:
        start = file.read(len(SQLITE_HEADER))
    if start == SQLITE_HEADER:
        return Kind.SQLITE
    if start.startswith(PG_DUMP_HEADER):
        return Kind.PG_DUMP
    return Kind.OTHER
