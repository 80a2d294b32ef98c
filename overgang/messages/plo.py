"""Read a checked PLO or Dialogmelding message into an `Incoming` (plain data).

`read(checked)` takes what `check()` let through and never raises: every part a message may
leave out reads as empty. The envelope (MsgHead) gives who sent it to whom, about which
patient, when; the document gives its status, the dated happenings, the IPLOS functional
levels, the aids and the readable sections (`plo_sections`).
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from overgang.messages.check import Checked
from overgang.messages.incoming import (
    ExistingAid,
    FunctionalLevel,
    Happening,
    Incoming,
    Organisation,
    Person,
    Status,
)
from overgang.messages.plo_sections import sections
from overgang.messages.plo_xml import (
    Element,
    a_date,
    child,
    child_text,
    children,
    code,
    descendants,
    is_true,
    local,
    point_in_time,
    shown,
    text,
)

# Forsendelsesstatus (kodeverk 7309): Ny, Endring, Kansellering. Dialogmelding has none.
_STATUS = {"N": Status.NEW, "M": Status.CHANGE, "C": Status.CANCEL}
# HELSEOPPL_SOKNAD's variant is its TypeInnholdIMelding/TypeInnhold (kodeverk 9140).
_HEALTH_INFORMATION_VARIANT = {"1": "varsel", "2": "oppdatert"}
_PATIENT_IDS = ("FNR", "DNR")
_SEX = {"1": "male", "2": "female"}
_HER = "HER"
# When GenDate cannot be read as a moment (beyond Python's years), rather than raise.
_UNREADABLE_TIME = datetime.datetime.min.replace(tzinfo=datetime.UTC)


def read(checked: Checked, *, zone: str = "Europe/Oslo") -> Incoming:
    """The message as data. Times without offset are read in `zone` (the sender's)."""
    tz = ZoneInfo(zone)
    document = checked.element
    root = document.getroottree().getroot()
    info = child(root, "MsgInfo")
    status = _status(document)
    return Incoming(
        standard=checked.standard,
        type=checked.type,
        code=_code(checked.type, status, document),
        version=checked.version,
        message_id=checked.message_id,
        status=status,
        sent_at=point_in_time(child_text(info, "GenDate"), tz) or _UNREADABLE_TIME,
        sender=_organisations(child(info, "Sender")),
        receiver=_organisations(child(info, "Receiver")),
        patient=_patient(child(info, "Patient")),
        refers_to=_refers_to(info, document),
        happenings=tuple(
            _happening(found, tz) for found in descendants(document, "TidsfestetHendelse")
        ),
        functional_levels=_functional_levels(document),
        existing_aids=_existing_aids(document),
        sections=sections(document),
    )


def _status(document: Element) -> Status:
    """Forsendelsesstatus; an unknown code or none at all (Dialogmelding) reads as new."""
    given = code(child(child(document, "InformasjonOmForsendelsen"), "Forsendelsesstatus"))
    return _STATUS.get(given, Status.NEW)


def _code(message_type: str, status: Status, document: Element) -> str:
    """The message's code in overgang/rules/transitions.toml: its type, with the variant the
    content decides. "" for a HELSEOPPL_SOKNAD that is neither a notice nor an update."""
    if message_type == "INNLEGGELSESRAPPORT" and status is Status.CHANGE:
        return "INNLEGGELSESRAPPORT:endring"
    if message_type == "HELSEOPPL_SOKNAD":
        content = code(child(child(document, "TypeInnholdIMelding"), "TypeInnhold"))
        variant = _HEALTH_INFORMATION_VARIANT.get(content)
        return f"HELSEOPPL_SOKNAD:{variant}" if variant else ""
    return message_type


def _organisations(party: Element | None) -> tuple[Organisation, ...]:
    """The sending or receiving organisation and those inside it, outermost first."""
    levels: list[Organisation] = []
    organisation = child(party, "Organisation")
    while organisation is not None:
        her_ids = tuple(
            child_text(ident, "Id")
            for ident in children(organisation, "Ident")
            if code(child(ident, "TypeId")) == _HER and child_text(ident, "Id")
        )
        levels.append(Organisation(child_text(organisation, "OrganisationName"), her_ids))
        organisation = child(organisation, "Organisation")
    return tuple(levels)


def _patient(patient: Element | None) -> Person | None:
    """The patient of MsgInfo; None when the message names none or gives them no id.

    Of several ids the fødselsnummer wins, then the D-nummer, then the first given."""
    idents = [
        (code(child(ident, "TypeId")), child_text(ident, "Id"))
        for ident in children(patient, "Ident")
        if child_text(ident, "Id")
    ]
    if patient is None or not idents:
        return None
    id_kind, id_value = next(
        (ident for kind in _PATIENT_IDS for ident in idents if ident[0] == kind), idents[0]
    )
    given = " ".join(
        name
        for name in (child_text(patient, "GivenName"), child_text(patient, "MiddleName"))
        if name
    )
    address = child(patient, "Address")
    return Person(
        id=id_value,
        id_kind=id_kind,
        family_name=child_text(patient, "FamilyName"),
        given_name=given,
        birth_date=a_date(child_text(patient, "DateOfBirth")),
        sex=_SEX.get(code(child(patient, "Sex")), ""),
        street=child_text(address, "StreetAdr"),
        postal_code=child_text(address, "PostalCode"),
        city=child_text(address, "City"),
    )


def _refers_to(info: Element | None, document: Element) -> str | None:
    """The earlier message this one answers, changes or cancels: MsgHead's
    ConversationRef/RefToParent; for a Dialogmelding answer without it, the request's
    document id (Foresporsel/DokIdForesp)."""
    parent = child_text(child(info, "ConversationRef"), "RefToParent")
    if parent:
        return parent
    request = next((text(found) for found in descendants(document, "DokIdForesp")), "")
    return request or None


def _happening(event: Element, zone: ZoneInfo) -> Happening:
    """A TidsfestetHendelse. A date without a time is midnight local time that day."""
    notes = (child_text(event, "BeskrivelseAvHendelse"), child_text(event, "Merknad"))
    return Happening(
        code=code(child(event, "Hendelsekode")),
        at=point_in_time(code(child(event, "TidspunktForHendelse")), zone),
        text="\n".join(note for note in notes if note),
        estimated=is_true(child_text(event, "Anslag")),
    )


_FUNCTIONAL_ITEMS = frozenset({"KartlagtFunksjon", "Funksjonsbeskrivelse"})


def _functional_levels(document: Element) -> tuple[FunctionalLevel, ...]:
    """IPLOS functional levels (InfoKartleggingFunksjonsniva) wherever the document has them:
    v1.5/v1.6 KartlagtFunksjon with a score, v2.0 Funksjonsbeskrivelse with a text."""
    levels: list[FunctionalLevel] = []
    for mapping in descendants(document, "InfoKartleggingFunksjonsniva"):
        for item in children(mapping):
            if local(item) not in _FUNCTIONAL_ITEMS:
                continue
            variable = child(item, "Funksjonsvariabel")
            notes = (child_text(item, "FunksjonsbeskrivelseTekst"), child_text(item, "Merknad"))
            if variable is None and not any(notes):
                continue
            levels.append(
                FunctionalLevel(
                    area=shown(variable),
                    code=code(variable),
                    level=child_text(item, "Vurdering"),
                    text="\n".join(note for note in notes if note),
                )
            )
    return tuple(levels)


# FasteHjelpemidler: coded aids the patient depends on, named by the code's display name.
_FIXED_AIDS = {"Briller": "Briller", "HjelpemiddelHorsel": "Høreapparat"}


def _existing_aids(document: Element) -> tuple[ExistingAid, ...]:
    """OpplysningerOmHjelpemidler: the fixed aids (glasses, hearing aid, pacemaker; a group's
    Merknad is the note of each of its aids, or the aid itself when it names none) and each
    described aid with its status (StatusHjelpemiddel: "Aktiv", …)."""
    aids: list[ExistingAid] = []
    for group in descendants(document, "OpplysningerOmHjelpemidler"):
        for fixed in children(group, "FasteHjelpemidler"):
            note = child_text(fixed, "Merknad")
            names = [
                shown(found) or default
                for name, default in _FIXED_AIDS.items()
                if (found := child(fixed, name)) is not None
            ]
            if is_true(child_text(fixed, "Pacemaker")):
                names.append("Pacemaker")
            if names:
                aids.extend(ExistingAid(name, note) for name in names)
            elif note:
                aids.append(ExistingAid(note))
        for status in children(group, "StatusHjelpemiddel"):
            described = child(status, "Hjelpemiddelbeskrivelse")
            name = child_text(described, "BetegnelseHjelpemiddel") or shown(
                child(described, "HjelpemiddelkodeRTV")
            )
            if name:
                aids.append(ExistingAid(name, shown(child(status, "Status"))))
    return tuple(aids)
