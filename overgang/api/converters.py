"""Ids that may hold a slash, in an API path: a device's serial, a message's id.

Serials may hold a slash ("NEW-OXY 77/A"), and so may the id a record system gives its
message. A client sends it as %2F, as URL encoding says, but the server decodes that before
Django reads the path: the id arrives as several segments. So the id takes any segments,
except a last one that names an action on it: /devices/{serial}/failures is a report on a
device, not a device named ".../failures".
"""

from __future__ import annotations

# The last segments of the routes below /devices/{serialpath:serial}/ and
# /messages/{messagepath:message_id}/; a route added there names its segment here
# (tests/pages/test_serials_in_urls.py checks that they all do).
ACTIONS = ("reprocess", "failures")
MESSAGE_ACTIONS = ("receipt",)


def _segments_except(actions: tuple[str, ...]) -> str:
    # Segments, each not empty; a slash may not start an action's segment.
    return r"[^/]+(?:/(?!(?:" + "|".join(actions) + r")(?:/|\Z))[^/]+)*"


class SerialPathConverter:
    regex = _segments_except(ACTIONS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class MessageIdPathConverter(SerialPathConverter):
    regex = _segments_except(MESSAGE_ACTIONS)
