"""What the stay endpoints share: a stay, its deadlines and messages as they go out (times on
the agreement's clock), finding a stay the caller may see, and refusing times without offset."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.core.exceptions import ObjectDoesNotExist
from django.db import connections
from django.db.models import BooleanField, JSONField, Model, QuerySet
from django.db.models.expressions import RawSQL
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import HttpError

from overgang import clock
from overgang.aids.models import AidType, Device, Loan
from overgang.api.auth import request_user
from overgang.api.sql_names import column, table
from overgang.exchange.models import Delivery, DeliveryState
from overgang.organisations.models import Organisation
from overgang.organisations.permissions import VIEW
from overgang.stays.checklist import (
    departure_blockers,
    departure_warnings,
    discharge_blockers,
    discharge_warnings,
)
from overgang.stays.models import (
    BY_DUE,
    Deadline,
    DeadlineStatus,
    Message,
    Need,
    NeedKind,
    NeedStatus,
    Stay,
    StayEvent,
)
from overgang.stays.models.deadlines import Outcome, said_in, status_of
from overgang.stays.models.messages import Receipt, code_of
from overgang.stays.models.stays import Admission, CareType
from overgang.stays.states import StayStatus


class DeadlineOut(Schema):
    id: int
    duty: str
    party: str
    holder: str
    due: datetime.datetime | None = Field(
        description="null: a duty the routine sets without a time (issue 14)."
    )
    done_at: datetime.datetime | None
    status: Literal["open", "done", "overdue"] = Field(
        description="A duty due at once that is still open is overdue."
    )
    at_once: bool = Field(
        description="Due at once (straks): overdue from when it opened, never done late."
    )
    outcome: Outcome | Literal[""] = Field(
        description="fulfilled or withdrawn, once done; empty while open."
    )
    cites: list[str]
    text: str
    stay: int


class MessageOut(Schema):
    id: int
    message_id: uuid.UUID
    type: str
    variant: str
    version: str
    sender: str
    sent_at: datetime.datetime
    received_at: datetime.datetime | None
    receipt: Receipt
    # How far sending came for a message recorded in Overgang (queued, delivered, not-sent);
    # null for one received from another system.
    delivery: DeliveryState | None = None
    cancelled_at: datetime.datetime | None = None


class EventOut(Schema):
    id: int
    name: str
    at: datetime.datetime
    planned_for: datetime.datetime | None
    note: str
    message: int | None


class StayOut(Schema):
    id: int
    patient: int
    hospital: str
    department: str | None
    admission: Admission
    outpatient: bool = Field(
        description="An outpatient episode: no inpatient deadlines, no discharge-ready or "
        "departure checklist; closed by the event episode-ended (R11, U1)."
    )
    care: CareType
    admitted_at: datetime.datetime
    expected_stay_hours: int | None
    expected_discharge: datetime.datetime | None
    agreement: str
    status: StayStatus
    deadlines: list[DeadlineOut]
    discharge_ready_blockers: list[str]
    departure_ready_blockers: list[str]
    discharge_ready_warnings: list[str]
    departure_ready_warnings: list[str]
    early_reason: str
    documented: list[str]
    documented_texts: dict[str, str]
    override_reason: str
    discharge_ready_at: datetime.datetime | None
    notified_at: datetime.datetime | None
    in_notice_window: bool | None
    same_day_expected: bool | None
    answer: dict[str, object] | None
    prepared: list[str]
    supplies_until: datetime.date | None
    ended_at: datetime.datetime | None
    relatives_assessed_at: datetime.datetime | None
    individual_plan: str
    coordinator_needed: bool
    messages: list[MessageOut]
    events: list[EventOut]


def _local(value: datetime.datetime | None, zone: str) -> datetime.datetime | None:
    """Times go out on the agreement's clock (Europe/Oslo, Europe/Copenhagen), with offset."""
    return value.astimezone(ZoneInfo(zone)) if value is not None else None


