"""Received messages in a Norwegian case worker's browser: the stay lists the admission notice
and the admission report with their receipts and what the report suggests; the report opens
to read, with its sections and the IPLOS levels."""

from __future__ import annotations

import pytest

from overgang.exchange.actions import receive
from overgang.organisations.models import Role
from tests.exchange import conftest as exchange

from .walk import text

# The real examples, addressed to Levanger (tests/exchange/conftest.py).
addressed = exchange.addressed


@pytest.mark.locale("nb-NO")
def test_a_received_admission_report_on_the_stay_and_to_read(
    page, log_in, shot, make_user, addressed, system
):
    make_user("levanger-case", ("levanger-tildeling", Role.CASE_WORKER))
    admitted = receive(addressed("Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml"), actor=system)
    report = receive(
        addressed("Innleggelsesrapport_v1-6_Ny.xml", from_hospital=False), actor=system
    )
    assert report.status == "accepted", report.errors

    log_in("levanger-case")
    page.goto(f"/stays/{admitted.stay}/")
    messages = text(page, "#messages")
    assert "Melding om innlagt pasient" in messages
    assert "Forslag fra innleggelsesrapporten" in messages
    page.locator("#messages").scroll_into_view_if_needed()
    shot("messages", "stay")

    page.get_by_role("link", name="Innleggelsesrapport", exact=True).click()
    assert "Pårørende" in text(page, "#content")
    assert "Funksjonsnivå (IPLOS)" in text(page, "#functional-levels")
    shot("messages", "report")
