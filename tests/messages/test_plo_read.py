"""Reading a checked PLO or Dialogmelding message into plain data (`read_plo`)."""

import copy
import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from overgang.messages import Checked, check, read_plo
from overgang.messages.incoming import ExistingAid, FunctionalLevel, Incoming, Status

EXAMPLES_DIR = Path(__file__).parent / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.xml"))
OSLO = ZoneInfo("Europe/Oslo")
HOSPITAL = ("59", "90998")
MUNICIPALITY = ("99387", "5078")
GP = ("91096",)


def checked(raw: bytes) -> Checked:
    result = check(raw)
    assert isinstance(result, Checked), result
    return result


def read(name: str) -> Incoming:
    return read_plo(checked((EXAMPLES_DIR / name).read_bytes()))


def oslo(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=OSLO)


# file: (type, code, status, patient id, family name, sender HER-ids)
FACTS = {
    "Dialogmelding_avvik_v1-0.xml": (
        "DIALOG_AVVIK",
        "DIALOG_AVVIK",
        Status.NEW,
        "13116900216",
        "Danser",
        GP,
    ),
    "Dialogmelding_foresporsel_PLO_v1-0.xml": (
        "DIALOG_FORESPORSEL",
        "DIALOG_FORESPORSEL",
        Status.NEW,
        "13116900216",
        "Danser",
        MUNICIPALITY,
    ),
    "Dialogmelding_svar_foresporsel_PLO_v1-0.xml": (
        "DIALOG_SVAR",
        "DIALOG_SVAR",
        Status.NEW,
        "13116900216",
        "Danser",
        GP,
    ),
    "Helseopplysninger_Oppdaterte_opplysninger_v1-6_Endring1.xml": (
        "HELSEOPPL_SOKNAD",
        "HELSEOPPL_SOKNAD:oppdatert",
        Status.CHANGE,
        "12057900499",
        "Telokk",
        HOSPITAL,
    ),
    "Helseopplysninger_Oppdaterte_opplysninger_v1-6_Endring2.xml": (
        "HELSEOPPL_SOKNAD",
        "HELSEOPPL_SOKNAD:oppdatert",
        Status.CHANGE,
        "12057900499",
        "Telokk",
        HOSPITAL,
    ),
    "Helseopplysninger_Varsel_om_innlagt_pasient_v1-6_Ny.xml": (
        "HELSEOPPL_SOKNAD",
        "HELSEOPPL_SOKNAD:varsel",
        Status.NEW,
        "12057900499",
        "Telokk",
        HOSPITAL,
    ),
    "Helseopplysninger_til_lege_v1-6_Kansellering.xml": (
        "HELSEOPPLYSNINGER_LEGE",
        "HELSEOPPLYSNINGER_LEGE",
        Status.CANCEL,
        "13116900216",
        "Danser",
        MUNICIPALITY,
    ),
    "Helseopplysninger_til_lege_v1-6_Ny.xml": (
        "HELSEOPPLYSNINGER_LEGE",
        "HELSEOPPLYSNINGER_LEGE",
        Status.NEW,
        "13116900216",
        "Danser",
        MUNICIPALITY,
    ),
    "Innleggelsesrapport_v1-6_Endring.xml": (
        "INNLEGGELSESRAPPORT",
        "INNLEGGELSESRAPPORT:endring",
        Status.CHANGE,
        "13116900216",
        "Danser",
        MUNICIPALITY,
    ),
    "Innleggelsesrapport_v1-6_Kansellering.xml": (
        "INNLEGGELSESRAPPORT",
        "INNLEGGELSESRAPPORT",
        Status.CANCEL,
        "13116900216",
        "Danser",
        MUNICIPALITY,
    ),
    "Innleggelsesrapport_v1-6_Ny.xml": (
        "INNLEGGELSESRAPPORT",
        "INNLEGGELSESRAPPORT",
        Status.NEW,
        "13116900216",
        "Danser",
        MUNICIPALITY,
    ),
    "Medisinske_opplysninger_v1-6_Kansellering.xml": (
        "MEDISINSKE_OPPLYSNINGER",
        "MEDISINSKE_OPPLYSNINGER",
        Status.CANCEL,
        "13116900216",
        "Danser",
        GP,
    ),
    "Medisinske_opplysninger_v1-6_Ny.xml": (
        "MEDISINSKE_OPPLYSNINGER",
        "MEDISINSKE_OPPLYSNINGER",
        Status.NEW,
        "13116900216",
        "Danser",
        GP,
    ),
    "Orientering_om_tjenestetilbud_v1-6_Kansellering.xml": (
        "ORIENTERING_TJENESTETILBUD",
        "ORIENTERING_TJENESTETILBUD",
        Status.CANCEL,
        "15076500565",
        "Gundersen",
        MUNICIPALITY,
    ),
    "Orientering_om_tjenestetilbud_v1-6_Ny.xml": (
        "ORIENTERING_TJENESTETILBUD",
        "ORIENTERING_TJENESTETILBUD",
        Status.NEW,
        "15076500565",
        "Gundersen",
        MUNICIPALITY,
    ),
    "Pasientlogistikk_Avmelding_av_utskrivningsklar_pasient_v1-6_Ny.xml": (
        "LOG_AVMELDING",
        "LOG_AVMELDING",
        Status.NEW,
        "15076500565",
        "Gundersen",
        HOSPITAL,
    ),
    "Pasientlogistikk_Innlagt_pasient_v1-6_Kansellering.xml": (
        "LOG_INNLAGT",
        "LOG_INNLAGT",
        Status.CANCEL,
        "15076500565",
        "Gundersen",
        HOSPITAL,
    ),
    "Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml": (
        "LOG_INNLAGT",
        "LOG_INNLAGT",
        Status.NEW,
        "15076500565",
        "Gundersen",
        HOSPITAL,
    ),
    "Pasientlogistikk_Orientering_om_dodsfall_v1-6_Kansellering.xml": (
        "LOG_DOD",
        "LOG_DOD",
        Status.CANCEL,
        "15076500565",
        "Gundersen",
        MUNICIPALITY,
    ),
    "Pasientlogistikk_Orientering_om_dodsfall_v1-6_Ny.xml": (
        "LOG_DOD",
        "LOG_DOD",
        Status.NEW,
        "15076500565",
        "Gundersen",
        MUNICIPALITY,
    ),
    "Utskrivningsrapport_v1-6_Endring.xml": (
        "UTSKRIVNINGSRAPPORT",
        "UTSKRIVNINGSRAPPORT",
        Status.CHANGE,
        "15076500565",
        "Gundersen",
        HOSPITAL,
    ),
    "Utskrivningsrapport_v1-6_Kansellering.xml": (
        "UTSKRIVNINGSRAPPORT",
        "UTSKRIVNINGSRAPPORT",
        Status.CANCEL,
        "15076500565",
        "Gundersen",
        HOSPITAL,
    ),
    "Utskrivningsrapport_v1-6_Ny.xml": (
        "UTSKRIVNINGSRAPPORT",
        "UTSKRIVNINGSRAPPORT",
        Status.NEW,
        "15076500565",
        "Gundersen",
        HOSPITAL,
    ),
}


