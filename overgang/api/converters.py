"""A device's serial number in an API path.

Serials may hold a slash ("NEW-OXY 77/A"). A client sends it as %2F, as URL encoding says,
but the server decodes that before Django reads the path: the serial arrives as several
segments. So the serial takes any segments, except a last one that names an action on the
device: /devices/{serial}/failures is a report on a device, not a device named ".../failures".
"""

from __future__ import annotations

# The last segments of the routes below /devices/{serialpath:serial}/; a route added there
# names its segment here (tests/pages/test_serials_in_urls.py checks that they all do).
ACTIONS = ("reprocess", "failures")


class SerialPathConverter:
    # Segments, each not empty; a slash may not start an action's segment.
    regex = r"[^/]+(?:/(?!(?:" + "|".join(ACTIONS) + r")(?:/|\Z))[^/]+)*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
