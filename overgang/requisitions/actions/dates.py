"""Dates the writers of requisitions, appeals, NAV applications and disputes are given."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _


def not_future(
    day: datetime.date | None, field: str, errors: dict[str, str], *, today: datetime.date
) -> None:
    """A date that something happened cannot be after today (on the agreement's clock, which
    the caller knows): say so under `field`."""
    if day is not None and day > today:
        errors[field] = _("The date cannot be in the future.")