def test_every_example_has_its_facts():
    assert sorted(FACTS) == [path.name for path in EXAMPLES]


@pytest.mark.parametrize("name", sorted(FACTS))
def test_what_each_example_says(name):
    message_type, code, status, patient_id, family_name, sender_ids = FACTS[name]
    incoming = read(name)
    assert (incoming.type, incoming.code, incoming.status) == (message_type, code, status)
    assert incoming.sent_at.tzinfo is not None
    assert incoming.patient is not None
    assert (incoming.patient.id, incoming.patient.id_kind) == (patient_id, "FNR")
    assert incoming.patient.family_name == family_name
    assert tuple(her for level in incoming.sender for her in level.ids) == sender_ids


def test_admission_notice_envelope_and_happening():
    incoming = read("Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml")
    assert (incoming.standard, incoming.version) == ("plo", "v1.6")
    assert incoming.message_id == "b088a160-0698-11e8-b566-0800200c9a66"
    assert incoming.sent_at == oslo(2018, 1, 29, 10, 11, 54)
    assert [level.name for level in incoming.sender] == [
        "ST OLAVS HOSPITAL HF",
        "Ortopedisk kirurgi",
    ]
    assert [level.ids for level in incoming.receiver] == [("99387",), ("5078",)]
    patient = incoming.patient
    assert patient is not None
    assert (patient.given_name, patient.birth_date, patient.sex) == (
        "Roland",
        datetime.date(1965, 7, 15),
        "male",
    )
    assert (patient.street, patient.postal_code, patient.city) == ("Flåklypa 31", "2560", "Alvdal")
    admitted = incoming.happening("1")
    assert admitted is not None
    assert admitted.at == oslo(2018, 1, 29, 10, 0)
    assert not admitted.estimated
    assert admitted.text == "Pasienten ble innlagt 29.01.2018 ved Ortopedisk avdeling"
    assert incoming.refers_to is None


def test_a_cancellation_refers_to_the_message_it_cancels():
    incoming = read("Pasientlogistikk_Innlagt_pasient_v1-6_Kansellering.xml")
    assert incoming.status is Status.CANCEL
    assert incoming.refers_to == "b088a160-0698-11e8-b566-0800200c9a66"