# A deadline as it goes out, read as these columns (see `deadline_row_out`): its own, and
# its stay's time zone (which a stay's own list has at hand).
DEADLINE_OWN_COLUMNS = (
    *("id", "duty", "party", "holder__key", "due", "done_at", "at_once", "outcome"),
    *("cites", "text", "stay_id"),
)
DEADLINE_COLUMNS = (*DEADLINE_OWN_COLUMNS, "stay__time_zone")


def deadline_out(deadline: Deadline, now: datetime.datetime) -> dict[str, object]:
    return deadline_row_out(
        (
            *(deadline.pk, deadline.duty, deadline.party, deadline.holder.key, deadline.due),
            *(deadline.done_at, deadline.at_once, deadline.outcome, deadline.cites),
            *(deadline.text, deadline.stay_id, deadline.stay.time_zone),
        ),
        now,
    )


def deadline_row_out(row: Sequence[Any], now: datetime.datetime) -> dict[str, object]:
    """A deadline read as DEADLINE_COLUMNS (any columns after them are ignored), as it goes
    out. A list reads these columns rather than deadlines with their holder and stay: the
    three model instances a row, and the joins' SQL, cost most of the list's answer."""
    pk, duty, party, holder, due, done_at, at_once, outcome, cites, text, stay, zone = row[:12]
    status = status_of(done_at, due, at_once, now)
    return {
        "id": pk,
        "duty": duty,
        "party": party,
        "holder": holder,
        "due": _local(due, zone),
        "done_at": _local(done_at, zone),
        # The contract's three statuses: a duty due at once that is still open is overdue
        # there, and says so in `at_once`.
        "status": DeadlineStatus.OVERDUE if status == DeadlineStatus.AT_ONCE else status,
        "at_once": at_once,
        "outcome": outcome,
        "cites": cites,
        "text": said_in(text),
        "stay": stay,
    }


def message_out(message: Message) -> dict[str, object]:
    return message_row_out(
        (
            *(message.pk, message.message_id, message.type, message.variant, message.version),
            *(message.sender, message.sent_at, message.received_at, message.receipt),
            *(_delivery_state(message), message.cancelled_at),
        ),
        message.stay.time_zone,
    )


# A message as it goes out, read as these columns (see `message_row_out`).
MESSAGE_COLUMNS = (
    *("id", "message_id", "type", "variant", "version", "sender", "sent_at", "received_at"),
    *("receipt", "delivery__state", "cancelled_at"),
)


def message_row_out(row: Sequence[Any], zone: str) -> dict[str, object]:
    """A message read as MESSAGE_COLUMNS, as it goes out, on the stay's clock `zone`."""
    pk, message_id, kind, variant, version, sender, sent, received, receipt, delivery, ended = row
    return {
        "id": pk,
        "message_id": message_id,
        "type": kind,
        "variant": variant,
        "version": version,
        "sender": sender,
        "sent_at": _local(sent, zone),
        "received_at": _local(received, zone),
        "receipt": receipt,
        # No delivery row: a message received from another system.
        "delivery": delivery,
        "cancelled_at": _local(ended, zone),
    }


def _delivery_state(message: Message) -> str | None:
    try:
        return str(message.delivery.state)
    except ObjectDoesNotExist:
        return None


