"""Composing the messages Overgang's users send on a stay (docs/contracts/messages.md,
Sending): each is a valid PLO or Dialogmelding document in MsgHead, or refused with a reason."""

import datetime
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from overgang.messages import (
    Checked,
    InvalidOutgoing,
    NotComposable,
    Outgoing,
    check,
    compose,
)
from overgang.messages.incoming import Happening, Organisation, Person, Section, Status
from overgang.messages.outgoing import Contact, clean
from overgang.messages.schemas import MSGHEAD_NS

CET = datetime.timezone(datetime.timedelta(hours=1))
ADMITTED_AT = datetime.datetime(2026, 3, 2, 8, 15, tzinfo=CET)
READY_AT = datetime.datetime(2026, 3, 6, 12, 0, tzinfo=CET)
SENT_AT = datetime.datetime(2026, 3, 6, 13, 5, 30, tzinfo=CET)
# The fictitious patient of the shipped examples.
PATIENT = Person(
    "15076500565", "FNR", "Gundersen", "Roland", datetime.date(1965, 7, 15), "male",
    "Flåklypa 31", "2560", "Alvdal",
)  # fmt: skip
HOSPITAL = (Organisation("St. Olavs hospital HF", ("59",)), Organisation("Ortopedi", ("90998",)))
MUNICIPALITY = (Organisation("Alvdal kommune", ("99387",)), Organisation("Sykepleie", ("5078",)))
HAPPENINGS = (
    Happening("1", ADMITTED_AT, "Innlagt ved ortopedisk avdeling"),
    Happening("3", READY_AT, estimated=True),
    Happening("4", READY_AT + datetime.timedelta(days=1)),
    Happening("2", READY_AT + datetime.timedelta(days=2), "Hjem med hjemmesykepleie"),
    Happening("13", READY_AT + datetime.timedelta(days=3)),
)
SECTIONS = (
    Section("Pasientens status", ("Innlagt etter fall i trapp.", "Uavklart brudd.")),
    Section("Antatt forløp", ("Rehabilitering.",)),
)

# code -> (MsgInfo/Type, standard, document, version)
COMPOSABLE = {
    "LOG_INNLAGT": ("LOG_INNLAGT", "plo", "Pasientlogistikk", "v1.6"),
    "LOG_UTSKRIVNINGSKLAR": ("LOG_UTSKRIVNINGSKLAR", "plo", "Pasientlogistikk", "v1.6"),
    "LOG_AVMELDING": ("LOG_AVMELDING", "plo", "Pasientlogistikk", "v1.6"),
    "LOG_UTSKREVET": ("LOG_UTSKREVET", "plo", "Pasientlogistikk", "v1.6"),
    "LOG_DOD": ("LOG_DOD", "plo", "Pasientlogistikk", "v1.6"),
    "HELSEOPPL_SOKNAD:varsel": ("HELSEOPPL_SOKNAD", "plo", "Helseopplysninger", "v1.6"),
    "HELSEOPPL_SOKNAD:oppdatert": ("HELSEOPPL_SOKNAD", "plo", "Helseopplysninger", "v1.6"),
    "INNLEGGELSESRAPPORT": ("INNLEGGELSESRAPPORT", "plo", "Innleggelsesrapport", "v1.6"),
    "INNLEGGELSESRAPPORT:endring": ("INNLEGGELSESRAPPORT", "plo", "Innleggelsesrapport", "v1.6"),
    "UTSKRIVNINGSRAPPORT": ("UTSKRIVNINGSRAPPORT", "plo", "TverrfagligEpikrise", "v1.6"),
    "TILBAKEMELDING_UTSKRIVNINGSKLAR": (
        "TILBAKEMELDING_UTSKRIVNINGSKLAR",
        "plo",
        "Pasientlogistikk",
        "v2.0",
    ),
    "DIALOG_FORESPORSEL": ("DIALOG_FORESPORSEL", "dialogmelding", "Dialogmelding", "v1.0"),
    "DIALOG_SVAR": ("DIALOG_SVAR", "dialogmelding", "Dialogmelding", "v1.0"),
    "DIALOG_AVVIK": ("DIALOG_AVVIK", "dialogmelding", "Dialogmelding", "v1.0"),
}
MUNICIPALITY_SENDS = {"TILBAKEMELDING_UTSKRIVNINGSKLAR", "INNLEGGELSESRAPPORT"}


