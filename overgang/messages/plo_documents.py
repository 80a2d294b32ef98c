"""The PLO documents Overgang sends: v1.6 Pasientlogistikk, Helseopplysninger,
Innleggelsesrapport and Utskrivningsrapport (TverrfagligEpikrise), and v2.0's
TilbakemeldingUtskrivningsklarPasient. Each is the least the schema requires plus what the
user recorded; free text goes where the schema allows it."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from overgang.messages.incoming import Happening, Status
from overgang.messages.outgoing import InvalidOutgoing, Outgoing
from overgang.messages.xmlbuild import (
    contact_unit,
    dated_happening,
    innermost_her_id,
    journal_notes,
    sub,
)

_KO = "http://www.kith.no/xmlstds/po/"
PO16_NS = f"{_KO}poKomponent/2012-04-01"
LOGISTICS16_NS = f"{_KO}Pasientlogistikk/2012-04-01"
HEALTH16_NS = f"{_KO}HelseopplysningerVedSoknad/2012-04-01"
ADMISSION16_NS = f"{_KO}Innleggelsesrapport/2012-04-01"
EPIKRISE16_NS = f"{_KO}TverrfagligEpikrise/2012-04-01"
PO20_NS = "http://ehelse.no/xmlstds/po/poKomponent/2017-11-30"
LOGISTICS20_NS = "http://ehelse.no/xmlstds/po/Pasientlogistikk/2016-05-30"

ADMITTED, DISCHARGE_READY, WITHDRAWN, DIED = "1", "3", "4", "13"
# Kodeverk 9121's "Pasient utskrevet" as we read it; not in the shipped examples.
DISCHARGED = "2"

_SHIPMENT = {
    Status.NEW: ("N", "Ny"),
    Status.CHANGE: ("M", "Endring"),
    Status.CANCEL: ("C", "Kansellering"),
}

Builder = Callable[[Outgoing], etree._Element]


def _root(namespace: str, name: str, po: str, prefix: str) -> etree._Element:
    return etree.Element(
        f"{{{namespace}}}{name}",
        nsmap={prefix: namespace, None: po},  # type: ignore[dict-item]
    )


def _administrative(parent: etree._Element, po: str, outgoing: Outgoing, *, change: bool) -> None:
    """InformasjonOmForsendelsen (N/M/C) and the ward to call."""
    status = Status.CHANGE if change and outgoing.status is Status.NEW else outgoing.status
    code, name = _SHIPMENT[status]
    sub(sub(parent, po, "InformasjonOmForsendelsen"), po, "Forsendelsesstatus", V=code, DN=name)
    if outgoing.contact is not None:
        contact_unit(parent, po, outgoing.contact, innermost_her_id(outgoing.sender))


def _needed(outgoing: Outgoing, code: str, what: str) -> Happening:
    found = next((h for h in outgoing.happenings if h.code == code), None)
    if found is None:
        raise InvalidOutgoing(
            "happenings", f"{outgoing.code} needs {what} (Hendelsekode {code}) with its time"
        )
    return found


def _logistics(choice: str, code: str, what: str, *, along: tuple[str, ...] = ()) -> Builder:
    """A v1.6 Pasientlogistikk builder: its one kind of notice, its required happening, and
    the earlier ones that go along as the schema describes (a discharge-ready notice also
    says when the patient was admitted; a withdrawal both)."""

    def build(outgoing: Outgoing) -> etree._Element:
        required = _needed(outgoing, code, what)
        root = _root(LOGISTICS16_NS, "Pasientlogistikk", PO16_NS, "p1")
        _administrative(root, PO16_NS, outgoing, change=False)
        notice = sub(root, LOGISTICS16_NS, choice)
        if choice == "MeldingOmUtskrevetPasient":
            discharged_to = {"OT": required.text} if required.text else {}
            sub(sub(notice, PO16_NS, "UtskrevetTil"), PO16_NS, "UtTil", **discharged_to)
        for happening in outgoing.happenings:
            if happening is not required and happening.code not in along:
                continue
            dated_happening(notice, PO16_NS, happening)
        return root

    return build


def _health_information(kind: str, name: str) -> Builder:
    """HelseopplysningerVedSoknad v1.6, TypeInnhold (kodeverk 9140) 1 varsel, 2 oppdatert."""

    def build(outgoing: Outgoing) -> etree._Element:
        if not outgoing.happenings:
            raise InvalidOutgoing(
                "happenings", "health information needs at least one dated happening"
            )
        root = _root(HEALTH16_NS, "HelseopplysningerVedSoknad", PO16_NS, "p5")
        _administrative(root, PO16_NS, outgoing, change=False)
        content = sub(root, PO16_NS, "TypeInnholdIMelding")
        sub(content, PO16_NS, "TypeInnhold", V=kind, DN=name, S="2.16.578.1.12.4.1.1.9140")
        for happening in outgoing.happenings:
            dated_happening(sub(root, PO16_NS, "OpplysningOpphold"), PO16_NS, happening)
        journal_notes(root, PO16_NS, outgoing.sections)
        return root

    return build


def _admission_report(*, change: bool) -> Builder:
    def build(outgoing: Outgoing) -> etree._Element:
        root = _root(ADMISSION16_NS, "Innleggelsesrapport", PO16_NS, "p7")
        _administrative(root, PO16_NS, outgoing, change=change)
        journal_notes(root, PO16_NS, outgoing.sections)
        return root

    return build


def _discharge_report(outgoing: Outgoing) -> etree._Element:
    """Utskrivningsrapport: a TverrfagligEpikrise v1.6 with TypeInnhold 11 (kodeverk 9139)."""
    root = _root(EPIKRISE16_NS, "TverrfagligEpikrise", PO16_NS, "p8")
    _administrative(root, PO16_NS, outgoing, change=False)
    content = sub(root, PO16_NS, "TypeInnholdIMelding")
    sub(
        content,
        PO16_NS,
        "TypeInnhold",
        V="11",
        DN="Utskrivningsrapport",
        S="2.16.578.1.12.4.1.1.9139",
    )
    for happening in outgoing.happenings:
        dated_happening(sub(root, PO16_NS, "OpplysningOpphold"), PO16_NS, happening)
    journal_notes(root, PO16_NS, outgoing.sections)
    return root


CAN_RECEIVE = "Kommunen kan ta imot pasienten"
CANNOT_RECEIVE = "Kommunen kan ikke ta imot pasienten"


def _municipality_answer(outgoing: Outgoing) -> etree._Element:
    """TilbakemeldingUtskrivningsklarPasient (PLO v2.0): the discharge-ready happening it
    answers, if given, then the answer as a dated happening: whether and from when the
    municipality receives the patient, and the service it offers as Merknad."""
    if outgoing.can_receive is None:
        raise InvalidOutgoing("can_receive", "the answer must say whether the patient is received")
    if outgoing.can_receive and outgoing.receive_at is None:
        raise InvalidOutgoing("receive_at", "the time the patient is received is missing")
    root = _root(LOGISTICS20_NS, "Pasientlogistikk", PO20_NS, "p1")
    _administrative(
        sub(root, PO20_NS, "FellesAdministrativeOpplysninger"), PO20_NS, outgoing, change=False
    )
    answer = sub(root, LOGISTICS20_NS, "TilbakemeldingUtskrivningsklarPasient")
    for happening in outgoing.happenings:
        if happening.code == DISCHARGE_READY:
            dated_happening(answer, PO20_NS, happening, time_as_text=True)
    text = CAN_RECEIVE if outgoing.can_receive else CANNOT_RECEIVE
    at = outgoing.receive_at or outgoing.sent_at
    event = Happening(code="", at=at, text=text)
    dated_happening(answer, PO20_NS, event, time_as_text=True)
    if outgoing.service:
        sub(answer[-1], PO20_NS, "Merknad", outgoing.service)
    return root


# transitions.toml code -> (MsgInfo/Type V, DN, the document's builder).
DOCUMENTS: dict[str, tuple[str, str, Builder]] = {
    "LOG_INNLAGT": (
        "LOG_INNLAGT",
        "Melding om innlagt pasient",
        _logistics("MeldingInnlagtPasient", ADMITTED, "the admission"),
    ),
    "LOG_UTSKRIVNINGSKLAR": (
        "LOG_UTSKRIVNINGSKLAR",
        "Melding om utskrivningsklar pasient",
        _logistics(
            "MeldingUtskrivningsklarPasient",
            DISCHARGE_READY,
            "the discharge-ready time",
            along=(ADMITTED,),
        ),
    ),
    "LOG_AVMELDING": (
        "LOG_AVMELDING",
        "Avmelding av utskrivningsklar pasient",
        _logistics(
            "AvmeldingUtskrivningsklarPasient",
            WITHDRAWN,
            "the withdrawal",
            along=(ADMITTED, DISCHARGE_READY),
        ),
    ),
    "LOG_UTSKREVET": (
        "LOG_UTSKREVET",
        "Melding om utskrevet pasient",
        _logistics("MeldingOmUtskrevetPasient", DISCHARGED, "the discharge"),
    ),
    "LOG_DOD": (
        "LOG_DOD",
        "Orientering om dødsfall",
        _logistics("OrienteringOmDod", DIED, "the death"),
    ),
    "HELSEOPPL_SOKNAD:varsel": (
        "HELSEOPPL_SOKNAD",
        "Helseopplysninger",
        _health_information("1", "Varsel om innlagt pasient"),
    ),
    "HELSEOPPL_SOKNAD:oppdatert": (
        "HELSEOPPL_SOKNAD",
        "Helseopplysninger",
        _health_information("2", "Oppdaterte opplysninger"),
    ),
    "INNLEGGELSESRAPPORT": (
        "INNLEGGELSESRAPPORT",
        "Innleggelsesrapport",
        _admission_report(change=False),
    ),
    "INNLEGGELSESRAPPORT:endring": (
        "INNLEGGELSESRAPPORT",
        "Innleggelsesrapport",
        _admission_report(change=True),
    ),
    "UTSKRIVNINGSRAPPORT": ("UTSKRIVNINGSRAPPORT", "Utskrivningsrapport", _discharge_report),
    "TILBAKEMELDING_UTSKRIVNINGSKLAR": (
        "TILBAKEMELDING_UTSKRIVNINGSKLAR",
        "Tilbakemelding på melding om utskrivningsklar pasient",
        _municipality_answer,
    ),
}