def stay_out(stay: Stay, lists: StayLists | None = None) -> dict[str, object]:
    """The stay as it goes out; `lists`: its deadlines, messages and events where they were
    read with it (see `_shown`), else read here."""
    now = clock.now()
    zone = stay.time_zone
    answer = None
    if stay.answered_at is not None:
        answer = {
            "answered_at": _local(stay.answered_at, zone),
            "can_receive": stay.can_receive,
            "receive_at": _local(stay.receive_at, zone),
            "service": stay.service,
            "needs_from_hospital": stay.needs_from_hospital,
        }
    if lists is None:
        lists = StayLists(_deadline_rows(stay), _message_rows(stay), _event_rows(stay))
    messages = [message_row_out(row, zone) for row in lists.messages]
    # The departure checklist asks which messages are sent: these are they.
    sent = {code_of(str(m["type"]), str(m["variant"])) for m in messages}
    return {
        "id": stay.pk,
        "patient": stay.patient_id,
        "hospital": stay.hospital.key,
        "department": stay.department.key if stay.department else None,
        "admission": stay.admission,
        "outpatient": stay.is_outpatient,
        "care": stay.care,
        "admitted_at": _local(stay.admitted_at, zone),
        "expected_stay_hours": stay.expected_stay_hours,
        "expected_discharge": _local(stay.expected_discharge, zone),
        "agreement": stay.agreement,
        "status": stay.status,
        "deadlines": [deadline_row_out((*row, zone), now) for row in lists.deadlines],
        "discharge_ready_blockers": [str(b) for b in discharge_blockers(stay)]
        if stay.is_open
        else [],
        "departure_ready_blockers": [str(b) for b in departure_blockers(stay, sent)]
        if stay.is_open
        else [],
        "discharge_ready_warnings": [str(b) for b in discharge_warnings(stay)]
        if stay.is_open
        else [],
        "departure_ready_warnings": [str(b) for b in departure_warnings(stay)]
        if stay.is_open
        else [],
        "early_reason": stay.early_reason,
        "documented": stay.documented,
        "documented_texts": stay.documented_texts,
        "override_reason": stay.override_reason,
        "discharge_ready_at": _local(stay.discharge_ready_at, zone),
        "notified_at": _local(stay.notified_at, zone),
        "in_notice_window": stay.in_notice_window,
        "same_day_expected": stay.same_day_expected,
        "answer": answer,
        "prepared": stay.prepared,
        "supplies_until": stay.supplies_until,
        "ended_at": _local(stay.ended_at, zone),
        "relatives_assessed_at": _local(stay.relatives_assessed_at, zone),
        "individual_plan": stay.individual_plan,
        "coordinator_needed": stay.coordinator_needed,
        "messages": messages,
        "events": [_event_out(row, zone) for row in lists.events],
    }


# A stay's lists are read as columns, not as deadlines, messages and events with their stay
# again in each: the same fields as deadline_out and message_out give, a model instance
# (and its joins) less a row.

EVENT_COLUMNS = ("id", "name", "at", "planned_for", "note", "message_id")


@dataclass(frozen=True)
class StayLists:
    """A stay's deadlines (DEADLINE_OWN_COLUMNS, by due), messages (MESSAGE_COLUMNS, as
    sent) and events (EVENT_COLUMNS, as they happened), each row a sequence of columns."""

    deadlines: Sequence[Sequence[Any]]
    messages: Sequence[Sequence[Any]]
    events: Sequence[Sequence[Any]]


def _deadline_rows(stay: Stay) -> list[tuple[Any, ...]]:
    found = Deadline.objects.filter(stay=stay.pk).order_by(*BY_DUE)
    return list(found.values_list(*DEADLINE_OWN_COLUMNS))


def _message_rows(stay: Stay) -> list[tuple[Any, ...]]:
    return list(Message.objects.filter(stay=stay.pk).values_list(*MESSAGE_COLUMNS))


def _event_rows(stay: Stay) -> list[tuple[Any, ...]]:
    return list(StayEvent.objects.filter(stay=stay.pk).values_list(*EVENT_COLUMNS))


def _event_out(row: Sequence[Any], zone: str) -> dict[str, object]:
    pk, name, at, planned_for, note, message = row
    return {
        "id": pk,
        "name": name,
        "at": _local(at, zone),
        "planned_for": _local(planned_for, zone),
        "note": note,
        "message": message,
    }


