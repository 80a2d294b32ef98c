"""Links from a citation ("000 3.1") to the quoted line of the agreement text."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from overgang.rules.citations import locate


def cite_href(cite: str) -> str:
    """The seed page at the cited line, or "" when the citation names no line."""
    found = locate(cite)
    if found is None:
        return ""
    return f"{reverse('seed-text', args=[found[0]])}#L{found[1] + 1}"


def cite_links(cites: Iterable[str]) -> list[dict[str, str]]:
    return [{"cite": cite, "href": cite_href(cite)} for cite in cites]
