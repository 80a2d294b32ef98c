"""The only writers of requisitions: requisitions of treatment aids and their decisions
(U1–U3), appeals, and swap reports (O3). Everything is importable from here."""

from overgang.requisitions.actions.appeals import (
    forward_appeal,
    record_outcome,
    register_appeal,
    withdraw_appeal,
)
from overgang.requisitions.actions.disputes import escalate, raise_dispute, settle
from overgang.requisitions.actions.disputes import record_delivery as record_dispute_delivery
from overgang.requisitions.actions.nav import (
    NavApplicationInput,
    nav_provides,
    not_routed_to_nav,
    record_follow_up,
    record_nav_decision,
    record_sent,
    record_signature,
    register_application,
    remind_missing_signatures,
    withdraw_application,
)
from overgang.requisitions.actions.nav import record_delivery as record_nav_delivery
from overgang.requisitions.actions.requisitions import (
    RequisitionInput,
    appeal_for,
    decide_requisition,
    deliver,
    existing_loans,
    loans_of_kind,
    processing_unit,
    requester_answer,
    reserve_for,
    start_assessment,
    submit_requisition,
    withdraw_requisition,
)
from overgang.requisitions.actions.swaps import (
    STATUS_OF,
    SwapDecision,
    lend_for_swap,
    report_swap,
    swap_decision,
    withdraw_swap,
)

__all__ = [
    "STATUS_OF",
    "NavApplicationInput",
    "RequisitionInput",
    "SwapDecision",
    "appeal_for",
    "decide_requisition",
    "deliver",
    "escalate",
    "existing_loans",
    "forward_appeal",
    "lend_for_swap",
    "loans_of_kind",
    "nav_provides",
    "not_routed_to_nav",
    "processing_unit",
    "raise_dispute",
    "record_dispute_delivery",
    "record_follow_up",
    "record_nav_decision",
    "record_nav_delivery",
    "record_outcome",
    "record_sent",
    "record_signature",
    "register_appeal",
    "register_application",
    "remind_missing_signatures",
    "report_swap",
    "requester_answer",
    "reserve_for",
    "settle",
    "start_assessment",
    "submit_requisition",
    "swap_decision",
    "withdraw_appeal",
    "withdraw_application",
    "withdraw_requisition",
    "withdraw_swap",
]
