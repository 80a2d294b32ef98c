"""Trial discharges and leave from a stay (N5): planning one, its start and end, the aids
that go home for it. The agreement's `[leave]` rules (overgang/rules/leave.py) set the day
the aids are handed out and the care plan before it; on a Danish stay the hospital's start
and end go to the municipality as MedCom's start-leave / end-leave notifications."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from overgang import clock
from overgang.aids.models import Loan
from overgang.audit.history import record_change, save_changed, snapshot, writer_atomic
from overgang.audit.models import ChangeAction
from overgang.errors import Conflict, InvalidInput
from overgang.rules.calendar import END_OF_DAY, Calendar
from overgang.rules.leave import LeaveRules, applies, care_plan_due, handout_allowed, handout_day
from overgang.stays.access import holder_for, sides
from overgang.stays.actions.admission import lock
from overgang.stays.actions.deadlines import add_deadlines, close
from overgang.stays.actions.messages import record_message
from overgang.stays.actions.needs import stay_agreement
from overgang.stays.actions.times import not_in_future
from overgang.stays.checklist import cited
from overgang.stays.models import (
    Deadline,
    LeaveAid,
    LeaveException,
    LeaveKind,
    LeavePeriod,
    LeaveStatus,
    Message,
    Need,
    Outcome,
    Stay,
)
from overgang.stays.states import StayStatus

PERIOD_FIELDS = (
    "kind",
    "status",
    "planned_start",
    "planned_end",
    "started_at",
    "ended_at",
    "exception",
    "exception_reason",
    "start_message_id",
    "end_message_id",
)
AID_FIELDS = ("period_id", "loan_id", "need_id", "handed_out_on")
# The MedCom notifications of a leave (overgang/rules/transitions.toml).
START_MESSAGE = "SYGEHUSADVIS_ORLOV_START"
END_MESSAGE = "SYGEHUSADVIS_ORLOV_SLUT"


def leave_rules(stay: Stay) -> LeaveRules:
    return stay_agreement(stay).leave


def stay_calendar(stay: Stay) -> Calendar:
    return Calendar.for_country(stay.country, stay.time_zone)


def local_day(stay: Stay, at: datetime.datetime) -> datetime.date:
    return stay_calendar(stay).local(at).date()


def latest_handout(period: LeavePeriod) -> datetime.date | None:
    """The last day the aids for the period may be handed out; None: no day is set."""
    stay = period.stay
    rules = leave_rules(stay)
    if not applies(rules, period.exception):
        return None
    starts = period.started_at or period.planned_start
    return handout_day(rules, stay_calendar(stay), local_day(stay, starts))


def _duty_rule(period: LeavePeriod, duty: str) -> str:
    """The rule id of a duty the period opened: the agreement's, with the period in it."""
    return f"{period.stay.agreement}.leave.{period.pk}.{duty}"


def plan_leave(
    stay: Stay,
    *,
    actor: User,
    kind: str,
    planned_start: datetime.datetime,
    planned_end: datetime.datetime | None = None,
    exception: str = "",
    exception_reason: str = "",
    from_message: bool = False,
    locked: bool = False,
) -> LeavePeriod:
    """A trial discharge or a leave is planned. Where the agreement has leave rules and the
    period is none of the cases it takes out, the hospital's final care plan and the
    municipality's hand-out of aids are put on their worklists, due as before a discharge."""
    rules = leave_rules(stay)
    _check_plan(rules, kind, planned_start, planned_end, exception, exception_reason)
    with writer_atomic():
        stay = lock(stay, held=locked)
        _check_in_hospital(stay)
        period = LeavePeriod.objects.create(
            stay=stay,
            kind=kind,
            planned_start=planned_start,
            planned_end=planned_end,
            exception=exception,
            exception_reason=exception_reason.strip(),
            from_message=from_message,
            recorded_by=actor,
            recorded_at=clock.now(),
        )
        record_change(
            period,
            actor=actor,
            action=ChangeAction.CREATED,
            after=snapshot(period, PERIOD_FIELDS),
            reason=exception_reason.strip(),
        )
        _open_duties(period, rules, actor=actor)
    return period


def _check_in_hospital(stay: Stay) -> None:
    """Leave is a break in an inpatient stay: not before the patient has arrived, and not in
    an outpatient episode, where the patient is at home all along."""
    if stay.status == StayStatus.PLANNED:
        raise Conflict(_("The patient has not arrived yet: leave is planned once admitted."))
    if stay.is_outpatient:
        raise Conflict(_("An outpatient episode has no leave: the patient is at home."))


def _check_plan(
    rules: LeaveRules,
    kind: str,
    planned_start: datetime.datetime,
    planned_end: datetime.datetime | None,
    exception: str,
    reason: str,
) -> None:
    errors: dict[str, str] = {}
    if kind not in LeaveKind.values:
        errors["kind"] = _("Choose a trial discharge or a leave.")
    if planned_end is not None and planned_end <= planned_start:
        errors["planned_end"] = _("The leave ends after it starts.")
    if exception:
        if exception not in LeaveException.values or rules.exception(exception) is None:
            errors["exception"] = _("The patient's agreement names no such exception.")
        elif not reason.strip():
            errors["exception_reason"] = _("Say why the exception applies.")
    if errors:
        raise InvalidInput(errors)


