"""The only writers of the aids registry. Pages, API, commands and jobs call these.

One module per concept; everything is importable from here (`actions.lend_device`).
"""

from overgang.aids.actions.catalogue import (
    MANUAL_MAX_BYTES,
    current_manual,
    sync_catalogue,
    upload_manual,
)
from overgang.aids.actions.checks import (
    CHECK_FIELDS,
    installation_cleared,
    mark_remedied,
    placed_at,
    record_electrical_check,
)
from overgang.aids.actions.consumables import (
    add_plan,
    cancel_need,
    end_plan,
    provider_of,
    receive_stock,
    report_need,
    supply,
)
from overgang.aids.actions.devices import (
    CHECK_RESULTS,
    DEVICE_OWNERS,
    _locked,
    _move,
    discard_device,
    lock_devices,
    register_device,
    release_device,
    reprocess_device,
    reserve_device,
    set_stock_minimum,
)
from overgang.aids.actions.loans import (
    LOAN_PURPOSES,
    hand_over,
    lend_device,
    lend_with,
    return_loan,
)
from overgang.aids.actions.returns import cancel_return, request_return, schedule_pickup

__all__ = [
    "CHECK_FIELDS",
    "CHECK_RESULTS",
    "DEVICE_OWNERS",
    "LOAN_PURPOSES",
    "MANUAL_MAX_BYTES",
    "_locked",
    "_move",
    "add_plan",
    "cancel_need",
    "cancel_return",
    "current_manual",
    "discard_device",
    "end_plan",
    "hand_over",
    "installation_cleared",
    "lend_device",
    "lend_with",
    "lock_devices",
    "mark_remedied",
    "placed_at",
    "provider_of",
    "receive_stock",
    "record_electrical_check",
    "register_device",
    "release_device",
    "report_need",
    "reprocess_device",
    "request_return",
    "reserve_device",
    "return_loan",
    "schedule_pickup",
    "set_stock_minimum",
    "supply",
    "sync_catalogue",
    "upload_manual",
]
