"""What an accepted message does: the same writers as recording it by hand.

Steps 4-6 of receiving (a receiver in the register, a valid patient id, an agreement that
covers the patient) and then the effect on the patient's stay. A refusal raises `Refusal`
with the receipt's error code; the caller's transaction undoes whatever was begun."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from overgang import clock
from overgang.errors import Conflict, InvalidInput
from overgang.exchange.models import Outcome, Received
from overgang.messages import AppRecError
from overgang.messages.incoming import Incoming, Status
from overgang.messages.plo_documents import (
    ADMITTED,
    DIED,
    DISCHARGE_READY,
    DISCHARGED,
    WITHDRAWN,
)
from overgang.organisations import access_cache
from overgang.organisations.models import Kind, Organisation
from overgang.patients import national_id
from overgang.patients.actions import create_patient
from overgang.patients.address import address_in
from overgang.patients.models import Patient
from overgang.rules.registry import RulesError, agreement_for_municipality
from overgang.rules.transitions import message_kind
from overgang.stays.actions.admission import admit
from overgang.stays.actions.discharge import (
    declare_discharge_ready,
    discharge,
    record_death,
    withdraw_discharge_ready,
)
from overgang.stays.actions.leave import follow_leave_message, undo_by_message
from overgang.stays.actions.messages import amend_message, cancel_message, record_message
from overgang.stays.actions.planned import record_arrival
from overgang.stays.models import Admission, Message, Stay
from overgang.stays.states import StayStatus

# The ids of each country's register that address its messages.
ID_FIELD = {"NO": "her_id", "DK": "sor_id"}
COUNTRY = {"plo": "NO", "dialogmelding": "NO", "medcom": "DK"}

ADMISSIONS = ("LOG_INNLAGT", "SYGEHUSADVIS_INDLAGT")
DISCHARGES = ("LOG_UTSKREVET", "SYGEHUSADVIS_UDSKREVET")
# Why a step the hospital's record system took is taken here without its usual checks: the
# decision was made there, by the physician, and the message is its record.
# (Stored as the reason, in the stay's country's language.)
BY_MESSAGE = {
    "NO": "Registrert i sykehusets journalsystem og mottatt som melding",
    "DK": "Registreret i sygehusets journalsystem og modtaget som meddelelse",
}


class Refusal(Exception):
    """The message cannot be accepted; `code` is its receipt's error code."""

    def __init__(self, code: AppRecError, text: str) -> None:
        super().__init__(text)
        self.code = code
        self.text = text


@dataclass
class Applied:
    receiver: Organisation
    patient: Patient | None = None
    stay: Stay | None = None
    message: Message | None = None
    events: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Parties:
    """The receiver and the sender as the register knows them (the sender may be unknown)."""

    receiver: Organisation
    sender: Organisation | None


def find_parties(incoming: Incoming) -> Parties:
    """Step 4: the most precise level of the receiver that the register knows, and of the
    sender where it knows one, found with one query."""
    country = COUNTRY[incoming.standard]
    found = _in_register((*incoming.receiver, *incoming.sender), country)
    receiver = _innermost(incoming.receiver, found)
    if receiver is None:
        named = ", ".join(
            f"{level.name} ({', '.join(level.ids)})" if level.ids else level.name
            for level in incoming.receiver
        )
        raise Refusal(
            AppRecError.UNKNOWN_RECEIVER,
            f"The receiver is not in the organisation register: {named or 'none named'}.",
        )
    return Parties(receiver=receiver, sender=_innermost(incoming.sender, found))


def apply(incoming: Incoming, *, parties: Parties, actor: User) -> Applied:
    """Steps 5 and 6, then the message's effect. Call inside a transaction. What a stay's
    writer refuses (the stay cannot take the step, the message was cancelled already …), the
    message is refused for: X99, in the writer's words."""
    try:
        return _apply(incoming, parties=parties, actor=actor)
    except (InvalidInput, Conflict) as error:
        raise Refusal(AppRecError.OTHER, str(error)) from None


