"""From discharge-ready to gone: the physician's decision (R3), the departure (R6, R7), and
the stays that end otherwise: death, leaving on own responsibility, force majeure (R8)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from overgang import clock
from overgang.audit.history import is_system, save_changed, writer_atomic
from overgang.errors import Conflict, InvalidInput
from overgang.i18n import current_language
from overgang.organisations.models import Kind, Role
from overgang.organisations.permissions import CHANGE, is_unrestricted, memberships_for
from overgang.rules.calendar import Calendar
from overgang.rules.transitions import transitions
from overgang.stays import news
from overgang.stays.access import holder_for, sides
from overgang.stays.actions.admission import lock
from overgang.stays.actions.deadlines import close, open_deadlines, withdraw_open
from overgang.stays.actions.messages import record_message, sent_codes
from overgang.stays.actions.moves import move_at_discharge
from overgang.stays.actions.times import not_in_future
from overgang.stays.checklist import (
    NEED_TASKS,
    cited,
    departure_blockers,
    discharge_blockers,
    too_early,
)
from overgang.stays.episodes import may_move
from overgang.stays.models import Deadline, NeedStatus, News, Outcome, Stay, StayEvent, StayStatus
from overgang.stays.signals import stay_ended

FIELDS = (
    "status",
    "documented",
    "documented_texts",
    "override_reason",
    "discharge_ready_at",
    "discharge_ready_by",
    "prepared",
    "departure_ready_at",
    "supplies_until",
    "ended_at",
    "exit_note",
    "force_majeure",
    "early_reason",
)


# What one § 9 item's text may hold: a few paragraphs, as in the record.
MAX_ITEM_TEXT = 4000

# The professions the law names (overgang/rules/law) and the roles that hold them.
PROFESSION_ROLES = {"physician": Role.CLINICIAN, "psychologist": Role.PSYCHOLOGIST}


def may_decide(actor: User, stay: Stay) -> bool:
    """Who decides that a patient is discharge-ready (R3): a physician of the stay's trust,
    or where the law says so for the stay's care a psychologist (§ 9: mental health care
    and TSB)."""
    if is_unrestricted(actor) or is_system(actor):
        # The system acts on a received message: the physician decided in the hospital's own
        # record system, and the message is the record of it.
        return True
    roles = {PROFESSION_ROLES[p] for p in stay.checklists.deciders.professions(stay.care)}
    for membership in memberships_for(actor, CHANGE):
        org = membership.organisation
        trust = org.nearest(Kind.TRUST) or org.nearest(Kind.REGION)
        if membership.role in roles and trust is not None and trust.pk == stay.trust_id:
            return True
    return False


# The name the pages and older callers use.
is_physician = may_decide


def _deciders_text(stay: Stay) -> str:
    if "psychologist" in stay.checklists.deciders.professions(stay.care):
        return _("Only a physician or psychologist of the hospital declares this.")
    return _("Only a physician of the hospital declares this.")


def for_the_hospital(actor: User) -> None:
    """Steps of the hospital's side: the municipality sees them, it does not take them."""
    if "hospital" not in sides(actor):
        raise InvalidInput({"actor": _("Only the hospital takes this step.")})


def _move(
    stay: Stay, new: str, values: dict[str, object], *, actor: User, reason: str = ""
) -> Stay:
    if not may_move(stay.admission, stay.status, new):
        raise Conflict(
            _("The stay cannot go from “%(old)s” to “%(new)s”.")
            % {"old": stay.get_status_display(), "new": StayStatus(new).label}
        )
    return save_changed(stay, FIELDS, {"status": new, **values}, actor=actor, reason=reason)


def inpatients_only(stay: Stay) -> None:
    """The § 9 checklist and discharge-ready are for patients in hospital: an outpatient
    episode is closed by the hospital instead (R11, U1)."""
    if stay.is_outpatient:
        raise Conflict(
            _(
                "This is an outpatient episode: it has no discharge-ready and no departure "
                "checklist. Close the episode when it is over."
            )
        )


def _event(
    stay: Stay, name: str, *, actor: User, at: datetime.datetime, note: str = ""
) -> StayEvent:
    return StayEvent.objects.create(stay=stay, name=name, at=at, actor=actor, note=note)