def outgoing(code: str, **changes: object) -> Outgoing:
    municipality_sends = code.split(":")[0] in MUNICIPALITY_SENDS
    fields: dict[str, object] = {
        "code": code,
        "message_id": str(uuid.uuid4()),
        "status": Status.NEW,
        "sent_at": SENT_AT,
        "sender": MUNICIPALITY if municipality_sends else HOSPITAL,
        "receiver": HOSPITAL if municipality_sends else MUNICIPALITY,
        "patient": PATIENT,
        "happenings": HAPPENINGS,
        "contact": Contact("Ortopedisk post 3", "+47 73 55 55 55"),
        "sections": SECTIONS,
        "can_receive": True,
        "receive_at": READY_AT + datetime.timedelta(days=1),
        "service": "Korttidsopphold, Alvdal helsetun",
    }
    fields.update(changes)
    return Outgoing(**fields)  # type: ignore[arg-type]


def checked(raw: bytes) -> Checked:
    result = check(raw)
    assert isinstance(result, Checked), result
    return result


def texts(document: etree._Element, name: str) -> list[str]:
    return [e.text or "" for e in document.iter() if etree.QName(e).localname == name]


def attributes(document: etree._Element, name: str, attribute: str) -> list[str]:
    return [e.get(attribute, "") for e in document.iter() if etree.QName(e).localname == name]


@pytest.mark.parametrize("code", COMPOSABLE)
def test_each_code_is_a_valid_message_with_its_envelope(code):
    message = outgoing(code)
    result = checked(compose(message))
    assert (result.type, result.standard, result.document, result.version) == COMPOSABLE[code]
    assert result.message_id == message.message_id
    assert result.sender_her_ids == tuple(o.ids[0] for o in message.sender)
    assert result.receiver_her_ids == tuple(o.ids[0] for o in message.receiver)
    assert result.patient_id == "15076500565"
    head = result.element.getroottree().getroot()
    assert head.findtext(f"{{{MSGHEAD_NS}}}MsgInfo/{{{MSGHEAD_NS}}}GenDate") == (
        "2026-03-06T13:05:30+01:00"
    )


@pytest.mark.parametrize("code", [c for c, kind in COMPOSABLE.items() if kind[1] == "plo"])
@pytest.mark.parametrize(
    ("status", "shipment"), [(Status.NEW, "N"), (Status.CHANGE, "M"), (Status.CANCEL, "C")]
)
def test_plo_documents_say_new_change_or_cancel(code, status, shipment):
    result = checked(compose(outgoing(code, status=status)))
    expected = "M" if code.endswith(":endring") and status is Status.NEW else shipment
    assert attributes(result.element, "Forsendelsesstatus", "V") == [expected]


@pytest.mark.parametrize(
    ("code", "notice", "events"),
    [
        ("LOG_INNLAGT", "MeldingInnlagtPasient", ["1"]),
        ("LOG_UTSKRIVNINGSKLAR", "MeldingUtskrivningsklarPasient", ["1", "3"]),
        ("LOG_AVMELDING", "AvmeldingUtskrivningsklarPasient", ["1", "3", "4"]),
        ("LOG_UTSKREVET", "MeldingOmUtskrevetPasient", ["2"]),
        ("LOG_DOD", "OrienteringOmDod", ["13"]),
    ],
)
def test_logistics_notices_carry_their_dated_events(code, notice, events):
    result = checked(compose(outgoing(code)))
    [element] = [e for e in result.element if etree.QName(e).localname == notice]
    assert attributes(element, "Hendelsekode", "S") == ["2.16.578.1.12.4.1.1.9121"] * len(events)
    assert attributes(element, "Hendelsekode", "V") == events


def test_admission_notice_says_when_with_its_offset():
    result = checked(compose(outgoing("LOG_INNLAGT")))
    assert attributes(result.element, "TidspunktForHendelse", "V") == ["2026-03-02T08:15:00+01:00"]
    assert texts(result.element, "BeskrivelseAvHendelse") == ["Innlagt ved ortopedisk avdeling"]
    assert texts(result.element, "Anslag") == ["false"]


def test_discharge_ready_notice_marks_an_estimate():
    message = outgoing("LOG_UTSKRIVNINGSKLAR", happenings=HAPPENINGS[:2])
    result = checked(compose(message))
    assert texts(result.element, "Anslag") == ["false", "true"]


def test_discharged_notice_says_where_to():
    result = checked(compose(outgoing("LOG_UTSKREVET")))
    assert attributes(result.element, "UtTil", "OT") == ["Hjem med hjemmesykepleie"]


@pytest.mark.parametrize(
    ("code", "missing"),
    [
        ("LOG_INNLAGT", "1"),
        ("LOG_UTSKRIVNINGSKLAR", "3"),
        ("LOG_AVMELDING", "4"),
        ("LOG_DOD", "13"),
    ],
)
def test_a_notice_without_its_event_is_refused(code, missing):
    others = tuple(h for h in HAPPENINGS if h.code != missing)
    with pytest.raises(InvalidOutgoing) as refused:
        compose(outgoing(code, happenings=others))
    assert refused.value.field == "happenings"
    assert f"Hendelsekode {missing}" in str(refused.value)


