"""The worker tells each deadline's holder once that it is due soon and once that it is due,
in the app and by e-mail, also when two workers sweep at the same moment."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from overgang.organisations.models import Role
from overgang.stays import actions, notify
from overgang.stays.actions.deadlines import add_deadline
from overgang.stays.management.commands.worker import (
    next_minute,
    prune_finished,
    schedule_sweep,
    task_runner,
)
from overgang.stays.models import Deadline, Notification, NotificationKind
from overgang.stays.tasks import sweep_deadlines
from tests.stays.conftest import at


def _answer_deadline(stay):
    return Deadline.objects.get(stay=stay, duty="hospital-admission-information")


@pytest.mark.django_db
def test_a_deadline_is_notified_soon_then_due_and_never_again(
    levanger_patient, hnt_physician, areas, settings
):
    settings.DEADLINE_WARNING_MINUTES = 60
    now = timezone.now()
    minutes = datetime.timedelta(minutes=1)
    # Admitted 20 hours ago: the 24-hour duties are due in 4 hours.
    stay = actions.admit(
        levanger_patient,
        actor=hnt_physician,
        unit=areas["hnt-levanger-med"],
        admission="emergency",
        admitted_at=now - 20 * 60 * minutes,
    )
    deadline = _answer_deadline(stay)
    assert deadline.due == now + 4 * 60 * minutes
    assert notify.sweep(now + 170 * minutes).deadlines == 0
    # The trust's 24-hour duty (R2); the municipality's supplementary information is due
    # only when the hospital asks for it (R1 "ved behov").
    assert notify.sweep(now + 181 * minutes).deadlines == 1
    assert notify.sweep(now + 200 * minutes).deadlines == 0
    assert notify.sweep(now + 240 * minutes).deadlines == 1
    h1 = Deadline.objects.get(stay=stay, duty="functional-needs-description")
    assert h1.due is not None
    assert notify.sweep(h1.due - 30 * minutes).deadlines == 1
    assert notify.sweep(h1.due).deadlines == 1
    assert notify.sweep(h1.due + 30 * 24 * 60 * minutes).deadlines == 0
    kinds = sorted(Notification.objects.filter(deadline=deadline).values_list("kind", flat=True))
    assert kinds == [NotificationKind.DUE, NotificationKind.SOON]
    assert Notification.objects.get(deadline=deadline, kind="soon").organisation == deadline.holder


@pytest.mark.django_db
@pytest.mark.parametrize("batch", [1, 2, 5, 1000])
def test_small_batches_tell_each_deadline_what_one_big_sweep_would(
    levanger_stay, hnt_physician, settings, batch
):
    settings.DEADLINE_WARNING_MINUTES = 60
    with transaction.atomic():
        for minutes in range(0, 24 * 60, 50):  # due every 50 minutes on the 30th
            add_deadline(
                actor=hnt_physician,
                now=at("2026-03-27 11:00"),
                stay=levanger_stay,
                duty="dialogue-answer",
                party="hospital",
                holder=levanger_stay.department,
                due=at("2026-03-30 00:00") + datetime.timedelta(minutes=minutes),
                rule="test.dialogue-answer",
                cites=["R2"],
                text={},
            )
    hour = datetime.timedelta(hours=1)
    dues = {
        pk: due
        for pk, due in Deadline.objects.filter(done_at__isnull=True).values_list("pk", "due")
        if due is not None
    }

    def told_by(*times: datetime.datetime) -> set[tuple[int, str]]:
        """Sweeps at these times tell a deadline "soon" if one is within the hour before its
        due time, and "due" if one is at it or after."""
        return {
            (pk, "soon") for pk, due in dues.items() if any(due - hour <= t < due for t in times)
        } | {(pk, "due") for pk, due in dues.items() if any(t >= due for t in times)}

    first, second = at("2026-03-30 12:30"), at("2026-03-30 13:10")
    assert {kind for _, kind in told_by(first)} == {"soon", "due"}  # both kinds to give
    result = notify.sweep(first, batch=batch)
    assert set(Notification.objects.values_list("deadline_id", "kind")) == told_by(first)
    assert result.notifications == len(told_by(first))
    assert notify.sweep(first, batch=batch).notifications == 0
    notify.sweep(second, batch=batch)
    assert set(Notification.objects.values_list("deadline_id", "kind")) == told_by(first, second)


@pytest.mark.django_db
def test_a_done_deadline_is_not_notified(levanger_stay, hnt_physician):
    actions.record_message(
        levanger_stay,
        "HELSEOPPL_SOKNAD:varsel",
        actor=hnt_physician,
        sent_at=at("2026-03-27 12:00"),
    )
    notify.sweep(at("2026-03-28 10:30"))
    assert not Notification.objects.filter(deadline=_answer_deadline(levanger_stay)).exists()


@pytest.mark.django_db
def test_each_organisation_gets_one_email_without_patient_data_and_only_once(
    asked_stay, hnt_physician, levanger_case_worker, areas
):
    levanger_case_worker.email = "lene@levanger.example.no"
    levanger_case_worker.save()
    notify.sweep(at("2026-03-30 12:00"))  # every admission deadline overdue
    assert notify.send_emails() == 2  # the department and the allocation office
    assert notify.send_emails() == 0
    by_to = {tuple(m.to): m for m in mail.outbox}
    office = by_to[("levanger-tildeling@example.no", "lene@levanger.example.no")]
    assert "Supplerende opplysninger" in office.body  # Norwegian for a Norwegian office
    assert "/worklist/" in office.body
    assert "Levangsen" not in office.body and "12035610039" not in office.body
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_only_people_who_work_the_worklist_are_emailed(asked_stay, levanger_case_worker, make_user):
    """An auditor or a contact-committee member of the office could not open the worklist
    the e-mail links to: they get none. One who also works cases there gets one."""
    levanger_case_worker.email = "lene@levanger.example.no"
    levanger_case_worker.save()
    for username, roles in (
        ("levanger-auditor", (Role.AUDITOR,)),
        ("levanger-committee", (Role.CONTACT_COMMITTEE,)),
        ("levanger-both", (Role.CONTACT_COMMITTEE, Role.CASE_WORKER)),
    ):
        person = make_user(username, *(("levanger-tildeling", role) for role in roles))
        person.email = f"{username}@levanger.example.no"
        person.save()
    notify.sweep(at("2026-03-30 12:00"))
    notify.send_emails()
    office = next(m for m in mail.outbox if "levanger-tildeling@example.no" in m.to)
    assert office.to == [
        "levanger-tildeling@example.no",
        "lene@levanger.example.no",
        "levanger-both@levanger.example.no",
    ]


@pytest.mark.django_db
def test_a_failed_email_is_tried_again(asked_stay, monkeypatch):
    notify.sweep(at("2026-03-30 12:00"))

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(notify, "send_mail", broken)
    assert notify.send_emails() == 0
    # Three deadlines' notices, and the news that the hospital asked (asked_stay).
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 4
    monkeypatch.undo()
    assert notify.send_emails() == 2


@pytest.mark.django_db
def test_the_worker_runs_the_sweep_it_schedules(asked_stay, monkeypatch):
    # The worker drops stale connections between tasks; inside the test's transaction that
    # would drop the test's own connection (PostgreSQL), so it keeps it here.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    minute = next_minute(timezone.now()) - datetime.timedelta(minutes=1)
    assert schedule_sweep(minute)
    assert not schedule_sweep(minute)  # one waiting sweep per minute
    task_runner("test-worker").run()
    result = DBTaskResult.objects.get()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == {
        "deadlines": 3,
        "notifications": 3,
        "emails": 2,
        "nav_reminders": 0,
        "opened": 0,
        "messages_delivered": 0,
        # No aids unit has devices here: no snapshot, no shortfall.
        "snapshots": 0,
        "shortfalls_opened": 0,
        "recovered": 0,
        # The indicators' figures: every agreement's months, the first time (N12, U8).
        "figures_all": 4,
        "figures_recent": 0,
    }
    assert Notification.objects.count() == 4  # and the news that the hospital asked


@pytest.mark.django_db
def test_worker_once_sweeps_and_reports(asked_stay, capsys):
    call_command("worker", "--once")
    assert (
        "3 deadlines notified, 2 e-mails sent, 0 NAV signature reminders, 0 messages delivered."
        in (capsys.readouterr().out)
    )


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_notify_and_email_each_deadline_once(
    areas, levanger_stay, hnt_physician
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises writers by itself")
    for hours in range(1, 60):
        actions.record_event(
            levanger_stay,
            "discharge-planned",
            actor=hnt_physician,
            at=at("2026-03-27 11:00"),
            discharge_at=at("2026-03-30 10:00") + datetime.timedelta(hours=hours),
        )
    # Deadlines of other stays' kind: many open ones, all overdue by now.
    open_count = Deadline.objects.filter(done_at__isnull=True).count()
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            notify.sweep(batch=7)
            notify.send_emails(limit=5)
            notify.send_emails()
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert Notification.objects.count() == open_count
    assert Notification.objects.filter(kind="due").count() == open_count
    emailed = [n for m in mail.outbox for n in m.body.splitlines() if n.startswith("- ")]
    assert len(emailed) == open_count


@pytest.mark.django_db
def test_the_worker_forgets_task_results_finished_over_two_weeks_ago():
    now = timezone.now()
    for days in (15, 13):
        result = sweep_deadlines.enqueue()
        DBTaskResult.objects.filter(id=result.id).update(
            status="SUCCESSFUL", finished_at=now - datetime.timedelta(days=days)
        )
    waiting = sweep_deadlines.enqueue()  # not finished: never pruned, however old
    DBTaskResult.objects.filter(id=waiting.id).update(enqueued_at=now - datetime.timedelta(days=30))
    assert prune_finished(now) == 1
    assert DBTaskResult.objects.count() == 2
    assert DBTaskResult.objects.filter(id=waiting.id).exists()
