"""Demo user manuals: a short PDF per aid type, so that the demo units can hand a manual
over with every loan (U7). The text is general advice written for the demo, not a
manufacturer's manual; a real unit uploads the manufacturer's."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from overgang.aids.models import AidType

_BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=11, leading=15, spaceAfter=6)
_TITLE = ParagraphStyle("title", parent=_BODY, fontName="Helvetica-Bold", fontSize=20, leading=24)
_HEADING = ParagraphStyle("heading", parent=_BODY, fontName="Helvetica-Bold", fontSize=13)

SECTIONS = {
    "nb": (
        (
            "Før bruk",
            "Les hele veiledningen. Sjekk at utstyret er helt og at alle deler følger med.",
        ),
        (
            "Daglig bruk",
            "Bruk utstyret slik du fikk opplæring i. Plasser det på et stabilt underlag, "
            "borte fra vann og varmekilder.",
        ),
        ("Rengjøring", "Tørk av utstyret med en fuktig klut. Bytt filter og slanger som avtalt."),
        (
            "Ved feil",
            "Ring enheten som lånte deg utstyret. Er det fare for liv og helse, ring 113.",
        ),
        ("Retur", "Utstyret er lånt. Lever det tilbake når du ikke lenger trenger det."),
    ),
    "da": (
        ("Før brug", "Læs hele vejledningen. Kontrollér, at udstyret er helt og komplet."),
        (
            "Daglig brug",
            "Brug udstyret, som du er blevet instrueret i. Stil det på et stabilt underlag, "
            "væk fra vand og varmekilder.",
        ),
        ("Rengøring", "Tør udstyret af med en fugtig klud. Skift filtre og slanger som aftalt."),
        ("Ved fejl", "Ring til den enhed, der udlånte udstyret. Ved fare for liv, ring 112."),
        ("Returnering", "Udstyret er lånt. Aflevér det, når du ikke længere har brug for det."),
    ),
}
TITLES = {"nb": "Brukerveiledning", "da": "Brugsanvisning"}


def demo_manual(aid_type: AidType) -> bytes:
    """A two-language demo manual for `aid_type` as PDF bytes."""
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, title=aid_type.name_en
    )
    story: list[Any] = []
    for language, sections in SECTIONS.items():
        name = aid_type.name_nb if language == "nb" else aid_type.name_da
        story.append(Paragraph(escape(f"{TITLES[language]}: {name}"), _TITLE))
        story.append(Spacer(1, 4 * mm))
        for heading, text in sections:
            story.append(Paragraph(escape(heading), _HEADING))
            story.append(Paragraph(escape(text), _BODY))
        story.append(Spacer(1, 10 * mm))
    document.build(story)
    return out.getvalue()
