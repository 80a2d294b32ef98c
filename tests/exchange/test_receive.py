"""Receiving PLO messages: what each does to the patient's stay, and what is refused."""

from __future__ import annotations

import io

import pytest
from lxml import etree

from overgang.audit.models import ChangeRecord
from overgang.exchange.actions import receive, retry
from overgang.exchange.models import Outcome, Received
from overgang.messages import parse_receipt
from overgang.messages.receipts import ReceiptStatus
from overgang.organisations.actions import import_organisations
from overgang.patients.models import Patient
from overgang.stays.models import Deadline, Message, Stay
from overgang.stays.states import StayStatus
from tests.exchange.conftest import PATIENT, example

ADMITTED = "Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml"
ADMISSION_REPORT = "Innleggelsesrapport_v1-6_Ny.xml"


def receipt_of(result):
    answer = parse_receipt(result.receipt_body)
    assert not hasattr(answer, "code"), answer
    return answer


@pytest.fixture
def admitted(addressed, system):
    return receive(addressed(ADMITTED), actor=system, source="test")


def test_an_admission_notice_registers_the_patient_and_opens_the_stay(admitted, areas):
    assert admitted.status == "accepted", admitted.errors
    patient = Patient.objects.get(pk=admitted.patient)
    assert patient.national_id == PATIENT
    assert patient.name == "Roland Gundersen"
    assert patient.municipality.key == "levanger"
    stay = Stay.objects.get(pk=admitted.stay)
    assert stay.patient == patient
    assert stay.department.key == "hnt-levanger-med"
    assert stay.status == StayStatus.ADMITTED
    assert admitted.events == ["admission-notified"]
    assert Message.objects.get(stay=stay).type == "LOG_INNLAGT"
    # The same writers as by hand, on the message channel: each row they made has its history.
    written = set(ChangeRecord.objects.filter(channel="message").values_list("model", "object_id"))
    assert {
        ("patients.patient", str(patient.pk)),
        ("stays.stay", str(stay.pk)),
        ("stays.message", str(Message.objects.get(stay=stay).pk)),
        ("exchange.received", str(admitted.received.pk)),
    } <= written
    assert {("stays.deadline", str(d.pk)) for d in stay.deadlines.all()} <= written
    answer = receipt_of(admitted)
    assert answer.status == ReceiptStatus.OK
    assert answer.original_id == admitted.message_id


def test_the_same_message_again_is_a_duplicate_that_changes_nothing(addressed, system):
    body = addressed(ADMITTED)
    first = receive(body, actor=system)
    counts = (Stay.objects.count(), Message.objects.count(), ChangeRecord.objects.count())
    again = receive(body, actor=system)
    assert again.status == "duplicate"
    assert (again.stay, again.patient) == (first.stay, first.patient)
    assert again.receipt_body == first.receipt_body
    assert (Stay.objects.count(), Message.objects.count(), ChangeRecord.objects.count()) == counts


def test_the_same_id_with_other_content_is_refused(addressed, system, admitted):
    other = addressed(ADMISSION_REPORT, from_hospital=False, message_id=admitted.message_id)
    result = receive(other, actor=system)
    assert result.status == "rejected"
    assert result.errors[0]["code"] == "E10"
    assert Message.objects.filter(type="INNLEGGELSESRAPPORT").count() == 0
    assert receipt_of(result).status == ReceiptStatus.REJECTED


def test_the_admission_report_fulfils_the_municipalitys_duty(addressed, system, admitted):
    report = receive(addressed(ADMISSION_REPORT, from_hospital=False), actor=system)
    assert report.status == "accepted", report.errors
    assert report.stay == admitted.stay
    deadline = Deadline.objects.get(stay_id=admitted.stay, duty="admission-report")
    assert deadline.done_at is not None
    row = Received.objects.get(message_id=report.message_id)
    assert row.content["functional_levels"], "the IPLOS levels are kept as data"


def test_an_unknown_receiver_waits_in_the_inbox_until_the_register_knows_it(addressed, system):
    body = addressed(ADMITTED, receiver=("levanger",))
    root = etree.fromstring(body)
    ns = {"mh": "http://www.kith.no/xmlstds/msghead/2006-05-24"}
    for ident in root.iterfind("mh:MsgInfo/mh:Receiver/mh:Organisation/mh:Ident/mh:Id", ns):
        ident.text = "8812345"
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    first = receive(body, actor=system)
    assert first.status == "rejected"
    assert first.errors[0]["code"] == "E21"
    assert not Stay.objects.exists()
    rejected = Received.objects.get(outcome=Outcome.REJECTED)

    csv = (
        "key,name,kind,country,parent,number,her_id,sor_id,address,phone,email\n"
        "levanger-helse,Levanger helse og omsorg,home_nursing,NO,levanger,,8812345,,,,\n"
    )
    import_organisations(io.StringIO(csv), actor=system)
    again = retry(rejected, actor=system)
    assert again.status == "accepted", again.errors
    assert again.stay is not None
    rejected.refresh_from_db()
    assert rejected.retried_as is not None
    assert Stay.objects.get(pk=again.stay).patient.municipality.key == "levanger"


