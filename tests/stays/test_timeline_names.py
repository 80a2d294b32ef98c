"""Every event an agreement can start a deadline from is named on the stay's timeline in
the reader's language, never shown as its key (e.g. "supplementary-information-requested")."""

from __future__ import annotations

import pytest
from django.utils import translation

from overgang.rules.case import EVENTS
from overgang.stays.timeline import event_name


@pytest.mark.parametrize("language", ["nb", "da", "en"])
@pytest.mark.parametrize("event", EVENTS)
def test_each_event_has_a_name_on_the_timeline(event: str, language: str) -> None:
    with translation.override(language):
        name = event_name(event)
    assert name != event
