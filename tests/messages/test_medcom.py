"""MedCom HospitalNotification (FHIR R4) in and out, and the Acknowledgement that answers it
(docs/contracts/messages.md, Receiving and Sending). Examples: MedCom's public test Bundles."""

import copy
import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.messageheader import MessageHeader
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.organization import Organization
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from overgang.messages import (
    AppRecError,
    Notification,
    Rejected,
    acknowledgement,
    check_medcom,
    hospital_notification,
)
from overgang.messages.check import MAX_BYTES
from overgang.messages.incoming import Incoming, Organisation, Person, Status
from overgang.messages.medcom.parse import xml

EXAMPLES_DIR = Path(__file__).parent / "examples" / "medcom"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.xml"))
# MedCom's negative test message: its MessageHeader has no eventCoding.
WITHOUT_EVENT = EXAMPLES_DIR / "Bundle-17a0c807-372b-452c-972e-c59036153b57.xml"
GOOD = [path for path in EXAMPLES if path != WITHOUT_EVENT]
XML = "application/fhir+xml"
FHIR = "{http://hl7.org/fhir}"
HOSPITAL_SOR = "265161000016000"
US = Organisation("Herlev Kommune, Hjemmeplejen", ("953741000016009",))
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
CET = dt.timezone(dt.timedelta(hours=1))


def example(bundle_id: str) -> bytes:
    return (EXAMPLES_DIR / f"Bundle-{bundle_id}.xml").read_bytes()


def as_json(raw: bytes) -> bytes:
    return Bundle.model_validate_xml(raw).model_dump_json().encode()


def accepted(raw: bytes, content_type: str = XML) -> Incoming:
    result = check_medcom(raw, content_type)
    assert isinstance(result, Incoming), result
    return result


def refused(raw: bytes, content_type: str = XML) -> Rejected:
    result = check_medcom(raw, content_type)
    assert isinstance(result, Rejected), result
    return result


def edited(raw: bytes, old: bytes, new: bytes) -> bytes:
    assert old in raw
    return raw.replace(old, new)


def without(raw: bytes, resource: str) -> bytes:
    root = etree.fromstring(raw)
    for entry in root.findall(f"{FHIR}entry"):
        if entry.find(f"{FHIR}resource/{FHIR}{resource}") is not None:
            root.remove(entry)
    return etree.tostring(root)


# -- reading the examples -------------------------------------------------------------------


@pytest.mark.parametrize("path", GOOD, ids=lambda path: path.stem[7:15])
def test_every_example_is_accepted_as_a_hospital_notification(path):
    result = accepted(path.read_bytes())
    assert (result.standard, result.type, result.version) == (
        "medcom",
        "HospitalNotification",
        "R4",
    )
    assert result.message_id == path.stem.removeprefix("Bundle-")
    assert result.code.startswith("SYGEHUSADVIS_")
    assert result.patient.id_kind == "CPR" and len(result.patient.id) == 10
    assert result.sender[0].ids == (HOSPITAL_SOR,)
    assert result.receiver[0].ids == ("953741000016009",)
    assert result.sent_at.tzinfo is not None
    assert result.happening(result.activity).at.tzinfo is not None


