"""A stay on one time axis: its events, messages, deadlines and the aids lent meanwhile."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from overgang import clock
from overgang.aids.models import Loan
from overgang.i18n import current_language
from overgang.rules.transitions import transitions
from overgang.stays.models import (
    Deadline,
    LeavePeriod,
    Message,
    Need,
    Stay,
    StayEvent,
    Training,
)

EVENT_NAMES = {
    "admitted": gettext_lazy("Admitted"),
    "admission-notified": gettext_lazy("The municipality was told of the admission"),
    "admission-date-set": gettext_lazy("Admission date set"),
    "pre-examination": gettext_lazy("Pre-examination"),
    "supplementary-information-requested": gettext_lazy(
        "Supplementary information asked of the municipality"
    ),
    "discharge-planned": gettext_lazy("Discharge planned"),
    "discharge-ready": gettext_lazy("Declared discharge-ready"),
    "discharge-ready-notified": gettext_lazy("The municipality was notified: discharge-ready"),
    "discharge-ready-withdrawn": gettext_lazy("Discharge-ready withdrawn"),
    "departure-ready": gettext_lazy("Ready to leave"),
    "discharged": gettext_lazy("Discharged"),
    "died": gettext_lazy("Died"),
    "left-on-own-responsibility": gettext_lazy("Left on own responsibility"),
    "arrived": gettext_lazy("The patient of the planned admission arrived"),
    "planned-admission-cancelled": gettext_lazy("Planned admission cancelled"),
    "planned-admission-moved": gettext_lazy("Planned admission moved"),
    "outpatient-needs-changed": gettext_lazy("Needs changed: the municipality was informed"),
    "coordination-requested": gettext_lazy(
        "Individual plan or coordinator reported to the municipality"
    ),
    "episode-ended": gettext_lazy("Outpatient episode closed"),
}
# An outpatient episode is not an admission: its first event says so.
EPISODE_STARTED = gettext_lazy("Outpatient episode started")


def event_name(name: str) -> str:
    return str(EVENT_NAMES.get(name, name))


@dataclass(frozen=True)
class Entry:
    at: datetime.datetime
    kind: str  # event | message | deadline-due | deadline-done | loan | return
    text: str
    detail: str = ""
    state: str = ""  # for a deadline: open | done | overdue
    party: str = ""

    @property
    def future(self) -> bool:
        return self.at > clock.now()


def message_name(stay: Stay, message: Message) -> str:
    kind = transitions(stay.country).messages.get(message.code)
    return kind.name[current_language()] if kind else message.code


def entries(stay: Stay) -> list[Entry]:
    now = clock.now()
    found = [
        *_event_entries(stay),
        *_message_entries(stay),
        *_deadline_entries(stay, now),
        *_need_entries(stay),
        *_training_entries(stay),
        *_leave_entries(stay),
        *_loan_entries(stay, now),
    ]
    if stay.is_open:
        found.append(Entry(now, "now", str(_("Now"))))
    found.sort(key=lambda e: e.at)
    return found


def _event_entries(stay: Stay) -> list[Entry]:
    """Events recorded by hand (those a message marks show as the message)."""
    found = []
    for event in StayEvent.objects.filter(stay=stay, message__isnull=True):
        detail = event.note
        if event.planned_for:
            detail = _("for %(when)s") % {
                "when": timezone.localtime(event.planned_for).strftime("%d.%m.%Y %H:%M")
            }
        name = (
            str(EPISODE_STARTED)
            if stay.is_outpatient and event.name == "admitted"
            else event_name(event.name)
        )
        found.append(Entry(event.at, "event", name, detail))
    return found


def _leave_entries(stay: Stay) -> list[Entry]:
    """When the patient went on a trial discharge or leave and came back, as recorded by
    hand (a start or end a received or sent message marks shows as the message)."""
    found = []
    for period in LeavePeriod.objects.filter(stay=stay):
        kind = period.get_kind_display()
        if period.started_at and period.start_message_id is None:
            text = _("%(kind)s: the patient left the hospital") % {"kind": kind}
            found.append(Entry(period.started_at, "event", capfirst(text)))
        if period.ended_at and period.end_message_id is None:
            text = _("%(kind)s: the patient is back") % {"kind": kind}
            found.append(Entry(period.ended_at, "event", capfirst(text)))
    return found


def _message_entries(stay: Stay) -> list[Entry]:
    return [
        Entry(
            message.sent_at,
            "message",
            message_name(stay, message),
            _sender(message.sender)
            + (f" · {message.get_receipt_display()}" if message.receipt == "error" else ""),
            party=message.sender,
        )
        for message in Message.objects.filter(stay=stay)
    ]


def _deadline_entries(stay: Stay, now: datetime.datetime) -> list[Entry]:
    """Each deadline at its due time, unless it was withdrawn (a duty without a time has no
    place on the timeline: it is on the stay's list of deadlines)."""
    return [
        Entry(
            deadline.due,
            "deadline-due",
            deadline.name,
            deadline.holder.name,
            state=deadline.status_at(now),
            party=deadline.party,
        )
        for deadline in Deadline.objects.filter(stay=stay).select_related("holder")
        if deadline.due is not None
        and (deadline.done_at is None or deadline.outcome != "withdrawn")
    ]


def _need_entries(stay: Stay) -> list[Entry]:
    found = []
    for need in Need.objects.filter(stay=stay).select_related("aid_type"):
        what = (
            _("Need: %(aid)s") % {"aid": need.aid_type.name}
            if need.aid_type
            else _("Functional difficulty described")
        )
        found.append(Entry(need.recorded_at, "need", what, need.description))
    return found


def _training_entries(stay: Stay) -> list[Entry]:
    return [
        Entry(
            training.at,
            "training",
            _("Trained on %(aid)s: %(who)s")
            % {"aid": training.aid_type.name, "who": training.get_trainee_display()},
            training.names,
        )
        for training in Training.objects.filter(stay=stay).select_related("aid_type")
    ]


def _loan_entries(stay: Stay, now: datetime.datetime) -> list[Entry]:
    """Loans started and returned while the stay lasted (until now, if it is open)."""
    until = stay.ended_at or now
    loans = Loan.objects.filter(patient=stay.patient_id, started_at__lte=until).select_related(
        "device__aid_type"
    )
    found = []
    for loan in loans:
        if loan.started_at >= stay.admitted_at:
            found.append(
                Entry(
                    loan.started_at,
                    "loan",
                    _("Lent: %(aid)s") % {"aid": loan.device.aid_type.name},
                    loan.device.serial,
                )
            )
        if loan.returned_at and stay.admitted_at <= loan.returned_at <= until:
            found.append(
                Entry(
                    loan.returned_at,
                    "return",
                    _("Returned: %(aid)s") % {"aid": loan.device.aid_type.name},
                    loan.device.serial,
                )
            )
    return found


def _sender(party: str) -> str:
    return str(_("from the hospital") if party == "hospital" else _("from the municipality"))