# On PostgreSQL the three lists are read in the stay's own row, each a JSON array of rows
# (a subquery), instead of three more round trips. The subqueries are written once as SQL:
# built as expressions for each request, they cost more to compile than the round trips
# they save. JSON has no times: the columns that are times (by their place in the row) are
# read back from the ISO strings PostgreSQL writes.


def _json_rows(columns: Sequence[str], source: str, where: str, order: str) -> RawSQL:
    return RawSQL(
        f"(SELECT JSONB_AGG(JSONB_BUILD_ARRAY({', '.join(columns)}) ORDER BY {order}) "
        f"FROM {source} WHERE {where} = {table(Stay)}.{column(Stay, 'id')})",
        (),
        output_field=JSONField(),
    )


def _json_lists() -> dict[str, tuple[RawSQL, tuple[int, ...]]]:
    """{the annotation's name: (its subquery, the places of its times)}, the columns of each
    row those of DEADLINE_OWN_COLUMNS, MESSAGE_COLUMNS and EVENT_COLUMNS."""
    d, m, e = table(Deadline), table(Message), table(StayEvent)
    holder, delivery = table(Organisation), table(Delivery)

    def own(model: Any, in_table: str, names: Sequence[str]) -> list[str]:
        return [f"{in_table}.{column(model, name)}" for name in names]

    deadline = own(Deadline, d, DEADLINE_OWN_COLUMNS[:3])
    deadline += [f"{holder}.{column(Organisation, 'key')}"]
    deadline += own(Deadline, d, DEADLINE_OWN_COLUMNS[4:])
    message = [*own(Message, m, MESSAGE_COLUMNS[:9]), f"{delivery}.{column(Delivery, 'state')}"]
    message += own(Message, m, MESSAGE_COLUMNS[10:])
    return {
        "_deadline_rows": (
            _json_rows(
                deadline,
                f"{d} INNER JOIN {holder} ON {d}.{column(Deadline, 'holder')} = {holder}.id",
                f"{d}.{column(Deadline, 'stay')}",
                f"{d}.{column(Deadline, 'due')} ASC NULLS LAST, {d}.id ASC",
            ),
            (4, 5),
        ),
        "_message_rows": (
            _json_rows(
                message,
                f"{m} LEFT OUTER JOIN {delivery} "
                f"ON {m}.id = {delivery}.{column(Delivery, 'message')}",
                f"{m}.{column(Message, 'stay')}",
                f"{m}.{column(Message, 'sent_at')} ASC, {m}.id ASC",
            ),
            (6, 7, 10),
        ),
        "_event_rows": (
            _json_rows(
                own(StayEvent, e, EVENT_COLUMNS),
                e,
                f"{e}.{column(StayEvent, 'stay')}",
                f"{e}.{column(StayEvent, 'at')} ASC, {e}.id ASC",
            ),
            (2, 3),
        ),
    }


_JSON_LISTS = _json_lists()


# The patient's active loans for the checklist (`checklist.patient_loans`), on PostgreSQL
# read in the stay's row too: each loan, its device, the device's type and the therapy as
# JSON objects of their columns, made model instances again below.
def _loans_sql() -> RawSQL:
    loan, device, kind = table(Loan), table(Device), table(AidType)
    return RawSQL(
        f"(SELECT JSONB_AGG(JSONB_BUILD_ARRAY(TO_JSONB(l), TO_JSONB(d), TO_JSONB(t), "
        f"TO_JSONB(th)) ORDER BY l.id) FROM {loan} l "
        f"INNER JOIN {device} d ON l.{column(Loan, 'device')} = d.id "
        f"INNER JOIN {kind} t ON d.{column(Device, 'aid_type')} = t.id "
        f"LEFT OUTER JOIN {kind} th ON l.{column(Loan, 'therapy')} = th.id "
        f"WHERE l.{column(Loan, 'returned_at')} IS NULL "
        f"AND l.{column(Loan, 'patient')} = {table(Stay)}.{column(Stay, 'patient')})",
        (),
        output_field=JSONField(),
    )


