"""What every printed document shares: languages, fonts, styles, page furniture.

Texts are written per language in each document rather than through gettext: a paper is
printed in the patient's language (Norwegian bokmål or Danish), whatever the language of
the clerk's screen. Helvetica, built into every PDF reader, covers Latin-1 and so æøåÆØÅ;
characters outside it (such as ☑) would print as black boxes, so documents answer in
words ("Ja"/"Nei").
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Sequence
from typing import Any, Literal
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from overgang.aids.models import AidType
from overgang.organisations.models import Country, Organisation
from overgang.rules.clock import country_time_zone, zone

Language = Literal["nb", "da"]
LANGUAGES: tuple[Language, ...] = ("nb", "da")

REGULAR = "Helvetica"
BOLD = "Helvetica-Bold"


def default_language(owner: Organisation) -> Language:
    """The usual language of a unit's papers: Danish for Danish units, else bokmål."""
    return "da" if owner.country == Country.DENMARK else "nb"


def local_zone(owner: Organisation) -> ZoneInfo:
    return zone(country_time_zone(owner.country))


def aid_name(aid_type: AidType, language: Language) -> str:
    return str(getattr(aid_type, f"name_{language}", "") or aid_type.name_en)


def _date(value: datetime.date) -> str:
    return value.strftime("%d.%m.%Y")


PAGE_MARGIN = 20 * mm
# Platypus frames keep 6 pt inside their edges; the page margins give that back so that
# text and tables line up with the footer at PAGE_MARGIN.
FRAME_PADDING = 6
LABEL_COLUMN = 52 * mm

_BODY = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=13)
_SMALL = ParagraphStyle("small", parent=_BODY, fontSize=8.5, leading=11)
_HEADING = ParagraphStyle(
    "heading", parent=_BODY, fontName=BOLD, fontSize=11.5, leading=14, spaceBefore=9, spaceAfter=3
)
_TITLE = ParagraphStyle("title", parent=_BODY, fontName=BOLD, fontSize=20, leading=24)
_UNIT = ParagraphStyle("unit", parent=_BODY, fontName=BOLD, fontSize=12, leading=15)


def _p(text: str, style: ParagraphStyle = _BODY) -> Paragraph:
    """A paragraph of plain text (escaped: names may hold & or <)."""
    return Paragraph(escape(text), style)


def _facts(rows: Sequence[tuple[str, str]], width: float) -> Table:
    table = Table(
        [[_p(label), _p(value)] for label, value in rows],
        colWidths=[LABEL_COLUMN, width - LABEL_COLUMN],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("TEXTCOLOR", (0, 0), (0, -1), colors.HexColor("#444444")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
            ]
        )
    )
    return table


def _numbered_canvas(footer: Callable[[Any, int, int], None]) -> type:
    """A canvas that draws `footer(canvas, page, pages)` once the page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                footer(self, number, len(self._pages))
                super().showPage()
            super().save()

    return NumberedCanvas


def _letterhead(unit: Organisation, title: str, subtitle: str, width: float) -> Table:
    """The unit (with its trust or municipality above) on the left, the title on the right,
    a rule below."""
    header = Table(
        [
            [
                [*([_p(unit.parent.name, _SMALL)] if unit.parent else []), _p(unit.name, _UNIT)],
                [_p(title, _TITLE), _p(subtitle, _SMALL)],
            ]
        ],
        colWidths=[width * 0.55, width * 0.45],
    )
    header.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, -1), 1, colors.black),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return header


def _contact(unit: Organisation, t: dict[str, str]) -> list[tuple[str, str]]:
    """Whom to ask: the unit with its address, phone, e-mail and opening hours."""
    rows = [(t["unit"], unit.name)]
    for key in ("address", "phone", "email", "opening_hours"):
        if value := getattr(unit, key):
            rows.append((t[key], value))
    return rows


def a4_pdf(
    story: list[Any],
    *,
    unit: Organisation,
    title: str,
    language: Language,
    footer: Callable[[int, int], str],
) -> bytes:
    """An A4 document with the page margins of every paper here and a footer: the unit on
    the left, `footer(page, pages)` on the right."""

    def draw_footer(canvas: Any, page: int, pages: int) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(colors.HexColor("#444444"))
        y = PAGE_MARGIN / 2
        canvas.drawString(PAGE_MARGIN, y, unit.name)
        canvas.drawRightString(A4[0] - PAGE_MARGIN, y, footer(page, pages))
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=PAGE_MARGIN - FRAME_PADDING,
        rightMargin=PAGE_MARGIN - FRAME_PADDING,
        topMargin=PAGE_MARGIN - FRAME_PADDING,
        bottomMargin=PAGE_MARGIN - FRAME_PADDING,
        title=title,
        author=unit.name,
        lang=language,
    )
    document.build(story, canvasmaker=_numbered_canvas(draw_footer))
    return buffer.getvalue()


def signature_line(text: str, width: float) -> Table:
    """A line to sign on, with what the signature stands for under it (decision letters)."""
    signature = Table([[""], [_p(text, _SMALL)]], colWidths=[width / 2], rowHeights=[16 * mm, None])
    signature.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, 1), (0, 1), 0.75, colors.black),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return signature