def _apply(incoming: Incoming, *, parties: Parties, actor: User) -> Applied:
    country = COUNTRY[incoming.standard]
    receiver, sender = parties.receiver, parties.sender
    applied = Applied(receiver=receiver)
    patient, registered = _patient(incoming, country, sender=sender, receiver=receiver, actor=actor)
    applied.patient = patient
    if incoming.status == Status.CANCEL:
        earlier = _earlier(incoming, patient)
        assert earlier is not None
        cancel_message(earlier, actor=actor, reason=_cancel_text(incoming))
        undo_by_message(earlier, actor=actor, reason=_cancel_text(incoming))
        applied.stay, applied.message = earlier.stay, earlier
        return applied
    if incoming.status == Status.CHANGE:
        earlier = _earlier(incoming, patient, required=not _has_kind(incoming, country))
        if earlier is not None:
            amend_message(
                earlier,
                actor=actor,
                sent_at=incoming.sent_at,
                payload=_payload(incoming),
                version=incoming.version,
            )
            applied.stay, applied.message = earlier.stay, earlier
            return applied
        # A change with a message kind of its own and nothing of its code before (the
        # admission report sent again as supplementary information, 004 Vedlegg 1.1 g).
    stay = _stay_for(
        incoming,
        patient,
        country,
        sender=sender,
        receiver=receiver,
        actor=actor,
        registered=registered,
    )
    applied.stay = stay
    if not _has_kind(incoming, country):
        return applied  # kept on the stay as a document; the agreement sets no duty by it
    # The stay is locked for the rest of the transaction, and every step below changes it
    # through the one object that holds it (`held`): none needs to read it again.
    stay = _prepare(incoming, stay, actor=actor)
    applied.message = _record(incoming, stay, sender=sender, actor=actor)
    kind = message_kind(country, incoming.code)
    applied.events = [kind.event] if kind is not None and kind.event else []
    _follow(incoming, stay, actor=actor)
    # A hospital's start-leave / end-leave starts or ends the stay's leave period (N5).
    if applied.message is not None:
        at = _when(incoming, "") or incoming.sent_at
        follow_leave_message(applied.message, at=at, actor=actor)
    return applied


# Step 5 and 6: the patient, found or registered from the envelope, and an agreement.


def _patient(
    incoming: Incoming,
    country: str,
    *,
    sender: Organisation | None,
    receiver: Organisation,
    actor: User,
) -> tuple[Patient, bool]:
    """The patient the message is about, and whether the message registered them."""
    person = incoming.patient
    if person is None or not person.id.strip():
        raise Refusal(AppRecError.NO_PATIENT_ID, "The message names no patient id.")
    try:
        parsed = national_id.parse(person.id, country=country)
    except national_id.InvalidNationalId as error:
        raise Refusal(
            AppRecError.BAD_PATIENT_ID, f"The patient id {person.id!r} is not valid: {error}"
        ) from None
    # The national id is unique: one row or none, in no order.
    patient = Patient.objects.filter(national_id=parsed.number).order_by().first()
    if patient is not None:
        # Where the patient lives, from the register instead of a join.
        register = access_cache.current_register()
        patient.municipality = register.get(patient.municipality_id)
        if patient.district_id is not None:
            patient.district = register.get(patient.district_id)
    home = patient.municipality if patient else _municipal_party(sender, receiver)
    if home is None:
        raise Refusal(
            AppRecError.OTHER,
            "Neither the sender nor the receiver is a municipality in the register, so the "
            "patient's municipality is unknown.",
        )
    municipality = home.nearest(Kind.MUNICIPALITY) or home
    try:
        agreement_for_municipality(municipality.name, on=clock.today_in(country))
    except RulesError:
        raise Refusal(
            AppRecError.OTHER, f"No agreement covers patients of {municipality.name}."
        ) from None
    if patient is not None:
        return patient, False
    if incoming.status != Status.NEW:
        raise Refusal(AppRecError.UNKNOWN_PATIENT, "The patient is not known here.")
    district = home.nearest(Kind.DISTRICT)
    registered = create_patient(
        actor=actor,
        national_id_number=parsed.number,
        name=" ".join(filter(None, (person.given_name, person.family_name))),
        municipality=municipality.number or municipality.name,
        district=district.name if district else "",
        # The register found them already: no need to look the names up again.
        resolve=lambda _municipality, _district: address_in(municipality, district),
        address=person.street or _("not given in the message"),
        postcode=person.postal_code,
        post_town=person.city,
    )
    return registered, True


def _municipal_party(*parties: Organisation | None) -> Organisation | None:
    return next((p for p in parties if p is not None and p.is_municipal_side), None)


def _hospital_party(*parties: Organisation | None) -> Organisation | None:
    return next((p for p in parties if p is not None and p.is_hospital_side), None)


def _in_register(levels: tuple, country: str) -> dict[str, Organisation]:  # type: ignore[type-arg]
    """The organisations of the register with the levels' ids, by id."""
    register = access_cache.current_register()
    index = register.by_her_id if ID_FIELD[country] == "her_id" else register.by_sor_id
    found = (
        (ident, index.get((country, ident))) for level in levels for ident in level.ids if ident
    )
    return {ident: org for ident, org in found if org is not None}


