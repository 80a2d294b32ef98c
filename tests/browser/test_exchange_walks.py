"""Issue 15's two walks in the browser. A Levanger stay arrives as PLO messages, the
municipality's case worker answers on the page, and the answer leaves as a valid PLO v2.0
message. A Danish admission and discharge arrive as MedCom HospitalNotifications and move
the Aalborg stay, as its case worker sees it."""

from __future__ import annotations

import datetime

import pytest

from overgang import clock
from overgang.exchange.actions import receive
from overgang.exchange.models import Delivery
from overgang.exchange.outbox import deliver_due
from overgang.messages import Checked, check
from overgang.messages.incoming import Happening
from overgang.messages.plo_documents import ADMITTED, DISCHARGE_READY
from overgang.organisations.models import Role
from overgang.stays.models import Stay
from tests.exchange import conftest as exchange
from tests.exchange.test_aalborg_stay import notification
from tests.exchange.test_levanger_stay import composed

from .walk import submit, text

addressed = exchange.addressed


@pytest.mark.locale("nb-NO")
def test_a_levanger_stay_by_plo_answered_on_the_page(
    page, log_in, shot, make_user, addressed, system
):
    make_user("levanger-case", ("levanger-tildeling", Role.CASE_WORKER))

    def arrives(body: bytes) -> int:
        result = receive(body, actor=system, source="dips")
        assert result.status == "accepted", result.errors
        assert result.stay is not None
        return result.stay

    stay_id = arrives(addressed("Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml", days_ago=3))
    arrives(addressed("Innleggelsesrapport_v1-6_Ny.xml", from_hospital=False, days_ago=2))
    arrives(addressed("Helseopplysninger_Varsel_om_innlagt_pasient_v1-6_Ny.xml"))
    arrives(addressed("Helseopplysninger_Oppdaterte_opplysninger_v1-6_Endring1.xml", days_ago=1))
    admitted_at = Stay.objects.get(pk=stay_id).admitted_at
    ready_at = clock.now() - datetime.timedelta(minutes=20)
    arrives(
        composed(
            "LOG_UTSKRIVNINGSKLAR",
            happenings=(Happening(ADMITTED, admitted_at), Happening(DISCHARGE_READY, ready_at)),
        )
    )

    log_in("levanger-case")
    page.goto(f"/stays/{stay_id}/")
    messages = text(page, "#messages")
    for name in (
        "Melding om innlagt pasient",
        "Innleggelsesrapport",
        "Helseopplysninger ved søknad – varsel",
        "Melding om utskrivningsklar pasient",
    ):
        assert name in messages
    assert "mottatt elektronisk" in messages
    shot("exchange-levanger", "received")

    # The case worker answers on the page; the answer leaves as PLO v2.0.
    page.locator("#id_answer_can_receive input[value=yes]").check()
    page.locator("#id_answer_receive_at").fill(page.locator("#id_message_sent_at").input_value())
    page.locator("#id_answer_service").fill("Hjemmesykepleie morgen og kveld")
    submit(page, "#answer form")
    messages = text(page, "#messages")
    assert "Kommunens svar på utskrivningsklar pasient" in messages
    assert "i kø for sending" in messages
    answer = Delivery.objects.get(message__type="TILBAKEMELDING_UTSKRIVNINGSKLAR")
    checked = check(bytes(answer.document or b""))
    assert isinstance(checked, Checked), checked
    assert (checked.type, checked.version) == ("TILBAKEMELDING_UTSKRIVNINGSKLAR", "v2.0")
    assert deliver_due() >= 1
    page.reload()
    assert "levert, venter på kvittering" in text(page, "#messages")
    page.locator("#messages").scroll_into_view_if_needed()
    shot("exchange-levanger", "answered")

    # The answer reads back from the document that left.
    page.get_by_role("link", name="Kommunens svar på utskrivningsklar pasient").click()
    assert "sendt fra Overgang" in text(page, "h1")
    assert "levert, venter på kvittering" in text(page, "#envelope")
    assert "Levanger kommune" in text(page, "#envelope")
    shot("exchange-levanger", "answer-sent")


@pytest.mark.locale("da-DK")
def test_a_danish_admission_and_discharge_by_hospital_notification(
    page, log_in, shot, make_user, areas, system
):
    make_user("aalborg-case", ("aalborg-visitation", Role.CASE_WORKER))
    start = clock.now() - datetime.timedelta(days=3)
    admitted = receive(notification("admit-inpatient", start=start), actor=system)
    assert admitted.status == "accepted", admitted.errors

    log_in("aalborg-case")
    page.goto(f"/stays/{admitted.stay}/")
    assert "Sygehusadvis – indlagt" in text(page, "#messages")
    shot("exchange-aalborg", "admitted")

    end = clock.now() - datetime.timedelta(hours=2)
    discharged = receive(
        notification("discharge-inpatient-home", start=start, end=end), actor=system
    )
    assert discharged.status == "accepted", discharged.errors
    page.reload()
    assert "Sygehusadvis – udskrevet" in text(page, "#messages")
    assert "udskrevet" in text(page, "#main").lower()
    shot("exchange-aalborg", "discharged")
