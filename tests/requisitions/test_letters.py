"""The decision on a requisition as the patient reads it (PDF, nb/da) and as the responsible
physician records it (U1, U3): outcome and reason, how a granted aid arrives, the legal
basis and where to appeal; nothing before there is a decision."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from pypdf import PdfReader

from overgang import clock
from overgang.requisitions import actions
from overgang.requisitions.letters import NotDecided, decision_letter, journal_note
from overgang.requisitions.models import Requisition
from overgang.stays import actions as stays

pytestmark = pytest.mark.django_db

REFUSAL = "pO2 8,5 kPa i hvile: grensen for langtids oksygenbehandling er ikke nådd."


def text_of(pdf: bytes) -> str:
    """The words of all pages, one space between them (as they would be read aloud)."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def dmy(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


@pytest.fixture
def refused(requisition_of, unn_unit):
    """UNN's unit refuses the lung department's requisition of an oxygen concentrator."""
    return actions.decide_requisition(
        requisition_of(), actor=unn_unit, approved=False, reason=REFUSAL
    )


@pytest.fixture
def depot(make_user):
    return make_user("rn-depot", ("rn-depot", "aids-staff"))


@pytest.fixture
def danish_refusal(aalborg_patient, aauh_physician, depot, areas):
    requisition = actions.submit_requisition(
        actions.RequisitionInput(
            patient=aalborg_patient,
            aid_type="cpap",
            justification="Svær søvnapnø, AHI 42.",
            requester_role="specialist-physician",
            requester_name="Mette Læge",
            department=areas["aauh-lunge"],
            route="outpatient",
            referred_by="Egen læge Hans Hansen",
        ),
        actor=aauh_physician,
    )
    return actions.decide_requisition(
        requisition, actor=depot, approved=False, reason="AHI under 15 ved ny måling."
    )


# The Norwegian refusal


def test_the_norwegian_refusal_says_it_is_a_refusal_and_why(refused):
    text = text_of(decision_letter(refused, language="nb"))
    assert "Vedtak om behandlingshjelpemiddel" in text
    assert "Vedtak: rekvisisjonen er avslått" in text and "Du får derfor ikke låne" in text
    assert REFUSAL in text
    assert "innvilget" not in text


def test_the_norwegian_refusal_gives_the_law_and_the_appeal_to_statsforvalteren(refused):
    text = text_of(decision_letter(refused, language="nb"))
    assert "Lovgrunnlag" in text and "Klagerett" in text
    assert "helsehjelp etter pasient- og brukerrettighetsloven § 2-1 b" in text
    assert (
        "klage på vedtaket til Statsforvalteren, jf. pasient- og brukerrettighetsloven § 7-2"
        in (text)
    )
    assert "Klagefristen er fire uker" in text
    assert (
        "Send klagen til Seksjon for behandlingshjelpemidler, Eksempelveien 3, 9038 Tromsø" in text
    )
    assert "001 Saksgang 2" in text  # the agreement's rule on who may requisition


def test_the_letter_names_patient_aid_requester_and_unit(refused):
    text = text_of(decision_letter(refused, language="nb"))
    assert "Nils Nordlys" in text and "030355 12410" in text
    assert "Oksygenkonsentrator" in text
    assert "Ingrid Lege (spesialist)" in text and "Lungeavdelingen" in text
    assert "Seksjon for behandlingshjelpemidler" in text and "77 00 10 14" in text
    assert f"Vedtak nr. {refused.pk}" in text and "Side 1 av 1" in text
    assert "Dato og signatur" in text


def test_the_date_is_the_day_in_the_requisitions_time_zone(refused):
    # 23:30 UTC on 31 March is already 1 April in Tromsø (CEST, UTC+2).
    late = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC)
    Requisition.objects.filter(pk=refused.pk).update(decided_at=late)
    refused.refresh_from_db()
    assert "01.04.2026" in text_of(decision_letter(refused, language="nb"))
    assert "01.04.2026" in journal_note(refused, language="nb")