def document(
    stay: Stay,
    items: Iterable[str],
    *,
    actor: User,
    texts: Mapping[str, str] | None = None,
) -> Stay:
    """The physician has documented these § 9 items in the record (R3), and writes for each
    what was assessed (R9, forskrift § 14: the reasoning the municipality may demand is
    text); the rest are open. A text is required for every item ticked, except from the
    system acting on a received message (the physician wrote it in the hospital's record)."""
    checklist = stay.checklists.discharge_ready(stay.care)
    known = [i.item for i in checklist]
    chosen = list(dict.fromkeys(items))
    unknown = [item for item in chosen if item not in known]
    if unknown:
        raise InvalidInput({"items": _("Unknown item: %(items)s.") % {"items": ", ".join(unknown)}})
    inpatients_only(stay)
    if not may_decide(actor, stay):
        raise InvalidInput({"items": _deciders_text(stay)})
    written = {k: str(v).strip() for k, v in (texts or {}).items() if str(v).strip()}
    if stray := [k for k in written if k not in chosen]:
        raise InvalidInput(
            {
                f"texts.{stray[0]}": _("A text for an item that is not ticked: %(item)s.")
                % {"item": stray[0]}
            }
        )
    if too_long := [k for k, v in written.items() if len(v) > MAX_ITEM_TEXT]:
        raise InvalidInput(
            {f"texts.{too_long[0]}": _("At most %(n)d characters.") % {"n": MAX_ITEM_TEXT}}
        )
    if not is_system(actor):
        language = current_language()
        missing = {
            f"texts.{i.item}": _("Write what was assessed for: %(item)s")
            % {"item": i.text.get(language) or i.text.get("en", i.item)}
            for i in checklist
            if i.item in chosen and i.item not in written
        }
        if missing:
            raise InvalidInput(missing)
    with transaction.atomic():
        stay = lock(stay)
        if stay.status != StayStatus.ADMITTED:
            # The decision stands on what was documented; withdraw it first to change that.
            raise Conflict(
                _("The patient is %(status)s: the documentation of the decision stays as it is.")
                % {"status": stay.get_status_display()}
            )
        return save_changed(
            stay,
            FIELDS,
            {
                "documented": [i for i in known if i in chosen],
                "documented_texts": {i: written[i] for i in known if i in written},
            },
            actor=actor,
        )


def declare_discharge_ready(
    stay: Stay,
    *,
    actor: User,
    at: datetime.datetime | None = None,
    override: str = "",
    locked: bool = False,
) -> Stay:
    """A physician (or, in mental health care and TSB, a psychologist) decides the patient
    needs no more treatment in hospital (R3). Refused while what the agreement and the law
    make conditions is open, unless overridden with a recorded reason; other parties' open
    tasks are warnings and do not hold the decision up. A caller that holds the stay's row
    `locked` already (see `lock`) has its object changed, not the row read again."""
    at = at or clock.now()
    not_in_future(at, "at")
    inpatients_only(stay)
    if not may_decide(actor, stay):
        raise InvalidInput({"actor": _deciders_text(stay)})
    with writer_atomic():
        stay = lock(stay, held=locked)
        open_items = discharge_blockers(stay)
        if open_items and not override.strip():
            raise Conflict(
                _("Not discharge-ready yet: %(items)s") % {"items": "; ".join(map(str, open_items))}
            )
        stay = _move(
            stay,
            StayStatus.DISCHARGE_READY,
            {
                "discharge_ready_at": at,
                "discharge_ready_by": actor,
                "override_reason": override.strip() if open_items else "",
            },
            actor=actor,
            reason=override.strip(),
        )
        _event(stay, "discharge-ready", actor=actor, at=at, note=override.strip())
    return stay


def withdraw_discharge_ready(stay: Stay, *, actor: User, reason: str) -> Stay:
    """The physician withdraws the decision (the patient got worse). A notice already sent is
    withdrawn with it (LOG_AVMELDING)."""
    if not reason.strip():
        raise InvalidInput({"reason": _("Say why the patient is not discharge-ready after all.")})
    if not may_decide(actor, stay):
        raise InvalidInput({"actor": _deciders_text(stay)})
    with writer_atomic():
        stay = lock(stay)
        if stay.notified_at is not None and "LOG_AVMELDING" in transitions(stay.country).messages:
            record_message(stay, "LOG_AVMELDING", actor=actor)
        stay = _move(
            stay,
            StayStatus.ADMITTED,
            {
                "discharge_ready_at": None,
                "discharge_ready_by": None,
                "override_reason": "",
                "departure_ready_at": None,
            },
            actor=actor,
            reason=reason.strip(),
        )
        save_changed(
            stay,
            (
                "notified_at",
                "in_notice_window",
                "same_day_expected",
                "answered_at",
                "can_receive",
                "receive_at",
            ),
            {
                "notified_at": None,
                "in_notice_window": None,
                "same_day_expected": None,
                "answered_at": None,
                "can_receive": None,
                "receive_at": None,
            },
            actor=actor,
        )
        _event(stay, "discharge-ready-withdrawn", actor=actor, at=clock.now(), note=reason)
    return stay


