"""What a process remembers between requests about who may do what: a user's memberships with
their organisations' ancestry, the permissions granted to them and their groups in the admin
(organisations/permission_backend.py), and the organisations themselves: their tree, and the
register of every organisation with its parents.

Reading them costs two queries on every request (one of them a join over five levels of
organisations). Instead each request reads one small row, the access stamp, and uses what
it remembered only while the stamp is unchanged. Every change that may change access
(users, memberships, tokens, organisations, groups, permissions and who holds them) writes a
new stamp in its own transaction, so
another process sees the change from the moment it commits. Where the stamp row is missing
(an emptied test database) nothing is remembered.

The stamp is renewed by signals, so the admin and the shell count too; writes that send no
signals (QuerySet.update, bulk_create, data migrations) must call `new_stamp()` themselves
if they change users, memberships, tokens, organisations, groups or permissions.

The user behind an API token is not remembered: whether a token still works depends on its
user being active and keeping their password, which a bulk update changes without a signal.
The token's own lookup reads the user and the stamp in one query (organisations/tokens.py).
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save

from overgang.organisations.models import AccessStamp, ApiToken, Membership, Organisation

MOST_REMEMBERED = 5000  # users per process; the least recently used go first
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


_memberships = _Remembered()
_permissions = _Remembered()
_trees = _Remembered()
# The register a block of work pinned (see `register_pinned`), in this thread or task.
_pinned: ContextVar[Register | None] = ContextVar("overgang_register", default=None)


def current_stamp() -> str | None:
    """The access stamp as committed (or as this transaction changed it); None if missing."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {AccessStamp._meta.db_table} WHERE id = %s", [STAMP_ID])
        row = cursor.fetchone()
    return row[0] if row else None


# Where a request keeps, on its user, the access stamp it read first: what it remembers by
# the stamp (permissions, memberships, the register) is all of that one moment.
_STAMP_OF_REQUEST = "_overgang_access_stamp"


def stamp_read_by(user: Any) -> str | None:
    """The access stamp `user`'s request has read so far; None if it read none."""
    found: str | None = getattr(user, _STAMP_OF_REQUEST, None)
    return found


def keep_stamp(user: Any, stamp: str | None) -> None:
    """`user`'s request goes by `stamp` from now on (read with its token, say)."""
    setattr(user, _STAMP_OF_REQUEST, stamp)
    _notice(stamp)


# What else a process keeps that another process's change may outdate, told when a request
# reads a stamp this process has not seen: the approved agreement versions
# (overgang/revisions/published.py) ride on the stamp instead of a query of their own.
_listeners: list[Callable[[], None]] = []
_seen: list[str | None] = [None]


def on_new_stamp(listener: Callable[[], None]) -> None:
    """Call `listener` whenever a request in this process reads a stamp it had not seen."""
    if listener not in _listeners:
        _listeners.append(listener)


def _notice(stamp: str | None) -> None:
    if stamp is None or stamp == _seen[0]:
        return
    # Marked seen only once every listener has caught up: a listener that failed (the
    # database went away) is asked again by the next request, and a thread arriving
    # meanwhile asks too rather than answer from what is out of date.
    for listener in _listeners:
        listener()
    _seen[0] = stamp


def forget_seen_stamp() -> None:
    """As a process that has seen no stamp yet (tests: a worker that missed a change)."""
    _seen[0] = None


def stamp_of_request(user: Any) -> str | None:
    """The access stamp `user`'s request goes by: the one it read first, else read now and
    kept for the rest of the request."""
    stamp = stamp_read_by(user) or current_stamp()
    keep_stamp(user, stamp)
    return stamp


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
    # A block that pinned the register reads it afresh from now on.
    _pinned.set(None)


def new_stamp_for_links(sender: Any = None, action: str = "", **_: Any) -> None:
    """A user joined or left a group, or a user or group gained or lost a permission (from
    either side of the link); `pre_` actions change nothing yet."""
    if action.startswith("post_"):
        new_stamp()


# Who holds which permission, changed through the links (`user.groups.add`, from either side):
# signalled as m2m_changed. Their rows written directly (`User.groups.through.objects`) send
# no signal at all, as Django sends none for an auto-created table: call `new_stamp()` then.
PERMISSION_LINKS = (User.groups.through, User.user_permissions.through, Group.permissions.through)