def test_a_dialogue_answer_refers_to_the_request():
    incoming = read("Dialogmelding_svar_foresporsel_PLO_v1-0.xml")
    assert (incoming.standard, incoming.version) == ("dialogmelding", "v1.0")
    assert incoming.refers_to == "f0f88210-0111-11e8-8f1a-0800200c9a66"
    assert incoming.happenings == ()
    lines = {line for section in incoming.sections for line in section.lines}
    assert "eresept på cetirizin 10mg tabl og amlodipin 5mg tbl er sendt" in lines


def test_withdrawn_discharge_ready_notice_has_three_happenings():
    incoming = read("Pasientlogistikk_Avmelding_av_utskrivningsklar_pasient_v1-6_Ny.xml")
    assert [h.code for h in incoming.happenings] == ["1", "3", "4"]
    ready = incoming.happening("3")
    assert ready is not None and ready.estimated
    # A date without a time: midnight local time that day.
    assert ready.at == oslo(2018, 1, 31)
    withdrawn = incoming.happening("4")
    assert withdrawn is not None and withdrawn.text.startswith("På bakgrunn av endring")


def test_health_information_notice_and_update_differ_by_content_type():
    notice = read("Helseopplysninger_Varsel_om_innlagt_pasient_v1-6_Ny.xml")
    update = read("Helseopplysninger_Oppdaterte_opplysninger_v1-6_Endring1.xml")
    assert (notice.code, update.code) == ("HELSEOPPL_SOKNAD:varsel", "HELSEOPPL_SOKNAD:oppdatert")
    ready = notice.happening("3")
    assert ready is not None and (ready.at, ready.estimated) == (oslo(2018, 1, 15), True)
    assert update.refers_to == "37fc6c80-fd20-11e7-8f1a-0800200c9a66"
    headings = [section.heading for section in update.sections]
    assert headings == [
        "Kontaktinformasjon",
        "Innhold i meldingen",
        "Opplysninger om oppholdet",
        "Diagnoser",
        "Medisinskfaglige opplysninger",
    ]
    medical = update.sections[-1].lines
    assert "Cave: Morfin. Registrert 13.03.04." in medical
    assert "Pasientens status: Innlagt etter fall i trapp. Brudd i lårhalsen." in medical
    assert "Brudd i lårhals (S720), hoveddiagnose" in update.sections[3].lines


def test_admission_report_levels_aids_and_sections():
    incoming = read("Innleggelsesrapport_v1-6_Ny.xml")
    assert len(incoming.functional_levels) == 17
    assert FunctionalLevel("Sosial deltakelse", "1", "3") == incoming.functional_levels[0]
    assert FunctionalLevel("Bevege seg innendørs", "5", "2") in incoming.functional_levels
    assert FunctionalLevel("Styre atferd", "17", "3") == incoming.functional_levels[-1]
    assert incoming.existing_aids == (
        ExistingAid("Høreapparat"),
        ExistingAid("Pacemaker"),
        ExistingAid("Kontaktlinser"),
        ExistingAid("Krykker", "Aktiv"),
    )
    sections = {section.heading: section.lines for section in incoming.sections}
    assert "Bevege seg innendørs: 2" in sections["Funksjonsnivå"]
    assert "Merknad: Funksjonsvurdering gjort 22.01.18." in sections["Funksjonsnivå"]
    assert "Bor alene: ja" in sections["Tilleggsopplysninger om pasienten"]
    assert "Per Hansen, tlf. 99887722" in sections["Pårørende"]
    assert (
        "Burinex 1 mg Tablett: 2 tabl kl 08 og 13 (Fast). "
        "Pasienten har ikke svelgproblemer, men store tabletter må deles"
    ) in sections["Legemidler"]
    assert any(
        line.startswith("Sykepleiesammenfatning: - Nedsatt")
        for line in sections["Sykepleiedokumentasjon"]
    )
    # No raw XML, no ids, no code systems.
    every_line = " ".join(line for lines in sections.values() for line in lines)
    assert (
        "<" not in every_line and "2.16.578" not in every_line and "komponentID" not in every_line
    )


def test_discharge_report_happenings_without_code_and_aids():
    incoming = read("Utskrivningsrapport_v1-6_Ny.xml")
    assert [(h.code, h.at, h.text) for h in incoming.happenings] == [
        ("", oslo(2018, 1, 30, 14, 0), "Innlagt dato"),
        ("", oslo(2018, 1, 30, 14, 0), "Innlagt fra: bosted"),
        ("", oslo(2018, 2, 2, 10, 0), "Utskrevet dato"),
    ]
    assert incoming.existing_aids == (
        ExistingAid("Briller og tannproteser"),
        ExistingAid("Rullator", "Aktiv"),
    )
    sections = {section.heading: section.lines for section in incoming.sections}
    assert "Tidspunkt: 2018-02-20 13:30" in sections["Kontrolltime"]
    assert "Marevan 2.5 mg Tablett – Seponering" in sections["Legemidler"]


