"""Receiving a message (docs/contracts/messages.md, "Receiving"): the one writer that CLI,
API and the rejected-messages inbox use. Every body gets one result and, but for a receipt
answering one of ours, a receipt of its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from overgang import clock
from overgang.audit.channel import channel
from overgang.audit.history import (
    history_written_together,
    is_system,
    record_change,
    system_actor,
)
from overgang.audit.models import ChangeAction
from overgang.errors import Conflict
from overgang.exchange.apply import Parties, Refusal, apply, find_parties, message_uuid
from overgang.exchange.models import Outcome, Received
from overgang.exchange.reading import Reading, content_of, read
from overgang.exchange.tasks_for_people import resend_task
from overgang.messages import (
    AppRecError,
    Party,
    ReceiptStatus,
    Rejected,
    acknowledgement,
    receipt,
)
from overgang.messages import incoming as plain
from overgang.organisations import access_cache
from overgang.organisations.models import Organisation
from overgang.organisations.permissions import MANAGE_MESSAGES, acts_for
from overgang.stays.actions.messages import record_receipt
from overgang.stays.models import Message, Receipt

RECEIVED_FIELDS = ("message_id", "standard", "type", "version", "outcome", "errors", "events")


class NotAllowed(Exception):
    """The caller may not receive for this message's receiver (API: 403)."""


@dataclass
class Result:
    """One message's outcome, as the contract's JSON line says it."""

    source: str
    message_id: str
    standard: str
    type: str
    version: str
    status: str  # accepted, duplicate, rejected
    patient: int | None = None
    stay: int | None = None
    events: list[str] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    receipt: str | None = None  # where the receipt is: a path or URL, set by the caller
    receipt_body: bytes | None = None
    receipt_type: str = ""
    received: Received | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "message_id": self.message_id,
            "standard": self.standard,
            "type": self.type,
            "version": self.version,
            "status": self.status,
            "patient": self.patient,
            "stay": self.stay,
            "events": self.events,
            "errors": self.errors,
            "receipt": self.receipt,
        }


Allowed = Callable[[Organisation], bool]


@dataclass(frozen=True)
class Arrival:
    """A body as it arrived, who handed it over, and what reading it made of it."""

    raw: bytes
    content_type: str
    actor: User
    source: str
    dry_run: bool
    reading: Reading


def receive(
    raw: bytes,
    *,
    content_type: str = "",
    actor: User,
    source: str = "",
    may_receive_for: Allowed | None = None,
    dry_run: bool = False,
) -> Result:
    """Check a body, apply it through the stays' writers, and answer it with a receipt.

    `actor` is who handed it over (an integration account, or the system for the CLI); the
    effects are the system's, on channel `message`. `may_receive_for` says whether the
    actor may receive for the receiver (NotAllowed otherwise). With `dry_run` nothing is
    stored."""
    reading = read(raw, content_type)
    arrival = Arrival(raw, content_type, actor, source, dry_run, reading)
    if reading.apprec is not None:
        return _answer_to_ours(arrival)
    if reading.incoming is None:
        return _store_rejected(
            arrival, reading.rejected or Rejected(AppRecError.OTHER, "Not readable.")
        )
    incoming = reading.incoming
    first = _first(incoming.message_id)
    if first is not None:
        if first.digest == reading.digest:
            return _duplicate(first, source)
        refusal = Rejected(
            AppRecError.BAD_MESSAGE_ID,
            "A different message with this id was received before.",
            incoming.message_id,
        )
        return _store_rejected(arrival, refusal)
    # The parties, the patient's home and the holder of each duty the message opens are all
    # looked up in the register: read once for the message, not at each look-up.
    with access_cache.register_pinned():
        try:
            parties = find_parties(incoming)
        except Refusal as refusal:
            rejected = Rejected(refusal.code, refusal.text, incoming.message_id)
            return _store_rejected(arrival, rejected)
        if may_receive_for is not None and not may_receive_for(parties.receiver):
            raise NotAllowed(parties.receiver.name)
        return _accept(arrival, parties)