@pytest.mark.parametrize(
    ("bundle_id", "activity", "code", "status", "at", "refers_to"),
    [
        (
            "04fc7ad0-4c60-450c-9320-2c821e0a0ce0",
            "admit-inpatient",
            "SYGEHUSADVIS_INDLAGT",
            Status.NEW,
            dt.datetime(2023, 3, 1, 12, 0, tzinfo=CET),
            None,
        ),
        (
            "2cadabe8-9349-4b2e-9b5e-4441c9aeef4b",
            "admit-emergency",
            "SYGEHUSADVIS_INDLAGT",
            Status.NEW,
            dt.datetime(2023, 2, 28, 10, 0, 4, tzinfo=CET),
            None,
        ),
        (
            "2094d603-a09c-462c-a1c9-23859ba035f3",
            "revise-admit-inpatient",
            "SYGEHUSADVIS_INDLAGT",
            Status.CHANGE,
            dt.datetime(2023, 3, 1, 8, 0, tzinfo=CET),
            "b9b4818e-02de-4cc4-b418-d20cbc399006",
        ),
        (
            "3b11cb1c-63df-4206-a7aa-f299c4a206ba",
            "cancel-admit-inpatient",
            "SYGEHUSADVIS_INDLAGT",
            Status.CANCEL,
            dt.datetime(2023, 3, 1, 8, 0, tzinfo=CET),
            "bd146532-0884-407d-85e2-da9a0c399006",
        ),
        (
            "91a204af-471b-4ce2-b19f-c458e3716070",
            "start-leave-inpatient",
            "SYGEHUSADVIS_ORLOV_START",
            Status.NEW,
            dt.datetime(2023, 3, 3, 14, 0, 12, tzinfo=CET),
            "b9b4818e-02de-4cc4-b418-d20cbc399006",
        ),
        (
            "5248a961-331b-4f22-8593-75cdd8d7e36c",
            "end-leave-inpatient",
            "SYGEHUSADVIS_ORLOV_SLUT",
            Status.NEW,
            dt.datetime(2023, 3, 5, 15, 30, 2, tzinfo=CET),
            "e563a2b2-bf92-4b13-bbd2-0a021a399006",
        ),
        (
            "5be3a118-64e4-4541-a2fa-a90e3df387d6",
            "discharge-inpatient-home",
            "SYGEHUSADVIS_UDSKREVET",
            Status.NEW,
            dt.datetime(2023, 3, 7, 9, 45, 30, tzinfo=CET),
            "b9b4818e-02de-4cc4-b418-d20cbc399006",
        ),
    ],
)
def test_the_activity_says_what_happened_when_and_to_which_earlier_message(
    bundle_id, activity, code, status, at, refers_to
):
    result = accepted(example(bundle_id))
    assert (result.activity, result.code, result.status) == (activity, code, status)
    assert result.happenings == (result.happening(activity),)
    assert result.happening(activity).at == at
    assert result.refers_to == refers_to
    assert result.patient.id == "2509479989"
    assert result.patient.family_name == "Elmer"


def test_the_message_header_id_is_kept_for_a_later_message_that_names_it():
    admission = accepted(example("5be3a118-64e4-4541-a2fa-a90e3df387d6"))
    assert admission.also_known_as == ("g1affa53-c157-4080-abb0-8e6815399006",)


def test_sender_and_receiver_are_named_with_their_sor_ids():
    result = accepted(example("04fc7ad0-4c60-450c-9320-2c821e0a0ce0"))
    assert result.sender == (
        Organisation("Hjerteafdelingen på Herlev og Gentofte hospital", (HOSPITAL_SOR,)),
    )
    assert result.receiver == (Organisation("Plejecenter Herlev", ("953741000016009",)),)


@pytest.mark.parametrize(
    "bundle_id",
    [
        "04fc7ad0-4c60-450c-9320-2c821e0a0ce0",
        "3b11cb1c-63df-4206-a7aa-f299c4a206ba",
        "5248a961-331b-4f22-8593-75cdd8d7e36c",
        "5be3a118-64e4-4541-a2fa-a90e3df387d6",
    ],
)
def test_the_same_bundle_as_fhir_json_reads_the_same(bundle_id):
    raw = example(bundle_id)
    assert accepted(as_json(raw), "application/fhir+json") == accepted(raw)


def test_json_is_recognised_without_a_content_type():
    raw = example("04fc7ad0-4c60-450c-9320-2c821e0a0ce0")
    assert accepted(as_json(raw), "") == accepted(raw)


# -- refusals -------------------------------------------------------------------------------

ADMISSION = "04fc7ad0-4c60-450c-9320-2c821e0a0ce0"


