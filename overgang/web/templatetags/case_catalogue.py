"""`{% case_catalogues as keys %}`: the agreements whose case catalogue the reader may read
(N1), worked out once a request, for the menu and the rules page."""

from __future__ import annotations

from typing import Any

from django import template

from overgang.organisations.catalogue import readable, versions

register = template.Library()


@register.simple_tag(takes_context=True)
def case_catalogues(context: dict[str, Any]) -> list[str]:
    request = context.get("request")
    if request is None:
        return []
    found = getattr(request, "_case_catalogues", None)
    if found is None:
        found = readable(request.user)
        request._case_catalogues = found
    return list(found)


@register.simple_tag(takes_context=True)
def case_catalogue_links(context: dict[str, Any]) -> list[dict[str, str]]:
    """The reader's catalogues by the title of the agreement's newest version."""
    return [{"key": key, "title": versions(key)[-1].title} for key in case_catalogues(context)]
