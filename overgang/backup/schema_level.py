"""Which migrations a backup has applied, compared with those this code knows.

A backup newer than the code (it has migrations this code does not know) would leave the
code on tables it does not understand: refused before anything changes. A backup older
than the code is restored, and the operator is told to run `overgang migrate`."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.migrations.loader import MigrationLoader

Migration = tuple[str, str]  # (app label, migration name), as django_migrations keeps them


def unknown_to_the_code(applied: Iterable[Migration]) -> list[Migration]:
    """Migrations of this code's apps that the backup applied but the code does not have.

    Rows of apps the code no longer has are left out: their tables are nobody's."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.graph.nodes)
    return sorted(m for m in set(applied) if m[0] in loader.migrated_apps and m not in known)


def described(migrations: list[Migration], most: int = 3) -> str:
    names = ", ".join(f"{app}.{name}" for app, name in migrations[:most])
    more = len(migrations) - most
    return names + (f" and {more} more" if more > 0 else "")
