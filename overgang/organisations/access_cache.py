"""What a process remembers between requests about who may do what: the user behind an API
token, a user's memberships with their organisations' ancestry, and the tree of
organisations.

Reading both costs two queries on every request (one of them a join over five levels of
organisations). Instead each request reads one small row, the access stamp, and uses what
it remembered only while the stamp is unchanged. Every change that may change access
(users, memberships, tokens, organisations) writes a new stamp in its own transaction, so
another process sees the change from the moment it commits. Where the stamp row is missing
(an emptied test database) nothing is remembered.

The stamp is renewed by signals, so the admin and the shell count too; writes that send no
signals (QuerySet.update, bulk_create, data migrations) must call `new_stamp()` themselves
if they change users, memberships, tokens or organisations.
"""

from __future__ import annotations

import copy
import datetime
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.db.models.signals import post_delete, post_save

from overgang.organisations.models import AccessStamp, ApiToken, Membership, Organisation

MOST_REMEMBERED = 5000  # users or tokens per process; the least recently used go first
STAMP_ID = 1


class _Remembered(OrderedDict[Any, Any]):
    """A small LRU map, safe to share between the threads of a process."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()

    def recall(self, key: Any, stamp: str) -> Any | None:
        with self.lock:
            found = self.get(key)
            if found is None or found[0] != stamp:
                return None
            self.move_to_end(key)
            return found[1]

    def keep(self, key: Any, stamp: str, value: Any) -> None:
        with self.lock:
            self[key] = (stamp, value)
            self.move_to_end(key)
            while len(self) > MOST_REMEMBERED:
                self.popitem(last=False)


_tokens = _Remembered()
_memberships = _Remembered()
_trees = _Remembered()


def current_stamp() -> str | None:
    """The access stamp as committed (or as this transaction changed it); None if missing."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {AccessStamp._meta.db_table} WHERE id = %s", [STAMP_ID])
        row = cursor.fetchone()
    return row[0] if row else None


NOT_ACCESS = frozenset({"last_login"})


def new_stamp(
    sender: Any = None, created: bool = False, update_fields: Any = None, **_: Any
) -> None:
    """Access may have changed: whatever a process remembers is out of date. Not for a new
    token (it is read the first time it is used) nor a login's note of when it was."""
    if sender is ApiToken and created:
        return
    if update_fields is not None and set(update_fields) <= NOT_ACCESS:
        return
    AccessStamp.objects.update_or_create(pk=STAMP_ID, defaults={"value": uuid.uuid4().hex})


for model in (User, Membership, ApiToken, Organisation):
    post_save.connect(new_stamp, sender=model, dispatch_uid=f"access-stamp-save-{model.__name__}")
    post_delete.connect(
        new_stamp, sender=model, dispatch_uid=f"access-stamp-delete-{model.__name__}"
    )


@dataclass(frozen=True)
class TokenFacts:
    token_id: int
    user: User
    expires_at: datetime.datetime
    last_used_at: datetime.datetime | None


def recall_token(digest: str, stamp: str | None) -> TokenFacts | None:
    return _tokens.recall(digest, stamp) if stamp else None


def keep_token(digest: str, stamp: str | None, facts: TokenFacts) -> None:
    if stamp:
        _tokens.keep(digest, stamp, facts)


def user_of(facts: TokenFacts) -> User:
    """A fresh copy of the remembered user: each request may set attributes on its own."""
    return copy.copy(facts.user)


def recall_memberships(user_id: int, stamp: str | None) -> list[Membership] | None:
    found = _memberships.recall(user_id, stamp) if stamp else None
    return list(found) if found is not None else None


def keep_memberships(user_id: int, stamp: str | None, memberships: list[Membership]) -> None:
    if stamp:
        _memberships.keep(user_id, stamp, tuple(memberships))


def organisation_children(stamp: str | None) -> dict[int | None, tuple[int, ...]]:
    """The ids of each organisation's children (under None: those with no parent)."""
    found: dict[int | None, tuple[int, ...]] | None = (
        _trees.recall("children", stamp) if stamp else None
    )
    if found is None:
        children: dict[int | None, list[int]] = {}
        for pk, parent in Organisation.objects.order_by().values_list("pk", "parent_id"):
            children.setdefault(parent, []).append(pk)
        found = {parent: tuple(pks) for parent, pks in children.items()}
        if stamp:
            _trees.keep("children", stamp, found)
    return found


def forget_everything() -> None:
    """For tests that change the database behind the ORM's back."""
    _tokens.clear()
    _memberships.clear()
    _trees.clear()
