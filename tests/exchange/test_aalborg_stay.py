"""A Danish admission and discharge arrive as MedCom HospitalNotifications and move the stay
(Nordjylland's agreement); every MedCom message is answered with an Acknowledgement."""

from __future__ import annotations

import datetime
import json
import uuid

import pytest
from lxml import etree

from overgang import clock
from overgang.exchange.actions import receive
from overgang.messages import Notification, hospital_notification
from overgang.messages.incoming import Organisation, Person
from overgang.organisations.models import Organisation as Register
from overgang.organisations.models import Role
from overgang.patients.models import Patient
from overgang.stays.models import Message, Stay
from overgang.stays.states import StayStatus
from tests.conftest import AALBORG_CPR
from tests.exchange.conftest import EXAMPLES, recent

FHIR = {"f": "http://hl7.org/fhir"}


def party(key: str) -> Organisation:
    found = Register.objects.get(key=key)
    return Organisation(found.name, (found.sor_id,))


def notification(activity: str, *, start, end=None, refers_to=None, cpr=AALBORG_CPR) -> bytes:
    return hospital_notification(
        Notification(
            message_id=str(uuid.uuid4()),
            activity=activity,
            sent_at=clock.now() - datetime.timedelta(minutes=1),
            sender=party("aauh"),
            receiver=party("aalborg"),
            patient=Person(cpr, "CPR", "Nielsen", "Karen"),
            encounter_start=start,
            encounter_end=end,
            refers_to=refers_to,
        )
    )


def acknowledged(result) -> str:
    """The Acknowledgement's response code (ok, fatal-error …)."""
    root = etree.fromstring(result.receipt_body)
    code = root.find(".//f:MessageHeader/f:response/f:code", FHIR)
    assert code is not None
    return str(code.get("value"))


def test_an_admission_and_a_discharge_move_the_danish_stay(areas, system):
    start = clock.now() - datetime.timedelta(days=2)
    admitted = receive(notification("admit-inpatient", start=start), actor=system)
    assert admitted.status == "accepted", admitted.errors
    assert acknowledged(admitted) == "ok"
    assert admitted.stay is not None
    stay = Stay.objects.get(pk=admitted.stay)
    assert stay.patient.national_id == AALBORG_CPR
    assert stay.patient.municipality.key == "aalborg"
    assert stay.agreement == "nordjylland"
    assert stay.status == StayStatus.ADMITTED
    assert abs(stay.admitted_at - start) < datetime.timedelta(seconds=1)
    assert admitted.events == ["admission-notified"]

    end = clock.now() - datetime.timedelta(hours=1)
    discharged = receive(
        notification("discharge-inpatient-home", start=start, end=end), actor=system
    )
    assert discharged.status == "accepted", discharged.errors
    stay.refresh_from_db()
    assert stay.status == StayStatus.DISCHARGED
    assert stay.ended_at is not None
    assert abs(stay.ended_at - end) < datetime.timedelta(seconds=1)
    types = list(Message.objects.filter(stay=stay).order_by("id").values_list("type", flat=True))
    assert types.count("SYGEHUSADVIS_UDSKREVET") == 1


def test_a_json_notification_is_received_too(areas, system):
    from fhir.resources.R4B.bundle import Bundle

    body = notification("admit-inpatient", start=clock.now() - datetime.timedelta(hours=3))
    as_json = Bundle.model_validate_xml(body).model_dump_json().encode()
    result = receive(as_json, content_type="application/fhir+json", actor=system)
    assert result.status == "accepted", result.errors
    assert json.loads(as_json)["resourceType"] == "Bundle"


def test_a_cancelled_admission_withdraws_its_deadlines(areas, system):
    body = notification("admit-inpatient", start=clock.now() - datetime.timedelta(hours=3))
    first = receive(body, actor=system)
    cancel = notification(
        "cancel-admit-inpatient",
        start=clock.now() - datetime.timedelta(hours=3),
        refers_to=first.message_id,
    )
    result = receive(cancel, actor=system)
    assert result.status == "accepted", result.errors
    notice = Message.objects.get(type="SYGEHUSADVIS_INDLAGT")
    assert notice.cancelled_at is not None


@pytest.mark.parametrize(("cpr", "code"), [("3201701239", "E31"), ("12345", "T02")])
def test_an_invalid_cpr_is_refused_with_a_fatal_error(areas, system, cpr, code):
    body = notification("admit-inpatient", start=clock.now() - datetime.timedelta(hours=3))
    body = body.replace(AALBORG_CPR.encode(), cpr.encode())
    result = receive(body, actor=system)
    assert result.status == "rejected"
    assert result.errors[0]["code"] == code
    assert acknowledged(result) == "fatal-error"
    assert not Patient.objects.exists()


MEDCOM = EXAMPLES / "medcom"
# MedCom's examples of one patient's stay, in the order they happen: admitted, on leave and
# back, discharged home. Each later one names the earlier by its MessageHeader.id.
SERIES = (
    "Bundle-079858e5-8687-4f5c-b183-d9688206fd29.xml",  # admit-inpatient
    "Bundle-91a204af-471b-4ce2-b19f-c458e3716070.xml",  # start-leave-inpatient
    "Bundle-5248a961-331b-4f22-8593-75cdd8d7e36c.xml",  # end-leave-inpatient
    "Bundle-5be3a118-64e4-4541-a2fa-a90e3df387d6.xml",  # discharge-inpatient-home
)
EXAMPLE_HOSPITAL, EXAMPLE_MUNICIPALITY = b"265161000016000", b"953741000016009"


