"""`overgang indicators refresh [--months N] [--agreement KEY]`: compute the monthly
figures table again for the last N months (this one included) of every agreement, or of
one, now (the worker refreshes this month and the last every ten minutes, the older
months nightly; this is for the months before, or after an import)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from overgang import clock
from overgang.audit.channel import channel
from overgang.audit.history import system_actor
from overgang.indicators.actions import KEPT_MONTHS, agreements_in_force, refresh_figures


class Command(BaseCommand):
    help = "Compute the indicators' monthly figures table again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["refresh"])
        parser.add_argument(
            "--months",
            type=int,
            default=KEPT_MONTHS,
            help=f"How many months back, this one included (default {KEPT_MONTHS}).",
        )
        parser.add_argument("--agreement", default="", help="Only this agreement (its key).")

    def handle(self, *args: Any, **options: Any) -> None:
        months = options["months"]
        if months < 1:
            raise CommandError("--months must be 1 or more.")
        agreements = agreements_in_force(clock.now())
        if options["agreement"]:
            agreements = [a for a in agreements if a.id == options["agreement"]]
            if not agreements:
                raise CommandError(f"--agreement: no agreement {options['agreement']!r} in force.")
        actor = system_actor()
        with channel("command:indicators"):
            for agreement in agreements:
                done = refresh_figures(agreement, months=months, actor=actor)
                self.stdout.write(
                    f"{agreement.id}: {done.first_month:%Y-%m} to {done.last_month:%Y-%m}, "
                    f"{done.rows} rows in {done.seconds:.1f} s"
                )