def test_a_norwegian_refusal_in_danish_keeps_the_norwegian_law(refused):
    text = text_of(decision_letter(refused, language="da"))
    assert "Afgørelse om behandlingsredskab" in text and "afslået" in text
    assert "Statsforvalteren" in text and "§ 7-2" in text and "§ 2-1 b" in text
    assert "Styrelsen for Patientklager" not in text


# Denmark


def test_the_danish_letter_appeals_to_styrelsen_for_patientklager(danish_refusal):
    text = text_of(decision_letter(danish_refusal, language="da"))
    assert (
        "Afgørelse om behandlingsredskab" in text and "Afgørelse: rekvisitionen er afslået" in text
    )
    assert "AHI under 15 ved ny måling." in text
    assert "Retsgrundlag" in text and "Klagevejledning" in text
    assert "samarbejdsaftalen om behandlingsredskaber (003 1)" in text
    assert "klage over afgørelsen til Styrelsen for Patientklager" in text
    assert "kontakte Regionalt Hjælpemiddeldepot først" in text
    assert "Statsforvalteren" not in text and "§" not in text
    assert "Jens Jensen" in text and "010170-1239" in text
    assert f"Afgørelse nr. {danish_refusal.pk}" in text and "Side 1 af 1" in text


def test_the_danish_date_is_in_copenhagen(danish_refusal):
    decided = danish_refusal.decided_at.astimezone(ZoneInfo("Europe/Copenhagen")).date()
    assert danish_refusal.time_zone == "Europe/Copenhagen"
    assert dmy(decided) in text_of(decision_letter(danish_refusal, language="da"))


# Grants


def test_a_grant_says_how_and_by_when_the_aid_arrives(requisition_of, unn_unit):
    day = clock.today() + datetime.timedelta(days=5)
    granted = actions.decide_requisition(
        requisition_of(),
        actor=unn_unit,
        approved=True,
        reason="Oppfyller kriteriene for langtids oksygenbehandling.",
        delivery="send",
        deliver_by=day,
    )
    text = text_of(decision_letter(granted, language="nb"))
    assert "Vedtak: rekvisisjonen er innvilget" in text and "du får låne hjelpemiddelet" in text
    assert "avslått" not in text
    assert f"Hjelpemiddelet sendes til deg, senest {dmy(day)}." in text
    assert "Oppfyller kriteriene for langtids oksygenbehandling." in text
    # One may appeal a grant too (the aid, the delivery).
    assert "Er du uenig i vedtaket" in text and "klage til Statsforvalteren" in text
    danish = text_of(decision_letter(granted, language="da"))
    assert "bevilget" in danish and f"Redskabet sendes til dig, senest {dmy(day)}." in danish


def test_a_grant_without_a_date_or_reason_still_reads_well(requisition_of, unn_unit):
    granted = actions.decide_requisition(
        requisition_of(), actor=unn_unit, approved=True, reason="", delivery="hand-out"
    )
    text = text_of(decision_letter(granted, language="nb"))
    assert "Du får hjelpemiddelet utlevert med en gang." in text
    assert "Begrunnelse" not in text


def test_an_inpatients_aid_is_handed_out_at_discharge(
    tromso_patient, unn_physician, unn_unit, areas
):
    admitted = timezone.now() - datetime.timedelta(hours=2)
    stay = stays.admit(
        tromso_patient,
        actor=unn_physician,
        unit=areas["unn-lunge"],
        admission="emergency",
        admitted_at=admitted,
        expected_stay_hours=72,
    )
    requisition = actions.submit_requisition(
        actions.RequisitionInput(
            patient=tromso_patient,
            aid_type="oxygen-concentrator",
            justification="KOLS grad IV, pO2 7,0 kPa i hvile.",
            requester_role="specialist-physician",
            requester_name="Ingrid Lege",
            department=areas["unn-lunge"],
            route="inpatient",
            stay=stay,
        ),
        actor=unn_physician,
    )
    granted = actions.decide_requisition(requisition, actor=unn_unit, approved=True, reason="")
    # By default at discharge, by the stay's expected discharge (in three days).
    discharge = stay.expected_discharge.astimezone(ZoneInfo("Europe/Oslo")).date()
    assert (granted.delivery, granted.deliver_by) == ("at-discharge", discharge)
    text = text_of(decision_letter(granted, language="nb"))
    assert (
        f"Du får hjelpemiddelet utlevert før du skrives ut fra sykehuset, senest {dmy(discharge)}."
        in text
    )


