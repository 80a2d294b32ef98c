"""Recording the messages of a stay (PLO, MedCom): each may start a deadline event and
fulfil duties, in the order the agreement asks (R4), and the municipality's answer (R5)."""

from __future__ import annotations

import datetime
import uuid

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from overgang import clock
from overgang.audit.history import record_change, save_changed, snapshot, writer_atomic
from overgang.audit.models import ChangeAction
from overgang.errors import Conflict, InvalidInput
from overgang.i18n import current_language
from overgang.rules.transitions import MessageKind, message_kind, transitions
from overgang.stays import news
from overgang.stays.access import holder_for, sides
from overgang.stays.actions.admission import lock
from overgang.stays.actions.deadlines import FIELDS as DEADLINE_FIELDS
from overgang.stays.actions.deadlines import close, close_duties, open_deadlines
from overgang.stays.actions.times import not_in_future
from overgang.stays.checklist import cited
from overgang.stays.models import Deadline, Message, News, Outcome, Receipt, Stay, StayEvent
from overgang.stays.signals import message_sent
from overgang.stays.states import StayStatus

MESSAGE_FIELDS = ("type", "variant", "version", "sender", "sent_at", "received_at", "receipt")
ANSWER_FIELDS = ("answered_at", "can_receive", "receive_at", "service", "needs_from_hospital")


def kind_of(stay: Stay, code: str) -> MessageKind:
    kind = message_kind(stay.country, code)
    if kind is None:
        known = ", ".join(transitions(stay.country).messages)
        raise InvalidInput(
            {
                "type": _("Unknown message %(code)s; known: %(known)s.")
                % {"code": code, "known": known}
            }
        )
    return kind


def sent_codes(stay: Stay) -> set[str]:
    return {m.code for m in Message.objects.filter(stay=stay).only("type", "variant")}


def _check_order(stay: Stay, kind: MessageKind) -> None:
    """The messages this one waits for are sent: the country's standard's own order
    (`requires`, none today) and the stay's agreement's (HNT: 004 Vedlegg 3.1.1 b)."""
    order = stay.checklists.routine.order_of(kind.code)
    needed = (*kind.requires, *(order.after if order else ()))
    sent = sent_codes(stay) if needed else set()
    missing = list(dict.fromkeys(code for code in needed if code not in sent))
    if missing:
        country = transitions(stay.country)
        names = ", ".join(country.messages[code].name[current_language()] for code in missing)
        raise Conflict(
            cited(
                stay,
                _("Send %(names)s first.") % {"names": names},
                order.cites if order else kind.requires_cites,
            )
        )


def record_message(
    stay: Stay,
    code: str,
    *,
    actor: User,
    sent_at: datetime.datetime | None = None,
    received_at: datetime.datetime | None = None,
    version: str = "",
    payload: str = "",
    message_id: uuid.UUID | None = None,
    receipt: str = Receipt.PENDING,
    sender: str | None = None,
    received: bool = False,
    locked: bool = False,
) -> Message:
    """A message of the agreement was sent on the stay. What it starts and what it fulfils
    follow from its type; `sender` is needed only for a dialogue message, which either side
    sends. A message Overgang `received` from another system is recorded and not sent on;
    any other goes out as its standard document (`signals.message_sent`). A caller that
    holds the stay's row `locked` in its own transaction already, read with its patient,
    saves the second read."""
    kind = kind_of(stay, code)
    sent_at = sent_at or clock.now()
    _check_times(sent_at, received_at)
    if receipt not in Receipt.values:
        raise InvalidInput({"receipt": _("Choose pending, ok or error.")})
    party = _sending_party(kind, actor=actor, sender=sender)
    try:
        with writer_atomic():
            stay = lock(stay, ended_ok=True, held=locked)
            _check_may_follow(stay, kind)
            message = Message.objects.create(
                stay=stay,
                message_id=message_id or uuid.uuid4(),
                type=kind.type,
                variant=kind.variant,
                version=version,
                sender=party,
                sent_at=sent_at,
                received_at=received_at,
                receipt=receipt,
                payload=payload,
                recorded_by=actor,
            )
            record_change(
                message,
                actor=actor,
                action=ChangeAction.CREATED,
                after=snapshot(message, MESSAGE_FIELDS),
            )
            close_duties(stay, kind.closes, party=party, actor=actor, message=message)
            if kind.event:
                _start_event(stay, kind.event, message=message, actor=actor)
            if not received:
                message_sent.send(sender=Message, message=message)
    except IntegrityError:
        raise Conflict(_("A message with this id is recorded already.")) from None
    return message


# The steps of record_message.


def _check_times(sent_at: datetime.datetime, received_at: datetime.datetime | None) -> None:
    not_in_future(sent_at, "sent_at")
    if received_at is not None and received_at < sent_at:
        raise InvalidInput({"received_at": _("A message is received after it is sent.")})


def _sending_party(kind: MessageKind, *, actor: User, sender: str | None) -> str:
    """The side that sends the message: the type's own, or for a dialogue message the one
    named (or the actor's only side). The actor must act for it."""
    party = kind.sender
    if party == "either":
        acting = sides(actor)
        party = sender or (next(iter(acting)) if len(acting) == 1 else "")
        if party not in ("hospital", "municipality"):
            raise InvalidInput({"sender": _("Say who sends it: hospital or municipality.")})
    if party not in sides(actor):
        sent_by = (
            _("%(name)s is sent by the hospital.")
            if party == "hospital"
            else _("%(name)s is sent by the municipality.")
        )
        raise InvalidInput({"type": sent_by % {"name": kind.name[current_language()]}})
    return party


