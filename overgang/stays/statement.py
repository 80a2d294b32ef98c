"""The statement of waiting days a hospital invoices a municipality from (R9), as CSV and
as PDF: per stay the patient (name, national identity number, address), the day declared
discharge-ready, the days billed, the daily rate, the amount; the totals.

Written for staff, so in the reader's language (gettext), unlike the patient's papers.
The CSV has one dialect: semicolons, UTF-8 with a byte-order mark (spreadsheets in Norway
and Denmark open it as it is), dates as YYYY-MM-DD, amounts in whole kroner."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

from overgang.aids.documents.pdf import (
    _BODY,
    _SMALL,
    PAGE_MARGIN,
    Language,
    _date,
    _letterhead,
    _p,
    a4_pdf,
)
from overgang.i18n import current_language
from overgang.organisations.models import Organisation
from overgang.stays.models import Stay
from overgang.stays.waiting import Statement, StatementLine


def _ready_day(stay: Stay) -> str:
    if stay.discharge_ready_at is None:
        return ""
    return timezone.localtime(stay.discharge_ready_at, _zone(stay)).date().isoformat()


def _zone(stay: Stay) -> ZoneInfo:
    return ZoneInfo(stay.time_zone)


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.0f}"


def _address(stay: Stay) -> str:
    patient = stay.patient
    town = " ".join(p for p in (patient.postcode, patient.post_town) if p)
    return ", ".join(p for p in (patient.address, town) if p)


def headers() -> list[str]:
    return [
        _("Municipality"),
        _("Patient"),
        _("National identity number"),
        _("Address"),
        _("Hospital"),
        _("Discharge-ready"),
        _("Municipality notified"),
        _("First day"),
        _("Last day"),
        _("Days"),
        _("Days removed after objection"),
        _("Daily rate (NOK)"),
        _("Amount (NOK)"),
    ]


def _row(statement: Statement, line: StatementLine) -> list[str]:
    stay = line.stay
    return [
        statement.municipality,
        stay.patient.name,
        stay.patient.national_id,
        _address(stay),
        stay.hospital.name,
        _ready_day(stay),
        timezone.localtime(stay.notified_at, _zone(stay)).isoformat(timespec="minutes")
        if stay.notified_at
        else "",
        line.days[0].isoformat() if line.days else "",
        line.days[-1].isoformat() if line.days else "",
        str(len(line.days)),
        str(len(line.removed)),
        _money(line.rate),
        _money(line.amount),
    ]


def statement_csv(statements: Sequence[Statement]) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers())
    for statement in statements:
        for line in statement.lines:
            writer.writerow(_row(statement, line))
        writer.writerow(
            [
                statement.municipality,
                _("Total"),
                *([""] * 7),
                str(statement.days),
                "",
                "",
                "" if statement.missing_rates else _money(statement.amount),
            ]
        )
    return out.getvalue()


def _lines(parts: Sequence[str]) -> Paragraph:
    """Several short lines in one cell (names may hold & or <: each is escaped)."""
    return Paragraph("<br/>".join(escape(part) for part in parts if part), _SMALL)


def _language() -> Language:
    return "da" if current_language() == "da" else "nb"


def statement_pdf(statements: Sequence[Statement], month: str) -> bytes:
    """One section per municipality; the hospital of its first stay heads the page."""
    width = A4[0] - 2 * PAGE_MARGIN
    story: list[object] = []
    title = _("Waiting days")
    for number, statement in enumerate(statements):
        if number:
            story.append(PageBreak())
        hospital = statement.lines[0].stay.hospital
        story.append(_letterhead(hospital, title, f"{statement.municipality} · {month}", width))
        story.append(Spacer(1, 8))
        story.append(
            _p(
                _("%(first)s–%(last)s: what %(municipality)s pays for discharge-ready patients.")
                % {
                    "first": _date(statement.first),
                    "last": _date(statement.last),
                    "municipality": statement.municipality,
                },
            )
        )
        story.append(Spacer(1, 6))
        rows: list[list[object]] = [
            [
                Paragraph(_("Patient"), _SMALL),
                Paragraph(_("Discharge-ready"), _SMALL),
                Paragraph(_("Days"), _SMALL),
                Paragraph(_("Daily rate (NOK)"), _SMALL),
                Paragraph(_("Amount (NOK)"), _SMALL),
            ]
        ]
        for line in statement.lines:
            stay = line.stay
            who = [stay.patient.name, stay.patient.formatted_national_id, _address(stay)]
            days = [str(len(line.days))]
            if line.days:
                days.append(f"{line.days[0]:%d.%m.}–{line.days[-1]:%d.%m.%Y}")
            if line.removed:
                days.append(_("%(n)d removed after objection") % {"n": len(line.removed)})
            ready = stay.discharge_ready_at
            rows.append(
                [
                    _lines(who),
                    _p(_date(timezone.localtime(ready, _zone(stay))) if ready else "", _SMALL),
                    _lines(days),
                    _p(_money(line.rate) or "–", _SMALL),
                    _p(_money(line.amount) or "–", _SMALL),
                ]
            )
        rows.append(
            [
                _p(_("Total"), _BODY),
                "",
                _p(str(statement.days), _BODY),
                "",
                _p("–" if statement.missing_rates else _money(statement.amount), _BODY),
            ]
        )
        table = Table(
            rows, colWidths=[width * 0.36, width * 0.16, width * 0.2, width * 0.12, width * 0.16]
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
                    ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black),
                ]
            )
        )
        story.append(table)
        if statement.missing_rates:
            years = ", ".join(str(y) for y in sorted(statement.missing_rates))
            story.append(_p(_("No daily rate for %(years)s yet.") % {"years": years}, _SMALL))
    if not statements:
        story.append(_p(_("No waiting days in %(month)s.") % {"month": month}))
    first = statements[0].lines[0].stay.hospital if statements else None
    if first is None:
        first = Organisation(name="Overgang")
    return a4_pdf(
        story,
        unit=first,
        title=f"{title} {month}",
        language=_language(),
        footer=lambda page, pages: f"{page}/{pages}",
    )