@pytest.mark.parametrize(
    ("patient", "code"),
    [("15076500566", "E31"), ("", "E30")],
)
def test_a_bad_patient_id_is_refused(addressed, system, patient, code):
    result = receive(addressed(ADMITTED, patient=patient), actor=system)
    assert result.status == "rejected"
    assert result.errors[0]["code"] == code
    assert not Patient.objects.exists()


def test_a_patient_no_agreement_covers_is_refused(addressed, system):
    csv = (
        "key,name,kind,country,parent,number,her_id,sor_id,address,phone,email\n"
        "alvdal,Alvdal kommune,municipality,NO,,3428,8899387,,,,\n"
    )
    import_organisations(io.StringIO(csv), actor=system)
    result = receive(addressed(ADMITTED, receiver=("alvdal",)), actor=system)
    assert result.status == "rejected"
    assert "No agreement covers patients of Alvdal kommune" in result.errors[0]["text"]
    assert not Patient.objects.exists()


def test_a_cancel_of_something_never_received_is_refused(addressed, system, admitted):
    cancel = addressed("Innleggelsesrapport_v1-6_Kansellering.xml", from_hospital=False)
    result = receive(cancel, actor=system)
    assert result.status == "rejected"
    assert result.errors[0]["code"] == "E35"


def test_a_cancelled_admission_report_opens_the_duty_again(addressed, system, admitted):
    receive(addressed(ADMISSION_REPORT, from_hospital=False), actor=system)
    cancel = addressed("Innleggelsesrapport_v1-6_Kansellering.xml", from_hospital=False)
    result = receive(cancel, actor=system)
    assert result.status == "accepted", result.errors
    report = Message.objects.get(type="INNLEGGELSESRAPPORT", variant="")
    assert report.cancelled_at is not None
    deadline = Deadline.objects.get(stay_id=admitted.stay, duty="admission-report")
    assert deadline.done_at is None


def test_a_cancelled_admission_notice_withdraws_the_deadlines_it_opened(
    addressed, system, admitted
):
    cancel = addressed("Pasientlogistikk_Innlagt_pasient_v1-6_Kansellering.xml")
    result = receive(cancel, actor=system)
    assert result.status == "accepted", result.errors
    notice = Message.objects.get(type="LOG_INNLAGT")
    assert notice.cancelled_at is not None
    opened = Deadline.objects.filter(stay_id=admitted.stay, event__message=notice)
    assert opened.exists()
    assert not opened.filter(done_at__isnull=True).exists()


def test_a_change_amends_the_earlier_message(addressed, system, admitted):
    receive(addressed(ADMISSION_REPORT, from_hospital=False), actor=system)
    change = addressed("Innleggelsesrapport_v1-6_Endring.xml", from_hospital=False)
    result = receive(change, actor=system)
    assert result.status == "accepted", result.errors
    # The change is the supplementary report of the agreement, a message of its own.
    assert Message.objects.filter(type="INNLEGGELSESRAPPORT", variant="endring").exists()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"<MsgHead><MsgInfo>", "T01"),
        (
            b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<m>&x;</m>",
            "T01",
        ),
        (b'<?xml version="1.0"?><Unknown xmlns="urn:x"/>', "T10"),
    ],
)
def test_unreadable_bodies_are_refused_with_a_valid_receipt(system, body, code):
    result = receive(body, actor=system)
    assert result.status == "rejected"
    assert result.errors[0]["code"] == code
    assert receipt_of(result).status == ReceiptStatus.REJECTED
    assert Received.objects.filter(outcome=Outcome.REJECTED).count() == 1


def test_a_dry_run_checks_and_changes_nothing(addressed, system):
    result = receive(addressed(ADMITTED), actor=system, dry_run=True)
    assert result.status == "accepted"
    assert not Patient.objects.exists()
    assert not Received.objects.exists()


def test_every_plo_example_gets_one_result_and_never_an_error(addressed, system, admitted):
    for path in sorted(example.__globals__["EXAMPLES"].glob("*.xml")):
        result = receive(path.read_bytes(), actor=system, source=path.name)
        assert result.status in ("accepted", "duplicate", "rejected")
        if result.receipt_body is not None:
            receipt_of(result)
