"""The decision on a requisition of a treatment aid, on paper and for the record (U1, U3).

The letter goes to the patient: what was asked for and by whom, granted or refused and why,
how a granted aid arrives, the legal basis and the right to appeal. The journal note is the
same decision in a few plain lines, which the responsible physician copies into the
patient's record (U3). Both are written per language, like every printed document here
(overgang/aids/documents/pdf.py): the patient's language, not the clerk's screen.

Where the appeal goes comes from the requisition's appeal route. In Norway that is the
law (health care under pasient- og brukerrettighetsloven § 2-1 b, appealed to
Statsforvalteren under § 7-2 within four weeks, through the unit that decided); the Danish
agreement names no paragraph, so a Danish letter cites the agreement and names Styrelsen for
Patientklager, with the unit as the first place to ask.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, Literal
from zoneinfo import ZoneInfo

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from overgang.aids.documents.pdf import (
    _BODY,
    _HEADING,
    PAGE_MARGIN,
    Language,
    _contact,
    _date,
    _facts,
    _letterhead,
    _p,
    a4_pdf,
    aid_name,
    local_zone,
    signature_line,
)
from overgang.aids.documents.slips import TEXTS as SLIP_TEXTS
from overgang.organisations.models import Organisation
from overgang.requisitions.actions import appeal_for
from overgang.requisitions.models import Requisition
from overgang.requisitions.states import RequisitionStatus
from overgang.rules import law

NoteLanguage = Literal["nb", "da", "en"]

# The requester's role (RequesterRole) as the patient reads it.
ROLES: dict[NoteLanguage, dict[str, str]] = {
    "nb": {
        "specialist-physician": "spesialist",
        "private-specialist-with-agreement": "avtalespesialist",
        "gp": "fastlege",
        "supervising-doctor": "tilsynslege",
        "nursing-home-doctor": "sykehjemslege",
        "physiotherapist": "fysioterapeut",
        "lymphoedema-physiotherapist": "fysioterapeut med kompetanse i lymfødembehandling",
    },
    "da": {
        "specialist-physician": "speciallæge",
        "private-specialist-with-agreement": "praktiserende speciallæge",
        "gp": "egen læge",
        "supervising-doctor": "tilsynslæge",
        "nursing-home-doctor": "plejehjemslæge",
        "physiotherapist": "fysioterapeut",
        "lymphoedema-physiotherapist": "fysioterapeut med kompetence i lymfødembehandling",
    },
    "en": {
        "specialist-physician": "specialist physician",
        "private-specialist-with-agreement": "private specialist with an agreement",
        "gp": "GP",
        "supervising-doctor": "supervising doctor",
        "nursing-home-doctor": "nursing-home doctor",
        "physiotherapist": "physiotherapist",
        "lymphoedema-physiotherapist": "physiotherapist registered for lymphoedema",
    },
}

TEXTS: dict[Language, dict[str, str]] = {
    "nb": {
        # The letterhead's column is too narrow for "behandlingshjelpemiddel" in the title's
        # size: the title is printed over two lines, the first one large.
        "title": "Vedtak om behandlingshjelpemiddel",
        "title_large": "Vedtak",
        "title_small": "om behandlingshjelpemiddel",
        "decision_granted": "Vedtak: rekvisisjonen er innvilget",
        "decision_refused": "Vedtak: rekvisisjonen er avslått",
        "number": "Vedtak nr.",
        "date": "Dato",
        "decided_by": "Saksbehandler",
        "to_whom": "Gjelder",
        "name": "Navn",
        "requisition": "Rekvisisjonen",
        "aid": "Behandlingshjelpemiddel",
        "requester": "Rekvirert av",
        "department": "Avdeling",
        "received": "Mottatt",
        "granted_text": (
            "{unit} har innvilget rekvisisjonen, og du får låne hjelpemiddelet. Det skal "
            "leveres tilbake når du ikke lenger trenger det."
        ),
        "refused_text": "{unit} har avslått rekvisisjonen. Du får derfor ikke låne hjelpemiddelet.",
        "reason": "Begrunnelse",
        "delivery": "Levering",
        "at-discharge": "Du får hjelpemiddelet utlevert før du skrives ut fra sykehuset",
        "send": "Hjelpemiddelet sendes til deg",
        "hand-out": "Du får hjelpemiddelet utlevert med en gang",
        "deliver_by": "{how}, senest {date}.",
        "delivered": "{how}.",
        "basis": "Lovgrunnlag",
        "law": "Tildeling av behandlingshjelpemiddel er helsehjelp etter {law}.",
        "agreement": "Vedtaket følger samarbeidsrutinen om behandlingshjelpemidler{cites}.",
        "record": "Ansvarlig lege dokumenterer vedtaket i journalen din.",
        "appeal": "Klagerett",
        "appeal_granted": (
            "Er du uenig i vedtaket, for eksempel i hvilket hjelpemiddel du får eller hvordan "
            "det leveres, kan du klage til {body}{basis}."
        ),
        "appeal_refused": "Du kan klage på vedtaket til {body}{basis}.",
        "appeal_by_law": (
            "Klagefristen er fire uker fra du fikk vedtaket. Send klagen til {unit}, som "
            "vurderer saken på nytt og sender den videre til {body} om vedtaket blir stående."
        ),
        "appeal_help": "Pasient- og brukerombudet kan hjelpe deg med klagen.",
        "appeal_agreed": "Du kan gjerne kontakte {unit} først, så ser vi på saken på nytt.",
        "contact": "Kontakt ved spørsmål",
        "unit": "Enhet",
        "address": "Adresse",
        "phone": "Telefon",
        "email": "E-post",
        "opening_hours": "Åpningstider",
        "signature": "Dato og signatur, {unit}",
        "footer": "Vedtak nr. {number} · Side {page} av {pages}",
    },
    "da": {
        "title": "Afgørelse om behandlingsredskab",
        "title_large": "Afgørelse",
        "title_small": "om behandlingsredskab",
        "decision_granted": "Afgørelse: rekvisitionen er bevilget",
        "decision_refused": "Afgørelse: rekvisitionen er afslået",
        "number": "Afgørelse nr.",
        "date": "Dato",
        "decided_by": "Sagsbehandler",
        "to_whom": "Vedrører",
        "name": "Navn",
        "requisition": "Rekvisitionen",
        "aid": "Behandlingsredskab",
        "requester": "Rekvireret af",
        "department": "Afdeling",
        "received": "Modtaget",
        "granted_text": (
            "{unit} har bevilget rekvisitionen, og du får redskabet til låns. Det skal leveres "
            "tilbage, når du ikke længere har brug for det."
        ),
        "refused_text": "{unit} har afslået rekvisitionen. Du får derfor ikke redskabet til låns.",
        "reason": "Begrundelse",
        "delivery": "Levering",
        "at-discharge": "Du får redskabet udleveret, før du udskrives fra sygehuset",
        "send": "Redskabet sendes til dig",
        "hand-out": "Du får redskabet udleveret med det samme",
        "deliver_by": "{how}, senest {date}.",
        "delivered": "{how}.",
        "basis": "Retsgrundlag",
        "law": "Tildeling af behandlingsredskab er sundhedshjælp efter {law}.",
        "agreement": "Afgørelsen følger samarbejdsaftalen om behandlingsredskaber{cites}.",
        "record": "Den ansvarlige læge noterer afgørelsen i din journal.",
        "appeal": "Klagevejledning",
        "appeal_granted": (
            "Er du uenig i afgørelsen, for eksempel i hvilket redskab du får, eller hvordan det "
            "leveres, kan du klage til {body}{basis}."
        ),
        "appeal_refused": "Du kan klage over afgørelsen til {body}{basis}.",
        "appeal_by_law": (
            "Klagefristen er fire uger fra, du modtog afgørelsen. Send klagen til {unit}, som "
            "vurderer sagen igen og sender den videre til {body}, hvis afgørelsen fastholdes."
        ),
        "appeal_help": "Pasient- og brukerombudet kan hjælpe dig med klagen.",
        "appeal_agreed": "Du er velkommen til at kontakte {unit} først, så ser vi på sagen igen.",
        "contact": "Kontakt ved spørgsmål",
        "unit": "Enhed",
        "address": "Adresse",
        "phone": "Telefon",
        "email": "E-mail",
        "opening_hours": "Åbningstider",
        "signature": "Dato og underskrift, {unit}",
        "footer": "Afgørelse nr. {number} · Side {page} af {pages}",
    },
}

NOTES: dict[NoteLanguage, dict[str, str]] = {
    "nb": {
        "aid": "Behandlingshjelpemiddel: {aid} (rekvisisjon nr. {number})",
        "decision": "Vedtak: {outcome} {date} av {unit}",
        "granted": "innvilget",
        "refused": "avslått",
        "reason": "Begrunnelse: {reason}",
        "delivery": "Levering: {how}",
        "deliver_by": "{how}, senest {date}",
        "delivered": "{how}",
        "at-discharge": "utleveres før utskrivning",
        "send": "sendes til pasienten",
        "hand-out": "utleveres med en gang",
        "law": "helsehjelp etter {law}",
        "agreement": "samarbeidsrutinen om behandlingshjelpemidler{cites}",
        "basis": "Lovgrunnlag: {basis}",
        "appeal": "Pasienten er i vedtaksbrevet informert om retten til å klage til {body}{basis}.",
    },
    "da": {
        "aid": "Behandlingsredskab: {aid} (rekvisition nr. {number})",
        "decision": "Afgørelse: {outcome} {date} af {unit}",
        "granted": "bevilget",
        "refused": "afslået",
        "reason": "Begrundelse: {reason}",
        "delivery": "Levering: {how}",
        "deliver_by": "{how}, senest {date}",
        "delivered": "{how}",
        "at-discharge": "udleveres før udskrivelse",
        "send": "sendes til patienten",
        "hand-out": "udleveres med det samme",
        "law": "sundhedshjælp efter {law}",
        "agreement": "samarbejdsaftalen om behandlingsredskaber{cites}",
        "basis": "Retsgrundlag: {basis}",
        "appeal": (
            "Patienten er i afgørelsesbrevet vejledt om retten til at klage til {body}{basis}."
        ),
    },
    "en": {
        "aid": "Treatment aid: {aid} (requisition no. {number})",
        "decision": "Decision: {outcome} {date} by {unit}",
        "granted": "granted",
        "refused": "refused",
        "reason": "Reason: {reason}",
        "delivery": "Delivery: {how}",
        "deliver_by": "{how}, by {date}",
        "delivered": "{how}",
        "at-discharge": "handed out before discharge",
        "send": "sent to the patient",
        "hand-out": "handed out at once",
        "law": "health care under {law}",
        "agreement": "the cooperation agreement on treatment aids{cites}",
        "basis": "Legal basis: {basis}",
        "appeal": "The decision letter told the patient of the right to appeal to {body}{basis}.",
    },
}


LETTER_LANGUAGES: tuple[Language, ...] = ("nb", "da")


def letter_language(code: str, *, country: str = "NO") -> Language:
    """`code` if a letter is written in it; otherwise the language of the country."""
    for language in LETTER_LANGUAGES:
        if language == code:
            return language
    return "da" if country == "DK" else "nb"


def note_language(code: str, *, country: str = "NO") -> NoteLanguage:
    """`code` if a journal note is written in it; otherwise the language of the country."""
    return "en" if code == "en" else letter_language(code, country=country)


class NotDecided(ValueError):
    """Only a decided requisition (granted or refused) has a letter and a journal note."""


def _decided_on(requisition: Requisition) -> datetime.date:
    if requisition.decided_at is None:
        raise NotDecided(f"requisition {requisition.pk} is not decided")
    return requisition.decided_at.astimezone(_zone(requisition)).date()


def _zone(requisition: Requisition) -> ZoneInfo:
    """The requisition's time zone (the agreement's), else the unit's country's."""
    if requisition.time_zone:
        return ZoneInfo(requisition.time_zone)
    return local_zone(requisition.unit)


def _granted(requisition: Requisition) -> bool:
    """A decided requisition was granted unless it stands refused: delivered and withdrawn
    ones were granted first (a refusal can only be reopened, which undoes the decision)."""
    return requisition.status != RequisitionStatus.REFUSED


def _with_parent(organisation: Organisation) -> str:
    parent = organisation.parent
    return f"{organisation.name}, {parent.name}" if parent else organisation.name


def _cites(cites: Sequence[str]) -> str:
    return f" ({', '.join(cites)})" if cites else ""


def _all_cites(requisition: Requisition, appeal: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys([*requisition.cites, *appeal.get("cites", [])]))


def _how(requisition: Requisition, t: dict[str, str]) -> str:
    how = t[requisition.delivery]
    if requisition.deliver_by is None:
        return t["delivered"].format(how=how)
    return t["deliver_by"].format(how=how, date=_date(requisition.deliver_by))


def decision_letter(requisition: Requisition, *, language: Language) -> bytes:
    """The decision on `requisition` as a letter to the patient, in `language`. A4."""
    decided = _decided_on(requisition)
    t = TEXTS[language]
    unit = requisition.unit
    patient = requisition.patient
    granted = _granted(requisition)
    appeal = appeal_for(requisition)
    aid = aid_name(requisition.aid_type, language)
    width = A4[0] - 2 * PAGE_MARGIN
    received = requisition.submitted_at.astimezone(_zone(requisition)).date()
    unit_and_address = ", ".join(part for part in (unit.name, unit.address) if part)

    heading = [(t["number"], str(requisition.pk)), (t["date"], _date(decided))]
    decider = requisition.decided_by
    if decider is not None and decider.get_full_name():
        heading.append((t["decided_by"], decider.get_full_name()))

    role = ROLES[language].get(requisition.requester_role, "")
    requester = f"{requisition.requester_name} ({role})" if role else requisition.requester_name
    asked = [
        (t["aid"], aid),
        (t["requester"], requester),
        (t["department"], _with_parent(requisition.department)),
        (t["received"], _date(received)),
    ]

    decision: list[tuple[str, str]] = []
    if requisition.decision_reason:
        decision.append((t["reason"], requisition.decision_reason))
    if granted and requisition.delivery:
        decision.append((t["delivery"], _how(requisition, t)))

    cites = _cites(_all_cites(requisition, appeal))
    basis = [t["agreement"].format(cites=cites), t["record"]]
    if appeal.get("decision_basis"):
        basis.insert(0, t["law"].format(law=appeal["decision_basis"]))

    body = appeal["body"]
    by_law = f", jf. {appeal['basis']}" if appeal.get("basis") else ""
    appeal_text = [
        t["appeal_granted" if granted else "appeal_refused"].format(body=body, basis=by_law)
    ]
    if law.appeal_by_law(requisition.country):  # the patient's right to appeal, by law
        appeal_text += [
            t["appeal_by_law"].format(unit=unit_and_address, body=body),
            t["appeal_help"],
        ]
    else:
        appeal_text.append(t["appeal_agreed"].format(unit=unit.name))

    story: list[Any] = [
        _letterhead(unit, t["title_large"], t["title_small"], width),
        Spacer(0, 4 * mm),
        _facts(heading, width),
        _p(t["to_whom"], _HEADING),
        _facts(
            [
                (t["name"], patient.name),
                (SLIP_TEXTS[language][f"id_{patient.id_kind}"], patient.formatted_national_id),
            ],
            width,
        ),
        _p(t["requisition"], _HEADING),
        _facts(asked, width),
        _p(t["decision_granted" if granted else "decision_refused"], _HEADING),
        _p(t["granted_text" if granted else "refused_text"].format(unit=unit.name)),
        *([Spacer(0, 2 * mm), _facts(decision, width)] if decision else []),
        _p(t["basis"], _HEADING),
        _p(" ".join(basis), _BODY),
        _p(t["appeal"], _HEADING),
        _p(" ".join(appeal_text), _BODY),
        _p(t["contact"], _HEADING),
        _facts(_contact(unit, t), width),
        KeepTogether(
            [Spacer(0, 4 * mm), signature_line(t["signature"].format(unit=unit.name), width)]
        ),
    ]

    return a4_pdf(
        story,
        unit=unit,
        title=f"{t['title']} {requisition.pk}",
        language=language,
        footer=lambda page, pages: t["footer"].format(
            number=requisition.pk, page=page, pages=pages
        ),
    )


def journal_note(requisition: Requisition, *, language: NoteLanguage) -> str:
    """The decision in a few plain lines for the patient's record (U3), in `language`."""
    decided = _decided_on(requisition)
    n = NOTES[language]
    granted = _granted(requisition)
    appeal = appeal_for(requisition)
    kind = requisition.aid_type
    aid = str(kind.name_en) if language == "en" else aid_name(kind, language)
    lines = [
        n["aid"].format(aid=aid, number=requisition.pk),
        n["decision"].format(
            outcome=n["granted"] if granted else n["refused"],
            date=_date(decided),
            unit=_with_parent(requisition.unit),
        ),
    ]
    if requisition.decision_reason:
        lines.append(n["reason"].format(reason=" ".join(requisition.decision_reason.split())))
    if granted and requisition.delivery:
        lines.append(n["delivery"].format(how=_how(requisition, n)))
    basis = [n["agreement"].format(cites=_cites(_all_cites(requisition, appeal)))]
    if appeal.get("decision_basis"):
        basis.insert(0, n["law"].format(law=appeal["decision_basis"]))
    lines.append(n["basis"].format(basis="; ".join(basis)))
    lines.append(
        n["appeal"].format(
            body=appeal["body"], basis=f" ({appeal['basis']})" if appeal.get("basis") else ""
        )
    )
    return "\n".join(lines)