@pytest.mark.parametrize(
    "code",
    ["HELSEOPPL_SOKNAD:varsel", "INNLEGGELSESRAPPORT", "UTSKRIVNINGSRAPPORT"],
)
def test_reports_carry_the_sections_as_journal_text(code):
    result = checked(compose(outgoing(code)))
    assert attributes(result.element, "Overskriftskode", "DN") == [
        "Pasientens status",
        "Antatt forløp",
    ]
    assert texts(result.element, "Notat") == [
        "Innlagt etter fall i trapp.\nUavklart brudd.",
        "Rehabilitering.",
    ]


def test_health_information_says_first_notice_or_update():
    first = checked(compose(outgoing("HELSEOPPL_SOKNAD:varsel")))
    update = checked(compose(outgoing("HELSEOPPL_SOKNAD:oppdatert")))
    assert attributes(first.element, "TypeInnhold", "V") == ["1"]
    assert attributes(update.element, "TypeInnhold", "V") == ["2"]


def test_health_information_without_any_date_is_refused():
    with pytest.raises(InvalidOutgoing) as refused:
        compose(outgoing("HELSEOPPL_SOKNAD:varsel", happenings=()))
    assert refused.value.field == "happenings"


def test_the_municipality_answers_when_it_receives_and_with_what():
    result = checked(compose(outgoing("TILBAKEMELDING_UTSKRIVNINGSKLAR")))
    assert texts(result.element, "TidspunktForHendelse") == [
        "2026-03-06T12:00:00+01:00",  # the discharge-ready time it answers
        "2026-03-07T12:00:00+01:00",
    ]
    assert "Kommunen kan ta imot pasienten" in texts(result.element, "BeskrivelseAvHendelse")
    assert texts(result.element, "Merknad") == ["Korttidsopphold, Alvdal helsetun"]


def test_the_municipality_can_say_not_yet():
    result = checked(compose(outgoing("TILBAKEMELDING_UTSKRIVNINGSKLAR", can_receive=False)))
    assert "Kommunen kan ikke ta imot pasienten" in texts(result.element, "BeskrivelseAvHendelse")


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"can_receive": None}, "can_receive"), ({"receive_at": None}, "receive_at")],
)
def test_an_answer_without_its_decision_is_refused(changes, field):
    with pytest.raises(InvalidOutgoing) as refused:
        compose(outgoing("TILBAKEMELDING_UTSKRIVNINGSKLAR", **changes))
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("code", "element"),
    [("DIALOG_FORESPORSEL", "Sporsmal"), ("DIALOG_SVAR", "TekstNotatInnhold")],
)
def test_dialogue_text_is_the_sections(code, element):
    result = checked(compose(outgoing(code)))
    assert texts(result.element, element) == [
        "Pasientens status\nInnlagt etter fall i trapp.\nUavklart brudd.\n\n"
        "Antatt forløp\nRehabilitering."
    ]


def test_an_answer_refers_to_the_request():
    request = str(uuid.uuid4())
    result = checked(compose(outgoing("DIALOG_SVAR", refers_to=request)))
    head = result.element.getroottree().getroot()
    assert head.findtext(f".//{{{MSGHEAD_NS}}}RefToParent") == request


def test_a_dialogue_without_text_is_refused():
    with pytest.raises(InvalidOutgoing) as refused:
        compose(outgoing("DIALOG_FORESPORSEL", sections=(Section("", ("  ",)),)))
    assert refused.value.field == "sections"


@pytest.mark.parametrize("code", ["EPIKRISE", "SYGEHUSADVIS_INDLAGT", "KORRESPONDANCE", "NOPE"])
def test_codes_without_a_document_are_not_composable(code):
    with pytest.raises(NotComposable, match=code):
        compose(outgoing(code))


NAIVE = SENT_AT.replace(tzinfo=None)  # a time without its zone


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"patient": Person("", "FNR")}, "patient.id"),
        ({"patient": Person("15076500565", "")}, "patient.id_kind"),
        ({"sent_at": NAIVE}, "sent_at"),
        ({"happenings": (Happening("1", NAIVE),)}, "happenings[0].at"),
        ({"happenings": (Happening("1", None),)}, "happenings[0].at"),
        ({"receive_at": NAIVE}, "receive_at"),
        ({"sender": ()}, "sender"),
        ({"receiver": (Organisation("Alvdal kommune"),)}, "receiver[0].ids"),
        ({"sender": (Organisation(" ", ("59",)),)}, "sender[0].name"),
        ({"message_id": ""}, "message_id"),
        ({"contact": Contact("Post 3", "ring oss")}, "contact.phone"),
        ({"contact": Contact("", "73555555")}, "contact.name"),
        (
            {"sent_at": SENT_AT.replace(tzinfo=datetime.timezone(datetime.timedelta(seconds=90)))},
            "sent_at",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes, field):
    with pytest.raises(InvalidOutgoing) as refused:
        compose(outgoing("LOG_INNLAGT", **changes))
    assert refused.value.field == field
    assert str(refused.value).startswith(f"{field}: ")


