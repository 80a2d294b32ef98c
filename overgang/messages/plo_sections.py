"""The readable parts of a PLO or Dialogmelding document, for a person on the ward.

Each top-level part of the document becomes a `Section` under the standard's Norwegian name
for it (parts with the same heading, such as several Legemiddelinfo, share one section); a
few containers are split into their own parts (Sykepleierdokumentasjon). Inside a part the
walk is generic: a value is a line "Label: value" (labels from `_LABELS`, else the element's
name made readable), free text is a line of its own, and a few records that people read as
one line (a person, a drug, a journal text, a diagnosis…) are written as one line. Ids, code
systems and empty parts are left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from overgang.messages.incoming import Section
from overgang.messages.plo_xml import (
    Element,
    child,
    child_text,
    children,
    code,
    is_true,
    local,
    shown,
)

_HEADINGS = {
    "TilleggsopplysningPasient": "Tilleggsopplysninger om pasienten",
    "ParorendeForesatt": "Pårørende",
    "TilknyttetEnhet": "Kontaktinformasjon",
    "KontaktpersonHelsepersonell": "Kontaktinformasjon",
    "AnsvarForRapport": "Ansvarlig for rapporten",
    "TypeInnholdIMelding": "Innhold i meldingen",
    "InnholdKonsultasjon": "Innhold i meldingen",
    "OpplysningOpphold": "Opplysninger om oppholdet",
    "MeldingInnlagtPasient": "Opplysninger om oppholdet",
    "MeldingUtskrivningsklarPasient": "Opplysninger om oppholdet",
    "AvmeldingUtskrivningsklarPasient": "Opplysninger om oppholdet",
    "MeldingOmUtskrevetPasient": "Opplysninger om oppholdet",
    "TilbakemeldingUtskrivningsklarPasient": "Tilbakemelding",
    "OrienteringOmDod": "Dødsfall",
    "UtskrevetTil": "Utskrevet til",
    "InfoMedisinskDiagnose": "Diagnoser",
    "MedisinskfagligeOpplysninger": "Medisinskfaglige opplysninger",
    "Legemiddelinfo": "Legemidler",
    "LegemidlerBruk": "Legemidler",
    "EksisterendeTjeneste": "Eksisterende tjenester",
    "TjenesteBehov": "Behov for tjenester",
    "InfoKartleggingFunksjonsniva": "Funksjonsnivå",
    "InfoFraSykepleier": "Sykepleiedokumentasjon",
    "InfoVurderinger": "Sykepleiediagnoser",
    "IverksatteTiltak": "Iverksatte tiltak",
    "AnbefaltVidereTiltak": "Anbefalte videre tiltak",
    "InfoMaalForventetRes": "Mål og forventet resultat",
    "LegemidlerAdministrertVedOverforing": "Legemidler gitt før overføringen",
    "InfoAvtaleOmLegemiddeladm": "Avtale om legemiddeladministrering",
    "OpplysningerAndreFaggrupper": "Opplysninger fra andre faggrupper",
    "OpplysningerOmHjelpemidler": "Hjelpemidler",
    "InfoAndreViktigeOpplysninger": "Andre viktige opplysninger",
    "InfoAssistertKommunikasjon": "Tolk og kommunikasjon",
    "InfoKontrolltime": "Kontrolltime",
    "SendtDokument": "Vedlagte dokumenter",
    "InfoInformasjonGitt": "Informasjon gitt",
    "InfoReservasjon": "Reservasjoner",
    "OpplysningerTilSoknad": "Opplysninger til søknad",
    "OpplysningForesporsel": "Forespørsel",
    "OpplysningerOmIndividuellPlan": "Individuell plan",
    "InfoIPLOSrelevantInformasjon": "IPLOS-relevant informasjon",
    # Dialogmelding
    "Notat": "Notat",
    "Foresporsel": "Forespørsel",
    "SakstypeKodet": "Sak",
    "Sakstype": "Sak",
}
# Containers whose parts are sections of their own.
_SPLIT = frozenset({"Sykepleierdokumentasjon"})
# What the envelope or the other fields of `Incoming` already say, and machine details.
_SKIP = frozenset(
    {
        "InformasjonOmForsendelsen",
        "Ident",
        "TypeId",
        "Sekvensnummer",
        "DokIdNotat",
        "DokIdForesp",
        "SkalIkkeTasSammenMedAnnetLegemiddel",
        "HensynMatDrikke",
        "Kontaktallergi",
        "PollenInnsektstikk",
        "HensynVedForskrivning",
        "FunksjonshemmingKroniskSykdom",
        "VirkestoffLegemiddel",
        "TypeTelecom",
    }
)
# Text for people, shown as it stands without a label.
_FREE_TEXT = frozenset(
    {
        "Notat",
        "TekstNotatInnhold",
        "IntervensjonTiltakBeskrivelse",
        "BeskrivelseAvHendelse",
        "FunksjonsbeskrivelseTekst",
    }
)
_LABELS = {
    "SivilStatus": "Sivilstatus",
    "BorAlene": "Bor alene",
    "Sprak": "Språk",
    "Slektskap": "Slektskap",
    "Merknad": "Merknad",
    "CaveStikkord": "Cave",
    "AllergiskMot": "Allergisk mot",
    "TidligereSykdom": "Tidligere sykdom",
    "HjelpLegemiddeladm": "Trenger hjelp til legemiddeladministrering",
    "MerknadTilLegemiddeladministrering": "Merknad til legemiddeladministrering",
    "BandasjemateriellEngangsutstyr": "Bandasjemateriell og engangsutstyr",
    "MerknadTilBandasjemateriell": "Merknad til bandasjemateriell",
    "EndringFunksjonsnivaa": "Endring i funksjonsnivå",
    "TypeInnhold": "Type innhold",
    "TypeInnholdKonsultasjon": "Type konsultasjon",
    "GodkjentDato": "Godkjent",
    "Pleietyngde": "Pleietyngde",
    "VurderingPleietyngde": "Vurdering av pleietyngde",
    "BehovTolkSprak": "Behov for tolk, språk",
    "BestiltKontrolltime": "Kontrolltime bestilt",
    "TidspunktTime": "Tidspunkt",
    "Varighet": "Varighet (minutter)",
    "StedTime": "Sted",
    "BetegnelseHjelpemiddel": "Hjelpemiddel",
    "HjelpemiddelHorsel": "Hjelpemiddel for hørsel",
    "TemaKodet": "Tema",
    "Tema": "Tema",
    "Sporsmal": "Spørsmål",
    "EmneSporsmal": "Emne",
    "TypeForesp": "Type forespørsel",
    "Opplysning": "Opplysning",
    "JaNei": "Sendt",
    "IPLOStjenestetype": "Tjeneste",
    "BetegnelseTjeneste": "Betegnelse",
    "PrivatTjeneste": "Privat tjeneste",
    "AntallEnheter": "Antall",
    "Startdato": "Fra",
    "Sluttdato": "Til",
    "SvarPaaForesporsel": "Svar på forespørsel",
    "Hastegrad": "Hastegrad",
    "FraDato": "Fra",
    "RoleToPatient": "Rolle",
    "RolleNotat": "Rolle",
    "TilDato": "Til",
}
_PERSONS = frozenset(
    {
        "Kontaktperson",
        "AnsvarligRapport",
        "Referanseperson",
        "HealthcareProfessional",
        "PreferertTolk",
        "Person",
        "Ansvarlig",
    }
)
_ORGANISATIONS = frozenset({"Kontaktenhet", "Organisation"})
_WORD = re.compile(r"[A-ZÆØÅ]?[a-zæøå0-9]+|[A-ZÆØÅ]+(?![a-zæøå])")
_MOMENT = re.compile(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d(\.\d+)?)?")


def sections(document: Element) -> tuple[Section, ...]:
    """The document's readable parts, in the order the document gives them."""
    grouped: dict[str, list[str]] = {}
    for part in _parts(document):
        heading = _HEADINGS.get(local(part)) or _readable(local(part))
        lines = list(_lines(part))
        if lines:
            grouped.setdefault(heading, []).extend(lines)
    return tuple(Section(heading, tuple(lines)) for heading, lines in grouped.items())


