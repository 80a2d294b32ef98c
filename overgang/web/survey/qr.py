"""The survey link as a QR code in SVG, drawn into the page so it prints with it (no image
request, nothing inline that the content security policy refuses)."""

from __future__ import annotations

from reportlab.graphics import renderSVG
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing

SIDE = 160  # points; about 5.6 cm on paper, easy for a phone camera


def qr_svg(url: str) -> str:
    widget = QrCodeWidget(url, barBorder=2)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        SIDE, SIDE, transform=[SIDE / (right - left), 0, 0, SIDE / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    svg = str(renderSVG.drawToString(drawing))
    # Drop the XML prologue and doctype: the SVG goes inside the HTML page.
    return svg[svg.index("<svg") :]
