"""Backup and restore of Overgang's database: `overgang backup` and `overgang restore`.

Everything Overgang keeps is in its database, uploaded manuals and procedures included
(BinaryField), so one database backup is one whole backup (docs/operations.md, "Backup and
restore"). SQLite is copied with its online backup API, PostgreSQL dumped with pg_dump.
"""
