"""The rows of the worklist page, read as columns and named once each.

The worklist is the page most read (every half minute by everyone with duties). Its rows
were deadlines with their stay and patient (three model instances a row), and the
template looked up each name, citation and state through them; now a page is one query of
the columns it shows, its organisations' names come from the register of organisations the
request already holds (or one query), its tasks' aids one query, and each row is what the
template prints.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from overgang.organisations import access_cache
from overgang.organisations.models import Organisation
from overgang.stays.models import Need
from overgang.stays.models.deadlines import cited_in, late_of, named, said_in, status_of

# What a row shows, and the patient it shows (for the read log), in this order.
WORKLIST_COLUMNS = (
    *("id", "stay_id", "need_id", "holder_id", "duty", "due", "at_once", "cites", "text"),
    *("done_at", "outcome", "stay__hospital_id", "stay__country", "stay__patient__name"),
    "stay__patient_id",
)
PATIENT = len(WORKLIST_COLUMNS) - 1


@dataclass(frozen=True, slots=True)
class WorklistRow:
    pk: int
    duty: str
    stay_id: int
    patient_name: str
    hospital_name: str
    holder_name: str
    name: str
    said: str
    cited: str
    due: datetime.datetime | None
    at_once: bool
    outcome: str
    late: bool
    stay_url: str
    done_url: str


def worklist_rows(
    rows: Sequence[Sequence[Any]], now: datetime.datetime, user: Any
) -> list[tuple[WorklistRow, str]]:
    """The page's rows (read as WORKLIST_COLUMNS) as the template shows them, each with its
    status at `now`. The holders and the stays' hospitals are named from the register of
    organisations as of the access stamp `user`'s request read (see `_names`)."""
    names = _names({r[3] for r in rows} | {r[11] for r in rows}, user)
    aids = _aids({r[2] for r in rows if r[2] is not None})
    stay_url, done_url = _addresses("stay-detail"), _addresses("deadline-done")
    shown = []
    for row in rows:
        pk, stay, need, holder, duty, due, at_once, cites, text, done_at, outcome = row[:11]
        hospital, country, patient_name = row[11:14]
        shown.append(
            (
                WorklistRow(
                    pk=pk,
                    duty=duty,
                    stay_id=stay,
                    patient_name=patient_name,
                    hospital_name=names[hospital],
                    holder_name=names[holder],
                    name=named(duty, aids.get(need)),
                    said=said_in(text),
                    cited=cited_in(cites, country),
                    due=due,
                    at_once=at_once,
                    outcome=outcome,
                    late=late_of(done_at, due, at_once),
                    stay_url=stay_url(stay),
                    done_url=done_url(pk),
                ),
                status_of(done_at, due, at_once, now),
            )
        )
    return shown


def _names(organisations: set[int], user: Any) -> dict[int, str]:
    """The organisations' names: from the register kept as of the access stamp this request
    read (organisations/access_cache.py; renaming one writes a new stamp), without a query;
    in one query where the request read no stamp or the register lacks one of them."""
    if not organisations:  # an empty page: nothing to name, no register to read
        return {}
    stamp = access_cache.stamp_read_by(user)
    if stamp:
        by_id = access_cache.register(stamp).by_id
        if organisations <= by_id.keys():
            return {pk: by_id[pk].name for pk in organisations}
    return dict(
        Organisation.objects.filter(pk__in=organisations).order_by().values_list("pk", "name")
    )


def _aids(needs: set[int]) -> dict[int | None, str]:
    """The aid each task's need names, by need; none when no task is on the page."""
    if not needs:
        return {}
    found = Need.objects.filter(pk__in=needs, aid_type__isnull=False).select_related("aid_type")
    return {need.pk: need.aid_type.name for need in found if need.aid_type is not None}


# An id no row has, to find where a reversed address puts the id.
_MARKER = 9_876_543_210


def _addresses(name: str) -> Callable[[int], str]:
    """The address `reverse(name, args=[pk])` gives, for any pk, from one reverse: each row
    links its stay and its form, and fifty reverses a page cost more than the rest of a row."""
    head, _, tail = reverse(name, args=[_MARKER]).partition(str(_MARKER))
    return lambda pk: f"{head}{pk}{tail}"