def in_aalborg(name: str) -> bytes:
    """A MedCom example sent by Aalborg University Hospital to Aalborg municipality, its dates
    moved like the rest of the series."""
    body = (MEDCOM / name).read_bytes()
    body = body.replace(EXAMPLE_HOSPITAL, Register.objects.get(key="aauh").sor_id.encode())
    body = body.replace(EXAMPLE_MUNICIPALITY, Register.objects.get(key="aalborg").sor_id.encode())
    return recent(body, latest=datetime.date(2023, 3, 7))


def test_medcoms_own_examples_of_a_stay_move_it_from_admission_to_discharge(areas, system):
    results = [receive(in_aalborg(name), actor=system, source=name) for name in SERIES]
    assert [r.status for r in results] == ["accepted"] * 4, [r.errors for r in results]
    (stay_id,) = {r.stay for r in results}
    assert stay_id is not None
    stay = Stay.objects.get(pk=stay_id)
    assert stay.patient.national_id == "2509479989"
    assert stay.status == StayStatus.DISCHARGED
    assert list(
        Message.objects.filter(stay=stay).order_by("id").values_list("type", flat=True)
    ) == [
        "SYGEHUSADVIS_INDLAGT",
        "SYGEHUSADVIS_ORLOV_START",
        "SYGEHUSADVIS_ORLOV_SLUT",
        "SYGEHUSADVIS_UDSKREVET",
    ]


def test_a_revised_admission_amends_and_a_cancel_undoes_it(areas, system):
    admitted = receive(in_aalborg(SERIES[0]), actor=system)
    revised = receive(in_aalborg("Bundle-2094d603-a09c-462c-a1c9-23859ba035f3.xml"), actor=system)
    assert revised.status == "accepted", revised.errors
    notice = Message.objects.get(type="SYGEHUSADVIS_INDLAGT")
    assert notice.amended_at is not None
    cancelled = receive(in_aalborg("Bundle-4af4ef94-c452-4e52-8176-b8bd1d059433.xml"), actor=system)
    assert cancelled.status == "accepted", cancelled.errors
    notice.refresh_from_db()
    assert notice.cancelled_at is not None
    assert admitted.stay == cancelled.stay


def test_a_cancel_of_an_admission_never_received_is_refused(areas, system):
    result = receive(in_aalborg("Bundle-4af4ef94-c452-4e52-8176-b8bd1d059433.xml"), actor=system)
    assert result.status == "rejected"
    assert result.errors[0]["code"] in ("E35",)
    assert acknowledged(result) == "fatal-error"


@pytest.mark.parametrize(("taken", "state"), [(True, "ok"), (False, "error")])
def test_the_municipalitys_acknowledgement_sets_the_state_of_what_was_sent(
    areas, system, make_user, taken, state
):
    """The hospital records the admission in Overgang; it leaves as a HospitalNotification,
    and Aalborg's Acknowledgement comes back."""
    from overgang.exchange.models import Delivery
    from overgang.messages import Rejected, acknowledgement, check_medcom
    from overgang.messages.errors import AppRecError
    from overgang.patients import actions as patient_actions
    from overgang.stays import actions
    from overgang.stays.models import Deadline, Receipt

    physician = make_user("aauh-clinician", ("aauh-lunge", Role.CLINICIAN))
    patient = patient_actions.create_patient(
        actor=system,
        national_id_number=AALBORG_CPR,
        name="Jens Jensen",
        municipality="Aalborg",
        address="Vestergade 1",
    )
    stay = actions.admit(
        patient,
        actor=physician,
        unit=areas["aauh-lunge"],
        admission="emergency",
        admitted_at=clock.now() - datetime.timedelta(hours=2),
    )
    sent = actions.record_message(stay, "SYGEHUSADVIS_INDLAGT", actor=physician)
    document = bytes(Delivery.objects.get(message=sent).document or b"")
    as_received = check_medcom(document, "application/fhir+xml")
    assert not isinstance(as_received, Rejected), as_received
    answer = acknowledgement(
        as_received
        if taken
        else Rejected(AppRecError.UNKNOWN_PATIENT, "Ukendt patient", as_received.message_id),
        raw=document,
        by=party("aalborg"),
        now=clock.now(),
    )
    result = receive(answer, actor=system)
    assert result.status == "accepted", result.errors
    assert result.type == "Acknowledgement"
    sent.refresh_from_db()
    assert sent.receipt == getattr(Receipt, state.upper())
    rejected = Deadline.objects.filter(stay=stay, duty="message-rejected")
    assert rejected.exists() is (not taken)


def test_a_second_cancel_naming_the_same_admission_is_refused_not_an_error(areas, system):
    start = clock.now() - datetime.timedelta(hours=3)
    first = receive(notification("admit-inpatient", start=start), actor=system)
    cancel = notification("cancel-admit-inpatient", start=start, refers_to=first.message_id)
    assert receive(cancel, actor=system).status == "accepted"
    again = notification("cancel-admit-inpatient", start=start, refers_to=first.message_id)
    result = receive(again, actor=system)
    assert result.status == "rejected"
    assert "cancelled already" in result.errors[0]["text"]
    assert acknowledged(result) == "fatal-error"