for model in (User, Membership, ApiToken, Organisation, Group, Permission):
    post_save.connect(new_stamp, sender=model, dispatch_uid=f"access-stamp-save-{model.__name__}")
    post_delete.connect(
        new_stamp, sender=model, dispatch_uid=f"access-stamp-delete-{model.__name__}"
    )
for link in PERMISSION_LINKS:
    m2m_changed.connect(
        new_stamp_for_links, sender=link, dispatch_uid=f"access-stamp-link-{link.__name__}"
    )


def recall_memberships(user_id: int, stamp: str | None) -> list[Membership] | None:
    found = _memberships.recall(user_id, stamp) if stamp else None
    return list(found) if found is not None else None


def keep_memberships(user_id: int, stamp: str | None, memberships: list[Membership]) -> None:
    if stamp:
        _memberships.keep(user_id, stamp, tuple(memberships))


def recall_permissions(user_id: int, stamp: str | None) -> frozenset[str] | None:
    return _permissions.recall(user_id, stamp) if stamp else None


def keep_permissions(user_id: int, stamp: str | None, permissions: frozenset[str]) -> None:
    if stamp:
        _permissions.keep(user_id, stamp, permissions)


def organisation_children(stamp: str | None) -> dict[int | None, tuple[int, ...]]:
    """The ids of each organisation's children (under None: those with no parent)."""
    return register(stamp).child_ids


@dataclass(frozen=True)
class Register:
    """Every organisation, each linked to its parent, as of one access stamp. The rows are
    shared by the threads of the process: read them, never change or save them."""

    by_id: dict[int, Organisation]
    by_key: dict[str, Organisation]
    children: dict[int | None, tuple[Organisation, ...]]  # by name
    child_ids: dict[int | None, tuple[int, ...]]  # the same, by id (the scope's walk)
    # Each country's organisations by HER-id and by SOR-id; where two share an id, the
    # last by name.
    by_her_id: dict[tuple[str, str], Organisation]
    by_sor_id: dict[tuple[str, str], Organisation]

    def get(self, pk: int) -> Organisation:
        found = self.by_id.get(pk)
        # Not there only if it was written without a signal (see the module's note).
        return found if found is not None else Organisation.objects.get(pk=pk)

    def with_key(self, key: str) -> Organisation:
        found = self.by_key.get(key)
        return found if found is not None else Organisation.objects.get(key=key)

    def child(self, pk: int, kind: str) -> Organisation | None:
        """The first child of `kind` by name."""
        return next((org for org in self.children.get(pk, ()) if org.kind == kind), None)


def register(stamp: str | None) -> Register:
    """The organisations as of `stamp`: read once per stamp (a few hundred rows for a region),
    then without a query."""
    found: Register | None = _trees.recall("register", stamp) if stamp else None
    if found is None:
        found = _read_register()
        if stamp:
            _trees.keep("register", stamp, found)
    return found


def current_register() -> Register:
    """The organisations as the database has them now (one small read, the stamp), or as a
    `register_pinned` block around the caller read them when it began."""
    pinned = _pinned.get()
    return pinned if pinned is not None else register(current_stamp())


@contextmanager
def register_pinned() -> Iterator[Register]:
    """The register read once for a short block of work that looks organisations up several
    times (receiving a message: its parties, the patient's home, the holder of each duty):
    inside it `current_register()` answers without reading the stamp again. What the block
    sees is the register as it began, as if it had read everything then; a change of access
    made inside the block unpins it (`new_stamp`)."""
    token = _pinned.set(current_register())
    try:
        yield current_register()
    finally:
        _pinned.reset(token)


def _read_register() -> Register:
    rows = list(Organisation.objects.order_by("name", "pk"))
    by_id = {org.pk: org for org in rows}
    children: dict[int | None, list[Organisation]] = {}
    for org in rows:
        if org.parent_id is not None and org.parent_id in by_id:
            org.parent = by_id[org.parent_id]
        children.setdefault(org.parent_id, []).append(org)
    return Register(
        by_id=by_id,
        by_key={org.key: org for org in rows},
        children={parent: tuple(orgs) for parent, orgs in children.items()},
        child_ids={parent: tuple(o.pk for o in orgs) for parent, orgs in children.items()},
        by_her_id={(org.country, org.her_id): org for org in rows if org.her_id},
        by_sor_id={(org.country, org.sor_id): org for org in rows if org.sor_id},
    )


def forget_everything() -> None:
    """For tests that change the database behind the ORM's back."""
    _memberships.clear()
    _permissions.clear()
    _trees.clear()
