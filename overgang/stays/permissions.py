"""Who the staff-training page is for, as a `rules` permission: the menu shows its link
only to those it has something for (O10, N7)."""

from __future__ import annotations

from typing import Any

import rules

from overgang.stays.models.training import may_see_staff_training

# `rules` is untyped: reached through Any, as the predicates in organisations.permissions.
_rules: Any = rules

_rules.add_perm(
    "stays.view_stafftraining",
    _rules.predicate(may_see_staff_training, name="may_see_staff_training"),
)
