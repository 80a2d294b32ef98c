"""Background work of the stays, as Django tasks (stored in the database by django-tasks-db
and run by `overgang worker`)."""

from __future__ import annotations

from django.tasks import task

from overgang.audit.history import system_actor
from overgang.exchange.outbox import deliver_due
from overgang.indicators.actions import refresh_due
from overgang.requisitions.actions import remind_missing_signatures
from overgang.revisions.published import load_approved
from overgang.stays import capacity, notify
from overgang.stays.actions.deadlines import open_deadlines_once_stayed


@task
def sweep_deadlines() -> dict[str, int]:
    """Notify the holders of deadlines due soon or due now, then e-mail them; remind the
    offices of NAV applications whose signature is missing. First, the deadlines that wait on
    how long a stay lasts open once it has lasted long enough (N5)."""
    # The worker answers no request, so no signed-in request's stamp tells it of a version
    # the network group approved: it looks itself, each minute (one query when unchanged).
    load_approved()
    opened = open_deadlines_once_stayed()
    result = notify.sweep().as_dict()
    result["opened"] = opened
    result["emails"] = notify.send_emails()
    # The same minute also reminds municipal offices of NAV applications still unsigned (H5).
    result["nav_reminders"] = remind_missing_signatures()
    # And the outbox delivers the standard messages that are due.
    result["messages_delivered"] = deliver_due()
    # And the aids units' capacity: the day's counts, and who fell below a minimum (N11).
    result.update(capacity.sweep())
    # And the indicators' monthly figures: this month and the last every ten minutes, the
    # months before once a day (N12, U8).
    result.update(refresh_due(actor=system_actor()))
    return result
