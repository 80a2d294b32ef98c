"""Building the XML Overgang sends: every text and attribute value cleaned of characters
XML cannot carry, and escaped by lxml, so no input can make the output malformed."""

from __future__ import annotations

import datetime

from lxml import etree

from overgang.messages.incoming import Happening, Organisation, Section
from overgang.messages.outgoing import Contact, clean, phone_uri

FK1_NS = "http://www.kith.no/xmlstds/felleskomponent1"
EPJ2_NS = "http://www.kith.no/xmlstds/epj/epj2/2008-02-20"
HER_OID = "2.16.578.1.12.4.1.1.9051"
EVENT_OID = "2.16.578.1.12.4.1.1.9121"  # kodeverk 9121 Hendelse


def sub(
    parent: etree._Element, namespace: str, name: str, text: str | None = None, **attributes: str
) -> etree._Element:
    """A child `{namespace}name` with `text` and `attributes`, all cleaned."""
    child = etree.SubElement(
        parent, f"{{{namespace}}}{name}", {k: clean(v) for k, v in attributes.items()}
    )
    if text is not None:
        child.text = clean(text)
    return child


def timestamp(value: datetime.datetime) -> str:
    """An xs:dateTime with its offset (outgoing.check_time has made sure it is one)."""
    return value.isoformat(timespec="seconds")


def lines_of(sections: tuple[Section, ...]) -> str:
    """Sections as plain text: each heading, its lines below it, a blank line between. Each
    part as XML will carry it (`clean`): a character it cannot carry is text all the same,
    though Python counts some of them (U+001C-U+001F) as white space to strip."""
    return "\n\n".join(
        "\n".join(clean(part) for part in (section.heading, *section.lines) if part)
        for section in sections
    ).strip()


def innermost_her_id(organisations: tuple[Organisation, ...]) -> str:
    return next(i for i in organisations[-1].ids if clean(i).strip())


def contact_unit(parent: etree._Element, namespace: str, contact: Contact, her_id: str) -> None:
    """TilknyttetEnhet: the ward to call, named by the sender's innermost HER-id."""
    unit = sub(sub(parent, namespace, "TilknyttetEnhet"), namespace, "Kontaktenhet")
    sub(unit, FK1_NS, "OrganisationName", contact.name)
    ident = sub(unit, FK1_NS, "Ident")
    sub(ident, FK1_NS, "Id", her_id)
    sub(ident, FK1_NS, "TypeId", V="HER", DN="HER-id", S=HER_OID)
    if contact.phone:
        telecom = sub(unit, FK1_NS, "TeleCom")
        sub(telecom, FK1_NS, "TypeTelecom", V="HP", DN="Hovedtelefon")
        sub(telecom, FK1_NS, "TeleAddress", V=phone_uri(contact.phone))


EVENT_NAMES = {
    "1": "Pasient innlagt",
    "3": "Pasient utskrivningsklar",
    "4": "Avmelding av utskrivningsklar pasient",
    "13": "Pasienten er død",
}


def dated_happening(
    parent: etree._Element, namespace: str, happening: Happening, *, time_as_text: bool = False
) -> None:
    """TidsfestetHendelse: the 9121 code, the text, the time and whether it is estimated.

    PLO v1.6 gives the time as a TS attribute (V); v2.0 as the element's text."""
    assert happening.at is not None  # check_outgoing refuses a happening without a time
    event = sub(parent, namespace, "TidsfestetHendelse")
    if happening.code:
        names = {"DN": EVENT_NAMES[happening.code]} if happening.code in EVENT_NAMES else {}
        sub(event, namespace, "Hendelsekode", V=happening.code, S=EVENT_OID, **names)
    if happening.text:
        sub(event, namespace, "BeskrivelseAvHendelse", happening.text)
    if time_as_text:
        sub(event, namespace, "TidspunktForHendelse", timestamp(happening.at))
    else:
        sub(event, namespace, "TidspunktForHendelse", V=timestamp(happening.at))
    sub(event, namespace, "Anslag", "true" if happening.estimated else "false")


def journal_notes(parent: etree._Element, namespace: str, sections: tuple[Section, ...]) -> None:
    """MedisinskfagligeOpplysninger with one EPJ journal note: a Journaltekst per section,
    its heading as Overskriftskode's DN (there is no code for a free heading) and its
    lines as Notat. The EPJ schema is not shipped (schemas/plo/README.md), so this part is
    checked only for being well-formed."""
    if not sections:
        return
    note = sub(
        sub(parent, namespace, "MedisinskfagligeOpplysninger"), EPJ2_NS, "GenereltJournalnotat"
    )
    for section in sections:
        text = sub(note, EPJ2_NS, "Journaltekst")
        if section.heading:
            sub(text, EPJ2_NS, "Overskriftskode", DN=section.heading)
        sub(text, EPJ2_NS, "Notat", "\n".join(section.lines))