def _open_duties(period: LeavePeriod, rules: LeaveRules, *, actor: User) -> None:
    stay = period.stay
    if not applies(rules, period.exception):
        return
    calendar = stay_calendar(stay)
    starts = local_day(stay, period.planned_start)
    duties: list[Deadline] = []
    care_plan = care_plan_due(rules, calendar, starts)
    if care_plan is not None:
        duties.append(
            Deadline(
                stay=stay,
                duty="leave-final-care-plan",
                party="hospital",
                holder=holder_for(stay, "hospital"),
                due=care_plan,
                rule=_duty_rule(period, "final-care-plan"),
                cites=list(rules.cites),
                text=dict(rules.care_plan_text),
            )
        )
    handout = handout_day(rules, calendar, starts)
    if handout is not None:
        duties.append(
            Deadline(
                stay=stay,
                duty="leave-aids-handed-out",
                party="municipality",
                holder=holder_for(stay, "municipality"),
                due=calendar.at_local(handout, END_OF_DAY),
                rule=_duty_rule(period, "aids-handed-out"),
                cites=list(rules.cites),
                text=dict(rules.text),
            )
        )
    add_deadlines(duties, actor=actor, now=clock.now())


def _withdraw_duties(period: LeavePeriod, *, actor: User, note: str) -> None:
    for deadline in Deadline.objects.select_for_update().filter(
        stay=period.stay, rule__startswith=_duty_rule(period, ""), done_at__isnull=True
    ):
        close(deadline, actor=actor, outcome=Outcome.WITHDRAWN, note=note)


def _lock_period(period: LeavePeriod) -> LeavePeriod:
    locked = LeavePeriod.objects.select_for_update().get(pk=period.pk)
    locked.stay = period.stay
    return locked


def _check_side(stay: Stay, actor: User, *, by_message: bool) -> None:
    """On a Danish stay the hospital starts and ends a leave: its notification tells the
    municipality. Elsewhere either side records it."""
    if by_message or stay.country != "DK":
        return
    if "hospital" not in sides(actor):
        raise Conflict(
            _("The hospital records when a leave starts and ends, and tells the municipality.")
        )


def start_leave(
    period: LeavePeriod,
    *,
    actor: User,
    at: datetime.datetime | None = None,
    message: Message | None = None,
) -> LeavePeriod:
    """The patient has gone home for the period. On a Danish stay, unless the hospital's
    notification is what told us (`message`), the start-leave notification is sent."""
    at = at or clock.now()
    not_in_future(at, "at")
    stay = period.stay
    _check_side(stay, actor, by_message=message is not None)
    with writer_atomic():
        stay = lock(stay)
        period = _lock_period(period)
        if period.status != LeaveStatus.PLANNED:
            raise Conflict(_("Only a planned leave can start."))
        if LeavePeriod.objects.filter(stay=stay, status=LeaveStatus.STARTED).exists():
            raise Conflict(_("The patient is on another leave already."))
        if message is None and stay.country == "DK":
            message = record_message(stay, START_MESSAGE, actor=actor, sent_at=at, locked=True)
        return save_changed(
            period,
            PERIOD_FIELDS,
            {"status": LeaveStatus.STARTED, "started_at": at, "start_message": message},
            actor=actor,
        )


def end_leave(
    period: LeavePeriod,
    *,
    actor: User,
    at: datetime.datetime | None = None,
    message: Message | None = None,
) -> LeavePeriod:
    """The patient is back in hospital (or the trial discharge is over)."""
    at = at or clock.now()
    not_in_future(at, "at")
    stay = period.stay
    _check_side(stay, actor, by_message=message is not None)
    with writer_atomic():
        stay = lock(stay, ended_ok=message is not None)
        period = _lock_period(period)
        if period.status != LeaveStatus.STARTED:
            raise Conflict(_("Only a leave that has started can end."))
        if period.started_at is not None and at < period.started_at:
            raise InvalidInput({"at": _("The leave ends after it starts.")})
        if message is None and stay.country == "DK":
            message = record_message(stay, END_MESSAGE, actor=actor, sent_at=at, locked=True)
        return save_changed(
            period,
            PERIOD_FIELDS,
            {"status": LeaveStatus.ENDED, "ended_at": at, "end_message": message},
            actor=actor,
        )


def cancel_leave(period: LeavePeriod, *, actor: User, reason: str) -> LeavePeriod:
    """A planned leave will not happen: its duties are withdrawn."""
    if not reason.strip():
        raise InvalidInput({"reason": _("Say why the leave is cancelled.")})
    with writer_atomic():
        lock(period.stay)
        period = _lock_period(period)
        if period.status != LeaveStatus.PLANNED:
            raise Conflict(_("Only a planned leave can be cancelled."))
        _withdraw_duties(period, actor=actor, note=reason)
        return save_changed(
            period, PERIOD_FIELDS, {"status": LeaveStatus.CANCELLED}, actor=actor, reason=reason
        )


