"""Where a refused treatment aid is appealed (U3), when the agreement itself does not say.

Granting a treatment aid is health care under national law, whatever the local agreement
writes: in Norway pasient- og brukerrettighetsloven § 2-1 b, appealed to Statsforvalteren
(§ 7-2; seed 001 writes it out, the other Norwegian routines rely on the same law). The
Danish agreement (seed 003) names no appeal route; a region's decision about health care
is complained of to Styrelsen for Patientklager. Pure Python: no Django here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

NATIONAL: dict[str, dict[str, Any]] = {
    "NO": {
        "body": "Statsforvalteren",
        "basis": "pasient- og brukerrettighetsloven § 7-2",
        "decision_basis": "pasient- og brukerrettighetsloven § 2-1 b",
        "cites": [],
    },
    "DK": {
        "body": "Styrelsen for Patientklager",
        "basis": "",
        "decision_basis": "",
        "cites": [],
    },
}


def appeal_route(agreed: Mapping[str, Any] | None, country: str) -> dict[str, Any]:
    """The agreement's appeal route (`decide`'s "appeal"), or the country's by law."""
    if agreed:
        return {
            "body": agreed["body"],
            "basis": agreed.get("basis", ""),
            "decision_basis": agreed.get("decision_basis", ""),
            "cites": list(agreed.get("cites", [])),
        }
    try:
        return dict(NATIONAL[country])
    except KeyError:
        raise ValueError(f"no appeal route known for country {country!r}") from None
