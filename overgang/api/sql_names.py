"""The names a model's table and columns have in the database, for the few answers whose
lists are read as JSON in their object's own row, in SQL written once (a stay's, a
requisition's): named from the models, so that a renamed column is followed."""

from __future__ import annotations

from typing import Any


def table(model: Any) -> str:
    return str(model._meta.db_table)


def column(model: Any, name: str) -> str:
    """The column of the field `name` (a foreign key's `…_id`)."""
    return str(model._meta.get_field(name).column)