@pytest.mark.parametrize(
    ("raw", "content_type", "code", "words"),
    [
        (b"<Bundle xmlns='http://hl7.org/fhir'><id value='x'/>", XML, AppRecError.NOT_XML, "XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE Bundle [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<Bundle xmlns="http://hl7.org/fhir"><id value="&xxe;"/></Bundle>',
            XML,
            AppRecError.NOT_XML,
            "external entity",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE Bundle [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<Bundle xmlns="http://hl7.org/fhir"><language>&xxe;</language></Bundle>',
            XML,
            AppRecError.NOT_XML,
            "DOCTYPE",
        ),
        (b'{"resourceType": "Bundle",', "application/fhir+json", AppRecError.NOT_XML, "JSON"),
        (b"[1, 2]", "application/fhir+json", AppRecError.UNSUPPORTED, "JSON list"),
        (b'{"resourceType": "Patient"}', "application/json", AppRecError.UNSUPPORTED, "Patient"),
        (b"<MsgHead/>", XML, AppRecError.UNSUPPORTED, "Not a FHIR Bundle"),
        (b"[" * 100_000, "application/fhir+json", AppRecError.NOT_XML, "JSON"),
    ],
    ids=[
        "broken-xml",
        "xxe-attribute",
        "doctype-xxe",
        "broken-json",
        "json-array",
        "json-patient",
        "msghead",
        "deep",
    ],
)
def test_unreadable_or_foreign_bodies_are_refused(raw, content_type, code, words):
    rejected = refused(raw, content_type)
    assert rejected.code is code
    assert words in rejected.text


def test_a_message_over_ten_megabytes_is_refused_unread():
    raw = example(ADMISSION)
    rejected = refused(raw + b" " * (MAX_BYTES - len(raw) + 1))
    assert rejected.code is AppRecError.OTHER_FORMAT
    assert "larger than" in rejected.text


def test_a_message_of_exactly_ten_megabytes_is_read():
    raw = example(ADMISSION)
    # Padded with comments: one text of ten megabytes would break the XML parser's own limit.
    line = b"<!--" + b"x" * 72 + b"-->\n"
    padding = line * ((MAX_BYTES - len(raw)) // len(line))
    padding += b" " * (MAX_BYTES - len(raw) - len(padding))
    raw = raw.replace(b"</Bundle>", padding + b"</Bundle>")
    assert len(raw) == MAX_BYTES
    assert accepted(raw).message_id == ADMISSION


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        (lambda raw: without(raw, "Patient"), AppRecError.SCHEMA, "0 Patients"),
        (
            lambda raw: edited(raw, b"urn:oid:1.2.208.176.1.2", b"urn:oid:1.2.208.176.1.9"),
            AppRecError.SCHEMA,
            "no CPR identifier",
        ),
        (
            lambda raw: edited(raw, b'"2509479989"', b'"25094799"'),
            AppRecError.SCHEMA,
            "not ten digits",
        ),
        (
            lambda raw: edited(raw, b'code value="admit-inpatient"', b'code value="admit-day"'),
            AppRecError.UNSUPPORTED,
            "Unknown HospitalNotification activity 'admit-day'",
        ),
        (
            lambda raw: edited(
                raw, b"hospital-notification-message", b"care-communication-message"
            ),
            AppRecError.UNSUPPORTED,
            "Not a HospitalNotification",
        ),
        (
            lambda raw: edited(raw, b'<type value="message"/>', b'<type value="collection"/>'),
            AppRecError.SCHEMA,
            "not 'message'",
        ),
        (lambda raw: without(raw, "Provenance"), AppRecError.SCHEMA, "No Provenance"),
        (lambda raw: without(raw, "Encounter"), AppRecError.SCHEMA, "Encounter"),
        (lambda raw: without(raw, "Organization"), AppRecError.SCHEMA, "sender"),
        (
            lambda raw: edited(raw, b"urn:oid:1.2.208.176.1.1", b"urn:oid:1.2.208.176.1.7"),
            AppRecError.SCHEMA,
            "no SOR-id",
        ),
        (
            lambda raw: edited(raw, b'<status value="in-progress"/>', b'<status value="asleep"/>'),
            AppRecError.SCHEMA,
            "Encounter.status 'asleep'",
        ),
        (
            lambda raw: edited(
                raw,
                b'<timestamp value="2023-03-01T12:00:02+01:00"/>',
                b'<timestamp value="yesterday"/>',
            ),
            AppRecError.SCHEMA,
            "does not follow the FHIR R4 model: Bundle.timestamp",
        ),
    ],
    ids=[
        "no-patient",
        "cpr-system",
        "cpr-length",
        "activity",
        "event",
        "bundle-type",
        "no-provenance",
        "no-encounter",
        "no-organisation",
        "sor-system",
        "encounter-status",
        "timestamp",
    ],
)
def test_a_bundle_that_breaks_the_profile_is_refused_with_the_reason(change, code, words):
    rejected = refused(change(example(ADMISSION)))
    assert rejected.code is code
    assert words in rejected.text
    assert rejected.message_id == ADMISSION


def test_medcoms_example_without_an_event_is_refused_by_the_model():
    rejected = refused(WITHOUT_EVENT.read_bytes())
    assert rejected.code is AppRecError.SCHEMA
    assert "eventCoding" in rejected.text


