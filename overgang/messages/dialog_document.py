"""Dialogmelding v1.0 (2006-10-11): a request, an answer, or a notice of an error in a
received message, the text being the message's sections."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from overgang.messages.outgoing import InvalidOutgoing, Outgoing, phone_uri
from overgang.messages.xmlbuild import FK1_NS, lines_of, sub

DIALOG_NS = "http://www.kith.no/xmlstds/dialog/2006-10-11"


def _text(outgoing: Outgoing) -> str:
    text = lines_of(outgoing.sections)
    if not text.strip():
        raise InvalidOutgoing("sections", "a dialogue message needs text")
    return text


def _root() -> etree._Element:
    return etree.Element(
        f"{{{DIALOG_NS}}}Dialogmelding",
        nsmap={None: DIALOG_NS, "fk1": FK1_NS},  # type: ignore[dict-item]
    )


def _person(parent: etree._Element, outgoing: Outgoing) -> None:
    """RollerRelatertNotat: the person to contact, by name (and phone)."""
    if outgoing.contact is None:
        return
    person = sub(sub(parent, DIALOG_NS, "RollerRelatertNotat"), DIALOG_NS, "HealthcareProfessional")
    sub(person, DIALOG_NS, "FamilyName", outgoing.contact.name)
    if outgoing.contact.phone:
        telecom = sub(person, DIALOG_NS, "TeleCom")
        sub(telecom, FK1_NS, "TeleAddress", V=phone_uri(outgoing.contact.phone))


def _request(outgoing: Outgoing) -> etree._Element:
    """Foresporsel, TypeForesp 99 "Annen henvendelse" (kodeverk 9152), the question as text."""
    root = _root()
    request = sub(root, DIALOG_NS, "Foresporsel")
    sub(
        request,
        DIALOG_NS,
        "TypeForesp",
        V="99",
        DN="Annen henvendelse",
        S="2.16.578.1.12.4.1.1.9152",
    )
    sub(request, DIALOG_NS, "Sporsmal", _text(outgoing))
    _person(request, outgoing)
    return root


def _answer(outgoing: Outgoing) -> etree._Element:
    """Notat, TemaKodet 5 "Svar på forespørsel" (kodeverk 9069)."""
    root = _root()
    note = sub(root, DIALOG_NS, "Notat")
    sub(note, DIALOG_NS, "TemaKodet", V="5", DN="Svar på forespørsel", S="2.16.578.1.12.4.1.1.9069")
    sub(note, DIALOG_NS, "TekstNotatInnhold", _text(outgoing))
    _person(note, outgoing)
    return root


def _deviation(outgoing: Outgoing) -> etree._Element:
    """Notat on an error in a received message (kodeverk 8117). Overgang has no coded kind
    of error to offer, so TemaKodet names the code system and the first heading the topic."""
    root = _root()
    note = sub(root, DIALOG_NS, "Notat")
    sub(note, DIALOG_NS, "TemaKodet", S="2.16.578.1.12.4.1.1.8117")
    topic = next((s.heading for s in outgoing.sections if s.heading), "")
    if topic:
        sub(note, DIALOG_NS, "Tema", topic)
    sub(note, DIALOG_NS, "TekstNotatInnhold", _text(outgoing))
    _person(note, outgoing)
    return root


DIALOGUES: dict[str, tuple[str, str, Callable[[Outgoing], etree._Element]]] = {
    "DIALOG_FORESPORSEL": ("DIALOG_FORESPORSEL", "Forespørsel", _request),
    "DIALOG_SVAR": ("DIALOG_SVAR", "Svar på forespørsel", _answer),
    "DIALOG_AVVIK": ("DIALOG_AVVIK", "Tilbakemelding om feil i mottatt melding", _deviation),
}
