"""Names fixed by docs/contracts/rules.md, written out here on purpose: the tests hold the
engine to the contract, so they do not borrow the engine's own lists."""

DUTY_NAMES = (
    "assessment",
    "application",
    "delivery",
    "payment",
    "instruction",
    "staff_training",
    "maintenance",
    "consumables",
    "follow_up",
    "return",
)
DECIDE_KEYS = (
    "agreement",
    "responsible_hospital",
    "lendable",
    "reasons",
    "duties",
    "requisition",
    "units",
    "bundle",
    "electrical_check_required",
    "swap_to_hospital_equipment",
    "appeal",
    "notes",
)
