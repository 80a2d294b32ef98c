"""`overgang worker`: runs the background tasks and sweeps the deadlines every minute.

Each worker enqueues a sweep for every new minute (unless one is already waiting for that
minute) and runs whatever tasks are ready. Run as many as you like: sweeps are safe to run
side by side (see overgang.stays.notify). `--once` sweeps once, in this process, and exits:
for cron or a quick check.

Once a day each worker also removes the task results that finished more than
KEEP_FINISHED_DAYS ago: one sweep a minute leaves half a million rows a year, which the
queue's own look-ups and /metrics would otherwise read through. Two workers pruning the same
day delete the same rows; the second finds none.

It logs (logger "overgang.worker", JSON lines under `overgang serve`) rather than prints,
and outlives its database going away: it says so once, keeps trying every second, and says
when it is back, instead of ending and taking `overgang serve`'s web server with it.
"""

from __future__ import annotations

import datetime
import logging
import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from overgang import clock, unavailable
from overgang.exchange.outbox import deliver_due
from overgang.requisitions.actions import remind_missing_signatures
from overgang.stays import notify
from overgang.stays.tasks import sweep_deadlines

SWEEP_PATH = sweep_deadlines.module_path
KEEP_FINISHED_DAYS = 14
logger = logging.getLogger("overgang.worker")


def next_minute(now: datetime.datetime) -> datetime.datetime:
    return now.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)


def task_runner(worker_id: str) -> Worker:
    """django-tasks-db's runner of every queue's ready tasks, each `run()` until none is left."""
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def prune_finished(now: datetime.datetime) -> int:
    """Delete the task results finished more than KEEP_FINISHED_DAYS before `now`; how many."""
    old = DBTaskResult.objects.finished().filter(
        finished_at__lte=now - datetime.timedelta(days=KEEP_FINISHED_DAYS)
    )
    deleted, _ = old.delete()
    return deleted


def schedule_sweep(minute: datetime.datetime) -> bool:
    """Enqueue the sweep of `minute` unless one is already waiting; True if enqueued."""
    waiting = DBTaskResult.objects.ready().filter(task_path=SWEEP_PATH, run_after__gte=minute)
    if waiting.exists():
        return False
    sweep_deadlines.using(run_after=minute).enqueue()
    return True


class Command(BaseCommand):
    help = "Run background tasks and sweep the deadlines every minute."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Sweep once now and exit.")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between looks for tasks."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            result = notify.sweep()
            emails = notify.send_emails()
            reminders = remind_missing_signatures()
            delivered = deliver_due()
            self.stdout.write(
                f"{result.deadlines} deadlines notified, {emails} e-mails sent, "
                f"{reminders} NAV signature reminders, {delivered} messages delivered."
            )
            return
        self.running = True
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGTERM, self._stop)
        worker = task_runner(get_random_string(32))
        logger.info("Worker started; Ctrl+C stops it.")
        scheduled: datetime.datetime | None = None
        pruned_on: datetime.date | None = None
        database_away = False
        while self.running:
            try:
                scheduled = self._one_round(worker, scheduled)
                pruned_on = self._prune_daily(pruned_on)
            except unavailable.UNAVAILABLE as error:
                if not database_away:
                    logger.warning(
                        "The database cannot be reached (%s); trying again every %s s.",
                        " ".join(str(error).split()),
                        options["interval"],
                    )
                database_away = True
            else:
                if database_away:
                    logger.info("The database answers again.")
                database_away = False
            time.sleep(options["interval"])
        logger.info("Worker stopped.")

    @staticmethod
    def _one_round(worker: Worker, scheduled: datetime.datetime | None) -> datetime.datetime:
        """Schedule the coming minute's sweep if not yet done, run the ready tasks; the
        minute scheduled."""
        close_old_connections()
        minute = next_minute(clock.now())
        if minute != scheduled:
            schedule_sweep(minute)
        worker.run()
        return minute

    @staticmethod
    def _prune_daily(pruned_on: datetime.date | None) -> datetime.date:
        """Prune the old task results on the first round of each day; the day pruned."""
        now = clock.now()
        if now.date() != pruned_on and (deleted := prune_finished(now)):
            logger.info(
                "Removed %s task results finished over %s days ago.",
                deleted,
                KEEP_FINISHED_DAYS,
            )
        return now.date()

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.running = False
