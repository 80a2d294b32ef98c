"""The home-ventilation agreement on paper (O11): one version, in Norwegian bokmål or
Danish, whatever the language of the screen it was printed from (see aids.documents.pdf).
A draft says so in its title, so that an unsigned paper is never taken for the agreement.
"""

from __future__ import annotations

import datetime

from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

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
    default_language,
    local_zone,
)
from overgang.rules.explain import DUTY_NAMES, PARTY_NAMES
from overgang.ventilation.models import AgreementVersion

__all__ = ["TEXTS", "agreement_pdf", "default_language"]

TEXTS: dict[Language, dict[str, str]] = {
    "nb": {
        "title": "LTMV-avtale",
        "subtitle": "Avtale om hjemmerespiratorbehandling for den enkelte pasient",
        "draft": "UTKAST – ikke signert av begge parter",
        "version": "Versjon",
        "patient": "Pasient",
        "born": "Født",
        "hospital": "Helseforetak",
        "municipality": "Kommune/bydel",
        "assessment": "Tverrfaglig vurdering",
        "date": "Dato",
        "participants": "Deltakere",
        "name": "Navn",
        "role": "Rolle",
        "organisation": "Virksomhet",
        "responsibilities": "Ansvar og oppgaver",
        "duty": "Oppgave",
        "rules": "Etter samarbeidsavtalen",
        "agreed": "Avtalt",
        "reason": "Begrunnelse",
        "staffing": "Bemanningsplan",
        "training": "Opplæringsplan",
        "trainer": "Hvem lærer opp",
        "trainees": "Hvem",
        "by": "Innen",
        "follow_up": "Oppfølging etter utskrivning",
        "follow_up_days": "Helseforetaket følger opp {days} dager etter utskrivning.",
        "signatures": "Signert",
        "signed_hospital": "For helseforetaket",
        "signed_municipality": "For kommunen/bydelen",
        "not_signed": "Ikke signert",
        "none": "Ingen",
        "page": "Side {page} av {pages}",
        "basis": "Grunnlag: samarbeidsavtalens punkt {cites}.",
    },
    "da": {
        "title": "LTMV-aftale",
        "subtitle": "Aftale om hjemmerespiratorbehandling for den enkelte patient",
        "draft": "UDKAST – ikke underskrevet af begge parter",
        "version": "Version",
        "patient": "Patient",
        "born": "Født",
        "hospital": "Helseforetak",
        "municipality": "Kommune/bydel",
        "assessment": "Tværfaglig vurdering",
        "date": "Dato",
        "participants": "Deltagere",
        "name": "Navn",
        "role": "Rolle",
        "organisation": "Organisation",
        "responsibilities": "Ansvar og opgaver",
        "duty": "Opgave",
        "rules": "Efter samarbejdsaftalen",
        "agreed": "Aftalt",
        "reason": "Begrundelse",
        "staffing": "Bemandingsplan",
        "training": "Oplæringsplan",
        "trainer": "Hvem oplærer",
        "trainees": "Hvem",
        "by": "Senest",
        "follow_up": "Opfølgning efter udskrivning",
        "follow_up_days": "Helseforetaket følger op {days} dage efter udskrivning.",
        "signatures": "Underskrevet",
        "signed_hospital": "For helseforetaket",
        "signed_municipality": "For kommunen/bydelen",
        "not_signed": "Ikke underskrevet",
        "none": "Ingen",
        "page": "Side {page} af {pages}",
        "basis": "Grundlag: samarbejdsaftalens punkt {cites}.",
    },
}


def _grid(rows: list[list[str]], width: float, columns: list[float]) -> Table:
    table = Table(
        [[_p(cell) for cell in row] for row in rows],
        colWidths=[width * c for c in columns],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("LINEBELOW", (0, 0), (-1, 0), 0.75, "#000000"),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, "#cccccc"),
            ]
        )
    )
    return table


def _signed(version: AgreementVersion, side: str, t: dict[str, str]) -> str:
    by = getattr(version, f"{side}_signed_by")
    at = getattr(version, f"{side}_signed_at")
    if by is None or at is None:
        return t["not_signed"]
    zone = local_zone(version.ventilation.hospital)
    return f"{by.get_full_name() or by.get_username()}, {_date(at.astimezone(zone).date())}"


def agreement_pdf(
    version: AgreementVersion, *, language: Language, cites: tuple[str, ...]
) -> bytes:
    """One version of the agreement as an A4 PDF in `language`."""
    t = TEXTS[language]
    agreement = version.ventilation
    patient = agreement.patient
    width = A4[0] - 2 * PAGE_MARGIN
    duties = DUTY_NAMES[language]
    parties = PARTY_NAMES[language]
    title = t["title"] if version.locked else f"{t['title']} – {t['draft']}"
    story: list[object] = [
        _letterhead(agreement.hospital, t["title"], t["subtitle"], width),
        Spacer(1, 6),
    ]
    if not version.locked:
        story.append(Paragraph(f"<b>{t['draft']}</b>", _BODY))
    story += [
        _facts(
            [
                (t["version"], str(version.number)),
                (t["patient"], patient.name),
                (t["born"], _date(patient.birth_date)),
                (t["hospital"], f"{agreement.stay.trust.name}, {agreement.hospital.name}"),
                (t["municipality"], agreement.municipality.name),
            ],
            width,
        ),
        _p(t["assessment"], _HEADING),
        _facts(
            [(t["date"], _date(version.assessment_date) if version.assessment_date else "–")],
            width,
        ),
        _p(t["participants"], _HEADING),
    ]
    if version.participants:
        story.append(
            _grid(
                [[t["name"], t["role"], t["organisation"]]]
                + [[p["name"], p["role"], p["organisation"]] for p in version.participants],
                width,
                [0.34, 0.3, 0.36],
            )
        )
    else:
        story.append(_p(t["none"]))
    story += [
        _p(t["responsibilities"], _HEADING),
        _grid(
            [[t["duty"], t["rules"], t["agreed"], t["reason"]]]
            + [
                [
                    duties.get(r["duty"], r["duty"]),
                    parties.get(r["rules_party"], r["rules_party"]),
                    parties.get(r["party"], r["party"]),
                    r.get("reason", ""),
                ]
                for r in version.responsibilities
            ],
            width,
            [0.3, 0.2, 0.2, 0.3],
        ),
        _p(t["staffing"], _HEADING),
        _p(version.staffing_plan or t["none"]),
        _p(t["training"], _HEADING),
    ]
    if version.training:
        story.append(
            _grid(
                [[t["trainer"], t["trainees"], t["by"]]]
                + [
                    [row["trainer"], row["trainees"], _date(_iso(row["by"]))]
                    for row in version.training
                ],
                width,
                [0.35, 0.45, 0.2],
            )
        )
    else:
        story.append(_p(t["none"]))
    story += [
        _p(t["follow_up"], _HEADING),
        _p(t["follow_up_days"].format(days=", ".join(str(d) for d in version.follow_up_days))),
        _p(t["signatures"], _HEADING),
        _facts(
            [
                (t["signed_hospital"], _signed(version, "hospital", t)),
                (t["signed_municipality"], _signed(version, "municipality", t)),
            ],
            width,
        ),
        Spacer(1, 8),
        _p(t["basis"].format(cites=", ".join(cites))),
    ]
    return a4_pdf(
        story,
        unit=agreement.hospital,
        title=title,
        language=language,
        footer=lambda page, pages: t["page"].format(page=page, pages=pages),
    )


def _iso(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)