def test_death_notice():
    incoming = read("Pasientlogistikk_Orientering_om_dodsfall_v1-6_Ny.xml")
    died = incoming.happening("13")
    assert died is not None and died.at == oslo(2018, 2, 20)
    assert "Pasienten er død: 2018-02-20" in incoming.sections[-1].lines[0]


def _with_times(gen_date: str, happening: str) -> bytes:
    raw = (EXAMPLES_DIR / "Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml").read_bytes()
    return raw.replace(b"2018-01-29T10:11:54", gen_date.encode()).replace(
        b'TidspunktForHendelse V="2018-01-29T10:00:00"',
        f'TidspunktForHendelse V="{happening}"'.encode(),
    )


def test_a_time_without_offset_is_oslo_time_winter_and_summer():
    winter = read_plo(checked(_with_times("2024-01-15T12:00:00", "2024-01-15T08:30:00")))
    summer = read_plo(checked(_with_times("2024-07-15T12:00:00", "2024-07-15T08:30:00")))
    assert winter.sent_at.utcoffset() == datetime.timedelta(hours=1)
    assert summer.sent_at.utcoffset() == datetime.timedelta(hours=2)
    assert winter.sent_at.astimezone(datetime.UTC).hour == 11
    assert summer.sent_at.astimezone(datetime.UTC).hour == 10
    admitted = summer.happening("1")
    assert admitted is not None and admitted.at is not None
    assert admitted.at.astimezone(datetime.UTC) == datetime.datetime(
        2024, 7, 15, 6, 30, tzinfo=datetime.UTC
    )


def test_a_time_with_offset_keeps_it_and_another_zone_can_be_given():
    raw = _with_times("2024-01-15T12:00:00Z", "2024-01-15T08:30:00+03:00")
    incoming = read_plo(checked(raw))
    assert incoming.sent_at == datetime.datetime(2024, 1, 15, 12, tzinfo=datetime.UTC)
    admitted = incoming.happening("1")
    assert admitted is not None and admitted.at is not None
    assert admitted.at.utcoffset() == datetime.timedelta(hours=3)
    in_copenhagen = read_plo(checked(_with_times("2024-07-15T12:00:00", "2024-07-15")), zone="UTC")
    assert in_copenhagen.sent_at == datetime.datetime(2024, 7, 15, 12, tzinfo=datetime.UTC)


def test_a_message_without_patient_reads_none():
    raw = (EXAMPLES_DIR / "Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml").read_bytes()
    root = etree.fromstring(raw)
    patient = root.find("{*}MsgInfo/{*}Patient")
    assert patient is not None
    patient.getparent().remove(patient)
    assert read_plo(checked(etree.tostring(root))).patient is None


TEXTS = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=30)
TIMES = st.sampled_from(
    [
        "2018-01-29",
        "2018-01-29T24:00:00",
        "9999-12-31T23:59:59-14:00",
        "0001-01-01T00:00:00Z",
        "2018-03-25T02:30:00",
        "2018-10-28T02:30:00",
        "2018",
        "2018-01",
        "10:00:00",
        "x",
    ]
)


def _mutate(raw: bytes, data: st.DataObject) -> bytes:
    root = etree.fromstring(raw)
    elements = list(root.iter(etree.Element))
    for _ in range(data.draw(st.integers(1, 6))):
        target = data.draw(st.sampled_from(elements))
        parent = target.getparent()
        action = data.draw(st.sampled_from(["text", "V", "DN", "time", "drop", "duplicate"]))
        if action == "text":
            target.text = data.draw(TEXTS)
        elif action in {"V", "DN"}:
            target.set(action, data.draw(TEXTS))
        elif action == "time":
            target.set("V", data.draw(TIMES))
        elif action == "drop" and parent is not None:
            parent.remove(target)
            elements = list(root.iter(etree.Element))
        elif action == "duplicate" and parent is not None:
            parent.insert(parent.index(target), copy.deepcopy(target))
            elements = list(root.iter(etree.Element))
    return etree.tostring(root)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(EXAMPLES), data=st.data())
def test_mutated_examples_that_pass_check_never_raise(path, data):
    result = check(_mutate(path.read_bytes(), data))
    if isinstance(result, Checked):
        incoming = read_plo(result)
        assert incoming.sent_at.tzinfo is not None
        assert all(h.at is None or h.at.tzinfo is not None for h in incoming.happenings)
