"""Which units a user manages devices for.

The scopes themselves (which devices, loans, return requests a user sees or manages) are
`restrict(user, action)` on the models' querysets; see overgang.patients.access.
"""

from __future__ import annotations

from typing import Any

from overgang.organisations.models import Organisation
from overgang.organisations.permissions import MANAGE_DEVICES, memberships_for


def managing_units(user: Any) -> list[Organisation]:
    """The organisations whose devices `user` manages: to choose among (a form's units, the
    unit that lends in a swap), not to filter by; for that use restrict(MANAGE_DEVICES)."""
    return [m.organisation for m in memberships_for(user, MANAGE_DEVICES)]
