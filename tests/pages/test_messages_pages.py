"""Received messages on the pages: the stay's messages with their receipt state and what the
admission report suggests, one received message to read and print, and the inbox of rejected
messages an integration admin tries again."""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from lxml import etree

from overgang.audit.models import PatientRead
from overgang.exchange.actions import receive
from overgang.exchange.models import Outcome, Received
from overgang.organisations.actions import import_organisations
from overgang.organisations.models import Role
from overgang.stays.models import Stay
from tests.exchange import conftest as exchange

pytestmark = pytest.mark.django_db

# The real examples, addressed to Levanger (tests/exchange/conftest.py).
addressed = exchange.addressed
integration = exchange.integration

ADMITTED = "Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml"
REPORT = "Innleggelsesrapport_v1-6_Ny.xml"
REPORT_CANCELLED = "Innleggelsesrapport_v1-6_Kansellering.xml"
MSGHEAD = {"mh": "http://www.kith.no/xmlstds/msghead/2006-05-24"}
UNKNOWN_HER = "8812345"


@pytest.fixture
def as_user(client):
    def login(user, language="en"):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return login


@pytest.fixture
def levanger_case_worker(make_user):
    return make_user("levanger-case", ("levanger-tildeling", Role.CASE_WORKER))


@pytest.fixture
def stay(addressed, system):
    admitted = receive(addressed(ADMITTED), actor=system, source="test")
    assert admitted.status == "accepted", admitted.errors
    assert admitted.stay is not None
    return Stay.objects.get(pk=admitted.stay)


@pytest.fixture
def report(addressed, system, stay):
    result = receive(addressed(REPORT, from_hospital=False), actor=system, source="test")
    assert result.status == "accepted", result.errors
    return result.received


def section(page, ident):
    """The text of the element with `ident` (a section of the page), tags left out."""
    html = page.content.decode()
    start = html.index(f'id="{ident}"')
    end = html.index("</section>", start)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start:end]))


def test_the_stay_lists_the_notice_and_the_report_with_their_receipt_state(
    as_user, levanger_case_worker, stay, report
):
    page = as_user(levanger_case_worker).get(f"/stays/{stay.pk}/")
    assert page.status_code == 200
    shown = section(page, "messages")
    assert "Admission notice" in shown and "Admission report" in shown
    assert "from the hospital" in shown and "from the municipality" in shown
    assert shown.count("receipt sent") == 2
    assert f"/stays/{stay.pk}/messages/{report.pk}/" in page.content.decode()
    # What the report says of function and aids, offered for the stay's needs.
    assert "Suggestions from the admission report" in shown
    needs_help = shown[shown.index("Needs help with") : shown.index("more areas")]
    assert "Ivareta egen helse: 4 needs much help" in needs_help
    assert "Bevege seg innendørs" not in needs_help  # 2: manages, in the folded rest
    assert "Bevege seg innendørs: 2" in shown
    assert "Krykker" in shown


def test_a_message_recorded_by_hand_waits_for_its_receipt(
    as_user, levanger_case_worker, stay, system
):
    from overgang.exchange.outbox import deliver_due
    from overgang.stays.actions import record_message

    record_message(stay, "INNLEGGELSESRAPPORT", actor=system, sender="municipality")
    client = as_user(levanger_case_worker)
    shown = section(client.get(f"/stays/{stay.pk}/"), "messages")
    assert "recorded in Overgang" in shown
    assert "queued for sending" in shown
    assert "Suggestions from the admission report" not in shown
    assert deliver_due() == 1
    shown = section(client.get(f"/stays/{stay.pk}/"), "messages")
    assert "delivered, waiting for receipt" in shown


def test_a_message_with_no_electronic_document_says_to_send_it_the_usual_way(
    as_user, levanger_case_worker, stay, system
):
    from overgang.stays.actions import record_message

    record_message(stay, "EPIKRISE", actor=system)
    shown = section(as_user(levanger_case_worker).get(f"/stays/{stay.pk}/"), "messages")
    assert "not sent electronically" in shown
    assert "send it the usual way" in shown


def test_a_cancelled_report_is_marked_and_suggests_nothing(
    as_user, levanger_case_worker, addressed, system, stay, report
):
    cancel = receive(addressed(REPORT_CANCELLED, from_hospital=False), actor=system)
    assert cancel.status == "accepted", cancel.errors
    shown = section(as_user(levanger_case_worker).get(f"/stays/{stay.pk}/"), "messages")
    assert "cancelled" in shown
    assert "Suggestions from the admission report" not in shown


