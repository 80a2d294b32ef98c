"""The failures section of the device page: `{% load failures %}{% failure_section device %}`.

A tag rather than more context from the devices views, so the device page needs one line."""

from __future__ import annotations

from typing import Any

from django import template

from overgang.aids.models import Device
from overgang.web.context_processors import STATUSES_BY_NAME
from overgang.web.failures.views import resolve_form_for, unresolved

register = template.Library()


@register.inclusion_tag("failures/_section.html", takes_context=True)
def failure_section(context: template.Context, device: Device) -> dict[str, Any]:
    """The device's open failures with their advice; for its unit, the repair buttons.
    Those who may see the device report and open its failures, but for whom it is only
    reserved (a read view): they see the failures without the ways in."""
    manages = bool(context.get("manages"))
    may_report = bool(context.get("may_report", True))
    items = unresolved(device)
    if manages:
        for item in items:
            item["resolve_form"] = resolve_form_for(item["report"])
    return {
        "device": device,
        "manages": manages,
        "may_report": may_report,
        "failures": items,
        "csrf_token": context.get("csrf_token"),
        **STATUSES_BY_NAME,
    }
