"""Links from a citation ("000 3.1") to the quoted line of the agreement text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from overgang.rules import law
from overgang.rules.citations import locate


def cite_href(cite: str) -> str:
    """The seed page at the cited line, or "" when the citation names no line."""
    found = locate(cite)
    if found is None:
        return ""
    return f"{reverse('seed-text', args=[found[0]])}#L{found[1] + 1}"


def cite_links(cites: Iterable[str]) -> list[dict[str, str]]:
    return [{"cite": cite, "href": cite_href(cite)} for cite in cites]


def law_links(cites: Iterable[str], country: str, language: str) -> list[dict[str, str]]:
    """Law citations as the reader sees them, each linked to its source."""
    found = []
    for cite in cites:
        source = law.source_of(cite, country)
        found.append(
            {"cite": law.render(cite, country, language), "href": source.url if source else ""}
        )
    return found


def law_notes(country: str, language: str, keys: Iterable[str]) -> list[dict[str, Any]]:
    """What the national law says where a routine may be silent, labelled as law: the
    statements named by `keys` ("treatment_aids", "payment_scope") that the country has."""
    readers = {"treatment_aids": law.treatment_aids, "payment_scope": law.payment_scope}
    notes = []
    for key in keys:
        statement = readers[key](country)
        if statement is not None:
            notes.append(
                {
                    "text": statement.text[language],
                    "links": law_links(statement.cites, country, language),
                }
            )
    return notes
