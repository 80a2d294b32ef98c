"""The stays' lists as exports describe them (overgang.web.exports): the stay list, the
worklist and the notifications, with the pages' own headings."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from overgang.stays.models import Notification, Stay
from overgang.stays.models.deadlines import DeadlineStatus
from overgang.stays.notify import overdue_by
from overgang.web.exports.table import Cell, Table, attr, col
from overgang.web.stays.worklist import PATIENT


def _where(stay: Stay) -> str:
    return (stay.department or stay.hospital).name


def _status(stay: Stay) -> str:
    return str(stay.get_status_display())


STAYS = Table(
    name="stays",
    title=_("Stays"),
    columns=(
        col(_("Patient"), attr("patient.name")),
        col(_("Where"), _where),
        col(_("Admitted"), attr("admitted_at")),
        col(_("Status"), _status),
        col(_("Expected discharge"), attr("expected_discharge")),
        col(_("Next deadline"), attr("next_due")),
    ),
    patient=lambda stay: stay.patient_id,
)

# A worklist row here: (the columns read, (the row shown, its status)).
_STATUSES = dict(DeadlineStatus.choices)


def _shown(field: str) -> Any:
    def value(row: Any) -> Cell:
        return getattr(row[1][0], field)  # type: ignore[no-any-return]

    return value


WORKLIST = Table(
    name="worklist",
    title=_("Worklist"),
    columns=(
        col(_("Due"), _shown("due")),
        col(_("Patient"), _shown("patient_name")),
        col(_("Duty"), _shown("name")),
        col(_("Who"), _shown("holder_name")),
        col(_("Status"), lambda row: str(_STATUSES.get(row[1][1], row[1][1]))),
    ),
    patient=lambda row: row[0][PATIENT],
)


def _notice_patient(notice: Notification) -> str:
    if notice.deadline is not None:
        return notice.deadline.stay.patient.name
    return notice.patient.name if notice.patient is not None else ""


def _notice_kind(notice: Notification) -> str:
    """As the page says it: a notice of a deadline long past says by how many days."""
    if notice.overdue_days:
        return overdue_by(notice.overdue_days)
    return str(notice.get_kind_display())


def _notice_duty(notice: Notification) -> str:
    if notice.deadline is not None:
        return notice.deadline.name
    return str(notice.get_news_display())


NOTIFICATIONS = Table(
    name="notifications",
    title=_("Notifications"),
    columns=(
        col(_("Time"), attr("created_at")),
        col(_("Kind"), _notice_kind),
        col(_("Patient"), _notice_patient),
        col(_("Duty"), _notice_duty),
        col(_("To"), attr("organisation.name")),
    ),
    patient=lambda notice: (
        notice.deadline.stay.patient_id if notice.deadline_id is not None else notice.patient_id
    ),
)


# A waiting-days row here: (the municipality's statement, one stay's line on it). The CSV
# of the statement keeps its own writer (overgang/stays/statement.py: the same dialect).
def _line(field: str) -> Any:
    def value(row: Any) -> Cell:
        return getattr(row[1], field)  # type: ignore[no-any-return]

    return value


WAITING_DAYS = Table(
    name="waiting-days",
    title=_("Waiting days"),
    columns=(
        col(_("Municipality"), lambda row: row[0].municipality),
        col(_("Patient"), lambda row: row[1].stay.patient.name),
        col(_("National identity number"), lambda row: row[1].stay.patient.national_id),
        col(_("Hospital"), lambda row: row[1].stay.hospital.name),
        col(_("Discharge-ready"), lambda row: row[1].stay.discharge_ready_at),
        col(_("Municipality notified"), lambda row: row[1].stay.notified_at),
        col(_("First day"), lambda row: row[1].days[0] if row[1].days else None),
        col(_("Last day"), lambda row: row[1].days[-1] if row[1].days else None),
        col(_("Days"), lambda row: len(row[1].days)),
        col(_("Days removed after objection"), lambda row: len(row[1].removed)),
        col(_("Daily rate (NOK)"), _line("rate")),
        col(_("Amount (NOK)"), _line("amount")),
    ),
    patient=lambda row: row[1].stay.patient_id,
)