def test_the_same_refusal_in_json_has_the_same_reason():
    raw = edited(example(ADMISSION), b'"urn:oid:1.2.208.176.1.2"', b'"urn:oid:1.2.208.176.1.9"')
    assert refused(as_json(raw), "application/fhir+json") == refused(raw)


# -- the Acknowledgement --------------------------------------------------------------------


def acknowledged(raw: bytes, content_type: str = XML) -> Bundle:
    """The Acknowledgement of `raw`, read back through the R4 model."""
    answer = acknowledgement(check_medcom(raw, content_type), raw=raw, by=US, now=NOW)
    return Bundle.model_validate_xml(answer)


def header_of(bundle: Bundle) -> MessageHeader:
    header = next(iter(bundle.entry or ())).resource
    assert isinstance(header, MessageHeader)
    return header


def resource(bundle: Bundle, reference: object):
    assert isinstance(reference, str)
    kind, id_ = reference.split("/")
    return next(
        entry.resource
        for entry in bundle.entry
        if entry.resource.get_resource_type() == kind and entry.resource.id == id_
    )


def addressee(bundle: Bundle) -> Organization:
    """The Organization the Acknowledgement's (only) destination names."""
    (destination,) = header_of(bundle).destination or []
    found = resource(bundle, destination.receiver.reference)
    assert isinstance(found, Organization)
    return found


def sor_ids(organization) -> list[str]:
    return [i.value for i in organization.identifier or () if i.system == "urn:oid:1.2.208.176.1.1"]


def test_an_accepted_notification_is_acknowledged_ok_to_its_sender():
    ack = acknowledged(example("5be3a118-64e4-4541-a2fa-a90e3df387d6"))
    header = header_of(ack)
    assert ack.type == "message"
    assert header.eventCoding.code == "acknowledgement-message"
    assert (header.response.code, header.response.identifier) == (
        "ok",
        "g1affa53-c157-4080-abb0-8e6815399006",
    )
    assert header.response.details is None
    assert sor_ids(addressee(ack)) == [HOSPITAL_SOR]
    assert sor_ids(resource(ack, header.sender.reference)) == list(US.ids)
    assert ack.timestamp == NOW


def test_a_refused_notification_is_acknowledged_as_a_fatal_error_with_the_reason():
    raw = edited(example(ADMISSION), b"urn:oid:1.2.208.176.1.2", b"urn:oid:1.2.208.176.1.9")
    ack = acknowledged(raw)
    header = header_of(ack)
    assert header.response.code == "fatal-error"
    assert header.response.identifier == "7aad69cb-e04a-403e-b549-9fe28a399006"
    outcome = resource(ack, header.response.details.reference)
    assert isinstance(outcome, OperationOutcome)
    assert outcome.issue[0].severity == "error"
    assert outcome.issue[0].details.text == refused(raw).text
    assert sor_ids(addressee(ack)) == [HOSPITAL_SOR]


def test_a_refused_json_notification_is_answered_to_its_sender_too():
    raw = as_json(edited(example(ADMISSION), b"hospital-notification", b"care-communication"))
    header = header_of(ack := acknowledged(raw, "application/fhir+json"))
    assert header.response.code == "fatal-error"
    assert header.response.identifier == "7aad69cb-e04a-403e-b549-9fe28a399006"
    assert addressee(ack).name == "Hjerteafdelingen på Herlev og Gentofte hospital"


def test_an_unreadable_message_still_gets_a_fatal_error_with_the_reason():
    ack = acknowledged(b"<Bundle")
    header = header_of(ack)
    assert header.response.code == "fatal-error"
    assert header.response.identifier == "unknown"
    assert [destination.receiver for destination in header.destination or ()] == [None]
    outcome = resource(ack, header.response.details.reference)
    assert "XML" in outcome.issue[0].details.text


def test_an_acknowledgement_needs_an_aware_time():
    raw = example(ADMISSION)
    with pytest.raises(ValueError, match="time zone"):
        acknowledgement(check_medcom(raw, XML), raw=raw, by=US, now=NOW.replace(tzinfo=None))


# -- mutated messages -----------------------------------------------------------------------

