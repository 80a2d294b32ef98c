"""The only writers of stays. Pages, API, commands and jobs call these.

One module per concept; everything is importable from here (`actions.admit`).
"""

from overgang.stays.actions.admission import (
    RECORDABLE_EVENTS,
    SUPPLEMENTARY_REQUESTED,
    admit,
    asks_supplementary_information,
    record_event,
    request_supplementary_information,
)
from overgang.stays.actions.deadlines import complete_deadline
from overgang.stays.actions.discharge import (
    declare_departure_ready,
    declare_discharge_ready,
    discharge,
    document,
    is_physician,
    leave_on_own_responsibility,
    prepare,
    record_death,
    withdraw_discharge_ready,
)
from overgang.stays.actions.episodes import end_episode, informs_of_changed_needs
from overgang.stays.actions.messages import record_answer, record_message, record_receipt
from overgang.stays.actions.needs import (
    applied_for,
    cancel_need,
    link_loan,
    record_need,
    record_training,
    stay_agreement,
)
from overgang.stays.actions.payment import answer_objection, object_to_waiting_days
from overgang.stays.actions.planned import (
    ARRIVED,
    asks_foreseeable,
    cancel_planned,
    move_planned,
    record_arrival,
)
from overgang.stays.actions.planned import (
    CANCELLED as PLANNED_CANCELLED,
)
from overgang.stays.actions.planned import (
    MOVED as PLANNED_MOVED,
)
from overgang.stays.actions.relatives import assess_relatives, coordination_rule_cites
from overgang.stays.actions.training import attach_procedure, record_staff_training

__all__ = [
    "ARRIVED",
    "PLANNED_CANCELLED",
    "PLANNED_MOVED",
    "RECORDABLE_EVENTS",
    "SUPPLEMENTARY_REQUESTED",
    "admit",
    "answer_objection",
    "applied_for",
    "asks_foreseeable",
    "asks_supplementary_information",
    "assess_relatives",
    "attach_procedure",
    "cancel_need",
    "cancel_planned",
    "complete_deadline",
    "coordination_rule_cites",
    "declare_departure_ready",
    "declare_discharge_ready",
    "discharge",
    "document",
    "end_episode",
    "informs_of_changed_needs",
    "is_physician",
    "leave_on_own_responsibility",
    "link_loan",
    "move_planned",
    "object_to_waiting_days",
    "prepare",
    "record_answer",
    "record_arrival",
    "record_death",
    "record_event",
    "record_message",
    "record_need",
    "record_receipt",
    "record_staff_training",
    "record_training",
    "request_supplementary_information",
    "stay_agreement",
    "withdraw_discharge_ready",
]