def prepare(stay: Stay, items: Iterable[str], *, actor: User) -> Stay:
    """The hospital ticks what is done of the departure (R6); an item done by a message (the
    discharge report) is ticked by sending it."""
    for_the_hospital(actor)
    known = [i.item for i in stay.checklists.departure_ready(stay.care) if not i.message]
    chosen = list(dict.fromkeys(items))
    unknown = [item for item in chosen if item not in known]
    if unknown:
        raise InvalidInput({"items": _("Unknown item: %(items)s.") % {"items": ", ".join(unknown)}})
    with transaction.atomic():
        stay = lock(stay)
        return save_changed(
            stay, FIELDS, {"prepared": [i for i in known if i in chosen]}, actor=actor
        )


def _calendar(stay: Stay) -> Calendar:
    return Calendar.for_country(stay.country, stay.time_zone)


def _early(stay: Stay, at: datetime.datetime, reason: str) -> str:
    """The reason for leaving before the municipality can receive the patient: refused
    without one, recorded with one (the municipality sees it on the stay)."""
    early = too_early(stay, at)
    if not early:
        return ""
    if not reason.strip():
        raise InvalidInput(
            {
                "reason": _("%(why)s Give the reason to let the patient go before then.")
                % {"why": early}
            }
        )
    return reason.strip()


def declare_departure_ready(
    stay: Stay, *, actor: User, at: datetime.datetime | None = None, reason: str = ""
) -> Stay:
    """Ready to leave (R6). On a same-day departure the hospital sends medicines and equipment
    the municipality asked for until the first working day (R7). Before the time the
    municipality answered it can receive the patient only with a reason, recorded."""
    for_the_hospital(actor)
    at = at or clock.now()
    with transaction.atomic():
        stay = lock(stay)
        if stay.status != StayStatus.DISCHARGE_READY:
            raise Conflict(_("Only a discharge-ready patient can be made ready to leave."))
        open_items = departure_blockers(stay)
        if open_items:
            raise Conflict(
                _("Not ready to leave yet: %(items)s") % {"items": "; ".join(map(str, open_items))}
            )
        early_reason = _early(stay, at, reason)
        calendar = _calendar(stay)
        supplies_until = None
        if (
            stay.checklists.routine.same_day_supplies
            and stay.notified_at is not None
            and stay.needs_from_hospital
        ):
            today = calendar.local(at).date()
            if calendar.local(stay.notified_at).date() == today:
                supplies_until = calendar.next_working_day(today)
        values: dict[str, object] = {"departure_ready_at": at, "supplies_until": supplies_until}
        if early_reason:
            values["early_reason"] = early_reason
        stay = _move(stay, StayStatus.DEPARTURE_READY, values, actor=actor, reason=early_reason)
        _event(stay, "departure-ready", actor=actor, at=at, note=early_reason)
    return stay


def _end(
    stay: Stay,
    status: str,
    *,
    actor: User,
    at: datetime.datetime,
    values: dict[str, object],
    note: str,
) -> Stay:
    stay = _move(stay, status, {"ended_at": at, **values}, actor=actor, reason=note)
    if status == StayStatus.DIED:
        withdraw_open(stay, actor=actor, note=_("The stay ended."))
    else:
        hand_over_needs(stay, actor=actor, at=at)
        stay_ended.send(sender=Stay, stay=stay, actor=actor, at=at)
    _event(stay, status, actor=actor, at=at, note=note)
    return stay


def hand_over_needs(stay: Stay, *, actor: User, at: datetime.datetime) -> None:
    """The patient left with aids still needed: their open tasks stay with their holders
    (on their worklists, with their notices), and the handover is recorded on the stay, so
    that no need lapses unseen. The stay's other duties end with it."""
    handed = list(
        Deadline.objects.filter(
            stay=stay, done_at__isnull=True, need__isnull=False, duty__in=NEED_TASKS
        )
        .exclude(need__status__in=(NeedStatus.CANCELLED, NeedStatus.MET))
        .select_related("holder")
        .order_by("due", "id")
    )
    for deadline in (
        Deadline.objects.select_for_update()
        .filter(stay=stay, done_at__isnull=True)
        .exclude(pk__in=[d.pk for d in handed])
    ):
        close(deadline, actor=actor, outcome=Outcome.WITHDRAWN, note=_("The stay ended."))
    if handed:
        note = "; ".join(f"{d.name} ({d.holder.name})" for d in handed)
        _event(stay, "needs-handed-over", actor=actor, at=at, note=note)


def _send_on_departure(stay: Stay, *, actor: User, at: datetime.datetime) -> None:
    """The discharge summary and the notice of a discharged patient go as the patient leaves
    (004 Vedlegg 3.1.2 f, g)."""
    codes = sent_codes(stay)
    for code in ("EPIKRISE", "LOG_UTSKREVET", "SYGEHUSADVIS_UDSKREVET"):
        if code in transitions(stay.country).messages and code not in codes:
            record_message(stay, code, actor=actor, sent_at=at)


