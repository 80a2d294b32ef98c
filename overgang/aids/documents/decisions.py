"""The decision letter for consumables from a pharmacy (O6, 000 5.0): the patient (or a
relative, home nursing, the institution) takes it to any pharmacy, which hands the goods out
and invoices the lending unit."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

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
    signature_line,
)
from overgang.aids.documents.slips import TEXTS as SLIP_TEXTS
from overgang.aids.models import ConsumableOrder, Route

TEXTS: dict[Language, dict[str, str]] = {
    "nb": {
        "title": "Vedtak",
        "subtitle": "Forbruksmateriell fra apotek",
        "number": "Vedtak nr.",
        "date": "Dato",
        "to_whom": "Gjelder",
        "name": "Navn",
        "decision": "Vedtak",
        "intro": (
            "{unit} har vedtatt at du får forbruksmateriell til {aid} utlevert fra apotek, "
            "slik det står under."
        ),
        "consumable": "Forbruksmateriell",
        "quantity": "Mengde",
        "rate": "Forbruk",
        "rate_text": "{quantity} {unit} hver {days}. dag",
        "valid_until": "Gyldig til og med",
        "how": "Slik gjør du",
        "step_pharmacy": (
            "Ta med dette vedtaket til et apotek du velger selv. Apoteket bestiller varene og "
            "leverer dem ut til deg, en pårørende, hjemmesykepleien eller institusjonen."
        ),
        "step_invoice": "Du betaler ingenting. Apoteket sender faktura til {invoice}.",
        "step_renew": (
            "Meld fra til oss 1–2 uker før du går tom, eller før vedtaket utløper, så får du "
            "nytt vedtak i tide."
        ),
        "invoice_to": "Faktura til",
        "basis": (
            "Vedtaket følger samarbeidsrutinen om behandlingshjelpemidler ({cites}): "
            "forbruksmateriell direkte knyttet til hjelpemiddelet dekkes av den som låner ut."
        ),
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
        "title": "Afgørelse",
        "subtitle": "Forbrugsartikler fra apotek",
        "number": "Afgørelse nr.",
        "date": "Dato",
        "to_whom": "Vedrører",
        "name": "Navn",
        "decision": "Afgørelse",
        "intro": (
            "{unit} har besluttet, at du får forbrugsartikler til {aid} udleveret fra apotek, "
            "som beskrevet nedenfor."
        ),
        "consumable": "Forbrugsartikel",
        "quantity": "Mængde",
        "rate": "Forbrug",
        "rate_text": "{quantity} {unit} hver {days}. dag",
        "valid_until": "Gyldig til og med",
        "how": "Sådan gør du",
        "step_pharmacy": (
            "Tag denne afgørelse med til et apotek, du selv vælger. Apoteket bestiller varerne "
            "og udleverer dem til dig, en pårørende, hjemmeplejen eller institutionen."
        ),
        "step_invoice": "Du betaler ikke noget. Apoteket sender regningen til {invoice}.",
        "step_renew": (
            "Giv os besked 1–2 uger, før du løber tør, eller før afgørelsen udløber, så får du "
            "en ny afgørelse i tide."
        ),
        "invoice_to": "Regning til",
        "basis": (
            "Afgørelsen følger samarbejdsaftalen om behandlingsredskaber ({cites}): "
            "forbrugsartikler knyttet direkte til redskabet dækkes af den, der udlåner."
        ),
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


class NotADecision(ValueError):
    """Only an order met through a pharmacy has a decision letter."""


def decision_letter(order: ConsumableOrder, *, language: Language) -> bytes:
    """The letter for `order` (met through a pharmacy), in `language`. A4."""
    if order.route != Route.PHARMACY or order.valid_until is None:
        raise NotADecision(f"order {order.pk} is not met through a pharmacy")
    t = TEXTS[language]
    plan = order.plan
    loan = plan.loan
    unit = loan.device.owner
    patient = loan.patient
    consumable = plan.consumable
    counted = str(getattr(consumable, f"unit_{language}"))
    width = A4[0] - 2 * PAGE_MARGIN
    issued = (order.handled_at or order.requested_at).astimezone(local_zone(unit)).date()
    invoice = ", ".join(part for part in (unit.name, unit.address) if part)

    goods = Table(
        [
            [_p(t["consumable"], _SMALL), _p(t["quantity"], _SMALL), _p(t["rate"], _SMALL)],
            [
                _p(str(getattr(consumable, f"name_{language}"))),
                _p(f"{order.quantity} {counted}"),
                _p(
                    t["rate_text"].format(
                        quantity=plan.quantity, unit=counted, days=plan.every_days
                    )
                ),
            ],
        ],
        colWidths=[width * 0.45, width * 0.2, width * 0.35],
    )
    goods.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
            ]
        )
    )
    steps = [
        _p("• " + t["step_pharmacy"]),
        _p("• " + t["step_invoice"].format(invoice=invoice)),
        _p("• " + t["step_renew"]),
    ]
    signature = signature_line(t["signature"].format(unit=unit.name), width)
    story: list[Any] = [
        _letterhead(unit, t["title"], t["subtitle"], width),
        Spacer(0, 4 * mm),
        _facts([(t["number"], str(order.pk)), (t["date"], _date(issued))], width),
        _p(t["to_whom"], _HEADING),
        _facts(
            [
                (t["name"], patient.name),
                (SLIP_TEXTS[language][f"id_{patient.id_kind}"], patient.formatted_national_id),
            ],
            width,
        ),
        _p(t["decision"], _HEADING),
        _p(t["intro"].format(unit=unit.name, aid=aid_name(loan.device.aid_type, language)), _BODY),
        Spacer(0, 2 * mm),
        goods,
        Spacer(0, 2 * mm),
        _facts([(t["valid_until"], _date(order.valid_until)), (t["invoice_to"], invoice)], width),
        _p(t["how"], _HEADING),
        *steps,
        Spacer(0, 2 * mm),
        _p(t["basis"].format(cites=", ".join(plan.provider_cites) or "–"), _SMALL),
        _p(t["contact"], _HEADING),
        _facts(_contact(unit, t), width),
        KeepTogether([Spacer(0, 4 * mm), signature]),
    ]

    return a4_pdf(
        story,
        unit=unit,
        title=f"{t['title']} {order.pk}",
        language=language,
        footer=lambda page, pages: t["footer"].format(number=order.pk, page=page, pages=pages),
    )
