"""Who did something, as a reader should see it: `{{ change.actor|person }}`."""

from __future__ import annotations

from typing import Any

from django import template

from overgang.audit.history import person_name

register = template.Library()


@register.filter
def person(user: Any) -> str:
    """A user's name for the page; the system account reads "Overgang (automatic)"."""
    return person_name(user)
