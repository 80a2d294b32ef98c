"""How much time is left on a deadline, in words a tired reader takes in at a glance."""

from __future__ import annotations

import datetime
from typing import Protocol

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from overgang.stays.models import DeadlineStatus, Outcome

register = template.Library()


class Stated(Protocol):
    """What the state tag reads of a deadline (a Deadline, or a worklist's row)."""

    @property
    def outcome(self) -> str: ...

    @property
    def late(self) -> bool: ...


def _span(delta: datetime.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days >= 2:
        return _("%(days)d days") % {"days": days}
    if days == 1:
        return _("1 day %(hours)d h") % {"hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


@register.simple_tag
def time_left(due: datetime.datetime | None, now: datetime.datetime, at_once: bool = False) -> str:
    """ "in 3 h 20 min" before the due time, "2 days overdue" after it; nothing without one.
    A duty due at once has waited since it opened: "waiting 40 min", never "overdue"."""
    if due is None:
        return ""
    if at_once:
        return _("waiting %(span)s") % {"span": _span(max(now - due, datetime.timedelta()))}
    if due > now:
        return _("in %(span)s") % {"span": _span(due - now)}
    return _("%(span)s overdue") % {"span": _span(now - due)}


@register.simple_tag
def deadline_state(deadline: Stated, state: str) -> SafeString:
    """The deadline's state as a tag: done (late, or no longer needed), at once, overdue or
    open. A tag, not an included template: the worklist shows it on each of its rows, every
    half minute, and an include cost more than the rest of the cell."""
    if state == DeadlineStatus.DONE:
        if deadline.outcome == Outcome.WITHDRAWN:
            said = _("no longer needed")
        elif deadline.late:
            said = _("done late")
        else:
            said = _("done")
        return format_html('<span class="tag deadline-done">{}</span>', said)
    if state == DeadlineStatus.AT_ONCE:
        return format_html(
            '<span class="tag deadline-overdue">{}</span>', pgettext("a duty", "at once")
        )
    if state == DeadlineStatus.OVERDUE:
        return format_html('<span class="tag deadline-overdue">{}</span>', _("overdue"))
    return format_html('<span class="tag deadline-open">{}</span>', _("open"))
