"""A written procedure printed from its steps (O10, 000 9.1): the patient takes it home.

Printed in the patient's country's language (bokmål or Danish), with the aid, the patient,
who trained them and the numbered steps, on the same A4 paper as the loan slip."""

from __future__ import annotations

import re

from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Spacer

from overgang.aids.documents.pdf import (
    _BODY,
    _HEADING,
    PAGE_MARGIN,
    Language,
    _date,
    _facts,
    _letterhead,
    _p,
    a4_pdf,
    aid_name,
    local_zone,
)
from overgang.organisations.models import Country
from overgang.stays.models import ProcedureDocument

TEXTS: dict[Language, dict[str, str]] = {
    "nb": {
        "subtitle": "Skriftlig prosedyre etter opplæring",
        "about": "Om opplæringen",
        "aid": "Hjelpemiddel",
        "patient": "Pasient",
        "trained": "Opplært",
        "by": "Opplært av",
        "on": "Dato",
        "steps": "Slik gjør du det",
        "ask": "Spør {unit} hvis noe er uklart.",
        "page": "Side {page} av {pages}",
    },
    "da": {
        "subtitle": "Skriftlig procedure efter oplæring",
        "about": "Om oplæringen",
        "aid": "Hjælpemiddel",
        "patient": "Patient",
        "trained": "Oplært",
        "by": "Oplært af",
        "on": "Dato",
        "steps": "Sådan gør du",
        "ask": "Spørg {unit}, hvis noget er uklart.",
        "page": "Side {page} af {pages}",
    },
}


def procedure_pdf(document: ProcedureDocument) -> bytes:
    training = document.training
    stay = training.stay
    unit = training.trainer_organisation
    language: Language = "da" if stay.patient.municipality.country == Country.DENMARK else "nb"
    t = TEXTS[language]
    width = A4[0] - 2 * PAGE_MARGIN
    trained_on = training.at.astimezone(local_zone(unit)).date()
    story = [
        _letterhead(unit, document.title, t["subtitle"], width),
        Spacer(0, 12),
        _p(t["about"], _HEADING),
        _facts(
            [
                (t["aid"], aid_name(training.aid_type, language)),
                (t["patient"], stay.patient.name),
                (t["trained"], training.names),
                (t["by"], training.trainer.get_full_name() or training.trainer.get_username()),
                (t["on"], _date(trained_on)),
            ],
            width,
        ),
        _p(t["steps"], _HEADING),
        *(_p(f"{number}. {step}", _BODY) for number, step in enumerate(document.steps, 1)),
        Spacer(0, 12),
        _p(t["ask"].format(unit=unit.name), _BODY),
    ]
    return a4_pdf(
        story,
        unit=unit,
        title=document.title,
        language=language,
        footer=lambda page, pages: t["page"].format(page=page, pages=pages),
    )


def procedure_response(document: ProcedureDocument) -> HttpResponse:
    """The procedure's PDF, shown in the browser to be printed; never kept in a cache."""
    response = HttpResponse(bytes(document.content), content_type="application/pdf")
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", document.title)[:60] or "procedure"
    response["Content-Disposition"] = f'inline; filename="{name}-{document.pk}.pdf"'
    patch_cache_control(response, private=True, no_store=True)
    return response
