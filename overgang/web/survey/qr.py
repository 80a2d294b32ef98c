"""The survey link as a QR code in SVG, drawn into the page so it prints with it: no image
request, and nothing the content security policy refuses (reportlab's own SVG renderer
writes inline `style` attributes, which the policy blocks, so the modules are drawn here
from its encoder as one path)."""

from __future__ import annotations

from reportlab.graphics.barcode import qrencoder

QUIET = 4  # modules of white border the standard asks for around the code


def qr_svg(url: str) -> str:
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(url)
    code.make()
    count = code.getModuleCount()
    dark = "".join(
        f"M{column + QUIET} {row + QUIET}h1v1h-1z"
        for row in range(count)
        for column in range(count)
        if code.isDark(row, column)
    )
    side = count + 2 * QUIET
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" '
        f'role="img" aria-label="QR" shape-rendering="crispEdges">'
        f'<rect width="{side}" height="{side}" fill="#fff"/>'
        f'<path d="{dark}" fill="#000"/></svg>'
    )
