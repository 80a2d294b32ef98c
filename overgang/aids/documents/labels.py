"""Device labels (O8): owner, address, phone, serial and a QR code to the device's phone
page, on A4 sheets and on 62 mm label rolls."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any, Literal
from urllib.parse import quote

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget as QrCodeWidget  # tests record it
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from overgang.aids.documents.pdf import BOLD, REGULAR, aid_name, default_language
from overgang.aids.models import Device

Layout = Literal["a4", "roll62"]
LAYOUTS: tuple[Layout, ...] = ("a4", "roll62")
PHONE = {"nb": "Tlf.", "da": "Tlf."}


def device_label_url(device: Device, base_url: str) -> str:
    """What a label's QR code opens: the device's phone page."""
    return f"{base_url.rstrip('/')}/d/{quote(device.serial, safe='')}/"


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
    phone = f"{PHONE[default_language(owner)]} {owner.phone}" if owner.phone else ""
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
