"""The loan slip that goes with a lent aid (N8): what is lent, to whom, that it is lent for a
time and must go back, whom to ask, and lines to sign."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from overgang.aids.documents.pdf import (
    _BODY,
    _HEADING,
    _SMALL,
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
)
from overgang.aids.models import Loan
from overgang.aids.sets import loans_of_set, main_of
from overgang.audit.history import is_system

TEXTS: dict[Language, dict[str, str]] = {
    "nb": {
        "title": "Låneseddel",
        "subtitle": "Utlån av hjelpemiddel",
        "what": "Hva er lånt ut",
        "aid": "Hjelpemiddel",
        "serial": "Serienummer",
        "iso9999": "ISO 9999-kode",
        "to_whom": "Lånt ut til",
        "name": "Navn",
        "id_fnr": "Fødselsnummer",
        "id_dnr": "D-nummer",
        "id_hnr": "H-nummer",
        "id_cpr": "Dansk CPR-nummer",
        "loan": "Utlånet",
        "lent_on": "Utlånsdato",
        "expected_end": "Forventet sluttdato",
        "not_agreed": "Ikke avtalt",
        "placement": "Skal brukes",
        "placement_home": "Hjemme",
        "placement_institution": "I institusjon",
        "lent_by": "Utlånt av",
        "manual": "Bruksanvisning utlevert",
        "manual_title": "Bruksanvisning",
        # Not "Lånt ut til" again: that heads whom it is lent to (issue 19).
        "therapy": "Behandling",
        "role_second-unit": "eksemplar nr. 2",
        "role_part": "del av behandlingen",
        "set": "Lånt ut sammen",
        "where": "Står på adressen",
        "instruction": "Opplæring i bruk gitt",
        "yes": "Ja",
        "no": "Nei",
        "terms": "Viktig å vite",
        "term_temporary": (
            "Hjelpemiddelet er lånt ut <b>midlertidig</b> og tilhører {unit}. "
            "Det <b>skal leveres tilbake</b> når du ikke lenger har behov for det."
        ),
        "term_fetch": (
            "Som hovedregel henter og leverer du selv hjelpemiddelet, eller en pårørende "
            "gjør det for deg. Ring oss hvis du trenger hjelp til å få det levert tilbake."
        ),
        "term_personal": "Bare du skal bruke hjelpemiddelet. Det skal ikke lånes videre til andre.",
        "term_instruction": (
            "Den som låner ut hjelpemiddelet, har ansvaret for opplæring i bruken. "
            "Spør oss hvis noe er uklart."
        ),
        "contact": "Kontakt ved spørsmål",
        "unit": "Enhet",
        "address": "Adresse",
        "phone": "Telefon",
        "email": "E-post",
        "opening_hours": "Åpningstider",
        "signatures": "Underskrifter",
        "receipt": "Jeg har mottatt hjelpemiddelet og kjenner vilkårene over.",
        "sign_patient": "Dato og signatur, pasient eller pårørende",
        "sign_unit": "Dato og signatur, utlånende enhet",
        "footer_loan": "Lån nr. {loan}",
        "footer_page": "Side {page} av {pages}",
        "phone_short": "Tlf.",
        "system": "Overgang (automatisk)",
    },
    "da": {
        "title": "Låneseddel",
        "subtitle": "Udlån af hjælpemiddel eller behandlingsredskab",
        "what": "Hvad er udlånt",
        "aid": "Hjælpemiddel",
        "serial": "Serienummer",
        "iso9999": "ISO 9999-kode",
        "to_whom": "Udlånt til",
        "name": "Navn",
        "id_fnr": "Norsk fødselsnummer",
        "id_dnr": "Norsk D-nummer",
        "id_hnr": "Norsk H-nummer",
        "id_cpr": "CPR-nummer",
        "loan": "Udlånet",
        "lent_on": "Udlånsdato",
        "expected_end": "Forventet slutdato",
        "not_agreed": "Ikke aftalt",
        "placement": "Skal bruges",
        "placement_home": "I hjemmet",
        "placement_institution": "På institution",
        "lent_by": "Udlånt af",
        "manual": "Brugsanvisning udleveret",
        "manual_title": "Brugsanvisning",
        "therapy": "Behandling",
        "role_second-unit": "eksemplar nr. 2",
        "role_part": "del af behandlingen",
        "set": "Udlånt sammen",
        "where": "Står på adressen",
        "instruction": "Instruktion i brug givet",
        "yes": "Ja",
        "no": "Nej",
        "terms": "Vigtigt at vide",
        "term_temporary": (
            "Hjælpemidlet er udlånt <b>midlertidigt</b> og tilhører {unit}. "
            "Det <b>skal tilbageleveres</b>, når du ikke længere har brug for det."
        ),
        "term_fetch": (
            "Som hovedregel henter og tilbageleverer du selv hjælpemidlet, eller en pårørende "
            "gør det for dig. Ring til os, hvis du har brug for hjælp til tilbageleveringen."
        ),
        "term_personal": "Hjælpemidlet må kun bruges af dig og må ikke lånes videre til andre.",
        "term_instruction": (
            "Den, der udlåner hjælpemidlet, har ansvaret for instruktion i brugen. "
            "Spørg os, hvis noget er uklart."
        ),
        "contact": "Kontakt ved spørgsmål",
        "unit": "Enhed",
        "address": "Adresse",
        "phone": "Telefon",
        "email": "E-mail",
        "opening_hours": "Åbningstider",
        "signatures": "Underskrifter",
        "receipt": "Jeg har modtaget hjælpemidlet og kender vilkårene ovenfor.",
        "sign_patient": "Dato og underskrift, patient eller pårørende",
        "sign_unit": "Dato og underskrift, udlånende enhed",
        "footer_loan": "Udlån nr. {loan}",
        "footer_page": "Side {page} af {pages}",
        "phone_short": "Tlf.",
        "system": "Overgang (automatisk)",
    },
}


def _lender(loan: Loan, t: dict[str, str]) -> str:
    """Who lent it: a person's name, or Overgang itself for a loan made by a job (issue 19:
    never the system account's username)."""
    if is_system(loan.lent_by):
        return t["system"]
    return loan.lent_by.get_full_name() or loan.lent_by.get_username()


