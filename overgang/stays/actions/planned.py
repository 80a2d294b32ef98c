"""Planned admissions before the patient arrives (H4, H5, N5).

A planned admission whose date lies ahead opens a stay in the status `planned`. The events
it records are facts of the planning, and the agreement decides what each starts:
`admission-date-set` (the date is fixed: HNT's notice of aid needs, 002 2) always, and
`pre-examination` only where the hospital says at the pre-examination that a need for aids
is foreseeable (Nordjylland's notice, 003 3 "såfremt ... kan forudse et behov"). No
module here branches on a region: an agreement without a duty on an event opens nothing.

The stay becomes admitted when the patient arrives (`record_arrival`: by hand, or by the
admission message), and the deadlines of an admission start then. A planned admission that
is called off is `cancel_planned` with a reason: its open duties end with it.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from overgang import clock
from overgang.audit.history import save_changed, writer_atomic
from overgang.errors import Conflict, InvalidInput
from overgang.rules.clock import day_at
from overgang.rules.registry import agreement_by_id
from overgang.stays import news
from overgang.stays.access import holder_for, sides
from overgang.stays.actions.deadlines import open_deadlines, withdraw_open
from overgang.stays.actions.times import MAX_CLOCK_SKEW, hours_after, not_in_future
from overgang.stays.models import Deadline, News, Stay, StayEvent, StayStatus

ARRIVED = "arrived"
CANCELLED = "planned-admission-cancelled"
MOVED = "planned-admission-moved"
DATE_SET = "admission-date-set"
PRE_EXAMINATION = "pre-examination"
FIELDS = ("status", "admitted_at", "expected_discharge", "ended_at")


def is_planned_ahead(admission: str, admitted_at: datetime.datetime) -> bool:
    """A planned admission for a time still to come: the patient has not arrived."""
    return (
        admission == "planned"
        and admitted_at.tzinfo is not None
        and admitted_at > clock.now() + MAX_CLOCK_SKEW
    )


def asks_foreseeable(stay_agreement: str, on: datetime.date) -> bool:
    """Does the agreement set a duty at the pre-examination (N5)? Only then does the
    planning ask whether a need for aids is foreseeable."""
    agreement = agreement_by_id(stay_agreement, on=on)
    return any(rule.event == PRE_EXAMINATION for rule in agreement.deadline_rules)


def open_planned(stay: Stay, *, actor: User, aid_need_foreseeable: bool) -> list[Deadline]:
    """The planning's events on a new planned stay, in the admitting transaction: the date
    is set now, and, where the hospital foresees a need for aids, the pre-examination
    told so now. Returns the deadlines they opened."""
    now = clock.now()
    names = [DATE_SET] + ([PRE_EXAMINATION] if aid_need_foreseeable else [])
    opened: list[Deadline] = []
    for name in names:
        event = StayEvent.objects.create(stay=stay, name=name, at=now, actor=actor)
        found, _answer = open_deadlines(event, actor=actor, new_stay=name == DATE_SET)
        opened.extend(found)
    return opened


def _lock_planned(stay: Stay, *, held: bool) -> Stay:
    """The planned stay's row, locked for the rest of the transaction (as `admission.lock`;
    held: the caller's own locked row)."""
    locked = (
        stay
        if held
        else Stay.objects.select_for_update(of=("self",))
        .select_related("patient", "hospital")
        .get(pk=stay.pk)
    )
    if locked.status != StayStatus.PLANNED:
        raise Conflict(
            _("The stay is not a planned admission waiting for the patient (%(status)s).")
            % {"status": locked.get_status_display()}
        )
    return locked


