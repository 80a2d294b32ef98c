"""Small, forgiving look-ups in a PLO or Dialogmelding document, by local name.

The PLO documents mix four or five namespaces (po, fk1, epj1-3) that change between versions
(v1.5, v1.6, v2.0); matching on the local name reads every version the same way. None of
these raise: a missing element reads as "" or None.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from lxml import etree

Element = etree._Element


def local(element: Element) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def children(element: Element | None, name: str | None = None) -> Iterator[Element]:
    """Child elements (comments and processing instructions left out), by local name."""
    if element is None:
        return
    for found in element:
        if isinstance(found.tag, str) and (name is None or local(found) == name):
            yield found


def child(element: Element | None, name: str) -> Element | None:
    return next(children(element, name), None)


def descendants(element: Element, name: str) -> Iterator[Element]:
    for found in element.iter():
        if isinstance(found.tag, str) and local(found) == name:
            yield found


def text(element: Element | None) -> str:
    """The element's whole text (mixed content included), each line trimmed, empty lines out."""
    if element is None:
        return ""
    joined = "".join(str(part) for part in element.itertext())
    return "\n".join(line.strip() for line in joined.splitlines() if line.strip())


def child_text(element: Element | None, name: str) -> str:
    return text(child(element, name))


def code(element: Element | None) -> str:
    """A KITH coded value's code (V)."""
    return "" if element is None else (element.get("V") or "").strip()


def shown(element: Element | None) -> str:
    """What a coded value says to a person: its display name (DN), else its code, else text."""
    if element is None:
        return ""
    return (element.get("DN") or "").strip() or code(element) or text(element)


def is_true(value: str) -> bool:
    return value.strip() in {"true", "1"}


_TIME = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)"
    r"(?:T(?P<hour>\d\d):(?P<minute>\d\d):(?P<second>\d\d)(?:\.(?P<fraction>\d+))?)?"
    r"(?P<offset>Z|[+-]\d\d:\d\d)?"
)


def point_in_time(value: str, zone: ZoneInfo) -> datetime.datetime | None:
    """An aware datetime for an xs:dateTime or xs:date (KITH TS) value, or None.

    A value without offset is local time in `zone` (PLO senders give Norwegian wall-clock
    time). A date alone is midnight at the start of that day in `zone`, so its local date is
    the date given. gYear, gYearMonth and time alone name no moment: None, as for anything
    Python cannot hold (years beyond 1-9999)."""
    match = _TIME.fullmatch(value.strip())
    if match is None:
        return None
    parts = match.groupdict()
    try:
        fraction = (parts["fraction"] or "").ljust(6, "0")[:6]
        hour = int(parts["hour"] or 0)
        # xs:dateTime allows 24:00:00, the end of the day: the next day's midnight.
        end_of_day = hour == 24
        moment = datetime.datetime(
            int(parts["year"]),
            int(parts["month"]),
            int(parts["day"]),
            0 if end_of_day else hour,
            int(parts["minute"] or 0),
            int(parts["second"] or 0),
            int(fraction),
            tzinfo=_offset(parts["offset"]) or zone,
        )
        return moment + datetime.timedelta(days=1) if end_of_day else moment
    except (ValueError, OverflowError):
        return None


def _offset(value: str | None) -> datetime.tzinfo | None:
    if not value:
        return None
    if value == "Z":
        return datetime.UTC
    sign = -1 if value[0] == "-" else 1
    hours, minutes = int(value[1:3]), int(value[4:6])
    return datetime.timezone(sign * datetime.timedelta(hours=hours, minutes=minutes))


def a_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