def undo_by_message(message: Message, *, actor: User, reason: str) -> LeavePeriod | None:
    """The hospital cancelled its start-leave or end-leave (MedCom cancel-*): what it did to
    the period is undone. A period the start opened goes; a planned one is planned again;
    an ended one has started again."""
    with writer_atomic():
        period = LeavePeriod.objects.select_for_update().filter(start_message=message).first()
        if period is not None:
            values: dict[str, object] = {"started_at": None, "start_message": None}
            values["status"] = LeaveStatus.CANCELLED if period.from_message else LeaveStatus.PLANNED
            if period.from_message:
                _withdraw_duties(period, actor=actor, note=reason)
            return save_changed(period, PERIOD_FIELDS, values, actor=actor, reason=reason)
        period = LeavePeriod.objects.select_for_update().filter(end_message=message).first()
        if period is not None:
            return save_changed(
                period,
                PERIOD_FIELDS,
                {"status": LeaveStatus.STARTED, "ended_at": None, "end_message": None},
                actor=actor,
                reason=reason,
            )
    return None


def hand_out_for_leave(
    period: LeavePeriod,
    *,
    actor: User,
    handed_out_on: datetime.date,
    loan: Loan | None = None,
    need: Need | None = None,
) -> LeaveAid:
    """An aid went home for the period: a loan of the patient's or a need of the stay. The
    day must keep the agreement's rule (a weekday, not after the leave starts) unless the
    period is a case it takes out (housing change, very specialised aid). The municipality's
    duty to hand out aids for the period is then done."""
    stay = period.stay
    if (loan is None) == (need is None):
        raise InvalidInput({"aid": _("Choose one aid: a loan or a need.")})
    if handed_out_on > clock.today_in(stay.country):
        raise InvalidInput({"handed_out_on": _("The day cannot be in the future.")})
    if need is not None and need.stay_id != stay.pk:
        raise InvalidInput({"need": _("The need belongs to another stay.")})
    if loan is not None and (loan.patient_id != stay.patient_id or loan.returned_at is not None):
        raise InvalidInput({"loan": _("Choose an aid the patient has on loan.")})
    with writer_atomic():
        lock(stay)
        period = _lock_period(period)
        if period.status == LeaveStatus.CANCELLED:
            raise Conflict(_("The leave is cancelled."))
        _check_handout_day(period, handed_out_on)
        aid = LeaveAid.objects.create(
            period=period,
            loan=loan,
            need=need,
            handed_out_on=handed_out_on,
            recorded_by=actor,
            recorded_at=clock.now(),
        )
        record_change(
            aid, actor=actor, action=ChangeAction.CREATED, after=snapshot(aid, AID_FIELDS)
        )
        # Done on the day the aid went out (by its end), or now if that is earlier.
        done_at = min(clock.now(), stay_calendar(stay).at_local(handed_out_on, END_OF_DAY))
        for deadline in Deadline.objects.select_for_update().filter(
            stay=stay, rule=_duty_rule(period, "aids-handed-out"), done_at__isnull=True
        ):
            close(deadline, actor=actor, at=done_at)
    return aid


def _check_handout_day(period: LeavePeriod, day: datetime.date) -> None:
    stay = period.stay
    rules = leave_rules(stay)
    starts = local_day(stay, period.started_at or period.planned_start)
    calendar = stay_calendar(stay)
    if handout_allowed(rules, calendar, day, starts, period.exception):
        return
    latest = handout_day(rules, calendar, starts)
    text = _(
        "Aids are handed out on weekdays only, no later than the day the leave starts: "
        "on %(day)s at the latest."
    ) % {"day": _day_name(latest)}
    raise InvalidInput({"handed_out_on": cited(stay, text, rules.cites)})


def _day_name(day: datetime.date | None) -> str:
    if day is None:
        return ""
    return date_format(day, "l j F")


def follow_leave_message(message: Message, *, at: datetime.datetime, actor: User) -> None:
    """A received start-leave starts the stay's next planned period (or opens one, a leave,
    where none was planned); a received end-leave ends the one that has started. Any other
    message, a start-leave while a leave is under way or after the stay, or an end-leave
    with no leave under way, changes no period: the message is on the stay as received."""
    if message.type == START_MESSAGE:
        stay = message.stay
        under_way = LeavePeriod.objects.filter(stay=stay, status=LeaveStatus.STARTED).exists()
        if not stay.is_open or under_way:
            return  # the message is on the stay; no period to start (a repeat, or too late)
        period = (
            LeavePeriod.objects.filter(stay=stay, status=LeaveStatus.PLANNED)
            .order_by("planned_start", "id")
            .first()
        )
        if period is None:
            period = plan_leave(
                stay, actor=actor, kind=LeaveKind.LEAVE, planned_start=at, from_message=True
            )
        period.stay = stay
        start_leave(period, actor=actor, at=at, message=message)
    elif message.type == END_MESSAGE:
        started = LeavePeriod.objects.filter(stay=message.stay, status=LeaveStatus.STARTED).first()
        if started is not None:
            started.stay = message.stay
            end_leave(started, actor=actor, at=at, message=message)