CODE_VALUES = st.sampled_from(
    [
        "admit-inpatient",
        "cancel-discharge-inpatient-home",
        "discharge-emergency-home",
        "admit-outpatient",
        "hospital-notification-message",
        "acknowledgement-message",
        "message",
        "collection",
        "urn:oid:1.2.208.176.1.2",
        "urn:oid:1.2.208.176.1.1",
        "MessageHeader/b9b4818e-02de-4cc4-b418-d20cbc399006",
        "Organization/nowhere",
        "",
        "2023-03-01",
        "2023",
        "not a date",
        "\u00e6\u00f8\u00e5 \u0001",
    ]
)


def mutate(raw: bytes, data: st.DataObject) -> bytes:
    root = etree.fromstring(raw)
    for _ in range(data.draw(st.integers(1, 4))):
        elements = list(root.iter(etree.Element))
        target = data.draw(st.sampled_from(elements))
        parent = target.getparent()
        action = data.draw(st.sampled_from(["drop", "duplicate", "value", "entry"]))
        if action == "drop" and parent is not None:
            parent.remove(target)
        elif action == "duplicate" and parent is not None:
            parent.insert(parent.index(target), copy.deepcopy(target))
        elif action == "value" and target.get("value") is not None:
            value = data.draw(CODE_VALUES).replace("\u0001", "")  # XML has no control chars
            target.set("value", value)
        elif action == "entry":
            entries = root.findall(f"{FHIR}entry")
            if entries:
                entry = data.draw(st.sampled_from(entries))
                root.remove(entry)
                root.insert(data.draw(st.integers(0, len(root))), entry)
    return etree.tostring(root)


def assert_valid_acknowledgement(result, raw: bytes) -> None:
    answer = acknowledgement(result, raw=raw, by=US, now=NOW)
    ack = Bundle.model_validate_xml(answer)
    # Written as fhir.resources writes the same model, byte for byte.
    assert xml(ack) == answer
    header = header_of(ack)
    assert header.response.code == ("ok" if isinstance(result, Incoming) else "fatal-error")
    assert header.response.identifier


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(EXAMPLES), data=st.data())
def test_mutated_examples_never_raise_and_are_always_acknowledged(path, data):
    raw = mutate(path.read_bytes(), data)
    result = check_medcom(raw, XML)
    assert isinstance(result, Incoming | Rejected)
    assert_valid_acknowledgement(result, raw)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    path=st.sampled_from(GOOD[:4]),
    data=st.data(),
)
def test_mutated_json_never_raises_and_is_always_acknowledged(path, data):
    document = json.loads(as_json(path.read_bytes()))
    for _ in range(data.draw(st.integers(1, 3))):
        entries = document.get("entry") or []
        if not entries:
            break
        entry = data.draw(st.sampled_from(entries))
        key = data.draw(st.sampled_from(sorted(entry["resource"])))
        entry["resource"][key] = data.draw(
            st.one_of(CODE_VALUES, st.integers(), st.none(), st.lists(st.text(max_size=3)))
        )
    raw = json.dumps(document).encode()
    result = check_medcom(raw, "application/fhir+json")
    assert isinstance(result, Incoming | Rejected)
    assert_valid_acknowledgement(result, raw)


# -- composing ------------------------------------------------------------------------------

HOSPITAL = Organisation("Hjerteafdelingen, Herlev Hospital", (HOSPITAL_SOR,))
PATIENT = Person(
    id="0101701234",
    id_kind="CPR",
    family_name="Testesen",
    given_name="Eva Marie",
    birth_date=dt.date(1970, 1, 1),
    sex="female",
    street="Prøvevej 1, 2. th.",
    postal_code="2730",
    city="Herlev",
)
ADMITTED = dt.datetime(2026, 3, 1, 8, 15, tzinfo=CET)
DISCHARGED = dt.datetime(2026, 3, 6, 14, 0, tzinfo=CET)
EARLIER = "1b2c3d4e-0000-4000-8000-000000000001"
LATER = "1b2c3d4e-0000-4000-8000-000000000002"


ADMISSION_NOTICE = Notification(
    message_id="5f0c6a3e-2b7d-4c1e-9a8f-3d2e1b0c9a01",
    activity="admit-inpatient",
    sent_at=dt.datetime(2026, 3, 1, 8, 20, tzinfo=CET),
    sender=HOSPITAL,
    receiver=US,
    patient=PATIENT,
    encounter_start=ADMITTED,
)


def notification(**changes) -> Notification:
    return dataclasses.replace(ADMISSION_NOTICE, **changes)


