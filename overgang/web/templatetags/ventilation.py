"""The home-ventilation agreement's card on the patient's and the stay's pages (O11).

Shown only where there is an agreement the user may see, or, on a stay whose agreement
provides for one, a home-ventilator need to draft it for: other areas see nothing."""

from __future__ import annotations

from typing import Any

from django import template

from overgang.organisations.permissions import CHANGE, VIEW
from overgang.stays.access import sides
from overgang.stays.models import Stay
from overgang.ventilation import actions
from overgang.ventilation.models import VentilationAgreement

register = template.Library()


@register.inclusion_tag("ventilation/_card.html", takes_context=True)
def ventilation_card(context: Any, stay: Stay | None = None, patient: Any = None) -> dict[str, Any]:
    user = context["request"].user
    found = VentilationAgreement.objects.restrict(user, VIEW).select_related(
        "hospital", "municipality"
    )
    found = found.filter(stay=stay) if stay is not None else found.filter(patient=patient)
    agreements = list(found.order_by("id"))
    needed = stay is not None and (
        not agreements
        and stay.is_open
        and actions.provision(stay) is not None
        and stay.needs.filter(aid_type__slug=actions.AID_TYPE).exclude(status="cancelled").exists()
    )
    may_draft = (
        stay is not None
        and needed
        and "hospital" in sides(user)
        and Stay.objects.restrict(user, CHANGE).filter(pk=stay.pk).exists()
    )
    return {
        "ventilation": {
            "shown": bool(agreements) or needed,
            "agreements": agreements,
            "may_draft": may_draft,
            "stay": stay,
        }
    }
