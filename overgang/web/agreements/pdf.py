"""The case catalogue on paper: landscape A4, one table per kind of aid, a column per duty,
each cell the party with the passages it rests on; in the house style of the loan slips."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from overgang.aids.documents.pdf import (
    _BODY,
    _HEADING,
    _SMALL,
    _TITLE,
    FRAME_PADDING,
    PAGE_MARGIN,
    REGULAR,
    _numbered_canvas,
    _p,
)
from overgang.rules.explain import DUTY_NAMES
from overgang.rules.registry import Agreement
from overgang.rules.spec import DUTIES

if TYPE_CHECKING:
    from overgang.web.agreements.views import Row

_CELL = ParagraphStyle("cell", parent=_BODY, fontSize=7, leading=8.5)
_HEAD = ParagraphStyle("cell-head", parent=_CELL, fontName="Helvetica-Bold")

TEXTS = {
    "nb": {
        "title": "Sakskatalog",
        "valid": "Versjon {version}, gjelder fra {start}{end}",
        "until": " til {end}",
        "situation": "Situasjon",
        "none": "Ingen saker passer til filteret.",
        "page": "Side {page} av {pages}",
        "undecided": "ikke avgjort",
    },
    "da": {
        "title": "Sagskatalog",
        "valid": "Version {version}, gælder fra {start}{end}",
        "until": " til {end}",
        "situation": "Situation",
        "none": "Ingen sager passer til filteret.",
        "page": "Side {page} af {pages}",
        "undecided": "ikke afgjort",
    },
    "en": {
        "title": "Case catalogue",
        "valid": "Version {version}, in force from {start}{end}",
        "until": " to {end}",
        "situation": "Situation",
        "none": "No case matches the filter.",
        "page": "Page {page} of {pages}",
        "undecided": "not decided",
    },
}


def _date(value: datetime.date) -> str:
    return value.strftime("%d.%m.%Y")


def _cell(cell: dict[str, Any], t: dict[str, str]) -> Any:
    if cell["party"] is None:
        return _p(t["undecided"], _CELL)
    cites = ", ".join(link["cite"] for link in cell["links"])
    return [_p(str(cell["party"]), _HEAD), _p(cites, _CELL)]


def _group_table(rows: Sequence[Row], width: float, t: dict[str, str], language: str) -> Table:
    first = width * 0.2
    rest = (width - first) / len(DUTIES)
    header = [_p(t["situation"], _HEAD), *(_p(DUTY_NAMES[language][d], _HEAD) for d in DUTIES)]
    body = [[_p(row.situation, _CELL), *(_cell(c, t) for c in row.cells)] for row in rows]
    table = Table([header, *body], colWidths=[first, *([rest] * len(DUTIES))], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
                ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ]
        )
    )
    return table


def catalogue_pdf(agreement: Agreement, rows: Sequence[Row], language: str) -> bytes:
    """The rows (as filtered on the page) on landscape A4, grouped by kind of aid."""
    t = TEXTS.get(language, TEXTS["en"])
    size = landscape(A4)
    width = size[0] - 2 * PAGE_MARGIN
    end = t["until"].format(end=_date(agreement.valid_to)) if agreement.valid_to else ""
    story: list[Any] = [
        _p(f"{t['title']}: {agreement.title}", _TITLE),
        _p(
            t["valid"].format(
                version=agreement.version, start=_date(agreement.valid_from), end=end
            ),
            _SMALL,
        ),
        Spacer(0, 6),
    ]
    groups: list[tuple[str, list[Row]]] = []
    for row in rows:
        if groups and groups[-1][0] == row.aid:
            groups[-1][1].append(row)
        else:
            groups.append((row.aid, [row]))
    for aid, members in groups:
        story += [_p(aid, _HEADING), _group_table(members, width, t, language)]
    if not groups:
        story.append(_p(t["none"], _BODY))

    def footer(canvas: Any, page: int, pages: int) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(colors.HexColor("#444444"))
        y = PAGE_MARGIN / 2
        canvas.drawString(PAGE_MARGIN, y, f"{agreement.title} · {agreement.version}")
        canvas.drawRightString(size[0] - PAGE_MARGIN, y, t["page"].format(page=page, pages=pages))
        canvas.restoreState()

    buffer = io.BytesIO()
    margin = PAGE_MARGIN - FRAME_PADDING
    document = SimpleDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=f"{t['title']}: {agreement.title}",
        lang=language,
    )
    document.build(story, canvasmaker=_numbered_canvas(footer))
    return buffer.getvalue()
