"""The deadlines a caller's organisations hold: the worklist, and marking one done."""

from __future__ import annotations

from operator import itemgetter

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from overgang import clock
from overgang.api.answers import answer
from overgang.api.auth import request_user
from overgang.api.inputs import Id
from overgang.api.paging import PageOf200, page
from overgang.api.reads import read_list
from overgang.api.rows import schema_rows
from overgang.api.stays.common import (
    DEADLINE_COLUMNS,
    DeadlineOut,
    deadline_out,
    deadline_row_out,
)
from overgang.stays import actions
from overgang.stays.access import worklist

router = Router()


@router.get("/deadlines", response=list[DeadlineOut])
def list_deadlines(request: HttpRequest, paging: Query[PageOf200]) -> HttpResponse:
    """The caller's worklist: open deadlines their organisations hold, overdue first."""
    now = clock.now()
    found = worklist(request_user(request)).values_list(*DEADLINE_COLUMNS, "stay__patient")
    shown = read_list(request, page(found, paging), patient=itemgetter(len(DEADLINE_COLUMNS)))
    return answer(schema_rows(DeadlineOut, [deadline_row_out(row, now) for row in shown]))


class DoneIn(Schema):
    note: str


@router.post("/deadlines/{int:pk}/done", response=DeadlineOut)
def deadline_done(request: HttpRequest, pk: Id, payload: DoneIn) -> dict[str, object]:
    """The holder did it another way (by phone, in a meeting) and says how."""
    deadline = (
        worklist(request_user(request))
        .filter(pk=pk)
        .select_related("holder", "stay", "need__aid_type")
        .first()
    )
    if deadline is None:
        raise HttpError(404, "Not Found")
    actions.complete_deadline(deadline, actor=request_user(request), note=payload.note)
    deadline.refresh_from_db()
    return deadline_out(deadline, clock.now())
