"""What the stays tell, turned into the home-ventilation agreement's tasks (O11)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.dispatch import receiver

from overgang.stays.models import Need, Stay
from overgang.stays.signals import aid_need_recorded, stay_ended
from overgang.ventilation import actions
from overgang.ventilation.models import VentilationAgreement


@receiver(aid_need_recorded)
def home_ventilator_needed(sender: Any, *, need: Need, actor: User, **kwargs: Any) -> None:
    if need.aid_type is not None and need.aid_type.slug == actions.AID_TYPE:
        actions.invite_municipality(need.stay, actor=actor)


@receiver(stay_ended)
def follow_up_after_discharge(
    sender: Any, *, stay: Stay, actor: User, at: datetime.datetime, **kwargs: Any
) -> None:
    for agreement in VentilationAgreement.objects.filter(stay=stay):
        actions.open_follow_up(agreement, actor=actor, discharged_at=at)