def test_a_delivered_aid_keeps_its_grant_letter(requisition_of, unn_unit, concentrator):
    granted = actions.decide_requisition(
        requisition_of(), actor=unn_unit, approved=True, reason="", device=concentrator
    )
    delivered = actions.deliver(granted, actor=unn_unit)
    assert "rekvisisjonen er innvilget" in text_of(decision_letter(delivered, language="nb"))


# Undecided


def test_no_letter_or_note_before_the_decision(requisition_of, unn_unit):
    requisition = requisition_of()
    with pytest.raises(NotDecided):
        decision_letter(requisition, language="nb")
    with pytest.raises(NotDecided):
        journal_note(requisition, language="da")
    assessing = actions.start_assessment(requisition, actor=unn_unit)
    with pytest.raises(ValueError):  # NotDecided is a ValueError
        decision_letter(assessing, language="da")


# The journal note


def test_the_journal_note_holds_decision_basis_and_appeal_body(refused):
    note = journal_note(refused, language="nb")
    lines = note.splitlines()
    assert 4 <= len(lines) <= 8
    assert f"rekvisisjon nr. {refused.pk}" in note and "Oksygenkonsentrator" in note
    assert f"Vedtak: avslått {dmy(clock.today())}" in note
    assert "Seksjon for behandlingshjelpemidler" in note and REFUSAL in note
    assert "pasient- og brukerrettighetsloven § 2-1 b" in note
    assert "klage til Statsforvalteren (pasient- og brukerrettighetsloven § 7-2)" in note


def test_the_journal_note_of_a_grant_has_the_delivery_plan(requisition_of, unn_unit):
    day = clock.today() + datetime.timedelta(days=2)
    granted = actions.decide_requisition(
        requisition_of(), actor=unn_unit, approved=True, reason="", deliver_by=day
    )
    note = journal_note(granted, language="nb")
    assert "Vedtak: innvilget" in note
    assert f"Levering: sendes til pasienten, senest {dmy(day)}" in note
    assert "Begrunnelse" not in note
    english = journal_note(granted, language="en")
    assert "Decision: granted" in english and "appeal to Statsforvalteren" in english


def test_the_danish_journal_note_names_styrelsen_for_patientklager(danish_refusal):
    note = journal_note(danish_refusal, language="da")
    assert "Afgørelse: afslået" in note and "AHI under 15 ved ny måling." in note
    assert "samarbejdsaftalen om behandlingsredskaber (003 1)" in note
    assert "klage til Styrelsen for Patientklager." in note
    assert "Statsforvalteren" not in note


# Issue 14: the appeal-by-law paragraph follows the country's law file, not a country test.


def test_the_right_to_appeal_by_law_is_norwegian_law_on_file():
    from overgang.rules import law

    assert law.appeal_by_law("NO") == ("pasientrettighetsloven § 7-2",)
    assert law.appeal_by_law("DK") == ()


def test_the_letter_asks_the_law_file_for_the_right_to_appeal(danish_refusal, monkeypatch):
    from overgang.rules import law

    # Were Danish law on file to give the right, the Danish letter would say so.
    monkeypatch.setattr(law, "appeal_by_law", lambda country: ("x § 1",))
    text = text_of(decision_letter(danish_refusal, language="da"))
    assert "kontakte Regionalt Hjælpemiddeldepot først" not in text
    assert "Pasient- og brukerombudet kan hjælpe dig med klagen." in text