def test_characters_xml_cannot_carry_are_replaced_and_the_rest_kept():
    odd = "a\x00b\x1f<c> & d/e 😀 \ufffe"
    message = outgoing(
        "INNLEGGELSESRAPPORT",
        patient=Person("15076500565", "FNR", family_name=odd),
        sections=(Section(odd, (odd,)),),
    )
    result = checked(compose(message))
    cleaned = "a\ufffdb\ufffd<c> & d/e 😀 \ufffd"
    assert texts(result.element, "Notat") == [cleaned]
    head = result.element.getroottree().getroot()
    assert head.findtext(f".//{{{MSGHEAD_NS}}}Patient/{{{MSGHEAD_NS}}}FamilyName") == cleaned


def test_a_message_larger_than_a_receiver_accepts_is_refused_with_the_reason():
    huge = (Section("Notat", ("x" * (11 * 1024 * 1024),)),)
    with pytest.raises(InvalidOutgoing) as refused:
        compose(outgoing("UTSKRIVNINGSRAPPORT", sections=huge))
    assert refused.value.field == "message"
    assert "larger than" in refused.value.reason


whole_minutes = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: datetime.timezone(datetime.timedelta(minutes=minutes))
)
any_offset = st.timedeltas(
    min_value=-datetime.timedelta(hours=23, minutes=59),
    max_value=datetime.timedelta(hours=23, minutes=59),
).map(datetime.timezone)
good_times = st.datetimes(timezones=whole_minutes)
times = st.one_of(
    good_times,
    good_times,
    st.datetimes(timezones=any_offset),  # seconds or beyond ±14:00: refused
    st.datetimes(),  # naive: refused
)
odd_text = st.text(max_size=60)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    code=st.sampled_from(sorted(COMPOSABLE)),
    name=odd_text,
    her_id=odd_text,
    patient_id=odd_text,
    text=odd_text,
    heading=odd_text,
    sent_at=times,
    at=times,
    estimated=st.booleans(),
    phone=odd_text,
    status=st.sampled_from(list(Status)),
)
def test_any_input_gives_a_valid_message_or_a_reason(
    code, name, her_id, patient_id, text, heading, sent_at, at, estimated, phone, status
):
    happenings = tuple(Happening(c, at, text, estimated) for c in ("1", "3", "4", "2", "13"))
    message = outgoing(
        code,
        status=status,
        sent_at=sent_at,
        sender=(Organisation(name, (her_id,)), Organisation(text, ("90998",))),
        patient=Person(patient_id, "FNR", family_name=name, given_name=text, city=heading),
        happenings=happenings,
        contact=Contact(name, phone),
        sections=(Section(heading, (text, name)),),
        receive_at=at,
        service=text,
    )
    try:
        raw = compose(message)
    except InvalidOutgoing as refused:
        assert refused.field and refused.reason
        return
    result = checked(raw)
    assert result.message_id == message.message_id
    assert result.patient_id == clean(patient_id).strip()


named = st.text(min_size=1, max_size=60).filter(lambda t: clean(t).strip())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    code=st.sampled_from(sorted(COMPOSABLE)),
    name=named,
    text=named,
    sent_at=good_times,
    at=good_times,
)
def test_acceptable_input_always_gives_a_valid_message_keeping_the_text(
    code, name, text, sent_at, at
):
    message = outgoing(
        code,
        sent_at=sent_at,
        sender=(Organisation(name, ("59",)),),
        patient=Person("15076500565", "FNR", family_name=name),
        happenings=tuple(Happening(c, at, text) for c in ("1", "3", "4", "2", "13")),
        contact=Contact(name),
        sections=(Section(name, (text,)),),
        receive_at=at,
    )
    result = checked(compose(message))
    head = result.element.getroottree().getroot()
    assert head.findtext(f".//{{{MSGHEAD_NS}}}Patient/{{{MSGHEAD_NS}}}FamilyName") == clean(name)
    assert head.findtext(f".//{{{MSGHEAD_NS}}}Sender//{{{MSGHEAD_NS}}}OrganisationName") == (
        clean(name)
    )


@pytest.mark.parametrize("code", ["DIALOG_FORESPORSEL", "DIALOG_SVAR", "DIALOG_AVVIK"])
def test_a_dialogue_of_characters_xml_cannot_carry_is_sent_with_them_replaced(code):
    # U+001C is white space to Python but not to XML: it is written as U+FFFD, not dropped.
    message = outgoing(code, sections=(Section("\x1c", ("\x1c",)),))
    result = checked(compose(message))
    assert "\ufffd" in etree.tostring(result.element, encoding="unicode")
