"""`overgang capacity`: take today's snapshot of the aids units' counts and tell the units
below their minimum, now (the worker does both every minute; this is for cron or a check)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from overgang.stays import capacity


class Command(BaseCommand):
    help = "Snapshot the aids units' stock for today and tell units below their minimum."

    def handle(self, *args: Any, **options: Any) -> None:
        result = capacity.sweep()
        self.stdout.write(
            f"{result['snapshots']} snapshots taken, {result['shortfalls_opened']} units told "
            f"they are below a minimum, {result['recovered']} recovered."
        )