def discharge(
    stay: Stay,
    *,
    actor: User,
    at: datetime.datetime | None = None,
    force_majeure: str = "",
    destination: str = "",
    reason: str = "",
    by_message: str = "",
    locked: bool = False,
) -> Stay:
    """The patient leaves. From ready-to-leave as a rule; from discharge-ready only by force
    majeure, with its reason (R8 b), or when the hospital's record system says the patient
    left (`by_message`: a received discharge notice, which is the record of it).
    `destination` ("home" or an institution's key) records a move, with the second-time
    training it may call for (000 9.3). Before the time the municipality answered it can
    receive the patient only with a reason (`reason`, or the one given when the patient was
    made ready to leave, or the force majeure). A caller that holds the stay's row `locked`
    already (see `lock`) has its object changed, not the row read again."""
    for_the_hospital(actor)
    at = at or clock.now()
    not_in_future(at, "at")
    with writer_atomic():
        stay = lock(stay, held=locked)
        early_reason = _early(stay, at, reason or stay.early_reason or force_majeure or by_message)
        if stay.status != StayStatus.DEPARTURE_READY and not (
            (force_majeure.strip() or by_message) and stay.status == StayStatus.DISCHARGE_READY
        ):
            raise Conflict(
                _("The patient is not ready to leave: %(items)s")
                % {
                    "items": "; ".join(map(str, departure_blockers(stay)))
                    or stay.get_status_display()
                }
            )
        _send_on_departure(stay, actor=actor, at=at)
        stay = _end(
            stay,
            StayStatus.DISCHARGED,
            actor=actor,
            at=at,
            values={"force_majeure": force_majeure.strip(), "early_reason": early_reason},
            note=force_majeure.strip() or by_message or early_reason,
        )
        move_at_discharge(stay, destination, actor=actor, at=at)
        news.tell(
            News.DISCHARGED,
            to=holder_for(stay, "municipality"),
            patient=stay.patient,
            link=reverse("stay-detail", args=[stay.pk]),
        )
        return stay


# R8 a I: what must have been sent before a patient may leave on their own responsibility,
# where the agreement says so (HNT's 004 3.1 a I).
OWN_RESPONSIBILITY_MESSAGES = ("HELSEOPPL_SOKNAD:oppdatert", "EPIKRISE", "LOG_UTSKRIVNINGSKLAR")


def leave_on_own_responsibility(
    stay: Stay,
    *,
    actor: User,
    competent: bool,
    safe: bool,
    note: str = "",
    at: datetime.datetime | None = None,
) -> Stay:
    """The patient leaves before the municipality can receive them (R8 a): only when
    discharge-ready, competent to consent and wishing it, and safe without services or with
    relatives taking over. Where the stay's agreement says what is sent first (HNT's 004
    3.1 a I), that too; the refusals cite the agreement where it speaks."""
    for_the_hospital(actor)
    at = at or clock.now()
    cites = stay.checklists.routine.own_responsibility
    errors: dict[str, str] = {}
    if not competent:
        errors["competent"] = cited(
            stay, _("The patient must be competent to consent and wish to leave."), cites
        )
    if not safe:
        errors["safe"] = cited(
            stay, _("The hospital must have found it safe, or relatives take over."), cites
        )
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        stay = lock(stay)
        if stay.status not in StayStatus.WAITING:
            raise Conflict(
                cited(
                    stay, _("Only a discharge-ready patient leaves on own responsibility."), cites
                )
            )
        kinds = transitions(stay.country).messages
        missing = [
            c
            for c in OWN_RESPONSIBILITY_MESSAGES
            if cites and c in kinds and c not in sent_codes(stay)
        ]
        if missing:
            names = ", ".join(kinds[c].name[current_language()] for c in missing)
            raise Conflict(cited(stay, _("Send first: %(names)s.") % {"names": names}, cites))
        if "LOG_UTSKREVET" in kinds:
            record_message(stay, "LOG_UTSKREVET", actor=actor, sent_at=at)
        return _end(
            stay,
            StayStatus.LEFT,
            actor=actor,
            at=at,
            values={"exit_note": note.strip()},
            note=note.strip(),
        )


def record_death(stay: Stay, *, actor: User, at: datetime.datetime) -> Stay:
    """The patient died in hospital: the municipality is told at once (R2)."""
    for_the_hospital(actor)
    not_in_future(at, "at")
    with writer_atomic():
        stay = lock(stay)
        if at < stay.admitted_at:
            raise InvalidInput({"at": _("The time is before the admission.")})
        stay = _end(stay, StayStatus.DIED, actor=actor, at=at, values={}, note="")
        event = stay.events.filter(name=StayStatus.DIED).latest("id")
        open_deadlines(event, actor=actor)
    return stay
