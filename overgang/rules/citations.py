"""Citations ("000 3.1", "001 Beskrivelse 9", "004 Vedlegg 1.1 g") and the seed texts they quote."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SEEDS = Path(__file__).with_name("seeds")


@dataclass(frozen=True)
class Seed:
    prefix: str
    title: str
    lines: tuple[str, ...]


@cache
def seed(prefix: str) -> Seed | None:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if re.fullmatch(r"\d{3}", prefix) else []
    if not found:
        return None
    lines = tuple(line.rstrip() for line in found[0].read_text(encoding="utf-8").splitlines())
    title = next((line.strip() for line in lines if line.strip()), prefix)
    return Seed(prefix=prefix, title=title, lines=lines)


def _starts(line: str, token: str) -> bool:
    """Does the line open the section or item `token`? "3.1 Oslo …", "9. For …", "g) …",
    "Ansvar"; but not "3) …" for section 3, nor "kontakt …" for item k."""
    stripped = line.strip()
    if not stripped.startswith(token):
        return False
    rest = stripped[len(token) :]
    if not rest:
        return True
    if len(token) == 1 and token.isalpha():
        return rest[0] in ").:"
    if token[-1].isdigit():
        return rest[0] in " .:\t"
    return not rest[0].isalnum() or token.isalpha()


def locate(cite: str) -> tuple[str, int] | None:
    """The seed and the line a citation points to: each part of the section is looked
    for after the line where the part before it was found."""
    prefix, _, section = cite.partition(" ")
    text = seed(prefix)
    if text is None:
        return None
    line = 0
    for token in section.split():
        found = next(
            (n for n in range(line, len(text.lines)) if _starts(text.lines[n], token)), None
        )
        if found is None:
            return None
        line = found
    return prefix, line
