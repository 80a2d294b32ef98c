"""`{% export_links %}`: a list's "CSV · Excel · Print" links, keeping its filters."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

# Not carried into an export: the page of the list, a format asked for before.
_DROPPED = ("page", "format", "partial")


@register.inclusion_tag("exports/_links.html", takes_context=True)
def export_links(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    query = request.GET.copy()
    for key in _DROPPED:
        query.pop(key, None)
    encoded = query.urlencode()
    return {"query": f"{encoded}&" if encoded else ""}