def _parts(document: Element) -> Iterator[Element]:
    for part in children(document):
        name = local(part)
        if name in _SKIP:
            continue
        if name in _SPLIT:
            yield from children(part)
        else:
            yield part


def _lines(element: Element) -> Iterator[str]:
    """The lines of one element: a record as one line, a value as "Label: value", free text
    as it stands, anything else by its parts."""
    name = local(element)
    if name in _SKIP:
        return
    record = _RECORDS.get(name)
    if name in _PERSONS:
        record = _person
    elif name in _ORGANISATIONS:
        record = _organisation
    if record is not None:
        line = record(element)
        if line:
            yield line
        return
    parts = list(children(element))
    if not parts:
        value = _value(element)
        if value:
            yield value if name in _FREE_TEXT else f"{_label(name)}: {value}"
        return
    for part in parts:
        yield from _lines(part)


def _value(element: Element) -> str:
    value = shown(element)
    if value in {"true", "false"}:
        return "ja" if value == "true" else "nei"
    return _MOMENT.sub(r"\1 \2", value)


def _label(name: str) -> str:
    return _LABELS.get(name) or _readable(name)


def _readable(name: str) -> str:
    """ "BorAlene" -> "Bor alene": an element's name as words."""
    words = _WORD.findall(name) or [name]
    first, *rest = words
    return " ".join([first, *(word if word.isupper() else word.lower() for word in rest)])


def _joined(*parts: str, separator: str = ", ") -> str:
    return separator.join(part for part in parts if part)


def _person(person: Element) -> str:
    """ "Magnar Koman (Lege, Kontaktlege), tlf. 73555555"."""
    name = _joined(
        child_text(person, "GivenName"),
        child_text(person, "MiddleName"),
        child_text(person, "FamilyName"),
        separator=" ",
    )
    roles = _joined(
        shown(child(person, "TypeHealthcareProfessional")),
        shown(child(person, "RoleToPatient")),
    )
    return _joined(
        _joined(name, f"({roles})" if roles else "", separator=" "),
        _address(child(person, "Address")),
        _phones(person),
    )


