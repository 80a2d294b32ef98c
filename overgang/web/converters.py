"""A device's serial number in a page's address.

Manufacturers print serials with any character, a slash too ("NEW-OXY 77/A"). A slash cannot
travel as %2F in a path: the server decodes it before Django reads the path, and the serial
would fall apart in two segments. So `to_url` writes the slash (and the percent sign, to keep
this reversible) as %2F and %25 before reverse() percent-encodes the whole address; the
server's decoding gives %2F back, and `to_python` turns it into the slash again.
"""

from __future__ import annotations

import re

_ESCAPED = re.compile(r"%(25|2F)", re.IGNORECASE)


class SerialConverter:
    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return _ESCAPED.sub(lambda match: chr(int(match[1], 16)), value)

    def to_url(self, value: str) -> str:
        return value.replace("%", "%25").replace("/", "%2F")
