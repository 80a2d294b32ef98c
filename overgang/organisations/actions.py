"""The only writers of organisations, users and memberships."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from overgang.audit.history import record_change, save_changed, snapshot
from overgang.audit.models import ChangeAction
from overgang.organisations.models import Membership, Organisation
from overgang.organisations.register import COLUMNS, RegisterRow, Stored, read_register

AREAS_FILE = Path(__file__).with_name("data") / "areas.toml"
ORGANISATION_FIELDS = (
    "kind",
    "name",
    "parent",
    "country",
    "number",
    "her_id",
    "sor_id",
    "address",
    "phone",
    "email",
    "opening_hours",
)


def _put(by_key: dict[str, Organisation], key: str, values: dict[str, Any], *, actor: User) -> str:
    """Create the organisation `key` with `values`, or set them on it, with its history row;
    says which it was: "created", "changed" or "unchanged" (nothing written)."""
    org = by_key.get(key)
    if org is None:
        org = Organisation.objects.create(key=key, **values)
        record_change(
            org, actor=actor, action=ChangeAction.CREATED, after=snapshot(org, ORGANISATION_FIELDS)
        )
        by_key[key] = org
        return "created"
    if all(_holds(org, field, value) for field, value in values.items()):
        return "unchanged"
    save_changed(org, ORGANISATION_FIELDS, values, actor=actor)
    return "changed"


def _holds(org: Organisation, field: str, value: Any) -> bool:
    """Does the organisation already hold `value`? The parent by its id, so that comparing
    does not load every parent."""
    if field == "parent":
        return org.parent_id == (value.pk if value is not None else None)
    return bool(getattr(org, field) == value)


def load_organisations(*, actor: User, path: Path = AREAS_FILE) -> int:
    """Create or update the organisations in a data file; returns how many changed."""
    with path.open("rb") as file:
        entries: list[dict[str, Any]] = tomllib.load(file)["organisation"]
    changed = 0
    with transaction.atomic():
        by_key = {org.key: org for org in Organisation.objects.all()}
        for entry in entries:
            values = {field: entry.get(field, "") for field in ORGANISATION_FIELDS}
            values["parent"] = by_key[entry["parent"]] if entry.get("parent") else None
            if _put(by_key, entry["key"], values, actor=actor) != "unchanged":
                changed += 1
    return changed


@dataclass(frozen=True)
class ImportResult:
    created: int
    changed: int
    unchanged: int

    def __str__(self) -> str:
        return f"created {self.created}, changed {self.changed}, unchanged {self.unchanged}"


def import_organisations(lines: Iterable[str], *, actor: User) -> ImportResult:
    """Create or update the organisations of a register file (CSV, see `register.py`),
    matched by key: all rows or none. Raises RegisterError, naming the line and the column,
    before anything changes."""
    counts = {"created": 0, "changed": 0, "unchanged": 0}
    with transaction.atomic():
        by_key = {org.key: org for org in Organisation.objects.select_for_update().order_by("pk")}
        parents = {org.pk: org.key for org in by_key.values()}
        stored = [
            Stored(
                key=org.key,
                parent=parents.get(org.parent_id) if org.parent_id else None,
                country=org.country,
                kind=org.kind,
                number=org.number,
                her_id=org.her_id,
                sor_id=org.sor_id,
            )
            for org in by_key.values()
        ]
        rows = read_register(lines, stored)
        for row in _parents_first(rows):
            values: dict[str, Any] = {
                column: row.values[column] for column in COLUMNS if column not in ("key", "parent")
            }
            values["parent"] = by_key[row.values["parent"]] if row.values["parent"] else None
            counts[_put(by_key, row.key, values, actor=actor)] += 1
    return ImportResult(**counts)


def _parents_first(rows: list[RegisterRow]) -> list[RegisterRow]:
    """The rows in an order where a parent in the file comes before its children (the
    register has no cycles: `read_register` checked)."""
    in_file = {row.key: row for row in rows}
    ordered: list[RegisterRow] = []
    placed: set[str] = set()
    for row in rows:
        chain: list[RegisterRow] = []
        node: RegisterRow | None = row
        while node is not None and node.key not in placed:
            chain.append(node)
            node = in_file.get(node.values["parent"])
        for pending in reversed(chain):
            placed.add(pending.key)
            ordered.append(pending)
    return ordered


def create_user(
    *,
    actor: User,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_superuser: bool = False,
) -> User:
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            password=password,
            first_name=first_name,
            last_name=last_name,
            email=email,
            is_superuser=is_superuser,
            is_staff=is_superuser,
        )
        record_change(
            user,
            actor=actor,
            action=ChangeAction.CREATED,
            after=snapshot(user, ("username", "first_name", "last_name", "email", "is_superuser")),
        )
    return user


def add_membership(user: User, organisation: Organisation, role: str, *, actor: User) -> Membership:
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, role=role
        )
        if created:
            record_change(
                membership,
                actor=actor,
                action=ChangeAction.CREATED,
                after={"user": str(user), "organisation": str(organisation), "role": role},
            )
    return membership


def remove_membership(membership: Membership, *, actor: User, reason: str = "") -> None:
    """The user no longer works there in that role: access ends when this commits."""
    with transaction.atomic():
        record_change(
            membership,
            actor=actor,
            action=ChangeAction.DELETED,
            before={
                "user": str(membership.user),
                "organisation": str(membership.organisation),
                "role": membership.role,
            },
            reason=reason,
        )
        membership.delete()