def _accept(arrival: Arrival, parties: Parties) -> Result:
    """Steps 5-6 and the effects, in one transaction with the row that records them."""
    incoming = arrival.reading.incoming
    assert incoming is not None
    try:
        with transaction.atomic(), channel("message"):
            # One INSERT for the history rows of every writer the message calls: any error
            # aborts the whole transaction, as history_written_together asks.
            with history_written_together():
                system = arrival.actor if is_system(arrival.actor) else system_actor()
                applied = apply(incoming, parties=parties, actor=system)
                row = _store(
                    arrival,
                    outcome=Outcome.ACCEPTED,
                    receiver=parties.receiver,
                    patient=applied.patient,
                    stay=applied.stay,
                    stay_message=applied.message,
                    events=applied.events,
                    content=content_of(incoming),
                )
            if arrival.dry_run:
                transaction.set_rollback(True)
    except Refusal as refusal:
        rejected = Rejected(refusal.code, refusal.text, incoming.message_id)
        return _store_rejected(arrival, rejected, receiver=parties.receiver)
    except IntegrityError:
        # The same message arrived twice at once: the other one was stored first.
        first = _first(incoming.message_id)
        if first is None:
            raise
        return _duplicate(first, arrival.source)
    return _result(row, arrival.source, status="accepted")


def retry(row: Received, *, actor: User) -> Result:
    """Try a rejected message again (the register was fixed): a new attempt, linked."""
    if row.outcome != Outcome.REJECTED:
        raise Conflict("Only a rejected message is tried again.")
    if row.retried_as_id is not None:
        raise Conflict("The message was tried again already.")
    result = receive(
        bytes(row.document),
        content_type=row.content_type,
        actor=actor,
        source=row.source,
        # A person retries only for the organisations whose messages they look after.
        may_receive_for=None
        if is_system(actor)
        else (lambda organisation: acts_for(actor, MANAGE_MESSAGES, organisation)),
    )
    if result.received is not None and result.received.pk != row.pk:
        with transaction.atomic():
            locked = Received.objects.select_for_update().get(pk=row.pk)
            locked.retried_as = result.received
            locked.save(update_fields=["retried_as"])
    return result


# The steps.


def _first(message_id: str) -> Received | None:
    if not message_id:
        return None
    # One accepted message per id (the constraint received_accepted_once). Most messages are
    # new: asking for the id alone spares reading (and Django building) the whole row.
    found = list(
        Received.objects.filter(message_id=message_id, outcome=Outcome.ACCEPTED)
        .order_by()
        .values_list("pk", flat=True)[:1]
    )
    return Received.objects.get(pk=found[0]) if found else None


def _duplicate(first: Received, source: str) -> Result:
    return _result(first, source, status="duplicate")


def _answer_to_ours(arrival: Arrival) -> Result:
    """An AppRec answering a message Overgang sent: the message's receipt state."""
    answer = arrival.reading.apprec
    assert answer is not None
    first = _first(answer.receipt_id)
    if first is not None:
        return _duplicate(first, arrival.source)
    message = Message.objects.filter(message_id=message_uuid(answer.original_id)).first()
    if message is None:
        text = f"The receipt answers no message Overgang sent ({answer.original_id or 'no id'})."
        return _store_rejected(arrival, Rejected(AppRecError.OTHER, text, answer.receipt_id))
    with transaction.atomic(), channel("message"):
        state = Receipt.OK if answer.status == ReceiptStatus.OK else Receipt.ERROR
        record_receipt(message, actor=system_actor(), receipt=state, at=clock.now())
        if state == Receipt.ERROR:
            resend_task(message, errors=[e.text or e.name for e in answer.errors])
        row = _store(
            arrival,
            outcome=Outcome.ACCEPTED,
            patient=message.stay.patient,
            stay=message.stay,
            stay_message=message,
            errors=[{"code": e.code, "text": e.text or e.name} for e in answer.errors],
        )
        if arrival.dry_run:
            transaction.set_rollback(True)
    return _result(row, arrival.source, status="accepted")


def _store_rejected(
    arrival: Arrival, rejected: Rejected, *, receiver: Organisation | None = None
) -> Result:
    with transaction.atomic():
        row = _store(
            arrival,
            outcome=Outcome.REJECTED,
            receiver=receiver,
            errors=[{"code": rejected.code.value, "text": rejected.text}],
            rejected=rejected,
        )
        if arrival.dry_run:
            transaction.set_rollback(True)
    return _result(row, arrival.source, status="rejected")