def _check_may_follow(stay: Stay, kind: MessageKind) -> None:
    """The message fits the stay as it stands (the stay is locked)."""
    if kind.event and not stay.is_open:
        # After the stay nothing starts again: only what closes a duty is recorded.
        raise Conflict(
            _("The stay has ended (%(status)s).") % {"status": stay.get_status_display()}
        )
    _check_order(stay, kind)
    if kind.event == "admission-notified" and stay.status == StayStatus.PLANNED:
        # The admission is told of once the patient is here (a received admission notice
        # records the arrival itself, overgang.exchange).
        raise Conflict(_("Record that the patient has arrived before notifying the admission."))
    if kind.event == "discharge-ready-notified" and stay.status != StayStatus.DISCHARGE_READY:
        raise Conflict(_("Declare the patient discharge-ready before notifying."))


def _start_event(stay: Stay, name: str, *, message: Message, actor: User) -> None:
    """The event the message marks, and the deadlines it opens. R1 counts from when the
    municipality learned of it: the message's arrival."""
    event = StayEvent.objects.create(
        stay=stay,
        name=name,
        at=message.received_at or message.sent_at,
        message=message,
        actor=actor,
    )
    _opened, answer = open_deadlines(event, actor=actor)
    if name == "discharge-ready-notified":
        save_changed(
            stay,
            ("notified_at", "in_notice_window", "same_day_expected"),
            {
                "notified_at": event.at,
                "in_notice_window": answer["in_notice_window"],
                "same_day_expected": answer["same_day_reception_expected"],
            },
            actor=actor,
        )


def record_receipt(
    message: Message, *, actor: User, receipt: str, at: datetime.datetime
) -> Message:
    """The receiver's system answered the message (AppRec)."""
    if receipt not in (Receipt.OK, Receipt.ERROR):
        raise InvalidInput({"receipt": _("Choose ok or error.")})
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        return save_changed(
            message, MESSAGE_FIELDS, {"receipt": receipt, "received_at": at}, actor=actor
        )


def record_answer(
    stay: Stay,
    *,
    actor: User,
    can_receive: bool,
    receive_at: datetime.datetime | None = None,
    service: str = "",
    needs_from_hospital: str = "",
    sent_at: datetime.datetime | None = None,
) -> Stay:
    """The municipality answers the notice: whether and when it can receive the patient,
    which service they get, and what medicines and equipment it needs (R5)."""
    errors: dict[str, str] = {}
    if "municipality" not in sides(actor):
        errors["actor"] = _("The municipality answers.")
    if can_receive and receive_at is None:
        errors["receive_at"] = _("Say when the patient can be received.")
    if can_receive and not service.strip():
        errors["service"] = _("Say which service the patient gets after discharge.")
    if errors:
        raise InvalidInput(errors)
    code = next(
        (
            m.code
            for m in transitions(stay.country).messages.values()
            if "municipality-answer" in m.closes and m.sender == "municipality"
        ),
        None,
    )
    with transaction.atomic():
        locked = lock(stay)
        if locked.notified_at is None:
            raise Conflict(
                _("The municipality answers once it is notified of a discharge-ready patient.")
            )
        # The answer first, then its message: the message carries what was answered.
        answered = save_changed(
            Stay.objects.select_for_update(of=("self",)).get(pk=stay.pk),
            ANSWER_FIELDS,
            {
                "answered_at": sent_at or clock.now(),
                "can_receive": can_receive,
                "receive_at": receive_at if can_receive else None,
                "service": service.strip(),
                "needs_from_hospital": needs_from_hospital.strip(),
            },
            actor=actor,
        )
        if code is not None:
            record_message(answered, code, actor=actor, sent_at=sent_at)
        news.tell(
            News.ANSWERED,
            to=holder_for(answered, "hospital"),
            patient=answered.patient,
            link=reverse("stay-detail", args=[answered.pk]),
        )
        return answered


def amend_message(
    message: Message,
    *,
    actor: User,
    sent_at: datetime.datetime,
    payload: str,
    version: str = "",
) -> Message:
    """The sender changed a message it sent (PLO Endring, MedCom revise-*): the content is the
    new one, and the history keeps the old."""
    with writer_atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.cancelled_at is not None:
            raise Conflict(_("The message was cancelled; it cannot be changed."))
        return save_changed(
            message,
            (*MESSAGE_FIELDS, "payload", "amended_at"),
            {"payload": payload, "version": version or message.version, "amended_at": clock.now()},
            actor=actor,
            reason=_("Changed by its sender (sent %(at)s).") % {"at": sent_at.isoformat()},
        )


def cancel_message(message: Message, *, actor: User, reason: str) -> Message:
    """The sender cancelled a message (PLO Kansellering, MedCom cancel-*): what it did is
    undone. The duties it fulfilled are open again, and the deadlines its event opened and
    nobody has met yet are withdrawn. The message stays on the stay, marked cancelled."""
    with writer_atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.cancelled_at is not None:
            raise Conflict(_("The message is cancelled already."))
        lock(message.stay, ended_ok=True)
        for deadline in Deadline.objects.select_for_update().filter(done_message=message):
            save_changed(
                deadline,
                DEADLINE_FIELDS,
                {
                    "done_at": None,
                    "done_by": None,
                    "outcome": "",
                    "done_note": "",
                    "done_message": None,
                },
                actor=actor,
                reason=reason,
            )
        for deadline in Deadline.objects.select_for_update().filter(
            event__message=message, done_at__isnull=True
        ):
            close(deadline, actor=actor, outcome=Outcome.WITHDRAWN, note=reason)
        return save_changed(
            message, ("cancelled_at",), {"cancelled_at": clock.now()}, actor=actor, reason=reason
        )
