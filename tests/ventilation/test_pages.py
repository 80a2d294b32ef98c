"""O11 on the pages: the stay's and the patient's pages show the agreement (Oslo only), the
agreement's page takes the district's input and refuses bad input keeping it, each side
signs, old versions stay viewable, outsiders get 404, and the PDF prints in nb and da."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from pypdf import PdfReader

from overgang.audit.models import PatientRead
from overgang.ventilation import actions
from overgang.ventilation.models import AgreementVersion, VentilationAgreement
from tests.ventilation.conftest import complete, ventilator_needed
from tests.ventilation.test_agreement import _discharged

pytestmark = pytest.mark.django_db


def client_of(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def visible(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def form_of(agreement, **changes) -> dict[str, str]:
    data = {
        "assessment_date": "2026-03-28",
        "participant_0_name": "Lise Lungelege",
        "participant_0_role": "overlege",
        "participant_0_organisation": "OUS",
        "staffing_plan": "Nattevakt",
        "training_0_trainer": "OUS BHM",
        "training_0_trainees": "Hjemmesykepleien",
        "training_0_by": "2026-04-02",
        "follow_up_days": "14, 90, 365",
    }
    for row in agreement.current.responsibilities:
        data[f"party_{row['duty']}"] = row["party"]
        data[f"reason_{row['duty']}"] = ""
    data.update(changes)
    return data


@pytest.mark.parametrize("area", ["oslo", "tromso", "levanger", "aalborg"])
def test_the_stay_page_offers_the_agreement_only_where_the_routine_does(stays_of, area):
    stay, physician = stays_of[area]
    ventilator_needed(stay, physician)
    shown = visible(client_of(physician).get(f"/stays/{stay.pk}/").content.decode())
    assert ("Draft the LTMV agreement" in shown) is (area == "oslo")
    assert ("Home ventilation (LTMV)" in shown) is (area == "oslo")


def test_drafted_from_the_stay_and_shown_on_both_pages(oslo_need, oslo_stay, ous_clinician):
    client = client_of(ous_clinician)
    answer = client.post(f"/stays/{oslo_stay.pk}/ventilation/new/")
    agreement = VentilationAgreement.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/ventilation/{agreement.pk}/"
    for page in (f"/stays/{oslo_stay.pk}/", f"/patients/{oslo_stay.patient.pk}/"):
        assert "LTMV agreement, version 1" in visible(client.get(page).content.decode())


def test_the_district_completes_and_both_sign(drafted, ous_clinician, frogner_nurse):
    district = client_of(frogner_nurse)
    page = district.get(f"/ventilation/{drafted.pk}/")
    assert page.status_code == 200
    assert "Bydel Frogner" in visible(page.content.decode())
    assert PatientRead.objects.filter(user=frogner_nurse, patient_id=drafted.patient_id).exists()
    saved = district.post(f"/ventilation/{drafted.pk}/edit/", form_of(drafted))
    assert saved.status_code == 302
    assert client_of(ous_clinician).post(f"/ventilation/{drafted.pk}/sign/").status_code == 302
    assert district.post(f"/ventilation/{drafted.pk}/sign/").status_code == 302
    shown = visible(district.get(f"/ventilation/{drafted.pk}/").content.decode())
    assert "signed by both" in shown
    assert "this version is locked" in shown


def test_a_change_from_the_rules_without_a_reason_keeps_the_input(drafted, frogner_nurse):
    answer = client_of(frogner_nurse).post(
        f"/ventilation/{drafted.pk}/edit/",
        form_of(drafted, party_consumables="municipality", staffing_plan="Min plan"),
    )
    assert answer.status_code == 422
    shown = answer.content.decode()
    assert "differs from the agreement&#x27;s answer" in shown
    assert "Min plan" in shown  # what was typed is kept
    assert AgreementVersion.objects.get().staffing_plan == ""


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"follow_up_days": "14, fjorten"}, "Give whole days"),
        ({"assessment_date": "yesterday"}, "Enter a valid date"),
        ({"participant_1_name": "Uten rolle"}, "Participant 2"),
        ({"training_0_by": ""}, "Training 1"),
    ],
)
def test_bad_input_on_the_page_is_shown_and_changes_nothing(drafted, frogner_nurse, change, said):
    answer = client_of(frogner_nurse).post(
        f"/ventilation/{drafted.pk}/edit/", form_of(drafted, **change)
    )
    assert answer.status_code == 422
    assert said in answer.content.decode()
    assert AgreementVersion.objects.get().participants == []


def test_an_earlier_version_stays_viewable(drafted, ous_clinician, frogner_nurse):
    complete(drafted, frogner_nurse)
    actions.sign(drafted, actor=ous_clinician)
    actions.sign(drafted, actor=frogner_nurse)
    complete(drafted, ous_clinician, staffing_plan="Versjon to")
    client = client_of(frogner_nurse)
    old = visible(client.get(f"/ventilation/{drafted.pk}/?version=1").content.decode())
    assert "You are looking at an earlier version" in old
    assert "To sykepleiere om natten." in old
    assert "Versjon to" in visible(client.get(f"/ventilation/{drafted.pk}/").content.decode())
    assert client.get(f"/ventilation/{drafted.pk}/?version=9").status_code == 404
    assert client.get(f"/ventilation/{drafted.pk}/?version=x").status_code == 404


def test_outsiders_get_404_everywhere(drafted, stovner_case_worker, tromso_case_worker):
    for outsider in (stovner_case_worker, tromso_case_worker):
        client = client_of(outsider)
        for path in ("", "pdf/?lang=nb"):
            assert client.get(f"/ventilation/{drafted.pk}/{path}").status_code == 404
        for path in ("edit/", "sign/"):
            assert (
                client.post(f"/ventilation/{drafted.pk}/{path}", form_of(drafted)).status_code
                == 404
            )
        assert client.post(f"/stays/{drafted.stay_id}/ventilation/new/").status_code == 404
    assert not AgreementVersion.objects.exclude(participants=[]).exists()


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages
    )


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "nb",
            [
                "LTMV-avtale",
                "UTKAST",
                "Tverrfaglig vurdering",
                "Ansvar og oppgaver",
                "Vedlikeholder og reparerer",
                "sykehuset",
                "Bydel Frogner",
                "000 10.0",
            ],
        ),
        (
            "da",
            [
                "LTMV-aftale",
                "UDKAST",
                "Tværfaglig vurdering",
                "Ansvar og opgaver",
                "Vedligeholder og reparerer",
                "hospitalet",
                "Oslo universitetssykehus HF",
                "Bydel Frogner",
                "000 10.0",
            ],
        ),
    ],
)
def test_the_pdf_prints_in_norwegian_and_danish(drafted, frogner_nurse, language, words):
    complete(drafted, frogner_nurse)
    answer = client_of(frogner_nurse).get(f"/ventilation/{drafted.pk}/pdf/?lang={language}")
    assert answer["Content-Type"] == "application/pdf"
    text = pdf_text(answer.content)
    for word in words:
        assert word in text
    assert "Lege Lunge" in text and "Hjemmesykepleien" in text


def test_a_signed_pdf_is_no_draft(drafted, ous_clinician, frogner_nurse):
    complete(drafted, frogner_nurse)
    actions.sign(drafted, actor=ous_clinician)
    actions.sign(drafted, actor=frogner_nurse)
    text = pdf_text(client_of(ous_clinician).get(f"/ventilation/{drafted.pk}/pdf/?lang=nb").content)
    assert "UTKAST" not in text and "Ikke signert" not in text


def test_the_follow_up_shows_on_the_hospitals_worklist_page(drafted, ous_clinician, frogner_nurse):
    complete(drafted, frogner_nurse)
    actions.sign(drafted, actor=ous_clinician)
    actions.sign(drafted, actor=frogner_nurse)
    before = visible(client_of(ous_clinician).get("/worklist/").content.decode())
    assert "Follow-up after discharge (LTMV)" not in before
    _discharged(drafted.stay, ous_clinician)
    shown = visible(client_of(ous_clinician).get("/worklist/").content.decode())
    assert shown.count("Follow-up after discharge (LTMV)") == 3
    district = visible(client_of(frogner_nurse).get("/worklist/").content.decode())
    assert "Follow-up after discharge (LTMV)" not in district
