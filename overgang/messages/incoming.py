"""What a received message says, whatever its standard (PLO in MsgHead, MedCom FHIR).

The readers (`plo.read`, `medcom.read`) turn a checked message into an `Incoming`; the
product applies it to a stay through the same writers as recording by hand. Everything
here is plain data: no XML, no Django.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """PLO Forsendelsesstatus N/M/C; MedCom's plain, `revise-*` and `cancel-*` activities."""

    NEW = "new"
    CHANGE = "change"
    CANCEL = "cancel"


@dataclass(frozen=True)
class Organisation:
    """A sender or receiver level: its name and ids (HER-ids in Norway, SOR-ids in Denmark)."""

    name: str
    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    """The patient as the message names them."""

    id: str  # fødselsnummer, D-nummer or CPR, digits as given
    id_kind: str  # "FNR", "DNR", "CPR", or the standard's own code for another kind
    family_name: str = ""
    given_name: str = ""
    birth_date: datetime.date | None = None
    sex: str = ""  # "male", "female" or ""
    street: str = ""
    postal_code: str = ""
    city: str = ""


@dataclass(frozen=True)
class Happening:
    """A dated event the message reports (PLO TidsfestetHendelse, a MedCom Encounter period).

    `code` is the standard's: PLO Hendelsekode (kodeverk 9121: "1" innlagt, "3"
    utskrivningsklar, "4" avmelding, …) or the MedCom activity (`admit-inpatient`, …)."""

    code: str
    at: datetime.datetime | None  # aware; a time without offset is read in the sender's zone
    text: str = ""
    estimated: bool = False


@dataclass(frozen=True)
class FunctionalLevel:
    """One IPLOS functional-level item of an Innleggelsesrapport (H3)."""

    area: str  # the item's name as the message gives it, e.g. "Bevege seg innendørs"
    code: str  # the item's code in its code list
    level: str  # the score as given (IPLOS: 1-5, 9 = not relevant)
    text: str = ""  # the score's display name or a note


@dataclass(frozen=True)
class ExistingAid:
    """An aid or adaptation the patient already has at home (Innleggelsesrapport, H3)."""

    name: str
    note: str = ""


@dataclass(frozen=True)
class Section:
    """A part of a document for people to read: a heading and its lines."""

    heading: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Incoming:
    """A received message as data."""

    standard: str  # "plo", "dialogmelding", "medcom"
    type: str  # PLO MsgInfo/Type/@V; for MedCom "HospitalNotification"
    # The message's code in overgang/rules/transitions.toml ("LOG_INNLAGT",
    # "HELSEOPPL_SOKNAD:varsel", "SYGEHUSADVIS_INDLAGT", …); the reader decides the
    # variant from the content. "" when the type has no entry there.
    code: str
    version: str  # "v1.5", "v1.6", "v2.0", "v1.0" (Dialogmelding), "R4" (FHIR)
    message_id: str
    status: Status
    sent_at: datetime.datetime  # aware
    sender: tuple[Organisation, ...]  # outermost first
    receiver: tuple[Organisation, ...]
    patient: Person | None
    # The id of the earlier message a change or cancel concerns, where the message says.
    refers_to: str | None = None
    activity: str = ""  # MedCom Provenance activity code; "" for PLO
    happenings: tuple[Happening, ...] = ()
    functional_levels: tuple[FunctionalLevel, ...] = ()
    existing_aids: tuple[ExistingAid, ...] = ()
    # The content for people to read (Helseopplysninger, reports, dialogue text).
    sections: tuple[Section, ...] = field(default=())
    # Other ids the message goes by, which a later message's `refers_to` may name instead of
    # `message_id` (MedCom: the MessageHeader.id, while `message_id` is the Bundle.id).
    also_known_as: tuple[str, ...] = ()

    def happening(self, code: str) -> Happening | None:
        return next((h for h in self.happenings if h.code == code), None)
