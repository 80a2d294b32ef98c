"""How much time is left on a deadline, in words a tired reader takes in at a glance."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from html import escape as escape_html
from typing import TYPE_CHECKING, Protocol

from django import template
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from overgang.stays.models import DeadlineStatus, Outcome

if TYPE_CHECKING:
    from overgang.web.stays.worklist import WorklistRow

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


# A row of the worklist's table, as the loop in stays/_worklist_rows.html wrote it. Each row
# and its forms have ids: the page's refresh (app.js) leaves a row in use where it is, and
# a refused "done" comes back to its own row (#deadline-<pk>: on a phone too the patient
# and the duty are in sight), the form open, its message first in it.
WORKLIST_ROW = (
    '\n    <tr id="deadline-{pk}"{attention}>'
    '\n      <td class="nowrap">{when}</td>'
    '\n      <td data-label="{patient_label}"><a href="{stay_url}">{patient_name}</a>'
    '<small class="hint">{hospital_name}</small></td>'
    '\n      <td data-label="{duty_label}"><strong>{name}</strong>{said}</td>'
    '\n      <td data-label="{who_label}">{holder_name}</td>'
    '\n      <td><details id="done-{pk}"{open}><summary>{done_label}</summary>'
    '\n        <form method="post" action="{done_url}#deadline-{pk}">{csrf}{refusal}'
    '\n          <label for="note-{pk}">{how_label}</label>'
    '\n          <input id="note-{pk}" name="note" maxlength="500" required'
    ' placeholder="{example_label}"{typed}>'
    '\n          <p><button type="submit">{mark_label}</button></p>'
    "\n        </form></details></td>"
    "\n    </tr>"
    "\n  "
)

# What the agreement says of the duty, on demand: its citation in sight, its words (the
# duty's own, from the agreement of the patient's stay) when asked "why?".
WORKLIST_SAID = (
    '<details class="said" id="said-{pk}"><summary>{why_label} '
    '<span class="cite">{cited}</span></summary><p>{said}</p></details>'
)
WORKLIST_CITED = '<small class="hint">{cited}</small>'

# The message of a refused "done", where the user pressed the button; app.js gives it the
# focus.
WORKLIST_REFUSAL = (
    '\n          <p class="error refused-here" role="alert" tabindex="-1" id="refused-{pk}"'
    " data-refusal>{message}</p>"
)


def _said(deadline: WorklistRow, why_label: str) -> str:
    """The agreement's words behind a duty, folded under its citation."""
    cited = _escaped(deadline.cited)
    if not deadline.said:
        return WORKLIST_CITED.format(cited=cited) if cited else ""
    return WORKLIST_SAID.format(
        pk=_escaped(deadline.pk), why_label=why_label, cited=cited, said=_escaped(deadline.said)
    )


# Django's date format characters a worklist's date uses, as str.format writes them (the
# same as django.utils.dateformat does: "%02d", "%04d").
_DATE_FIELDS = {
    "d": "{0.day:02d}",
    "m": "{0.month:02d}",
    "Y": "{0.year:04d}",
    "H": "{0.hour:02d}",
    "i": "{0.minute:02d}",
}


def _date_writer(django_format: str) -> Callable[[datetime.datetime], str]:
    """`django.utils.dateformat.format(value, django_format)` as a function of value: for a
    format of day, month, year, hour and minute only (every language's short date and
    time here) one str.format, not a DateFormat a row; any other format through Django."""
    if any((c.isalpha() and c not in _DATE_FIELDS) or c == "\\" for c in django_format):
        return lambda value: date_format(value, django_format)
    spelled = "".join(
        _DATE_FIELDS.get(c) or c.replace("{", "{{").replace("}", "}}") for c in django_format
    )
    return spelled.format


def _escaped(value: object) -> str:
    """As `{{ value }}` writes a string (conditional_escape, without its lazy wrapper)."""
    html = getattr(value, "__html__", None)
    return html() if html is not None else escape_html(str(value))


@register.simple_tag(takes_context=True)
def worklist_rows(
    context: template.Context,
    rows: Sequence[tuple[WorklistRow, str]],
    now: datetime.datetime,
) -> SafeString:
    """The rows of the worklist's table.

    Written here, not looped over in the template: the page is read every half minute by
    everyone with duties, and the template looked up some twenty names a row through the
    context's dictionaries, half the page's time. The labels are translated once, the date
    format looked up once; every value is escaped as `{{ }}` escapes it."""
    labels = {
        name: _escaped(said)
        for name, said in (
            ("patient_label", _("Patient")),
            ("duty_label", _("Duty")),
            ("who_label", _("Who")),
            ("done_label", _("Done another way")),
            ("how_label", _("How was it done?")),
            ("example_label", _("For example: by phone at 10:40")),
            ("mark_label", _("Mark as done")),
        )
    }
    why_label = _escaped(_("Why?"))
    # A "done" the server refused: its row keeps the form open, the note and the message.
    refused = context.get("refused") or {}
    no_clock = _escaped(_("No deadline set by the routine"))
    token = context.get("csrf_token")
    # As {% csrf_token %} writes it.
    csrf = (
        format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
        if token and token != "NOTPROVIDED"
        else ""
    )
    short_datetime = _date_writer(get_format("SHORT_DATETIME_FORMAT"))
    # The state's tag by what it shows: a page has few of them.
    tags: dict[tuple[str, str, bool], SafeString] = {}
    attention = (DeadlineStatus.OVERDUE, DeadlineStatus.AT_ONCE)
    written = []
    for deadline, state in rows:
        key = (state, deadline.outcome, deadline.late)
        tag = tags.get(key)
        if tag is None:
            tag = tags[key] = deadline_state(deadline, state)
        if deadline.due:
            due = _escaped(short_datetime(localtime(deadline.due)))
            left = _escaped(time_left(deadline.due, now, deadline.at_once))
            when = f'{due} {tag} <small class="hint">{left}</small>'
        else:
            when = f'{tag} <small class="hint">{no_clock}</small>'
        here = refused.get("pk") == deadline.pk
        written.append(
            WORKLIST_ROW.format(
                attention=' class="attention"' if state in attention else "",
                when=when,
                stay_url=_escaped(deadline.stay_url),
                patient_name=_escaped(deadline.patient_name),
                hospital_name=_escaped(deadline.hospital_name),
                name=_escaped(deadline.name),
                said=_said(deadline, why_label),
                holder_name=_escaped(deadline.holder_name),
                done_url=_escaped(deadline.done_url),
                csrf=csrf,
                pk=_escaped(deadline.pk),
                open=" open" if here else "",
                refusal=WORKLIST_REFUSAL.format(
                    pk=_escaped(deadline.pk), message=_escaped(refused.get("message", ""))
                )
                if here
                else "",
                typed=(
                    f' value="{_escaped(refused.get("note", ""))}" aria-invalid="true"'
                    f' aria-describedby="refused-{_escaped(deadline.pk)}"'
                )
                if here
                else "",
                **labels,
            )
        )
    return mark_safe("".join(written))  # every value above is escaped