def _organisation(organisation: Element) -> str:
    """ "Gammeltun Sykehjem, Gammelsletta 88, 7028 Trondheim, tlf. 73555555 – Avdeling kroken"."""
    inner = [_organisation(found) for found in children(organisation, "Organisation")]
    line = _joined(
        child_text(organisation, "OrganisationName"),
        _address(child(organisation, "Address")),
        _phones(organisation),
    )
    return _joined(line, *inner, separator=" – ")


def _address(address: Element | None) -> str:
    return _joined(
        child_text(address, "StreetAdr"),
        _joined(child_text(address, "PostalCode"), child_text(address, "City"), separator=" "),
    )


def _phones(element: Element) -> str:
    numbers = [
        code(child(telecom, "TeleAddress")).removeprefix("tel:")
        for telecom in children(element, "TeleCom")
    ]
    shown_numbers = _joined(*numbers)
    return f"tlf. {shown_numbers}" if shown_numbers else ""


def _journal_text(journal: Element) -> str:
    """ "Sykepleiesammenfatning: …" (Overskriftskode and Notat), its Merknad after."""
    heading = shown(child(journal, "Overskriftskode"))
    note = _joined(child_text(journal, "Notat"), child_text(journal, "Merknad"), separator="\n")
    if not note:
        return ""
    return f"{heading}: {note}" if heading else note


def _drug(info: Element) -> str:
    """ "Burinex 1 mg Tablett: 2 tabl kl 08 og 13 (Fast). Merknad" for one Legemiddelinfo or
    AdmAvHelsepersonell (all its prescriptions, one after another)."""
    lines = []
    for prescription in _all(info, "Forskrivningsinfo"):
        strength = child(prescription, "Styrke")
        what = _joined(
            child_text(prescription, "Navn"),
            _joined(
                code(strength),
                (strength.get("U") or "") if strength is not None else "",
                separator=" ",
            ),
            shown(child(prescription, "Legemiddelform")),
            separator=" ",
        )
        use = shown(child(prescription, "Bruk"))
        how = _joined(
            child_text(prescription, "DosVeiledEnkel"), f"({use})" if use else "", separator=" "
        )
        lines.append(_joined(what, how, separator=": "))
    simplified = child(info, "ForenkletForskrivning")
    status = shown(child(simplified, "StatusTilForskrivningen"))
    notes = _joined(child_text(simplified, "Merknad"), child_text(info, "Merknad"), separator=". ")
    drug = _joined(*lines, separator="; ")
    return _joined(drug, status, separator=" – ") + (f". {notes}" if drug and notes else notes)


def _all(element: Element, name: str) -> Iterator[Element]:
    for found in element.iter():
        if local(found) == name:
            yield found


def _diagnosis(diagnosis: Element) -> str:
    """ "Hjertesvikt (I50), hoveddiagnose. Ve legg"."""
    coded = child(diagnosis, "Diagnosekode")
    name = shown(coded)
    given = code(coded)
    named = f"{name} ({given})" if given and given != name else name
    main = "hoveddiagnose" if is_true(child_text(diagnosis, "Hoveddiagnose")) else ""
    description = child_text(diagnosis, "DiagnoseBeskrivelse")
    return _joined(_joined(named, main), description, separator=". ")


def _functional_item(item: Element) -> str:
    """ "Bevege seg innendørs: 2" and the item's note."""
    area = shown(child(item, "Funksjonsvariabel"))
    level = child_text(item, "Vurdering")
    notes = _joined(
        child_text(item, "FunksjonsbeskrivelseTekst"), child_text(item, "Merknad"), separator=". "
    )
    return _joined(_joined(area, level, separator=": "), notes, separator=". ")


def _happening(event: Element) -> str:
    """ "Pasient utskrivningsklar: 2018-01-15 (anslått). Beskrivelse"."""
    description = child_text(event, "BeskrivelseAvHendelse")
    what = shown(child(event, "Hendelsekode"))
    if not what:  # a happening without a code is named by its description
        what, description = description, ""
    when = _MOMENT.sub(r"\1 \2", code(child(event, "TidspunktForHendelse")))
    estimated = " (anslått)" if is_true(child_text(event, "Anslag")) else ""
    notes = _joined(description, child_text(event, "Merknad"), separator=". ")
    return _joined(_joined(what, when + estimated, separator=": "), notes, separator=". ")


_RECORDS: dict[str, Callable[[Element], str]] = {
    "Journaltekst": _journal_text,
    "Legemiddelinfo": _drug,
    "AdmAvHelsepersonell": _drug,
    "MedisinskDiagnose": _diagnosis,
    "KartlagtFunksjon": _functional_item,
    "Funksjonsbeskrivelse": _functional_item,
    "TidsfestetHendelse": _happening,
}