def test_the_stay_section_is_in_norwegian_for_a_norwegian_reader(
    as_user, levanger_case_worker, stay, report
):
    shown = section(as_user(levanger_case_worker, "nb").get(f"/stays/{stay.pk}/"), "messages")
    assert "Meldinger" in shown
    assert "Melding om innlagt pasient" in shown
    assert "kvittering sendt" in shown
    assert "Forslag fra innleggelsesrapporten" in shown


def test_the_readable_view_shows_the_report_as_its_sender_wrote_it_and_logs_the_read(
    as_user, levanger_case_worker, stay, report
):
    reads = PatientRead.objects.filter(user=levanger_case_worker, patient=stay.patient)
    before = reads.count()
    page = as_user(levanger_case_worker).get(f"/stays/{stay.pk}/messages/{report.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h3>Pårørende</h3>" in html
    assert "Per Hansen, tlf. 99887722" in html
    envelope = section(page, "envelope")
    assert "accepted" in envelope and "sent to the sender" in envelope
    sender_her = report.content["sender"][0]["ids"][0]
    assert f"(HER {sender_her})" in envelope
    levels = section(page, "functional-levels")
    assert "Ivareta egen helse 4 needs much help" in levels
    assert reads.count() == before + 1


def test_the_readable_view_labels_are_in_danish_for_a_danish_reader(
    as_user, levanger_case_worker, stay, report
):
    page = as_user(levanger_case_worker, "da").get(f"/stays/{stay.pk}/messages/{report.pk}/")
    assert "Indlæggelsesrapport" in page.content.decode()
    assert "Kvittering" in section(page, "envelope")


def test_outside_the_stays_scope_nothing_is_shown_and_nothing_logged(
    as_user, tromso_case_worker, stay, report
):
    client = as_user(tromso_case_worker)
    assert client.get(f"/stays/{stay.pk}/").status_code == 404
    assert client.get(f"/stays/{stay.pk}/messages/{report.pk}/").status_code == 404
    assert not PatientRead.objects.filter(user=tromso_case_worker).exists()


def test_a_message_of_another_stay_is_not_found_on_this_one(
    as_user, levanger_case_worker, stay, report
):
    client = as_user(levanger_case_worker)
    assert client.get(f"/stays/{stay.pk}/messages/{report.pk + 1000}/").status_code == 404


def to_unknown_receiver(body):
    root = etree.fromstring(body)
    for ident in root.iterfind("mh:MsgInfo/mh:Receiver/mh:Organisation/mh:Ident/mh:Id", MSGHEAD):
        ident.text = UNKNOWN_HER
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@pytest.fixture
def rejected(addressed, system):
    body = to_unknown_receiver(addressed(ADMITTED, receiver=("levanger",)))
    result = receive(body, actor=system, source="engine/inbox/1.xml")
    assert result.status == "rejected" and result.errors[0]["code"] == "E21"
    return result.received


def register_the_receiver(system):
    csv = (
        "key,name,kind,country,parent,number,her_id,sor_id,address,phone,email\n"
        f"levanger-helse,Levanger helse og omsorg,home_nursing,NO,levanger,,{UNKNOWN_HER},,,,\n"
    )
    import_organisations(io.StringIO(csv), actor=system)


def test_the_inbox_lists_an_unknown_receiver_and_trying_again_once_registered_accepts_it(
    as_user, integration, rejected, system
):
    client = as_user(integration)
    assert "/messages/rejected/" in client.get("/").content.decode()  # in the menu
    inbox = client.get("/messages/rejected/")
    assert inbox.status_code == 200
    row = section_row(inbox, rejected.pk)
    assert "E21" in row and "LOG_INNLAGT" in row and rejected.message_id in row
    assert "engine/inbox/1.xml" in row
    # The document names the patient: the inbox never shows it.
    assert "Gundersen" not in inbox.content.decode()

    register_the_receiver(system)
    done = client.post(f"/messages/rejected/{rejected.pk}/retry/", follow=True)
    assert done.status_code == 200
    assert f"Message {rejected.message_id} was tried again and accepted." in done.content.decode()
    assert f'id="rejected-{rejected.pk}"' not in done.content.decode()
    rejected.refresh_from_db()
    assert rejected.retried_as is not None
    assert rejected.retried_as.outcome == Outcome.ACCEPTED


def test_trying_again_for_a_receiver_one_does_not_look_after_is_refused(
    as_user, integration, rejected, system
):
    csv = (
        "key,name,kind,country,parent,number,her_id,sor_id,address,phone,email\n"
        f"tromso-helse,Tromsø helse og omsorg,home_nursing,NO,tromso,,{UNKNOWN_HER},,,,\n"
    )
    import_organisations(io.StringIO(csv), actor=system)
    refused = as_user(integration).post(f"/messages/rejected/{rejected.pk}/retry/")
    assert refused.status_code == 403
    assert "whose messages you do not look after" in refused.content.decode()
    assert not Stay.objects.exists()
    rejected.refresh_from_db()
    assert rejected.retried_as is None


def test_trying_again_before_the_register_is_fixed_says_it_was_rejected_again(
    as_user, integration, rejected
):
    done = as_user(integration).post(f"/messages/rejected/{rejected.pk}/retry/", follow=True)
    assert "rejected again: E21" in done.content.decode()
    waiting = Received.objects.filter(outcome=Outcome.REJECTED, retried_as__isnull=True)
    assert waiting.count() == 1  # the new attempt waits; the first is linked to it
    rejected.refresh_from_db()
    assert rejected.retried_as == waiting.get()


def section_row(page, pk):
    html = page.content.decode()
    start = html.index(f'id="rejected-{pk}"')
    return re.sub(r"<[^>]+>", " ", html[start : html.index("</tr>", start)])


def test_trying_again_an_accepted_message_or_twice_is_refused_and_changes_nothing(
    as_user, integration, stay, rejected, system
):
    client = as_user(integration)
    accepted = Received.objects.get(outcome=Outcome.ACCEPTED)
    count = Received.objects.count()
    refused = client.post(f"/messages/rejected/{accepted.pk}/retry/")
    assert refused.status_code == 409
    assert "only a rejected message can be tried again" in refused.content.decode()
    assert Received.objects.count() == count

    register_the_receiver(system)
    client.post(f"/messages/rejected/{rejected.pk}/retry/")
    count = Received.objects.count()
    twice = client.post(f"/messages/rejected/{rejected.pk}/retry/")
    assert twice.status_code == 409
    assert "was tried again already" in twice.content.decode()
    assert Received.objects.count() == count


def test_trying_again_an_unknown_message_is_not_found(as_user, integration, rejected):
    assert as_user(integration).post("/messages/rejected/999999/retry/").status_code == 404


def test_the_inbox_is_not_for_a_case_worker(as_user, levanger_case_worker, rejected):
    client = as_user(levanger_case_worker)
    assert client.get("/messages/rejected/").status_code == 403
    assert client.post(f"/messages/rejected/{rejected.pk}/retry/").status_code == 403
    assert "/messages/rejected/" not in client.get("/").content.decode()
    rejected.refresh_from_db()
    assert rejected.retried_as is None


def test_another_organisations_rejection_is_not_in_the_inbox(as_user, make_user, addressed, system):
    # Alvdal is registered but no agreement covers its patients: rejected for Alvdal.
    csv = (
        "key,name,kind,country,parent,number,her_id,sor_id,address,phone,email\n"
        "alvdal,Alvdal kommune,municipality,NO,,3428,8899387,,,,\n"
    )
    import_organisations(io.StringIO(csv), actor=system)
    result = receive(addressed(ADMITTED, receiver=("alvdal",)), actor=system)
    assert result.status == "rejected" and result.received.receiver.key == "alvdal"
    levanger_admin = make_user("levanger-admin", ("levanger", Role.ADMIN))
    client = as_user(levanger_admin)
    assert (
        f'id="rejected-{result.received.pk}"'
        not in client.get("/messages/rejected/").content.decode()
    )
    assert client.post(f"/messages/rejected/{result.received.pk}/retry/").status_code == 404


def test_a_sent_message_reads_back_from_the_document_that_left(
    as_user, levanger_case_worker, tromso_case_worker, stay, system
):
    from overgang.stays.actions import record_message

    sent = record_message(
        stay,
        "HELSEOPPL_SOKNAD:varsel",
        actor=system,
        payload="Trenger rullator og hjelp til dusj",
    )
    client = as_user(levanger_case_worker)
    link = f"/stays/{stay.pk}/messages/sent/{sent.pk}/"
    assert link in client.get(f"/stays/{stay.pk}/").content.decode()
    page = client.get(link)
    assert page.status_code == 200
    shown = section(page, "content")
    assert "Trenger rullator og hjelp til dusj" in shown
    envelope = section(page, "envelope")
    assert "queued for sending" in envelope
    assert "Sykehuset Levanger" in envelope or "Helse Nord-Trøndelag" in envelope
    assert PatientRead.objects.filter(
        user=levanger_case_worker, patient_id=stay.patient_id
    ).exists()

    assert as_user(tromso_case_worker).get(link).status_code == 404
    assert client.get(f"/stays/{stay.pk}/messages/sent/999999/").status_code == 404
