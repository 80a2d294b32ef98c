"""The command-line calls test_invalid_input makes (started early by conftest.py)."""

from __future__ import annotations

import json

GOOD_CASE = {"agreement": "unn", "aid": {"type": "home-ventilator"}, "date": "2026-11-22"}

# name → (action, standard input)
CLI_CALLS = {
    "unknown-aid-type": (
        "decide",
        json.dumps({"agreement": "oslo", "date": "2026-11-22", "aid": {"type": "jetpack"}}),
    ),
    "not-json": ("decide", '{"agreement": "oslo", '),
    "good-case": ("decide", json.dumps(GOOD_CASE)),
}
