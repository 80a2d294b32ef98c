"""Printed documents: the loan slip that goes with a lent aid (N8) and device labels (O8).

Plain functions from model objects to PDF bytes; the pages in overgang/web decide who may
print what. The texts are written here per language rather than through gettext: a slip is
printed in the patient's language (Norwegian bokmål or Danish), whatever the language of
the clerk's screen. Which language to use is the caller's choice; `default_language` gives
the usual one (nb for Norwegian owners, da for Danish owners).

Helvetica, built into every PDF reader, covers Latin-1 and so æøåÆØÅ; characters outside
it (such as ☑) would print as black boxes, so the slip answers in words ("Ja"/"Nei").
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal
from urllib.parse import quote
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from overgang.aids.models import AidType, Device, Loan
from overgang.aids.sets import loans_of_set, main_of
from overgang.organisations.models import Country, Organisation

Language = Literal["nb", "da"]
Layout = Literal["a4", "roll62"]
LANGUAGES: tuple[Language, ...] = ("nb", "da")
LAYOUTS: tuple[Layout, ...] = ("a4", "roll62")

REGULAR = "Helvetica"
BOLD = "Helvetica-Bold"

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
        "therapy": "Lånt ut til",
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
        "therapy": "Udlånt til",
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
    },
}


def default_language(owner: Organisation) -> Language:
    """The usual language of a unit's papers: Danish for Danish units, else bokmål."""
    return "da" if owner.country == Country.DENMARK else "nb"


def local_zone(owner: Organisation) -> ZoneInfo:
    return ZoneInfo("Europe/Copenhagen" if owner.country == Country.DENMARK else "Europe/Oslo")


def aid_name(aid_type: AidType, language: Language) -> str:
    return str(getattr(aid_type, f"name_{language}", "") or aid_type.name_en)


def device_label_url(device: Device, base_url: str) -> str:
    """What a label's QR code opens: the device's phone page."""
    return f"{base_url.rstrip('/')}/d/{quote(device.serial, safe='')}/"


def _date(value: datetime.date) -> str:
    return value.strftime("%d.%m.%Y")