@pytest.mark.parametrize(
    ("activity", "end", "refers_to", "status", "at"),
    [
        ("admit-inpatient", None, None, Status.NEW, ADMITTED),
        ("revise-admit-inpatient", None, EARLIER, Status.CHANGE, ADMITTED),
        ("cancel-admit-inpatient", None, EARLIER, Status.CANCEL, ADMITTED),
        ("discharge-inpatient-home", DISCHARGED, EARLIER, Status.NEW, DISCHARGED),
        ("revise-discharge-inpatient-home", DISCHARGED, LATER, Status.CHANGE, DISCHARGED),
        ("cancel-discharge-inpatient-home", DISCHARGED, LATER, Status.CANCEL, DISCHARGED),
    ],
)
def test_a_composed_notification_reads_back_the_same(activity, end, refers_to, status, at):
    sent = notification(activity=activity, encounter_end=end, refers_to=refers_to)
    result = accepted(hospital_notification(sent))
    assert result.message_id == sent.message_id
    assert (result.activity, result.status, result.refers_to) == (activity, status, refers_to)
    assert result.patient == PATIENT
    assert result.sender == (HOSPITAL,) and result.receiver == (US,)
    assert result.sent_at == sent.sent_at
    assert result.happening(activity).at == at


@pytest.mark.parametrize(
    ("activity", "end", "refers_to"),
    [
        ("admit-emergency", None, None),
        ("revise-admit-inpatient", None, EARLIER),
        ("discharge-inpatient-home", DISCHARGED, EARLIER),
        ("cancel-discharge-inpatient-home", DISCHARGED, LATER),
    ],
)
def test_a_composed_notification_is_written_as_fhir_resources_writes_it(activity, end, refers_to):
    document = hospital_notification(
        notification(activity=activity, encounter_end=end, refers_to=refers_to)
    )
    # Every element where FHIR puts it: the model reads it and writes it back byte for byte.
    assert xml(Bundle.model_validate_xml(document)) == document


def test_a_later_message_names_the_earlier_one_by_the_id_it_was_sent_with():
    admission = accepted(hospital_notification(notification()))
    discharge = accepted(
        hospital_notification(
            notification(
                message_id="7a1e0c55-93b4-4f0e-8d2a-6c5b4a392817",
                activity="discharge-inpatient-home",
                encounter_end=DISCHARGED,
                refers_to=admission.message_id,
            )
        )
    )
    assert discharge.refers_to in (admission.message_id, *admission.also_known_as)


def test_composing_the_same_notification_twice_gives_the_same_document():
    assert hospital_notification(notification()) == hospital_notification(notification())


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"activity": "admit-day"}, "Unknown HospitalNotification activity"),
        ({"sent_at": NOW.replace(tzinfo=None)}, "sent_at has no time zone"),
        ({"patient": Person("123", "CPR")}, "would be refused: The Patient's CPR '123'"),
        ({"sender": Organisation("Ward without SOR")}, "would be refused: The sender"),
    ],
)
def test_a_notification_that_would_be_refused_is_not_composed(changes, words):
    with pytest.raises(ValueError, match=words):
        hospital_notification(notification(**changes))


@settings(max_examples=40, deadline=None)
@given(
    family=st.text(st.characters(categories=["L"]), min_size=1, max_size=20),
    start=st.datetimes(
        min_value=dt.datetime.fromisoformat("2000-01-01"),
        max_value=dt.datetime.fromisoformat("2099-01-01"),
        timezones=st.sampled_from([dt.UTC, CET]),
    ).map(lambda moment: moment.replace(microsecond=0)),
)
def test_names_and_times_survive_the_round_trip(family, start):
    patient = Person("0101701234", "CPR", family_name=family)
    result = accepted(hospital_notification(notification(patient=patient, encounter_start=start)))
    assert result.patient.family_name == family
    assert result.happening("admit-inpatient").at == start


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(
    raw=st.binary(max_size=200)
    | JSON_VALUES.map(lambda value: json.dumps(value).encode())
    | st.fixed_dictionaries(
        {"resourceType": st.just("Bundle"), "type": st.just("message"), "entry": JSON_VALUES}
    ).map(lambda value: json.dumps(value).encode()),
    content_type=st.sampled_from([XML, "application/fhir+json", ""]),
)
def test_any_body_is_answered_without_raising(raw, content_type):
    result = check_medcom(raw, content_type)
    assert isinstance(result, Rejected)
    assert_valid_acknowledgement(result, raw)
