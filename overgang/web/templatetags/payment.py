"""Whether a stay's country's law counts waiting days (R9): Norway's does, Denmark's file
has no such scheme (overgang/rules/law), so a Danish stay shows no waiting days at all."""

from __future__ import annotations

from django import template

from overgang.stays import waiting
from overgang.stays.models import Stay

register = template.Library()


@register.filter
def counts_waiting_days(stay: Stay) -> bool:
    return waiting.apply_to([stay.country])