# ---------------------------------------------------------------------------------------
# The loan slip (N8)

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

    header = Table(
        [
            [
                [
                    *([_p(unit.parent.name, _SMALL)] if unit.parent else []),
                    _p(unit.name, _UNIT),
                ],
                [_p(t["title"], _TITLE), _p(t["subtitle"], _SMALL)],
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
        (t["lent_by"], loan.lent_by.get_full_name() or loan.lent_by.get_username()),
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

    contact = [(t["unit"], unit.name)]
    for key in ("address", "phone", "email", "opening_hours"):
        if value := getattr(unit, key):
            contact.append((t[key], value))

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

    def footer(canvas: Any, page: int, pages: int) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(colors.HexColor("#444444"))
        y = PAGE_MARGIN / 2
        canvas.drawString(PAGE_MARGIN, y, unit.name)
        canvas.drawRightString(
            A4[0] - PAGE_MARGIN,
            y,
            f"{t['footer_loan'].format(loan=loan.pk)} · "
            f"{t['footer_page'].format(page=page, pages=pages)}",
        )
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=PAGE_MARGIN - FRAME_PADDING,
        rightMargin=PAGE_MARGIN - FRAME_PADDING,
        topMargin=PAGE_MARGIN - FRAME_PADDING,
        bottomMargin=PAGE_MARGIN - FRAME_PADDING,
        title=f"{t['title']} {loan.pk}",
        author=unit.name,
        lang=language,
    )
    document.build(story, canvasmaker=_numbered_canvas(footer))
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------
# Device labels (O8)

# A sheet like Avery L7163 / J8163: 2 × 7 labels of 99.1 × 38.1 mm on A4.
SHEET_COLUMNS = 2
SHEET_ROWS = 7
SHEET_LABEL = (99.1 * mm, 38.1 * mm)
SHEET_LEFT = 4.65 * mm
SHEET_TOP = 15.15 * mm
SHEET_PITCH = (101.6 * mm, 38.1 * mm)
# Brother DK-22205: continuous 62 mm tape, cut at 29 mm: one label a page.
ROLL_LABEL = (62 * mm, 29 * mm)


def _shorten(text: str, font: str, size: float, width: float) -> str:
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _wrap(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    """At most `max_lines` lines no wider than `width`; what does not fit ends in …."""
    lines = simpleSplit(text, font, size, width) or [""]
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return [_shorten(line, font, size, width) for line in lines]


def _draw_qr(canvas: Any, url: str, x: float, y: float, side: float) -> None:
    widget = QrCodeWidget(url, barBorder=2)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        side, side, transform=[side / (right - left), 0, 0, side / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def _draw_label(
    canvas: Any,
    device: Device,
    *,
    x: float,
    y: float,
    size: tuple[float, float],
    base_url: str,
) -> None:
    """One label with its lower left corner at (x, y): who owns the device and how to reach
    them on the left, the QR code of its phone page on the right."""
    width, height = size
    pad = max(1.5 * mm, height * 0.07)
    qr_side = height - 2 * pad
    _draw_qr(
        canvas, device_label_url(device, base_url), x + width - pad - qr_side, y + pad, qr_side
    )

    owner = device.owner
    text_width = width - qr_side - 3 * pad
    scale = height / SHEET_LABEL[1]
    parent = owner.parent.name if owner.parent and owner.parent.name not in owner.name else ""
    phone = f"{TEXTS[default_language(owner)]['phone_short']} {owner.phone}" if owner.phone else ""
    # (text, font, size, most lines); empty lines are left out.
    blocks = [
        (parent, REGULAR, 7 * scale, 1),
        (owner.name, BOLD, 8.5 * scale, 2),
        (owner.address, REGULAR, 7.5 * scale, 2),
        (phone, BOLD, 8.5 * scale, 1),
        (aid_name(device.aid_type, default_language(owner)), REGULAR, 8.5 * scale, 2),
    ]
    blocks = [block for block in blocks if block[0]]
    serial_size = min(20 * scale, 0.95 * text_width / max(stringWidth(device.serial, BOLD, 1), 1))
    available = height - 2 * pad - serial_size * 1.1

    # Shrink the small print until it fits above the serial number.
    shrink = 1.0
    while True:
        laid = [
            (_wrap(text, font, font_size * shrink, text_width, lines), font, font_size * shrink)
            for text, font, font_size, lines in blocks
        ]
        used = sum(len(lines) * font_size * 1.18 for lines, _font, font_size in laid)
        if used <= available or shrink < 0.6:
            break
        shrink -= 0.05

    canvas.saveState()
    canvas.setFillColor(colors.black)
    top = y + height - pad
    for lines, font, font_size in laid:
        for line in lines:
            top -= font_size * 1.18
            canvas.setFont(font, font_size)
            canvas.drawString(x + pad, top + font_size * 0.22, line)
    canvas.setFont(BOLD, serial_size)
    canvas.drawString(x + pad, y + pad + serial_size * 0.1, device.serial)
    canvas.restoreState()


def device_labels(devices: Iterable[Device], *, layout: Layout, base_url: str) -> bytes:
    """Labels for devices (O8): the owner's name, address and phone, the kind of aid, the
    serial number and a QR code of the device's phone page under `base_url`
    (such as "https://overgang.example.no"). Layout "a4": sheets of 2 × 7 labels of
    99.1 × 38.1 mm; "roll62": one 62 × 29 mm label a page, for label printers."""
    devices = list(devices)
    if not devices:
        raise ValueError("No devices to label.")
    if layout not in LAYOUTS:
        raise ValueError(f"Unknown label layout: {layout}")
    buffer = io.BytesIO()
    pagesize = A4 if layout == "a4" else ROLL_LABEL
    canvas = Canvas(buffer, pagesize=pagesize)
    canvas.setTitle("Etiketter")
    if layout == "roll62":
        for device in devices:
            _draw_label(canvas, device, x=0, y=0, size=ROLL_LABEL, base_url=base_url)
            canvas.showPage()
    else:
        per_sheet = SHEET_COLUMNS * SHEET_ROWS
        for index, device in enumerate(devices):
            place = index % per_sheet
            if index and not place:
                canvas.showPage()
            row, column = divmod(place, SHEET_COLUMNS)
            x = SHEET_LEFT + column * SHEET_PITCH[0]
            y = A4[1] - SHEET_TOP - row * SHEET_PITCH[1] - SHEET_LABEL[1]
            _draw_label(canvas, device, x=x, y=y, size=SHEET_LABEL, base_url=base_url)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