def record_arrival(stay: Stay, *, actor: User, at: datetime.datetime, locked: bool = False) -> Stay:
    """The patient of a planned stay has arrived: the stay is admitted from `at`, and the
    deadlines of an admission start (R1, R2, H1, N5). The notices given before arrival
    stay as they were. A caller holding the stay `locked` (receiving the admission
    message) passes it on as held."""
    if at.tzinfo is None:
        raise InvalidInput({"at": _("Give the time with its UTC offset.")})
    not_in_future(at, "at")
    with writer_atomic():
        stay = _lock_planned(stay, held=locked)
        if "hospital" not in sides(actor) and not actor.is_superuser and not locked:
            raise InvalidInput({"actor": _("The hospital records that the patient has arrived.")})
        values: dict[str, object] = {"status": StayStatus.ADMITTED, "admitted_at": at}
        if stay.expected_stay_hours is not None:
            # Real hours after arrival, also across a change of summer time.
            values["expected_discharge"] = hours_after(at, stay.expected_stay_hours)
        save_changed(stay, FIELDS, values, actor=actor, reason=_("The patient has arrived."))
        StayEvent.objects.create(stay=stay, name=ARRIVED, at=at, actor=actor)
        event = StayEvent.objects.create(stay=stay, name="admitted", at=at, actor=actor)
        open_deadlines(event, actor=actor)
        news.tell(
            News.PLANNED_ARRIVED,
            to=holder_for(stay, "municipality"),
            patient=stay.patient,
            link=reverse("stay-detail", args=[stay.pk]),
        )
    return stay


def cancel_planned(stay: Stay, *, actor: User, reason: str) -> Stay:
    """The planned admission is called off before the patient arrived: the stay ends as
    cancelled, its open duties are withdrawn, and the municipality is told."""
    if not reason.strip():
        raise InvalidInput({"reason": _("Say why the planned admission is cancelled.")})
    now = clock.now()
    with writer_atomic():
        stay = _lock_planned(stay, held=False)
        if "hospital" not in sides(actor) and not actor.is_superuser:
            raise InvalidInput({"actor": _("The hospital cancels a planned admission.")})
        save_changed(
            stay,
            FIELDS,
            {"status": StayStatus.CANCELLED, "ended_at": now},
            actor=actor,
            reason=reason.strip(),
        )
        withdraw_open(stay, actor=actor, note=_("The planned admission was cancelled."))
        StayEvent.objects.create(
            stay=stay, name=CANCELLED, at=now, actor=actor, note=reason.strip()
        )
        news.tell(
            News.PLANNED_CANCELLED,
            to=holder_for(stay, "municipality"),
            patient=stay.patient,
            link=reverse("stay-detail", args=[stay.pk]),
        )
    return stay


def move_planned(stay: Stay, *, actor: User, to: datetime.datetime, reason: str) -> Stay:
    """The planned admission moves to another time (the operation is postponed, or the
    date was entered wrong): the stay keeps its notices and what was done on them, the
    expected discharge follows, and the municipality is told the new time."""
    errors: dict[str, str] = {}
    if to.tzinfo is None:
        errors["admitted_at"] = _("Give the time with its UTC offset.")
    elif to <= clock.now() + MAX_CLOCK_SKEW:
        errors["admitted_at"] = _(
            "The new time must be ahead; if the patient is here, record the arrival."
        )
    if not reason.strip():
        errors["reason"] = _("Say why the planned admission moves.")
    if errors:
        raise InvalidInput(errors)
    with writer_atomic():
        stay = _lock_planned(stay, held=False)
        if "hospital" not in sides(actor) and not actor.is_superuser:
            raise InvalidInput({"actor": _("The hospital moves a planned admission.")})
        values: dict[str, object] = {"admitted_at": to}
        if stay.expected_stay_hours is not None:
            values["expected_discharge"] = hours_after(to, stay.expected_stay_hours)
        elif stay.expected_discharge is not None:
            # The same length of stay from the new time.
            values["expected_discharge"] = to + (stay.expected_discharge - stay.admitted_at)
        save_changed(stay, FIELDS, values, actor=actor, reason=reason.strip())
        StayEvent.objects.create(
            stay=stay, name=MOVED, at=clock.now(), actor=actor, note=reason.strip()
        )
        news.tell(
            News.PLANNED_MOVED,
            to=holder_for(stay, "municipality"),
            patient=stay.patient,
            link=reverse("stay-detail", args=[stay.pk]),
        )
    return stay


def planned_conflict(stay: Stay) -> Conflict:
    """An admission of a patient whose planned stay is still waiting: the planned stay is
    where the arrival is recorded, or it is cancelled first."""
    day = day_at(stay.admitted_at, stay.time_zone)
    return Conflict(
        _(
            "%(name)s has a planned admission at %(hospital)s on %(day)s. Record that the "
            "patient has arrived on that stay, or cancel the planned admission first."
        )
        % {"name": stay.patient.name, "hospital": stay.hospital.name, "day": day.isoformat()}
    )
