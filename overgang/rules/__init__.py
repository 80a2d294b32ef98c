"""The agreements as data and what they decide. Pure Python: no Django import here.

Everything that depends on what an agreement says (which hospital serves an
address, who does what by when) is asked here and nowhere else.
"""

from overgang.rules.registry import (
    Agreement,
    Hospital,
    UnknownAgreement,
    UnknownDistrict,
    UnknownMunicipality,
    agreement_for_municipality,
    all_agreements,
    responsible_hospital,
)

__all__ = [
    "Agreement",
    "Hospital",
    "UnknownAgreement",
    "UnknownDistrict",
    "UnknownMunicipality",
    "agreement_for_municipality",
    "all_agreements",
    "responsible_hospital",
]

from overgang.rules.engine import ConflictingRules, deadlines, decide

__all__ += ["ConflictingRules", "deadlines", "decide"]
