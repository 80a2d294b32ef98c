"""Writing the trail: every writer calls these inside its own transaction."""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from operator import attrgetter
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from overgang.audit.channel import current_channel
from overgang.audit.models import ChangeAction, ChangeRecord, PatientRead

SYSTEM_USERNAME = "overgang-system"

# The history rows waiting for the end of a `history_written_together` block.
_waiting: ContextVar[list[ChangeRecord] | None] = ContextVar("overgang_history", default=None)


def system_actor() -> User:
    """The actor for commands and jobs: a user who cannot log in."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def is_system(actor: User) -> bool:
    """Commands and jobs act for the system as a whole, not within one organisation."""
    return actor.get_username() == SYSTEM_USERNAME


def person_name(user: User | None) -> str:
    """The name a person reads for a user: the system account as Overgang acting by itself
    (its username is no name for a reader, issue 19), anyone else by their full name or,
    lacking one, their username."""
    if user is None:
        return ""
    if is_system(user):
        return str(_("Overgang (automatic)"))
    return user.get_full_name() or user.get_username()


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a field value, readable in the history."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def build_change(
    obj: models.Model,
    *,
    actor: User,
    action: ChangeAction,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> ChangeRecord | None:
    """An unsaved record of which fields changed from what to what; None if nothing did."""
    before = before or {}
    after = after or {}
    changes = {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }
    if action == ChangeAction.CHANGED and not changes:
        return None
    return ChangeRecord(
        actor=actor,
        channel=current_channel(),
        model=obj._meta.label_lower,
        object_id=str(obj.pk),
        action=action,
        changes=changes,
        reason=reason,
    )


def record_change(obj: models.Model, **kwargs: Any) -> ChangeRecord | None:
    """Store the change (see `build_change`). Call inside the writer's transaction."""
    change = build_change(obj, **kwargs)
    if change is None:
        return None
    waiting = _waiting.get()
    if waiting is None:
        change.save()
    else:
        waiting.append(change)
    return change


@contextmanager
def history_written_together() -> Iterator[None]:
    """The history rows of the writers called in the block, written with one INSERT as the
    block ends, instead of one each (receiving a message calls several writers).

    Use it inside the transaction, for a block where any error aborts the whole transaction:
    rows of a writer whose savepoint was rolled back while the block went on would be
    written too. On an error nothing is written. The writers' own transactions in the block
    set no savepoints (`writer_atomic`)."""
    if _waiting.get() is not None:
        yield  # an outer block writes them
        return
    waiting: list[ChangeRecord] = []
    token = _waiting.set(waiting)
    try:
        yield
    finally:
        _waiting.reset(token)
    ChangeRecord.objects.bulk_create(waiting)


def writer_atomic() -> transaction.Atomic:
    """A writer's transaction: its own, or within the caller's a savepoint, so that a caller
    may catch what the writer refuses and carry on. Within a `history_written_together`
    block any error aborts the whole transaction, so a savepoint would only cost two round
    trips (SAVEPOINT, RELEASE): there is none, and an error marks the whole transaction for
    rollback. (A writer that reads after catching a database error keeps its savepoint:
    it uses transaction.atomic().)"""
    return transaction.atomic(savepoint=_waiting.get() is None)


def save_changed[M: models.Model](
    obj: M, watched: Iterable[str], values: Mapping[str, Any], *, actor: User, reason: str = ""
) -> M:
    """Set `values` on `obj`, save those fields only, and record what changed of the fields
    `watched`. Call inside the writer's transaction, on a row it has locked."""
    before = snapshot(obj, watched)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save(update_fields=list(values))
    record_change(
        obj,
        actor=actor,
        action=ChangeAction.CHANGED,
        before=before,
        after=snapshot(obj, watched),
        reason=reason,
    )
    return obj


# The longest `what` a read keeps (PatientRead.what).
_WHAT_LENGTH = 300


def log_read(patient: models.Model, *, user: User, purpose: str = "", what: str = "") -> None:
    """A patient's record was shown to `user` (or read by a command or job)."""
    # By id: the audit app knows no domain model, only that reads are of a patient.
    PatientRead.objects.create(
        user=user,
        patient_id=patient.pk,
        channel=current_channel(),
        purpose=purpose,
        what=what[:_WHAT_LENGTH],
    )


# Most rows name their patient by a foreign key: its id is at hand without a query.
BY_PATIENT_ID: Callable[[Any], Any] = attrgetter("patient_id")


def itself(patient: Any) -> Any:
    """For `log_rows` over patients, or their ids."""
    return patient


def log_rows[T](
    rows: Iterable[T],
    *,
    user: User,
    patient: Callable[[T], Any] = BY_PATIENT_ID,
    purpose: str,
    what: str,
) -> list[T]:
    """A list showed `rows` to `user`, each showing the patient `patient(row)` gives (a
    patient, its id, or None for a row without one): `log_reads` of them. Returns the rows,
    read once, to show."""
    shown = list(rows)
    log_reads((patient(row) for row in shown), user=user, purpose=purpose, what=what)
    return shown


def log_reads(
    patients: Iterable[models.Model | int | None], *, user: User, purpose: str, what: str = ""
) -> None:
    """A list or search showed these patients to `user`: one row each, one INSERT for all.

    Takes patients or their ids (a list usually has the id at hand, not the patient); each
    patient is logged once however often the list shows them, and `None` (a row with no
    patient) is skipped."""
    ids = dict.fromkeys(
        p.pk if isinstance(p, models.Model) else p for p in patients if p is not None
    )
    if not ids:
        return
    _insert_reads(
        list(ids),
        at=timezone.now(),
        user_id=user.pk,
        channel=current_channel(),
        purpose=purpose,
        what=what[:_WHAT_LENGTH],
    )


def _insert_reads(
    patient_ids: list[Any],
    *,
    at: datetime.datetime,
    user_id: int,
    channel: str,
    purpose: str,
    what: str,
) -> None:
    """One INSERT of one row per patient, the other columns alike. Written as SQL rather
    than `bulk_create`, which builds a model instance and prepares every field of every row:
    for a page of fifty patients that cost about as much as the rest of the API's answer.
    The values go through the fields' own preparation, once each."""
    fields = {field.name: field for field in PatientRead._meta.concrete_fields}
    quote = connection.ops.quote_name
    same = {
        "at": at,
        "user": user_id,
        "channel": channel,
        "purpose": purpose,
        "what": what,
    }
    values = [fields[name].get_db_prep_save(value, connection) for name, value in same.items()]
    names = ", ".join(quote(fields[name].column or name) for name in (*same, "patient"))
    table = quote(PatientRead._meta.db_table)
    # One statement however many rows: the ids as one parameter, a list the database
    # unpacks into rows.
    ids: list[Any] | str = patient_ids
    if connection.vendor == "postgresql":
        each_id = "UNNEST(%s::bigint[])"
    else:
        ids, each_id = json.dumps(patient_ids), "value FROM json_each(%s)"
    same_values = ", ".join(["%s"] * len(values))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {same_values}, {each_id}", [*values, ids]
        )