def _store(
    arrival: Arrival,
    *,
    outcome: str,
    receiver: Organisation | None = None,
    patient: Any = None,
    stay: Any = None,
    stay_message: Message | None = None,
    events: list[str] | None = None,
    errors: list[dict[str, str]] | None = None,
    content: dict[str, Any] | None = None,
    rejected: Rejected | None = None,
) -> Received:
    reading = arrival.reading
    incoming = reading.incoming
    body, kind = _receipt(reading, arrival.raw, receiver, rejected)
    row = Received.objects.create(
        message_id=reading.message_id[:200],
        header_id=(incoming.also_known_as[0] if incoming and incoming.also_known_as else "")[:200],
        digest=reading.digest,
        standard=reading.standard,
        type=(incoming.type if incoming else _answer_type(reading))[:60],
        version=(incoming.version if incoming else "")[:10],
        outcome=outcome,
        errors=errors or [],
        events=events or [],
        content_type=(arrival.content_type or _default_type(reading))[:60],
        document=arrival.raw,
        receipt=body,
        receipt_type=kind,
        content=content or {},
        receiver=receiver,
        patient=patient,
        stay=stay,
        stay_message=stay_message,
        source=arrival.source[:500],
        received_at=clock.now(),
        received_by=arrival.actor,
    )
    record_change(
        row,
        actor=arrival.actor,
        action=ChangeAction.CREATED,
        after={name: getattr(row, name) for name in RECEIVED_FIELDS},
    )
    return row


def _receipt(
    reading: Reading, raw: bytes, receiver: Organisation | None, rejected: Rejected | None
) -> tuple[bytes | None, str]:
    """The receipt the message is answered with: AppRec for PLO, Acknowledgement for MedCom;
    none for a receipt."""
    now = clock.now()
    if reading.apprec is not None or reading.standard == "apprec":
        return None, ""
    if reading.standard == "medcom":
        by = _medcom_party(reading, receiver)
        result_m = rejected or reading.incoming
        assert result_m is not None
        return acknowledgement(result_m, raw=raw, by=by, now=now), "application/fhir+xml"
    result_p = rejected or reading.checked
    assert result_p is not None
    return receipt(result_p, raw=raw, by=_plo_party(reading, receiver), now=now), "application/xml"


def _plo_party(reading: Reading, receiver: Organisation | None) -> Party:
    if receiver is not None:
        top = receiver.nearest("trust", "region", "municipality") or receiver
        if top.pk != receiver.pk:
            return Party(
                top.name, top.her_id or None, Party(receiver.name, receiver.her_id or None)
            )
        return Party(receiver.name, receiver.her_id or None)
    named = reading.incoming.receiver if reading.incoming else ()
    if named:
        return Party(named[0].name, named[0].ids[0] if named[0].ids else None)
    return Party("Overgang", None)


def _medcom_party(reading: Reading, receiver: Organisation | None) -> plain.Organisation:
    if receiver is not None:
        return plain.Organisation(receiver.name, (receiver.sor_id,) if receiver.sor_id else ())
    named = reading.incoming.receiver if reading.incoming else ()
    return named[-1] if named else plain.Organisation("Overgang")


def _default_type(reading: Reading) -> str:
    return "application/fhir+xml" if reading.standard == "medcom" else "application/xml"


def _result(row: Received, source: str, *, status: str) -> Result:
    return Result(
        source=source,
        message_id=row.message_id,
        standard=row.standard,
        type=row.type,
        version=row.version,
        status=status,
        patient=row.patient_id,
        stay=row.stay_id,
        events=list(row.events),
        errors=list(row.errors),
        receipt_body=None if row.receipt is None else bytes(row.receipt),
        receipt_type=row.receipt_type,
        received=row,
    )


def _answer_type(reading: Reading) -> str:
    """The type of a receipt answering one of ours, as the list of messages shows it."""
    if reading.apprec is None:
        return ""
    return "Acknowledgement" if reading.standard == "medcom" else "APPREC"
