"""The links of every page's header, reversed once per process instead of on every page.

They take no arguments and depend on no user; what they do depend on (the URLconf, the
script prefix a deployment under a sub-path sets, the language should a pattern ever be
translated) is part of the key.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

register = template.Library()

_reversed: dict[tuple[object, str, str | None, str], str] = {}


@register.simple_tag
def menu_url(name: str) -> str:
    """As `{% url name %}` for a route without arguments (escaped as that is)."""
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), get_language(), name)
    found = _reversed.get(key)
    if found is None:
        found = _reversed[key] = reverse(name)
    return found