def _innermost(levels: tuple, found: dict[str, Organisation]) -> Organisation | None:  # type: ignore[type-arg]
    """The innermost level whose id the register has (a department before its hospital)."""
    for level in reversed(levels):
        for ident in level.ids:
            if ident in found:
                return found[ident]
    return None


# The stay and the effect.


def _stay_for(
    incoming: Incoming,
    patient: Patient,
    country: str,
    *,
    sender: Organisation | None,
    receiver: Organisation,
    actor: User,
    registered: bool,
) -> Stay:
    """The patient's open stay; an admission notice opens one when there is none. The stay
    is locked for the rest of the message's transaction (a new one is the transaction's own
    row), so that recording the message on it need not read it again. A patient the
    message `registered` has no stay to look for."""
    stays = Stay.objects.select_for_update(of=("self",)).filter(patient=patient)
    stay = None if registered else stays.filter(status__in=StayStatus.OPEN).order_by("-id").first()
    if stay is not None:
        stay.patient = patient
        if stay.status == StayStatus.PLANNED and incoming.code in ADMISSIONS:
            return _arrived(incoming, stay, sender=sender, receiver=receiver, actor=actor)
        return stay
    if incoming.code in ADMISSIONS:
        unit = _hospital_party(sender, receiver) or patient.responsible_hospital
        if unit is None:
            raise Refusal(AppRecError.OTHER, "The admitting hospital is not in the register.")
        return admit(
            patient,
            actor=actor,
            unit=unit,
            admission=_admission(incoming),
            admitted_at=_when(incoming, ADMITTED) or incoming.sent_at,
        )
    latest = None if registered else stays.order_by("-admitted_at", "-id").first()
    if latest is None:
        raise Refusal(AppRecError.UNKNOWN_PATIENT, "The patient has no stay here.")
    latest.patient = patient
    return latest


def _trust_of(unit: Organisation) -> Organisation | None:
    return unit.nearest(Kind.TRUST) or unit.nearest(Kind.REGION)


def _arrived(
    incoming: Incoming,
    stay: Stay,
    *,
    sender: Organisation | None,
    receiver: Organisation,
    actor: User,
) -> Stay:
    """The admission notice of a patient whose admission was planned: the patient has
    arrived on the planned stay (H4, N5), which the notices given before arrival stay on.
    A planned stay at another trust (or region) is not this admission: refused, for the
    hospitals to sort out, rather than a second open stay."""
    unit = _hospital_party(sender, receiver)
    trust = _trust_of(unit) if unit is not None else None
    if trust is not None and trust.pk != stay.trust_id:
        raise Refusal(
            AppRecError.OTHER,
            "The patient has a planned admission at another hospital; "
            "cancel it there before this admission.",
        )
    at = min(_when(incoming, ADMITTED) or incoming.sent_at, clock.now())
    return record_arrival(stay, actor=actor, at=at, locked=True)


def _record(incoming: Incoming, stay: Stay, *, sender: Organisation | None, actor: User) -> Message:
    return record_message(
        stay,
        incoming.code,
        actor=actor,
        sent_at=min(incoming.sent_at, clock.now()),
        received_at=clock.now(),
        version=incoming.version,
        payload=_payload(incoming),
        message_id=message_uuid(incoming.message_id),
        sender=_sending_side(sender),
        received=True,
        locked=True,
    )


def _prepare(incoming: Incoming, stay: Stay, *, actor: User) -> Stay:
    """The step the message tells of, where it comes before the message: a notice of a
    discharge-ready patient carries the physician's decision, a death notice the death.
    The stay as it is then, held as before."""
    if incoming.code == "LOG_UTSKRIVNINGSKLAR" and stay.status == StayStatus.ADMITTED:
        at = _when(incoming, DISCHARGE_READY) or incoming.sent_at
        return declare_discharge_ready(
            stay, actor=actor, at=at, override=BY_MESSAGE[stay.country], locked=True
        )
    if incoming.code == "LOG_DOD" and stay.is_open:
        # The death opens the duty to tell the municipality, which the notice fulfils.
        return record_death(stay, actor=actor, at=_when(incoming, DIED) or incoming.sent_at)
    return stay