def _set_table(loans: Sequence[Loan], t: dict[str, str], language: Language, width: float) -> Table:
    """Every device of the set on a line: the aid, its serial, what it is in the set, and
    whether its manual went with it."""
    rows = [[_p(t["aid"], _SMALL), _p(t["serial"], _SMALL), "", _p(t["manual"], _SMALL)]]
    for each in loans:
        role = t.get(f"role_{each.role}", "")
        rows.append(
            [
                _p(aid_name(each.device.aid_type, language)),
                _p(each.device.serial),
                _p(role, _SMALL),
                _p(t["yes"] if each.manual_handed_over else t["no"]),
            ]
        )
    table = Table(rows, colWidths=[width * 0.38, width * 0.24, width * 0.22, width * 0.16])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.HexColor("#444444")),
            ]
        )
    )
    return table


def loan_slip(loan: Loan, *, language: Language) -> bytes:
    """The slip that goes with a lent aid (N8): what is lent, to whom, that it is lent for a
    time and must go back, whom to ask, and lines to sign. A4, in `language`."""
    t = TEXTS[language]
    device = loan.device
    unit = device.owner
    patient = loan.patient
    width = A4[0] - 2 * PAGE_MARGIN
    unit_name = escape(unit.name)

    header = _letterhead(unit, t["title"], t["subtitle"], width)

    main = main_of(loan)
    together = loans_of_set(main)
    what = [(t["aid"], aid_name(device.aid_type, language)), (t["serial"], device.serial)]
    if device.aid_type.iso9999:
        what.append((t["iso9999"], device.aid_type.iso9999))
    if main.therapy is not None:
        what.append((t["therapy"], aid_name(main.therapy, language)))
    if loan.manual is not None:
        what.append((t["manual_title"], loan.manual.title))

    lent_on = loan.started_at.astimezone(local_zone(unit)).date()
    placement = t[f"placement_{loan.placement}"] if loan.placement else ""
    period = [
        (t["lent_on"], _date(lent_on)),
        (t["expected_end"], _date(loan.expected_end) if loan.expected_end else t["not_agreed"]),
        *([(t["placement"], placement)] if placement else []),
        *([(t["where"], loan.address)] if loan.address else []),
        (t["lent_by"], _lender(loan, t)),
        (t["manual"], t["yes"] if all(x.manual_handed_over for x in together) else t["no"]),
        (t["instruction"], t["yes"] if all(x.instruction_given for x in together) else t["no"]),
    ]

    terms = Table(
        [
            [Paragraph("• " + t[key].format(unit=unit_name), _BODY)]
            for key in ("term_temporary", "term_fetch", "term_personal", "term_instruction")
        ],
        colWidths=[width],
    )
    terms.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.75, colors.black),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f2f2f2")),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, 0), 6),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
            ]
        )
    )

    contact = _contact(unit, t)

    gap = 10 * mm
    half = (width - gap) / 2
    signatures = Table(
        [["", "", ""], [_p(t["sign_patient"], _SMALL), "", _p(t["sign_unit"], _SMALL)]],
        colWidths=[half, gap, half],
        rowHeights=[16 * mm, None],
    )
    signatures.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, 1), (0, 1), 0.75, colors.black),
                ("LINEABOVE", (2, 1), (2, 1), 0.75, colors.black),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )

    story = [
        header,
        Spacer(0, 4 * mm),
        _p(t["what"], _HEADING),
        _facts(what, width),
        *(
            [_p(t["set"], _HEADING), _set_table(together, t, language, width)]
            if len(together) > 1
            else []
        ),
        _p(t["to_whom"], _HEADING),
        _facts(
            [
                (t["name"], patient.name),
                (t[f"id_{patient.id_kind}"], patient.formatted_national_id),
            ],
            width,
        ),
        _p(t["loan"], _HEADING),
        _facts(period, width),
        _p(t["terms"], _HEADING),
        terms,
        _p(t["contact"], _HEADING),
        _facts(contact, width),
        KeepTogether(
            [
                _p(t["signatures"], _HEADING),
                _p(t["receipt"]),
                signatures,
            ]
        ),
    ]

    return a4_pdf(
        story,
        unit=unit,
        title=f"{t['title']} {loan.pk}",
        language=language,
        footer=lambda page, pages: (
            f"{t['footer_loan'].format(loan=loan.pk)} · "
            f"{t['footer_page'].format(page=page, pages=pages)}"
        ),
    )