_LOANS = _loans_sql()


def _from_json(value: Any, field: Any) -> Any:
    """A column as JSON holds it, as the database driver would have given it."""
    if value is None:
        return None
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return datetime.datetime.fromisoformat(value)
    if kind == "DateField":
        return datetime.date.fromisoformat(value)
    if kind == "DecimalField":
        return decimal.Decimal(str(value))
    if kind == "UUIDField":
        return uuid.UUID(value)
    return value


def _instance[M: Model](model: type[M], columns: dict[str, Any], db: str) -> M:
    fields = model._meta.concrete_fields
    values = [_from_json(columns[str(field.column)], field) for field in fields]
    return model.from_db(db, [field.attname for field in fields], values)


def _loans_read(rows: list[list[Any]] | None, db: str) -> list[Loan]:
    loans = []
    for loan_columns, device_columns, kind_columns, therapy_columns in rows or []:
        loan = _instance(Loan, loan_columns, db)
        device = _instance(Device, device_columns, db)
        device.aid_type = _instance(AidType, kind_columns, db)
        loan.device = device
        loan.therapy = _instance(AidType, therapy_columns, db) if therapy_columns else None
        loans.append(loan)
    return loans


# Whether the checklist has aid needs to read (see `checklist.aid_needs`): most stays have
# none, and asking in the stay's row spares the query for them.
_HAS_AID_NEEDS = RawSQL(
    f"EXISTS (SELECT 1 FROM {table(Need)} WHERE {table(Need)}.{column(Need, 'stay')} = "
    f"{table(Stay)}.{column(Stay, 'id')} AND {table(Need)}.{column(Need, 'kind')} = %s "
    f"AND {table(Need)}.{column(Need, 'status')} <> %s)",
    (NeedKind.AID.value, NeedStatus.CANCELLED.value),
    output_field=BooleanField(),
)


def _with_lists(found: QuerySet[Stay]) -> QuerySet[Stay]:
    return found.annotate(**{name: sql for name, (sql, _) in _JSON_LISTS.items()})


def _lists_read(stay: Stay) -> StayLists:
    """The lists `_with_lists` read into `stay`, with their times as times."""
    lists = []
    for name, (_sql, times) in _JSON_LISTS.items():
        rows = getattr(stay, name) or []
        for row in rows:
            for k in times:
                if row[k] is not None:
                    row[k] = datetime.datetime.fromisoformat(row[k])
        lists.append(rows)
    return StayLists(*lists)


def _shown(request: HttpRequest, pk: int) -> tuple[Stay, StayLists | None]:
    """The stay `pk` the caller may see, with its lists where the database reads them in
    its row (PostgreSQL); 404 if none. The patient's municipality and district are read
    with it, for the checklist's agreement of their aids."""
    found: QuerySet[Stay] = (
        Stay.objects.restrict(request_user(request), VIEW)
        .select_related("patient__municipality", "patient__district", "hospital", "department")
        .filter(pk=pk)
        .order_by()
        .annotate(has_aid_needs=_HAS_AID_NEEDS)
    )
    on_postgresql = connections[found.db].vendor == "postgresql"
    if on_postgresql:
        found = _with_lists(found).annotate(loans_json=_LOANS)
    stays = list(found[:1])
    if not stays:
        raise HttpError(404, "Not Found")
    stay = stays[0]
    if not on_postgresql:
        return stay, None
    stay.read_loans = _loans_read(stay.loans_json, found.db)  # type: ignore[attr-defined]
    return stay, _lists_read(stay)


def _stay(request: HttpRequest, pk: int, action: str = VIEW) -> Stay:
    # One stay by its key: no order for the database to plan (first() would ask for one).
    found = list(
        Stay.objects.restrict(request_user(request), action)
        .select_related("patient", "hospital", "department")
        .filter(pk=pk)
        .order_by()[:1]
    )
    if not found:
        raise HttpError(404, "Not Found")
    return found[0]