def _follow(incoming: Incoming, stay: Stay, *, actor: User) -> None:
    """The step of the stay the message reports, taken where the stay has not taken it."""
    if incoming.code in DISCHARGES and stay.is_open:
        at = _when(incoming, DISCHARGED) or _latest_besides_admission(incoming)
        if stay.status == StayStatus.ADMITTED:
            stay = declare_discharge_ready(
                stay, actor=actor, at=at, override=BY_MESSAGE[stay.country], locked=True
            )
        discharge(stay, actor=actor, at=at, by_message=BY_MESSAGE[stay.country], locked=True)
    elif incoming.code == "LOG_AVMELDING" and stay.status == StayStatus.DISCHARGE_READY:
        reason = _happening_text(incoming, WITHDRAWN) or BY_MESSAGE[stay.country]
        withdraw_discharge_ready(stay, actor=actor, reason=reason)


def _has_kind(incoming: Incoming, country: str) -> bool:
    """Whether the agreement's messages include this one (else it is a document only)."""
    return bool(incoming.code) and message_kind(country, incoming.code) is not None


def _earlier(incoming: Incoming, patient: Patient, *, required: bool = True) -> Message | None:
    """The message a change or cancel concerns: the one it names, else the patient's latest
    of its code. Without one, a cancel (or a change that is no message of its own) is
    refused: nothing was received to undo."""
    found = None
    if incoming.refers_to:
        found = Message.objects.filter(
            stay__patient=patient, message_id=message_uuid(incoming.refers_to)
        ).first() or _named_by_header(incoming.refers_to, patient)
    if found is None and incoming.code:
        kind_type, _colon, variant = incoming.code.partition(":")
        found = (
            Message.objects.filter(
                stay__patient=patient, type=kind_type, variant=variant, cancelled_at=None
            )
            .order_by("-sent_at", "-id")
            .first()
        )
    if found is None and required:
        what = "cancel" if incoming.status == Status.CANCEL else "change"
        raise Refusal(
            AppRecError.UNKNOWN_PATIENT,
            f"Nothing to {what}: no earlier {incoming.type} of this patient was received.",
        )
    return found


def _named_by_header(reference: str, patient: Patient) -> Message | None:
    """The message received under another id it is known by (MedCom's MessageHeader.id)."""
    found = (
        Received.objects.filter(
            header_id=reference,
            patient=patient,
            outcome=Outcome.ACCEPTED,
            stay_message__isnull=False,
        )
        .select_related("stay_message")
        .order_by("-id")
        .first()
    )
    return found.stay_message if found else None


def _admission(incoming: Incoming) -> str:
    """Neither PLO's admission notice nor MedCom's admit-inpatient says whether the
    admission was planned: a received one is taken as unplanned, which opens no deadlines
    that count back from a planned date."""
    return Admission.EMERGENCY


def _sending_side(sender: Organisation | None) -> str | None:
    """For a dialogue message, which side sent it: the one the sender belongs to."""
    if sender is None:
        return None
    return "hospital" if sender.is_hospital_side else "municipality"


def _when(incoming: Incoming, plo_code: str) -> datetime.datetime | None:
    """The time of an event the message reports (PLO's Hendelsekode, MedCom's period)."""
    found = incoming.happening(plo_code)
    if found is None and incoming.activity:
        found = incoming.happening(incoming.activity)
    if found is None or found.at is None:
        return None
    return min(found.at, clock.now())


def _latest_besides_admission(incoming: Incoming) -> datetime.datetime:
    """When a discharge notice says the patient left, where its event code is not the one
    Overgang writes: its latest dated event besides the admission, else when it was sent.
    (The code for "utskrevet" in kodeverk 9121 is not in the shipped schemas.)"""
    dates = [h.at for h in incoming.happenings if h.at is not None and h.code != ADMITTED]
    return min(max(dates, default=incoming.sent_at), clock.now())


def _happening_text(incoming: Incoming, code: str) -> str:
    found = incoming.happening(code)
    return found.text if found else ""


def _cancel_text(incoming: Incoming) -> str:
    return f"Kansellert ved melding {incoming.message_id}"


def _payload(incoming: Incoming) -> str:
    """A short text of what the message says, for the stay's list of messages."""
    lines = [f"{s.heading}: {'; '.join(s.lines)}" for s in incoming.sections if s.lines]
    return "\n".join(lines)[:4000]


def message_uuid(message_id: str) -> uuid.UUID:
    """A message id as the stay keeps it: the id itself when it is a UUID, else a UUID
    derived from it (the same id always gives the same UUID)."""
    try:
        return uuid.UUID(message_id)
    except ValueError:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"overgang:message:{message_id}")
