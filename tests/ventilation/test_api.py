"""O11 through the API: the hospital creates the agreement, the district completes it, both
sign; reads are logged; outsiders get 404; bad input a 422 naming the field."""

from __future__ import annotations

import pytest

from overgang.audit.models import PatientRead
from overgang.ventilation.models import AgreementVersion

pytestmark = pytest.mark.django_db

FILLED = {
    "assessment_date": "2026-03-28",
    "participants": [
        {"name": "Lise Lungelege", "role": "overlege", "organisation": "OUS"},
        {"name": "Frida Frognersen", "role": "saksbehandler", "organisation": "Bydel Frogner"},
    ],
    "responsibilities": [
        {"duty": "consumables", "party": "municipality", "reason": "Bydelens rammeavtale"}
    ],
    "staffing_plan": "Nattevakt med opplæring.",
    "training": [{"trainer": "OUS BHM", "trainees": "Hjemmesykepleien", "by": "2026-04-02"}],
    "follow_up_days": [14, 90],
}


def test_drafted_completed_and_signed_by_both_sides(
    api_as, oslo_need, oslo_stay, ous_clinician, frogner_nurse
):
    hospital, district = api_as(ous_clinician), api_as(frogner_nurse)
    created = hospital.post("/ventilation-agreements", {"stay": oslo_stay.pk})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["municipality"] == "oslo-frogner"
    assert body["current"]["status"] == "draft"
    pk = body["id"]
    changed = district.put(f"/ventilation-agreements/{pk}", FILLED)
    assert changed.status_code == 200, changed.content
    consumables = next(
        r for r in changed.json()["current"]["responsibilities"] if r["duty"] == "consumables"
    )
    assert (consumables["rules_party"], consumables["party"]) == ("hospital", "municipality")
    assert hospital.post(f"/ventilation-agreements/{pk}/sign").status_code == 200
    signed = district.post(f"/ventilation-agreements/{pk}/sign")
    assert signed.json()["current"]["status"] == "signed"
    again = hospital.put(f"/ventilation-agreements/{pk}", {**FILLED, "staffing_plan": "Ny"})
    assert again.json()["versions"] == [1, 2]
    first = district.get(f"/ventilation-agreements/{pk}/versions").json()[0]
    assert (first["status"], first["staffing_plan"]) == (
        "signed",
        "Nattevakt med opplæring.",
    )


def test_reads_are_logged(api_as, drafted, frogner_nurse):
    api = api_as(frogner_nurse)
    assert api.get(f"/ventilation-agreements/{drafted.pk}").status_code == 200
    assert api.get("/ventilation-agreements").json()[0]["id"] == drafted.pk
    assert (
        PatientRead.objects.filter(patient_id=drafted.patient_id, user=frogner_nurse).count() == 2
    )


def test_outsiders_get_404(api_as, drafted, stovner_case_worker, tromso_case_worker):
    for outsider in (stovner_case_worker, tromso_case_worker):
        api = api_as(outsider)
        assert api.get(f"/ventilation-agreements/{drafted.pk}").status_code == 404
        assert api.get(f"/ventilation-agreements/{drafted.pk}/versions").status_code == 404
        assert api.put(f"/ventilation-agreements/{drafted.pk}", FILLED).status_code == 404
        assert api.post(f"/ventilation-agreements/{drafted.pk}/sign").status_code == 404
        assert api.get("/ventilation-agreements").json() == []
    assert not PatientRead.objects.filter(user__in=[stovner_case_worker, tromso_case_worker])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"follow_up_days": [90, 14]}, "follow_up_days"),
        ({"responsibilities": [{"duty": "return", "party": "hospital"}]}, "responsibilities"),
        ({"participants": [{"name": "X", "role": "", "organisation": "Y"}]}, "participants"),
        ({"assessment_date": "2999-01-01"}, "assessment_date"),
        ({"follow_up_days": "often"}, "follow_up_days"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(api_as, drafted, frogner_nurse, change, field):
    before = list(AgreementVersion.objects.values())
    answer = api_as(frogner_nurse).put(
        f"/ventilation-agreements/{drafted.pk}", {**FILLED, **change}
    )
    assert answer.status_code == 422
    assert field in {error["loc"][-1] for error in answer.json()["detail"]} | {
        error["loc"][1] for error in answer.json()["detail"] if len(error["loc"]) > 1
    }
    assert list(AgreementVersion.objects.values()) == before


def test_signing_an_unfinished_draft_names_what_is_missing(api_as, drafted, ous_clinician):
    answer = api_as(ous_clinician).post(f"/ventilation-agreements/{drafted.pk}/sign")
    assert answer.status_code == 422
    assert {e["loc"][-1] for e in answer.json()["detail"]} == {"assessment_date", "participants"}


@pytest.mark.parametrize("area", ["tromso", "levanger", "aalborg"])
def test_elsewhere_creating_is_refused_on_the_stay(api_as, stays_of, area):
    stay, physician = stays_of[area]
    answer = api_as(physician).post("/ventilation-agreements", {"stay": stay.pk})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "stay"]
